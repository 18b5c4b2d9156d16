"""End-to-end conversations through the running server: what a founder would read."""

from __future__ import annotations

import re

from tests.conftest import buttons, texts

UNVERIFIED_NUMBERS = ("1811-3655", "1544-1120", "1588-6565", "051-316-4050")


def assert_sourced(reply: str) -> None:
    # a source without a date says so rather than showing a made-up one
    assert "출처" in reply and re.search(r"기준일 (\d{4}-\d{2}-\d{2}|미확인)", reply), reply
    assert not any(number in reply for number in UNVERIFIED_NUMBERS), reply


def test_greeting_offers_the_main_paths(talk) -> None:
    replies = talk("안녕하세요")
    assert "다시" in texts(replies)
    assert "나에게 맞는 지원 찾기" in buttons(replies)


def test_situation_told_up_front_is_never_asked_again(talk) -> None:
    reply = texts(talk("부산에서 식당 하다가 작년에 폐업했고 세금 체납이 있어요"))
    # region, closure and arrears were said: the finder moves on to what it still needs
    assert "폐업하셨나요" not in reply and "어느 지역" not in reply and "밀린 세금" not in reply
    assert "신용" in reply


def answer_finder(talk, first: str, answers: list[str]) -> str:
    reply = texts(talk(first))
    for answer in answers:
        if "살펴봤어요" in reply:
            break
        reply = texts(talk(answer))
    return reply


def test_program_finder_recommends_programs_with_sources(talk) -> None:
    final = answer_finder(
        talk,
        "부산에서 식당 하다가 작년에 폐업했고 세금 체납이 있어요",
        ['/inform{"credit_state": "normal"}', "/deny", '/inform{"goal": "restart"}', "/deny", "/deny"],
    )
    assert "살펴봤어요" in final, final
    # the tax remedies lead (one has a deadline in weeks) and a restart program still shows
    assert "체납처분 유예" in final and "2026-12-31" in final, final
    assert "재도전성공패키지" in final or "희망리턴패키지" in final, final
    assert "세금" in final  # the barrier to clear is named
    assert_sourced(final)


def test_why_explains_the_top_recommendation(talk) -> None:
    answer_finder(
        talk,
        "대구, 법인 대표, 2년 전 폐업, 신보 대위변제, 국세 체납 2천만 원",
        ["/deny", '/inform{"goal": "restart"}', "/deny", "/deny", "/deny"],
    )
    why = texts(talk("왜요?"))
    assert "이유" in why and ("✔" in why or "△" in why or "✖" in why), why
    assert_sourced(why)


def test_changing_an_answer_updates_the_result(talk, dasi, founder) -> None:
    answer_finder(
        talk,
        "서울에서 카페 하다가 석 달 전에 폐업했어요. 연체나 체납은 없어요",
        ["/deny", '/inform{"goal": "restart"}', "/deny", "/deny", "/deny"],
    )
    before = dasi.tracker(founder)["slots"]["years_since_closure"]
    talk("아 폐업은 3년 전이에요")
    after = dasi.tracker(founder)["slots"]["years_since_closure"]
    assert before < 0.5 and 2.5 < after < 3.5


def test_tax_arrears_question_states_the_remedy_and_deadline(talk) -> None:
    reply = texts(talk("국세 체납이 있는데 재창업할 수 있나요?"))
    assert "조세특례제한법" in reply and "2026-12-31" in reply, reply
    assert_sourced(reply)


def test_joint_guarantee_question(talk) -> None:
    reply = texts(talk("연대보증 때문에 다시 대출 받기 무서워요"))
    assert "연대보증" in reply and "2018" in reply, reply
    assert_sourced(reply)


def test_bankruptcy_question(talk) -> None:
    reply = texts(talk("파산하면 다시 사업자 등록 못 하나요?"))
    assert "면책" in reply, reply
    assert_sourced(reply)


def test_center_by_region_shows_only_verified_contacts(talk) -> None:
    reply = texts(talk("대구 혁신센터 연락처 알려주세요"))
    assert "ccei.creativekorea.or.kr/daegu" in reply, reply
    assert "1357" in reply
    assert not any(number in reply for number in UNVERIFIED_NUMBERS)


