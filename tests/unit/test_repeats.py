"""The same question sent again gets a short note, but only within one session."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.common import LONG_ANSWER, _unless_repeated
from bot.guidance.answers import Answer

CARD = Answer("[재창업자금]\n" + "재창업하시는 분께 중진공이 빌려주는 정책자금이에요. " * 12)


def tracker(*events: dict) -> Tracker:
    return Tracker("founder", {}, {"text": events[-1].get("text")}, list(events), False, None, {}, "")


def user(text: str) -> dict:
    return {"event": "user", "text": text}


def bot(text: str) -> dict:
    return {"event": "bot", "text": text}


def test_the_same_question_again_gets_a_short_note() -> None:
    assert len(CARD.text) >= LONG_ANSWER
    again = _unless_repeated(
        tracker(user("재창업자금 알려주세요"), bot(CARD.text), user("재창업자금 알려주세요")), CARD
    )
    assert again.text.startswith("앞에서 말씀드린 내용과 같아요")


def test_a_founder_back_in_a_new_session_gets_the_whole_answer() -> None:
    events = (
        user("재창업자금 알려주세요"),
        bot(CARD.text),
        {"event": "session_started"},
        user("재창업자금 알려주세요"),
    )
    assert _unless_repeated(tracker(*events), CARD) == CARD
