"""QA findings through the running server: what founders ask after the centers, short messages."""

from __future__ import annotations

import re

from tests.conftest import buttons, texts

PHONE = re.compile(r"☎\s?([\d-]+)")


def test_follow_ups_after_the_centers_answer_that_detail_only(talk) -> None:
    assert "[부산창조경제혁신센터]" in texts(talk("부산에 상담받을 데 있어요?"))
    # QA: each of these repeated the whole list of three centers
    phone = texts(talk("전화번호 알려주세요"))
    assert "[" not in phone and "아직 확인하지 못해서" in phone, phone
    assert set(PHONE.findall(phone)) == {"1357", "1600-5500"}, phone
    address = texts(talk("거기 주소는요?"))
    assert "[" not in address and "주소를 아직 확인하지 못했어요" in address, address
    one = talk("가까운 데 한 군데만요")
    assert texts(one).count("[") == 1, texts(one)
    assert buttons(one) == ["다른 곳도 보기"]


def test_another_place_after_the_centers_gets_its_centers_without_a_correction_note(talk) -> None:
    talk("성남 상담센터 알려주세요")
    pohang = texts(talk("포항은요?"))
    assert "[포항창조경제혁신센터]" in pohang and "고쳐 두었어요" not in pohang, pohang
    naju = texts(talk("나주는요?"))  # QA: a topic menu (the model is unsure of this one)
    assert "[빛가람창조경제혁신센터]" in naju and "고쳐 두었어요" not in naju, naju


def test_messages_without_words_get_short_kind_replies(talk) -> None:
    thanks = talk("🙏")
    assert "고마워요" in texts(thanks) and not buttons(thanks), thanks  # QA: a menu with 판로 개척
    link = texts(talk("https://www.sbc.or.kr/notice"))
    assert "링크" in link and "한국어" not in link, link  # QA: "Dasi understands only Korean"
    digits = texts(talk("12345"))
    assert "숫자" in digits, digits


def test_a_job_seeker_who_says_it_twice_hears_the_note_once(talk) -> None:
    first = texts(talk("일자리 알아보고 있어요"))
    assert "일자리를 직접 찾아 드리지는 못해요" in first, first
    again = texts(talk("취업하고 싶어요"))
    assert "일자리를 직접 찾아 드리지는 못해요" not in again and "희망리턴패키지" not in again, again
    assert "알고 있어요" in again, again


def test_wanting_the_cafe_back_is_wanting_to_restart(talk, dasi, founder) -> None:
    talk("다시 카페 하고 싶어요")
    slots = dasi.tracker(founder)["slots"]
    assert slots["goal"] == "restart" and slots["business_type"] == "small_merchant", slots


def test_credit_told_in_a_story_is_not_asked_again(talk) -> None:
    reply = texts(
        talk(
            "대구에서 식당 하다가 작년에 폐업했어요. 개인사업자고 신용은 괜찮고 세금이나 4대보험 체납은 없어요. 다시 창업하고 싶어요"
        )
    )
    assert "신용 상황" not in reply, reply


def test_the_program_overview_is_short(talk) -> None:
    reply = texts(talk("재창업 지원 제도 뭐 있어요?"))
    assert reply.count("\n· ") <= 5 and "그 밖에" in reply, reply


STORY = "대구에서 식당 하다가 작년에 폐업했어요. 개인사업자고 연체는 없고 4대보험 체납은 없어요. 다시 창업하고 싶어요"


def test_what_first_after_the_results_is_one_step(talk) -> None:
    talk(STORY)
    talk("세금 체납 있어요")
    results = texts(talk("모르겠어요"))
    assert "살펴봤어요" in results, results
    first = texts(talk("그중에 제일 먼저 할 건 뭐예요?"))  # QA: the help menu
    assert first.startswith("먼저 국세 체납"), first
    assert "다시는 이런 일을 도와드려요" not in first, first


def test_starting_over_clears_what_was_said(talk, dasi, founder) -> None:
    talk(STORY)
    again = texts(talk("처음부터 다시 할게요"))  # QA: the help note, and the same question again
    assert "처음부터 다시" in again, again
    slots = dasi.tracker(founder)["slots"]
    assert slots["region"] is None and slots["goal"] is None, slots


def test_the_same_message_three_times_is_not_answered_three_times_in_full(talk) -> None:
    first = texts(talk("재창업자금 알려주세요"))
    assert "[재창업자금]" in first, first
    second = texts(talk("재창업자금 알려주세요"))
    third = texts(talk("재창업자금 알려주세요"))
    assert "[재창업자금]" not in second and "앞에서 말씀드린" in second, second
    assert "[재창업자금]" not in third and third != second and "1357" in third, third


def test_a_greeting_again_gets_a_short_line(talk) -> None:
    welcome = texts(talk("안녕하세요"))
    assert "다시(Dasi)예요" in welcome, welcome
    again = [texts(talk("안녕하세요")) for _ in range(2)]
    assert all("다시(Dasi)예요" not in reply and "안녕하세요" in reply for reply in again), again


def test_a_sad_emoji_in_the_finder_gets_warmth_then_the_question(talk) -> None:
    talk("제가 받을 수 있는 지원이 있는지 알고 싶어요")
    reply = texts(talk("😭"))
    assert "힘드시죠" in reply and "알아듣지 못했어요" not in reply, reply  # QA: "I did not understand"
    assert reply.strip().endswith("폐업하셨나요?"), reply


def test_no_region_known_for_the_centers_gets_the_hotline(talk) -> None:
    talk("센터 알려주세요")
    reply = texts(talk("몰라요"))  # QA: the program finder offered instead
    assert "1357" in reply and "찾아 드릴까요" not in reply, reply


def test_every_center_in_the_country_is_a_short_answer_with_region_buttons(talk) -> None:
    replies = talk("전국에 있는 센터 다 알려주세요")
    assert "19곳" in texts(replies) and "서울" in buttons(replies), replies
    seoul = texts(talk('/inform{"region": "seoul"}'))
    assert "[서울창조경제혁신센터]" in seoul, seoul


def test_another_place_asked_about_in_the_finder_gets_its_centers_and_keeps_where_the_founder_is(
    talk, dasi, founder
) -> None:
    talk("제주에서 펜션하다 작년에 폐업했어요")
    talk("법인이었어요")
    assert "[제주창조경제혁신센터]" in texts(talk("가까운 상담 센터 알려주세요"))
    busan = talk("부산은요?")
    reply = texts(busan)
    # QA: "지역은 부산으로 고쳐 두었어요." and no centers
    assert "[부산창조경제혁신센터]" in reply and "고쳐 두었어요" not in reply, reply
    assert dasi.tracker(founder)["slots"]["region"] == "jeju"
    assert "신용 상황은 어떠세요" in reply, reply  # and the finder goes on with its question
