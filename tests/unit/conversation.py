"""Turns for the conversation rules' unit tests, built the way the action server builds them.

A test writes the conversation as Rasa events (plain dicts); `turn` passes them through
actions.shell.turn_of, so a rule sees exactly what it sees in a running conversation.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker

from actions.shell import turn_of
from bot.guidance.dialogue.turn import Reply, Turn
from bot.language.gazetteer import EXTRACTOR, gazetteer

TODAY = datetime.date(2026, 12, 3)


def user(text: str, intent: str = "inform", entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities or [], "text": text}
    return {"event": "user", "text": text, "parse_data": parse, "input_channel": None}


def bot(text: str, **metadata: Any) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": metadata}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def entity(label: str, value: str, text: str = "", start: int | None = None, end: int | None = None) -> dict:
    found: dict[str, Any] = {"entity": label, "value": value, "extractor": "GazetteerEntityExtractor"}
    if text:
        found["text"] = text
    if start is not None:
        found.update(start=start, end=end)
    return found


def turn(
    text: str = "",
    intent: str = "inform",
    *,
    entities: list[dict[str, Any]] | None = None,
    earlier: list[dict[str, Any]] | None = None,
    later: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    loop: str | None = None,
    channel: str | None = None,
    ranking: list[str] | None = None,
    today: datetime.date = TODAY,
) -> Turn:
    """The turn of the message `text`, after the events `earlier` and followed by `later` (the
    slots the extraction set for it); `slots` are the slot values now, for slots not in events."""
    message = user(text, intent, [*(entities or []), *gazetteer_entities(text, entities or [])])
    if ranking:
        message["parse_data"]["intent_ranking"] = [{"name": name, "confidence": 0.3} for name in ranking]
    events = [*(earlier or []), message, *(later or [])]
    values: dict[str, Any] = {}
    for event in events:
        if event["event"] == "slot":
            values[event["name"]] = event["value"]
    values.update(slots or {})
    tracker = Tracker(
        "founder",
        values,
        message["parse_data"],
        events,
        False,
        None,
        {"name": loop} if loop else {},
        "",
    )
    return replace(turn_of(tracker), channel=channel, today=today)


def gazetteer_entities(text: str, given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the NLU pipeline's gazetteer adds to a typed message (rules read its mentions)."""
    if not text.strip() or text.startswith("/"):
        return []
    named = {(found.get("entity"), found.get("value")) for found in given}
    return [
        {"entity": m.label, "value": m.value, "start": m.start, "end": m.end, "extractor": EXTRACTOR}
        for m in gazetteer().find(text)
        if (m.label, m.value) not in named
    ]


def texts(reply: Reply) -> list[str]:
    return [str(message.get("text") or message.get("response") or "") for message in reply.messages]


def payloads(reply: Reply) -> list[str]:
    return [button["payload"] for message in reply.messages for button in message.get("buttons", [])]


# --- small helpers for the dialogue rules' tests ------------------------------------------------

FINDER = "profile_form"


def asked(name: str) -> dict[str, Any]:
    """The finder asks its question for the slot `name` (Rasa's requested_slot event)."""
    return slot("requested_slot", name)


def finder_started() -> dict[str, Any]:
    return {"event": "active_loop", "name": FINDER}


def payload_entity(label: str, value: Any) -> dict[str, Any]:
    """An entity a button payload carries (/inform{"region": "busan"}): no extractor of the model."""
    return {"entity": label, "value": value, "extractor": "RegexMessageHandler"}


def said(reply: Reply) -> str:
    """Everything the reply says, as one text (messages joined by a blank line)."""
    return "\n\n".join(texts(reply))
