"""QA findings through the running server: questions, corrections and follow-ups mid-conversation."""

from __future__ import annotations

from tests.conftest import buttons, texts

FINDER = "제가 받을 수 있는 지원이 있는지 알고 싶어요"


def test_a_question_in_the_finder_is_acknowledged_not_stored(talk, dasi, founder) -> None:
    assert "폐업하셨나요" in texts(talk(FINDER))
    reply = texts(talk("폐업 신고는 어떻게 하는 거예요?"))
    assert "1357" in reply and "이해하지 못했어요" not in reply, reply
    assert reply.strip().endswith("폐업하셨나요?"), reply  # the same question again
    assert dasi.tracker(founder)["slots"]["closed"] is None


def test_english_in_the_finder_gets_the_english_note_then_the_question(talk) -> None:
    talk(FINDER)
    reply = texts(talk("yes I closed it last year"))
    assert "Korean" in reply and "한국어" in reply, reply
    assert "알아듣지 못했어요" not in reply, reply
    assert reply.strip().endswith("폐업하셨나요?"), reply


def test_a_correction_is_made_and_said(talk, dasi, founder) -> None:
    talk("부산에서 식당 하다가 작년에 폐업했어요")
    reply = texts(talk("아 부산이 아니라 대구예요"))
    assert "대구로 고쳐 두었어요" in reply, reply
    slots = dasi.tracker(founder)["slots"]
    assert slots["region"] == "daegu"
    assert slots["credit_state"] is None, slots  # "아니라" answered nothing about credit


def test_follow_ups_after_a_program_card_are_about_that_program(talk) -> None:
    assert "[재창업자금]" in texts(talk("재창업자금 알려주세요"))
    deadline = texts(talk("신청 마감은요?"))
    assert "재창업자금" in deadline and "마감" in deadline, deadline
    where = texts(talk("그거 어디서 신청해요?"))
    assert "재창업자금" in where and "신청" in where, where
    assert "대표적인 지원이에요" not in where, where  # not the overview of every program


def test_a_job_seeker_hears_what_dasi_does(talk) -> None:
    replies = talk("일자리 알아보고 있어요")
    reply = texts(replies)
    assert "재창업·재도전" in reply and "일자리를 직접 찾아 드리지는 못해요" in reply, reply
    assert "1350" not in reply  # no unverified employment-service number
    assert "할 수 있는 일 보기" in buttons(replies)
    again = texts(talk("구직 중이에요"))
    assert "이해하지 못했어요" not in again, again


def test_two_barriers_in_one_message_are_both_answered(talk) -> None:
    replies = talk("연대보증도 있고 세금도 밀렸는데 어떻게 해요?")
    reply = texts(replies)
    assert "연대보증" in reply and "국세" in reply, reply
    assert "2가지" in reply
    assert {"연대보증 자세히", "국세 체납 자세히"} <= set(buttons(replies)) or len(buttons(replies)) >= 3


def test_a_fact_that_answers_another_question_is_acknowledged(talk) -> None:
    # QA: "소상공인이에요" while asked about credit got "제가 답을 잘 알아듣지 못했어요"
    reply = texts(talk("대구에서 식당 하다가 작년에 폐업했고 세금이랑 4대보험 체납은 없어요"))
    assert "신용" in reply, reply
    again = texts(talk("소상공인이에요"))
    assert "알아듣지 못했어요" not in again and "알아 두었어요" in again, again
    assert "신용" in again, again  # and the same question again


def test_thanks_in_the_finder_is_taken_kindly_and_the_question_follows(talk) -> None:
    assert "폐업하셨나요" in texts(talk(FINDER))
    reply = texts(talk("친절하게 알려주셔서 감사해요"))
    assert "별말씀을요" in reply and "도움이 되었다니" not in reply, reply  # nothing was found yet
    assert reply.strip().endswith("폐업하셨나요?"), reply


STORY = "서울에서 법인 하다가 작년에 폐업했고 신용 문제 없고 세금이랑 4대보험 체납 없어요 다시 창업하고 싶어요"


def test_the_evaluation_question_understands_its_buttons_typed_and_never_heard_of_it(talk, dasi, founder) -> None:
    assert "성실경영평가" in texts(talk(STORY))
    reply = texts(talk("처음 들어봐요"))
    # QA: Dasi described itself ("다시는 재창업·재도전 지원 찾기…") and asked again
    assert "알아듣지 못했어요" not in reply and "다시는" not in reply, reply
    assert dasi.tracker(founder)["slots"]["sincere_evaluation_passed"] == "unknown"


def test_typing_a_buttons_words_answers_the_evaluation_question(talk, dasi, founder) -> None:
    talk(STORY)
    reply = texts(talk("통과했어요"))
    assert "알아듣지 못했어요" not in reply, reply  # QA: the button's own title was not understood
    assert dasi.tracker(founder)["slots"]["sincere_evaluation_passed"] is True