def test_district_name_resolves_to_its_province(talk) -> None:
    reply = texts(talk("성남인데 재창업 상담 어디서 해요?"))
    assert "경기" in reply, reply


def test_ambiguous_region_gets_a_question(talk) -> None:
    replies = talk("고성 근처 센터 어디 있어요?")
    assert "어느 쪽" in texts(replies)
    assert set(buttons(replies)) >= {"강원특별자치도", "경상남도"}


def test_center_without_region_asks_once_then_remembers(talk) -> None:
    assert "어느 지역" in texts(talk("제일 가까운 센터 어디예요?"))
    assert "울산" in texts(talk("울산이요"))
    # the region is remembered for the rest of the conversation
    assert "울산" in texts(talk("상담 센터 위치 다시 알려 주세요"))


def test_barrier_question_in_the_middle_of_the_finder_resumes_it(talk) -> None:
    talk("제가 받을 수 있는 지원이 있는지 알고 싶어요")
    digression = texts(talk("근데 연대보증은 아직도 서야 하나요?"))
    assert "연대보증" in digression
    assert digression.strip().endswith("?"), digression  # the finder asks its next question again


def test_bot_challenge_and_human_request_give_the_hotline(talk) -> None:
    assert "챗봇" in texts(talk("혹시 사람이에요?"))
    assert "1357" in texts(talk("상담원이랑 직접 통화하고 싶어요"))


def test_out_of_scope_is_polite(talk) -> None:
    reply = texts(talk("오늘 서울 날씨 어때요?"))
    assert "죄송" in reply or "도와드리기 어려워요" in reply


def test_empty_and_emoji_messages_get_an_answer(talk) -> None:
    assert texts(talk("😢😢😢"))
    assert texts(talk("   "))


def test_a_barrier_question_that_also_answers_the_finder_is_answered_too(talk) -> None:
    assert "?" in texts(talk("제가 받을 수 있는 지원이 있는지 알고 싶어요"))
    reply = texts(talk("국세 체납이 있는데 재창업할 수 있나요?"))
    assert "조세특례제한법" in reply, reply  # the question is answered
    assert reply.strip().endswith(("?", "요.", "세요.")), reply  # and the finder goes on


def test_a_sign_of_suicidal_thoughts_gets_the_crisis_line_first(talk) -> None:
    reply = texts(talk("가게 망하고 나서 매일 죽고 싶다는 생각만 들어요"))
    assert "☎ 109" in reply and "24시간" in reply, reply
    assert "112" in reply and "119" in reply, reply


def test_a_crisis_in_the_middle_of_the_finder_stops_its_questions(talk) -> None:
    assert texts(talk("제가 받을 수 있는 지원이 있는지 알고 싶어요")).strip().endswith("?")
    reply = texts(talk("솔직히 더 이상 살 자신이 없어요"))
    assert "☎ 109" in reply, reply
    assert not reply.strip().endswith("?"), reply  # no next finder question after this
    # nothing is lost: the founder can go back to the finder whenever they want
    assert "?" in texts(talk("저한테 맞는 지원 다시 찾아 주세요"))


def test_a_founder_who_feels_ashamed_also_hears_of_the_crisis_line(talk) -> None:
    # a feeling told gets a few kind words, the line and a choice; asking for help gets the card
    replies = talk("폐업하고 나서 실패자 같아서 우울해요")
    assert "힘드시죠" in texts(replies) and "☎ 109" in texts(replies), texts(replies)
    assert "마음 돌보는 프로그램" in buttons(replies), buttons(replies)
    reply = texts(talk("실패한 사람들 마음 치유 프로그램 있어요?"))
    assert "재도전 응원본부" in reply and "109" in reply, reply


def _until(talk, first: str, question: str) -> str:
    """Answers the finder with 'I don't know' until it asks `question` (a phrase of it)."""
    reply = texts(talk(first))
    for _ in range(8):
        if question in reply:
            return reply
        reply = texts(talk("모르겠어요"))
    raise AssertionError(f"the finder never asked {question!r}: {reply}")


def test_a_plain_no_in_words_answers_the_finders_question(talk) -> None:
    _until(talk, "제가 받을 수 있는 지원이 있는지 알고 싶어요", "신용 상황")
    reply = texts(talk("신용은 괜찮아요"))
    assert "신용 상황" not in reply and "이해하지 못했어요" not in reply, reply


