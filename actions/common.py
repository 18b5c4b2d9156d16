"""Shared helpers for Dasi's thin rasa-sdk actions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance.answers import Answer
from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import KnowledgeBase, knowledge
from bot.knowledge.models import PROFILE_FIELDS
from bot.language.gazetteer import Gazetteer, gazetteer


def base() -> KnowledgeBase:
    return knowledge()


def names() -> Gazetteer:
    return gazetteer()


def profile_of(tracker: Tracker) -> FounderProfile:
    return FounderProfile.from_slots({field: tracker.get_slot(field) for field in PROFILE_FIELDS})


# Channels that render Answer.cards as cards; the others read the same answer as text.
CARD_CHANNELS = {"kakao"}


def say(dispatcher: CollectingDispatcher, answer: Answer, tracker: Tracker | None = None) -> None:
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
