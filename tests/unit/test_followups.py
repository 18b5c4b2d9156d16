"""Follow-ups, corrections, several barriers and scope notes (QA: each was lost or silent)."""

from __future__ import annotations

import datetime
import re

import pytest

from bot.guidance.answers import first_step, program_overview
from bot.guidance.corrections import correction_note
from bot.guidance.dialogue.fallback import wordless_reply
from bot.guidance.dialogue.finder import answer_to_requested_slot
from bot.guidance.eligibility import recommend
from bot.guidance.followups import (
    barrier_again,
    followup_aspect,
    points_back,
    program_followup,
    several_barriers,
)
from bot.guidance.profile import FounderProfile
from bot.guidance.scope import asks_first_step, is_question, job_seeker_answer, wants_job, wants_to_start_over
from bot.guidance.situation import extract_situation
from bot.knowledge.loader import knowledge
from bot.language.gazetteer import gazetteer
from bot.language.korean import with_ro
from tests.unit.conversation import texts, turn

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    "text",
    [
        "폐업 신고는 어떻게 하는 거예요?",
        "법인 폐업은 어떻게 해요?",
        "세금 체납되면 어떻게 돼요?",
        "성실경영평가가 뭔가요?",
    ],
)
def test_a_how_or_what_question_states_no_fact(text: str) -> None:
    assert extract_situation(text, gazetteer(), TODAY) == {}


def test_a_fact_before_a_question_still_counts() -> None:
    facts = extract_situation("연대보증도 있고 세금도 밀렸는데 어떻게 해요?", gazetteer(), TODAY)
    assert facts["tax_arrears"] is True
    facts = extract_situation("작년에 폐업했는데 재창업자금 언제까지 신청해요?", gazetteer(), TODAY)
    assert facts["closed"] is True and 1 < facts["years_since_closure"] < 2


def test_a_correction_is_no_answer_to_the_question_asked() -> None:
    # QA: "아 부산이 아니라 대구예요" while the finder asked about credit stored credit 'normal'
    assert answer_to_requested_slot("credit_state", "deny", "아 부산이 아니라 대구예요") == {}
    assert answer_to_requested_slot("tax_arrears", "deny", "서울 말고 부산이요") == {}


def test_a_changed_answer_is_said_briefly() -> None:
    base = knowledge()
    assert correction_note({"region": "busan"}, {"region": "daegu"}, base) == "지역은 대구로 고쳐 두었어요."
    note = correction_note({"years_since_closure": 0.25}, {"years_since_closure": 3.0}, base)
    assert note == "폐업 시기는 약 3년 전으로 고쳐 두었어요."
    # a first answer, or the same one again, is no correction
    assert correction_note({"region": None}, {"region": "daegu"}, base) is None
    assert correction_note({"region": "daegu"}, {"region": "daegu"}, base) is None
    assert correction_note({"region": "unknown"}, {"region": "daegu"}, base) is None


def test_ro_follows_the_final_consonant() -> None:
    assert [with_ro(w) for w in ("대구", "서울", "법인", "약 3년 전")] == [
        "대구로",
        "서울로",
        "법인으로",
        "약 3년 전으로",
    ]


def test_slots_before_and_after_the_latest_message() -> None:
    events = [
        {"event": "slot", "name": "region", "value": "busan"},
        {"event": "user", "text": "아 부산이 아니라 대구예요"},
        {"event": "slot", "name": "region", "value": "daegu"},
    ]
    said = turn("아 부산이 아니라 대구예요", earlier=events[:1], later=events[2:])
    assert (dict(said.before), dict(said.after)) == ({"region": "busan"}, {"region": "daegu"})


@pytest.mark.parametrize(
    "text, aspect",
    [
        ("신청 마감은요?", "deadline"),
        ("그거 어디서 신청해요?", "apply"),
        ("대상이 누구예요?", "target"),
        ("얼마까지 돼요?", "benefit"),
    ],
)
def test_follow_up_aspects(text: str, aspect: str) -> None:
    assert followup_aspect(text) == aspect


def test_pointer_words() -> None:
    assert points_back("그거 어디서 신청해요?") and not points_back("대구 센터 어디예요?")


def test_a_deadline_follow_up_says_when_none_is_known() -> None:
    base = knowledge()
    answer = program_followup(base.programs["restart_fund"], "deadline", base)
    assert answer.text.startswith("재창업자금의 신청 마감일은") and "확인되지 않았어요" in answer.text
    assert "신청:" in answer.text and "출처" in answer.text