def test_why_in_the_middle_of_the_finder_explains_the_question_and_asks_it_again(talk) -> None:
    asked = _until(talk, "제가 받을 수 있는 지원이 있는지 알고 싶어요", "밀린 세금")
    reply = texts(talk("그건 왜 물어보세요?"))
    assert "정책자금" in reply, reply  # why tax arrears matter
    assert "밀린 세금" in reply, reply  # and the same question again
    assert asked.count("밀린 세금") == 1


def test_a_question_about_rehabilitation_gets_the_rehabilitation_answer(talk) -> None:
    reply = texts(talk("개인회생 중인데 재창업자금 신청 가능한가요?"))
    assert "회생" in reply and "파산한 사람은" not in reply, reply


def test_restart_starts_afresh_without_an_apology(talk) -> None:
    talk("부산에서 식당 하다가 폐업했어요")
    reply = texts(talk("/restart"))
    assert "처음부터" in reply and "죄송" not in reply, reply


def test_a_weary_message_dasi_cannot_place_gets_warmth_before_a_menu(talk) -> None:
    replies = talk("😭😭😭")
    assert "힘드시죠" in texts(replies), texts(replies)
    assert buttons(replies)[0] == "마음이 힘들 때"


def test_an_english_message_hears_that_dasi_speaks_korean(talk) -> None:
    reply = texts(talk("Hello, I closed my company in Seoul last year and I want to start again"))
    assert "Korean" in reply and "1357" in reply, reply


def test_an_agencys_phone_number_is_given_only_when_verified(talk) -> None:
    assert "1600-5500" in texts(talk("신복위 연락처 알려주세요"))
    reply = texts(talk("신보 전화번호 알려주세요"))
    assert "신용보증기금" in reply and "확인하지 못해서" in reply and "1357" in reply, reply
    assert_sourced_numbers_only(reply)


def test_that_place_after_an_answer_is_the_agency_of_that_answer(talk) -> None:
    assert "신용" in texts(talk("카드 연체 때문에 대출이 하나도 안 나와요 어떡하죠"))
    assert "1600-5500" in texts(talk("거기 전화번호 뭐예요?"))


def assert_sourced_numbers_only(reply: str) -> None:
    assert not any(number in reply for number in UNVERIFIED_NUMBERS), reply


def test_a_hand_typed_payload_with_an_unknown_value_is_not_stored(talk, dasi, founder) -> None:
    talk('/inform{"credit_state": "<script>alert(1)</script>", "region": "zzz"}')
    slots = dasi.tracker(founder)["slots"]
    assert slots.get("credit_state") is None and slots.get("region") is None, slots
    talk('/inform{"credit_state": "normal"}')  # what the finder's buttons send still works
    assert dasi.tracker(founder)["slots"]["credit_state"] == "normal"


def test_a_barrier_question_keeps_the_credit_procedure_already_told(talk, dasi, founder) -> None:
    # QA: "정책자금 제한 풀 수 있어요?" from a founder in 채무조정 got "신용 상황은 '연체'로 고쳐 두었어요"
    talk("제주도에서 펜션 운영하다 올해 초에 접었습니다. 채무조정 중이고요")
    reply = texts(talk("정책자금 제한 풀 수 있어요?"))
    assert "고쳐 두었어요" not in reply, reply
    assert dasi.tracker(founder)["slots"]["credit_state"] == "under_adjustment"


def test_asking_for_support_in_the_middle_of_the_finder_is_not_misunderstood(talk) -> None:
    # QA: "지원 찾아주세요" while the finder asked got "제가 답을 잘 알아듣지 못했어요"
    talk("지원 받을 수 있는지 알고 싶어요")
    reply = texts(talk("지원 찾아주세요"))
    assert "알아듣지 못했" not in reply and "찾고 있어요" in reply, reply


def test_what_is_the_evaluation_gets_its_card(talk) -> None:
    # QA: "성실경영평가가 뭐에요?" got the list of every program
    reply = texts(talk("성실경영평가가 뭐에요?"))
    assert "[성실경영평가]" in reply and "재도전성공패키지:" not in reply, reply
