"""Advice that is true on the day it is given, through the running server (issue 15).

A server of its own runs with DASI_TODAY=2026-12-03, the day the eligibility answer key
was written for: the key's founder situations go through the chat as a founder would type
them, and the conversation repairs of the fact pass are checked where a founder sees them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.guidance.eligibility import VERDICT_LABELS
from bot.knowledge.loader import knowledge
from tests.conftest import Dasi, serve_on_day, texts
from tests.eligibility.answer_key import TOP_AGREEMENT_TARGET, cases

KEY_DAY = "2026-12-03"
MAX_TURNS = 16
RESULT_LINE = re.compile(r"^(\d)\. (.+) — (.+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Dasi]:
    yield from serve_on_day(tmp_path_factory, worker_id, "advice", 16305, KEY_DAY)


@pytest.fixture
def chat(server: Dasi) -> Callable[[str], list[dict[str, Any]]]:
    sender = f"advice-{uuid.uuid4().hex[:10]}"
    return lambda message: server.send(sender, message)


def results_after(chat: Callable[[str], list[dict[str, Any]]], situation: str) -> str:
    """Tells the situation, answers every further question with '모르겠어요', returns the result.

    A situation told as a question ("…체납 5천만 원인데요") may get an answer and an offer first:
    then the founder takes the offer ("나에게 맞는 지원 찾기").
    """
    reply = texts(chat(situation))
    for _ in range(MAX_TURNS):
        if "살펴봤어요" in reply:
            return reply
        asked = "?" in reply and "찾아 드릴까요" not in reply
        reply = texts(chat("/dont_know" if asked else "/check_eligibility"))
    raise AssertionError(f"no result after {MAX_TURNS} turns: {reply}")


def shown_verdicts(reply: str) -> list[tuple[str, str]]:
    """(program id, verdict) of each numbered result line, in order (a fourth line, when there is
    one, is the best program for the founder's goal after three urgent ones)."""
    by_name = {program.name: program.id for program in knowledge().programs.values()}
    by_label = {label: verdict.value for verdict, label in VERDICT_LABELS.items()}
    return [(by_name[name], by_label[label]) for _, name, label in RESULT_LINE.findall(reply)]


def test_the_answer_key_through_the_chat(chat_factory: Callable[[], Callable[[str], list[dict[str, Any]]]]) -> None:
    chosen = [case for case in cases() if case.today.isoformat() == KEY_DAY]
    assert len(chosen) >= 50
    wrong: list[str] = []
    differing: list[str] = []
    agreeing_top = 0
    for case in chosen:
        shown = shown_verdicts(results_after(chat_factory(), case.situation))
        assert shown, case.id
        wrong += [
            f"{case.id}: {program} shown as {verdict}, key says {case.expect[program]}"
            for program, verdict in shown
            if program in case.expect and case.expect[program] != verdict
        ]
        if case.top3:  # a case may name fewer than three, or none, when the order is not clear
            ranked = [program for program, _ in shown[: len(case.top3)]]
            if set(ranked) == set(case.top3):
                agreeing_top += 1
            else:
                differing.append(f"{case.id}: {ranked} vs {case.top3}")
    ranked_cases = sum(1 for case in chosen if case.top3)
    print(
        f"answer key through the chat: {len(wrong)} verdicts differ, top three agree in {agreeing_top}/{ranked_cases}"
    )
    print("\n".join(differing))
    assert wrong == []
    assert agreeing_top / ranked_cases >= TOP_AGREEMENT_TARGET, f"top three agree in {agreeing_top}/{ranked_cases}"


@pytest.fixture
def chat_factory(server: Dasi) -> Callable[[], Callable[[str], list[dict[str, Any]]]]:
    def new_founder() -> Callable[[str], list[dict[str, Any]]]:
        sender = f"advice-{uuid.uuid4().hex[:10]}"
        return lambda message: server.send(sender, message)

    return new_founder


def test_finishing_the_closure_paperwork_is_not_a_crisis(chat) -> None:
    reply = texts(chat("가게 폐업 절차 다 끝내고 싶어요"))
    assert "109" not in reply and "자살" not in reply
    assert "희망리턴패키지" in reply


def test_an_objectless_wish_to_end_it_still_gets_the_crisis_line(chat) -> None:
    assert "☎ 109" in texts(chat("그냥 다 끝내고 싶어요"))


def test_a_center_asked_for_by_name_is_answered_not_the_finder(chat) -> None:
    reply = texts(chat("나주 빛가람 혁신센터"))
    assert "빛가람창조경제혁신센터" in reply and "폐업하셨나요" not in reply


def test_a_chungnam_founder_is_sent_to_chungnam_not_to_an_office_that_no_longer_exists(chat) -> None:
    reply = texts(chat("충남 아산 창업센터"))
    assert "충남" in reply and "폐업하셨나요" not in reply
    assert "대전·세종·충남" not in reply and "대전세종충남" not in reply


def test_a_question_about_one_named_program_is_answered_about_that_program(chat) -> None:
    reply = texts(chat("재창업한 지 5년 됐는데 재도전성공패키지 신청할 수 있어요?"))
    first = reply.split("다른 맞는 지원도")[0]
    assert "재도전성공패키지" in first and "재창업 7년 이내" in first
    assert "2026-03-04에 마감" in first  # the 2026 call has closed: said with where the next one appears
    assert "K-Startup" in first


def test_no_arrears_to_the_insurance_question_is_taken_and_not_asked_again(chat) -> None:
    chat("서울에서 식당 하다가 작년에 폐업했어요. 개인사업자고 신용 문제 없어요")
    asked = texts(chat("세금은 없어요"))
    assert "4대보험" in asked
    after = texts(chat("체납 없어요"))
    assert "4대보험" not in after


def test_no_question_is_asked_a_third_time(chat) -> None:
    chat("폐업했어요")
    chat("2년 전")
    chat("개인사업자요")
    asked = [texts(chat(answer)) for answer in ("사과", "바나나")]
    assert "신용 상황" in asked[0]  # asked a second time
    assert "넘어갈게요" in asked[1] and "밀린 세금" in asked[1]  # never a third: the finder moves on


def test_the_deadline_within_weeks_leads_for_a_founder_with_tax_arrears(chat) -> None:
    reply = results_after(
        chat, "부산, 개인사업자, 2024년 폐업, 재창업 희망, 국세 체납 2천만 원, 신용 문제 없음, 성실경영평가 통과"
    )
    first = shown_verdicts(reply)[0][0]
    assert first == "tax_seizure_deferral"
    assert "신청 기한은 2026-12-31까지예요(28일 남았어요)" in reply


def test_the_tax_special_case_is_told_with_its_2026_terms(chat) -> None:
    reply = texts(chat("체납액 징수특례 조건이 어떻게 돼요?"))
    assert reply.startswith("[영세개인사업자 체납액 징수특례]")
    assert "2025년 말까지" in reply and "8천만 원" in reply and "2028년 12월 31일" in reply
    assert "2022년" not in reply and "5천만 원 이하" not in reply
