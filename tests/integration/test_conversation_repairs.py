"""QA findings through the running server: replies a founder got wrong, unkind or twice."""

from __future__ import annotations

from tests.conftest import buttons, texts

FINDER = "제가 받을 수 있는 지원이 있는지 알고 싶어요"
NOT_UNDERSTOOD = "이해하지 못했어요"


def test_a_yes_after_the_crisis_line_is_met_with_care(talk) -> None:
    assert "109" in texts(talk("요즘 잠도 못 자고 그냥 사라지고 싶다는 생각만 들어요"))
    reply = texts(talk("네"))
    assert NOT_UNDERSTOOD not in reply, reply
    assert "천천히 말씀해 주세요" in reply and "109" in reply, reply


def test_a_yes_after_the_crisis_line_in_the_finder_is_met_with_care(talk) -> None:
    talk(FINDER)
    assert "109" in texts(talk("더 살아서 뭐하나 싶어요"))
    reply = texts(talk("네"))
    assert NOT_UNDERSTOOD not in reply and "109" in reply, reply


def test_a_yes_after_the_stigma_answer_starts_the_finder(talk) -> None:
    assert "부끄러워하실 일이 아니고" in texts(talk("폐업하고 나서 너무 창피해서 아무한테도 말 못했어요"))
    reply = texts(talk("네"))
    assert NOT_UNDERSTOOD not in reply, reply
    assert "몇 가지만 여쭤볼게요" in reply and "폐업은 언제쯤 하셨어요?" in reply, reply


def test_a_question_about_what_would_happen_changes_no_answer(talk, dasi, founder) -> None:
    talk("개인파산 신청하면 다시 사업자 낼 수 있나요?")
    reply = texts(talk("면책 받으면요?"))
    assert "고쳐 두었어요" not in reply, reply
    reply = texts(talk("회생은 얼마나 걸려요?"))
    assert "고쳐 두었어요" not in reply, reply
    assert dasi.tracker(founder)["slots"]["credit_state"] is None


def test_social_insurance_paid_in_a_long_story_is_not_asked_again(talk, dasi, founder) -> None:
    reply = texts(
        talk(
            "저는 대구에서 8년 동안 카페를 운영하다가 코로나 이후 매출이 급감해서 2023년 3월에 폐업했습니다. "
            "개인사업자였고 지금 신용카드 연체가 있고 국세 체납이 1500만원 정도 있어요. 4대보험은 다 냈습니다. "
            "다시 창업하고 싶은데 뭘 받을 수 있을까요?"
        )
    )
    assert "4대보험료" not in reply, reply
    assert dasi.tracker(founder)["slots"]["insurance_arrears"] is False


def test_insisting_on_an_answer_is_not_called_a_good_question(talk) -> None:
    talk(FINDER)
    talk("네 작년 봄에 폐업했어요")
    reply = texts(talk("음 그건 작년 봄이라니까요"))
    assert "좋은 질문" not in reply, reply


def test_program_follow_ups_in_the_finder_use_the_program(talk) -> None:
    assert "[희망리턴패키지]" in texts(talk("희망리턴패키지가 뭐예요?"))
    who = texts(talk("누가 받을 수 있어요?"))
    assert "희망리턴패키지의 지원 대상은" in who, who  # answered, then the finder checks it for this founder
    assert who.strip().endswith("폐업하셨나요?"), who
    how_much = texts(talk("얼마 받아요?"))
    assert "확인된 자료가 없어서" not in how_much and "600만 원" in how_much, how_much
    assert how_much.strip().endswith("폐업하셨나요?"), how_much
    papers = texts(talk("서류는 뭐가 필요해요?"))
    assert "서류" in papers and "확인되지 않았어요" in papers, papers


def test_an_ambiguous_region_is_asked_about_once_at_the_region_question(talk) -> None:
    first = talk("광주에서 미용실 했었는데 폐업했어요")
    assert "어느 쪽" not in texts(first), texts(first)  # one question at a time
    for answer in ("2년 전이요", "몰라요", "없어요", "없어요", "다시 창업"):
        replies = talk(answer)
    reply = texts(replies)
    assert "광주는 두 곳이 있어요" in reply, reply
    assert "어느 지역에 계세요" not in reply, reply
    assert {"광주광역시", "경기도"} <= set(buttons(replies))
    assert "성실경영평가" in texts(talk("광주광역시요"))


def test_a_resident_number_gets_no_topic_menu(talk) -> None:
    replies = talk("주민번호 850101-1234567 입니다")
    assert "판로 개척" not in buttons(replies) and "기술 보호·분쟁" not in buttons(replies), buttons(replies)
    assert "가려서 기록했어요" in texts(replies)


def test_the_stigma_card_is_not_repeated_word_for_word(talk) -> None:
    first = texts(talk("폐업하고 나서 너무 창피해서 아무한테도 말 못했어요"))
    assert "[실패의 낙인과 마음의 어려움]" in first
    again = texts(talk("그냥 제가 실패한 사람 같아요"))
    assert "[실패의 낙인과 마음의 어려움]" not in again, again
    assert "실패한 사람이 되신 건 아니에요" in again and "109" in again, again


def test_a_short_follow_up_after_the_social_insurance_card_stays_on_it(talk) -> None:
    assert "[4대보험 체납]" in texts(talk("4대보험 밀린 거 있으면 지원 못 받나요?"))
    reply = texts(talk("분납 되나요?"))
    assert "[국세 체납]" not in reply, reply
    assert "4대보험" in reply, reply


def test_a_whole_story_in_one_message_is_thanked_for(talk) -> None:
    reply = texts(talk("대전에서 법인으로 제조업 하다가 작년에 폐업했고 세금은 안 밀렸어요"))
    assert "자세히 말씀해 주셔서 고마워요" in reply, reply
    assert "신용 상황은 어떠세요?" in reply, reply  # then the next question