def test_a_deadline_follow_up_gives_a_stated_date() -> None:
    base = knowledge()
    dated = [p for p in base.programs.values() if re.search(r"\d{4}년\s?\d{1,2}월\s?\d{1,2}일", p.how_to_apply)]
    assert dated, "some program states its deadline in how_to_apply"
    answer = program_followup(dated[0], "deadline", base)
    assert "까지 신청하셔야 해요" in answer.text, answer.text


def test_several_barriers_are_each_answered() -> None:
    base = knowledge()
    barriers = [base.barriers["joint_guarantee"], base.barriers["tax_arrears"]]
    answer = several_barriers(
        barriers, base, {"joint_guarantee": "/ask_joint_guarantee", "tax_arrears": "/ask_tax_arrears"}
    )
    assert "2가지" in answer.text
    assert f"[{barriers[0].name}]" in answer.text and f"[{barriers[1].name}]" in answer.text
    assert re.search(r"출처: .+ · 기준일", answer.text), answer.text
    assert [b.payload for b in answer.buttons][:2] == ["/ask_joint_guarantee", "/ask_tax_arrears"]


def test_a_job_seeker_hears_what_dasi_does_and_no_unverified_number() -> None:
    base = knowledge()
    answer = job_seeker_answer(base)
    assert "재창업·재도전" in answer.text and "일자리를 직접 찾아 드리지는 못해요" in answer.text
    numbers = re.findall(r"☎\s?([\d-]+)", answer.text) + re.findall(r"\b1\d{3}(?:-\d{4})?\b", answer.text)
    assert all(number in base.verified_numbers for number in numbers), numbers
    assert "1350" not in answer.text  # the employment hotline is not verified in FACTS.md


@pytest.mark.parametrize("text", ["구직 중이에요", "일자리 알아보고 있어요", "취업하고 싶어요"])
def test_job_seeking_words(text: str) -> None:
    assert wants_job(text)


def test_questions_and_answers_are_told_apart() -> None:
    assert is_question("폐업 신고는 어떻게 하는 거예요") and is_question("그건 뭔가요?")
    assert not is_question("작년에 폐업했어요") and not is_question("대구예요")


@pytest.mark.parametrize(
    "text",
    [
        "면책 받으면요?",
        "회생은 얼마나 걸려요?",
        "개인파산 신청하면 다시 사업자 낼 수 있나요?",
        "폐업하면 받을 수 있는 지원 있나요?",
        "법인이면 어떻게 돼요?",
    ],
)
def test_a_question_about_what_would_happen_states_no_fact(text: str) -> None:
    # QA: "면책 받으면요?" stored credit 'discharged' and said it had corrected the answer
    assert extract_situation(text, gazetteer(), TODAY) == {}


def test_a_condition_keeps_the_facts_around_it() -> None:
    facts = extract_situation("작년에 폐업했는데 재창업하면 지원받을 수 있나요?", gazetteer(), TODAY)
    assert facts["closed"] is True and facts["goal"] == "restart"
    facts = extract_situation("냉면 가게 하다가 작년에 폐업했어요", gazetteer(), TODAY)
    assert facts["closed"] is True and facts["business_type"] == "small_merchant"


@pytest.mark.parametrize(
    "text, fact",
    [
        ("4대보험은 다 냈습니다.", "insurance_arrears"),
        ("국세는 완납했어요", "tax_arrears"),
        ("세금은 다 냈어요", "tax_arrears"),
    ],
)
def test_arrears_paid_in_full_is_a_no(text: str, fact: str) -> None:
    # QA: a long story ending "4대보험은 다 냈습니다" was asked about social insurance again
    assert extract_situation(text, gazetteer(), TODAY)[fact] is False


def test_insisting_is_not_a_question() -> None:
    assert not is_question("음 그건 작년 봄이라니까요")
    assert is_question("그럼 신청해 볼까요")


def test_a_documents_follow_up_says_none_are_known() -> None:
    base = knowledge()
    assert followup_aspect("서류는 뭐가 필요해요?") == "documents"
    assert followup_aspect("서류는요?") == "documents"
    answer = program_followup(base.programs["hope_return_package"], "documents", base)
    assert "필요한 서류는" in answer.text and "확인되지 않았어요" in answer.text, answer.text
    assert "신청:" in answer.text and "기준일" in answer.text


