"""What a closing owner asks most, through the running server (issue 16).

The questions a closing owner types ("폐업하면 실업급여 받을 수 있나요?", "노란우산 깨야 하나요?")
reach the trained model, the action server and the knowledge base together: each gets the
support it is about, its condition and whom to call, never the finder's first question.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import Dasi, serve_on_day, texts

FINDER_STARTS = "몇 가지만 여쭤볼게요"  # utter_finder_intro


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Dasi]:
    yield from serve_on_day(tmp_path_factory, worker_id, "closing", 16405, "2026-12-03")


@pytest.fixture
def chat(server: Dasi) -> Callable[[str], list[dict[str, Any]]]:
    sender = f"closing-{uuid.uuid4().hex[:10]}"
    return lambda message: server.send(sender, message)


@pytest.mark.parametrize(
    ("question", "support", "condition", "contact"),
    [
        ("폐업하면 실업급여 받을 수 있나요?", "자영업자 구직급여", "1년 이상", "☎ 1350"),
        ("가게 접으면 구직수당 같은 거 나와요?", "국민취업지원제도", "중위소득 60%", "☎ 1350"),
        ("폐업하면 노란우산 공제금 받을 수 있어요?", "노란우산공제", "가입", "8899.or.kr"),
        ("사업하다 진 빚 탕감 받을 수 있는 방법 있을까요", "새출발기금", "2020년 4월~2025년 6월", "☎ 1600-5500"),
        ("재도전특별자금 한도가 얼마예요?", "재도전특별자금", "7년 미만", "☎ 1533-0100"),
    ],
)
def test_each_kind_of_question_names_the_support_its_condition_and_contact(
    chat, question: str, support: str, condition: str, contact: str
) -> None:
    reply = texts(chat(question))
    assert support in reply, reply
    assert condition in reply, reply
    assert contact in reply, reply
    assert FINDER_STARTS not in reply  # answered, not sent into the finder


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("노란우산 해지하면 세금 나와요?", "퇴직소득"),
        ("노란우산 깨야 하나요", "해지하지 않으시길"),
        ("새출발기금 신청하면 추심 멈춰요?", "추심과 경매 같은 강제집행이 멈춰요"),
    ],
)
def test_a_question_that_is_not_about_eligibility_gets_a_direct_sourced_answer(
    chat, question: str, answer: str
) -> None:
    reply = texts(chat(question))
    assert answer in reply and "출처:" in reply, reply
    assert FINDER_STARTS not in reply


def test_money_at_closure_in_general_lists_what_to_check(chat) -> None:
    reply = texts(chat("폐업하면 돈 나오는 거 있어요?"))
    for support in ("자영업자 구직급여", "노란우산공제", "국민취업지원제도"):
        assert support in reply, reply


def test_a_closing_owner_told_situation_leads_with_the_deadline_then_money_owed(chat) -> None:
    chat(
        "부산에서 식당 하다가 올해 8월에 적자 때문에 폐업했어요. 2019년 3월에 개업했고 대출 연체 100일 넘었어요. "
        "노란우산 가입해 있고 자영업자 고용보험 2년 냈어요"
    )
    reply = ""
    for _ in range(10):
        reply = texts(chat("/dont_know"))
        if "살펴봤어요" in reply:
            break
    assert "살펴봤어요" in reply, reply
    lines = [line for line in reply.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert lines[0].startswith("1. 새출발기금") and "28일 남았어요" in reply
    assert {"노란우산공제 폐업 공제금", "자영업자 구직급여"} <= {line[3:].split(" — ")[0] for line in lines[1:3]}


def test_a_follow_up_after_the_yellow_umbrella_card_is_about_it(chat) -> None:
    chat("노란우산공제가 뭐예요?")
    reply = texts(chat("그거 압류도 되나요?"))
    assert "압류가 금지" in reply, reply
