"""Shared helpers for Dasi's thin rasa-sdk actions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance.answers import Answer
from bot.guidance.profile import PROFILE_SLOTS, FounderProfile
from bot.knowledge.loader import KnowledgeBase, knowledge
from bot.language.gazetteer import Gazetteer, gazetteer


def base() -> KnowledgeBase:
    return knowledge()


def names() -> Gazetteer:
    return gazetteer()


def profile_of(tracker: Tracker) -> FounderProfile:
    return FounderProfile.from_slots({field: tracker.get_slot(field) for field in PROFILE_SLOTS})


# Channels that render Answer.cards as cards; the others read the same answer as text.
CARD_CHANNELS = {"kakao"}


def say(dispatcher: CollectingDispatcher, answer: Answer, tracker: Tracker | None = None) -> None:
    if tracker is not None:
        answer = _unless_repeated(tracker, answer)
    channel = tracker.get_latest_input_channel() if tracker is not None else None
    messages = answer.as_card_messages() if channel in CARD_CHANNELS else [answer.as_message()]
    for message in messages:
        dispatcher.utter_message(**message)  # type: ignore[arg-type]


def latest_entities(tracker: Tracker, entity: str) -> list[str]:
    return [str(e.get("value")) for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]


def first_entity(tracker: Tracker, entity: str) -> str | None:
    values = latest_entities(tracker, entity)
    return values[0] if values else None


def latest_text(tracker: Tracker) -> str:
    text: Any = tracker.latest_message.get("text") or ""
    return str(text)


LONG_ANSWER = 250  # characters


def _unless_repeated(tracker: Tracker, answer: Answer) -> Answer:
    """The same message sent again gets a short note instead of the same long answer (QA: a
    founder who sent "재창업자금 알려주세요" three times read the whole card three times)."""
    # this session only: a founder back days later may ask the same thing and find no history
    starts = [i for i, event in enumerate(tracker.events) if event.get("event") == "session_started"]
    events = tracker.events[starts[-1] :] if starts else tracker.events
    said = [str(event.get("text") or "") for event in events if event.get("event") == "user"]
    if not said or len(answer.text) < LONG_ANSWER:
        return answer  # a short answer (a phone number) is worth giving again
    repeats = [text.strip() for text in said[:-1]].count(said[-1].strip())
    # Compared by the first line: the tracker store masks what looks like personal data in
    # stored texts (a date like 2015-02-02 can come back as a masked number).
    first_line = answer.text.split("\n", 1)[0]
    already = any(
        event.get("event") == "bot" and str(event.get("text") or "").split("\n", 1)[0] == first_line for event in events
    )
    if not repeats or not already:
        return answer
    if repeats == 1:
        note = "앞에서 말씀드린 내용과 같아요. 위의 안내를 다시 봐 주시고, 더 궁금한 점이 있으면 편하게 물어봐 주세요."
    else:
        note = (
            "같은 말씀을 여러 번 보내 주셨네요. 제 안내가 충분하지 않았다면 죄송해요. "
            f"{base().hotline_label('1357')}에서 사람과 직접 상담하실 수도 있어요."
        )
    return Answer(note, buttons=answer.buttons)