def test_the_stigma_answer_again_is_short_and_kind() -> None:
    base = knowledge()
    answer = barrier_again(base.barriers["stigma"], base)
    assert "[" not in answer.text and "109" in answer.text
    numbers = re.findall(r"☎\s?([\d-]+)", answer.text)
    assert numbers and all(number in base.verified_numbers for number in numbers), numbers


def test_facts_told_for_the_first_time() -> None:
    from bot.guidance.dialogue.finder import newly_told

    before = {"region": "busan", "closed": None}
    after = {"region": "daegu", "closed": True, "business_type": "corporation", "credit_state": "unknown"}
    assert newly_told(before, after) == ["business_type", "closed"]


def test_the_program_overview_is_short() -> None:
    # QA: "다른 지원은요?" got all ten programs with a sentence each
    answer = program_overview(knowledge())
    assert answer.text.count("\n· ") <= 5, answer.text
    assert "그 밖에" in answer.text
    assert len(answer.buttons) <= 6


@pytest.mark.parametrize("text", ["🙏", "👍", "🙏🙏"])
def test_thanks_in_emoji_gets_thanks_back_not_a_menu(text: str) -> None:
    # QA: "🙏" got a topic menu with 판로 개척
    reply = wordless_reply(text)
    assert reply is not None and "고마워요" in texts(reply)[0] and not reply.messages[0].get("buttons"), reply


@pytest.mark.parametrize("text", ["?", "12345", "🤔", "https://www.sbc.or.kr/notice", "www.sbc.or.kr"])
def test_a_message_without_words_gets_a_short_reply(text: str) -> None:
    reply = wordless_reply(text)
    assert reply is not None and "한국어" not in texts(reply)[0], reply  # a link is no other language
    assert [button["title"] for button in reply.messages[0]["buttons"]] == [
        "나에게 맞는 지원 찾기",
        "할 수 있는 일 보기",
    ]


@pytest.mark.parametrize("text", ["😭", "안녕하세요", "재창업자금 알려주세요 https://www.sbc.or.kr 여기 보니까"])
def test_words_or_sadness_go_on_to_the_usual_reply(text: str) -> None:
    assert wordless_reply(text) is None


def test_the_first_step_is_the_pressing_barrier_then_a_program() -> None:
    base = knowledge()
    slots = {
        "closed": True,
        "years_since_closure": 1.4,
        "business_type": "sole_proprietor",
        "credit_state": "normal",
        "tax_arrears": True,
        "insurance_arrears": False,
        "goal": "restart",
        "region": "daegu",
    }
    profile = FounderProfile.from_slots(slots)
    answer = first_step(recommend(base, profile, TODAY), profile, base)
    assert answer.text.startswith("먼저 국세 체납"), answer.text
    profile = FounderProfile.from_slots({**slots, "tax_arrears": False})
    answer = first_step(recommend(base, profile, TODAY), profile, base)
    assert answer.text.startswith("먼저 ") and "· 신청:" in answer.text, answer.text
    assert "재창업의 창업 인정" not in answer.text  # every restart raises it; it is not first


@pytest.mark.parametrize(
    ("text", "start_over", "first"),
    [
        ("처음부터 다시 할게요", True, False),
        ("다시 시작하고 싶어요", False, False),
        ("그중에 제일 먼저 할 건 뭐예요?", False, True),
        ("먼저 폐업했어요", False, False),
    ],
)
def test_start_over_and_first_step_phrases(text: str, start_over: bool, first: bool) -> None:
    assert wants_to_start_over(text) is start_over
    assert asks_first_step(text) is first


def test_emoji_in_the_finder_get_a_kind_line() -> None:
    from bot.guidance.dialogue.finder import wordless_aside

    assert "힘드시죠" in (wordless_aside("😭") or "")
    assert "고마워요" in (wordless_aside("🙏") or "")
    assert wordless_aside("작년에요") is None


def test_the_target_of_a_program_does_not_read_like_a_yes() -> None:
    from bot.guidance.followups import program_followup
    from bot.knowledge.loader import knowledge

    base = knowledge()
    program = next(iter(base.programs.values()))
    text = program_followup(program, "target", base).text
    assert "대상이에요" not in text and "지원 대상은" in text, text  # QA: "…대상이에요." read as "you qualify"
