"""The one bridge between Rasa's action server and Dasi's conversation rules.

`turn_of` reads a Tracker into a frozen Turn; `apply` writes a Reply to the dispatcher and
returns its events. No other code touches the Tracker or the dispatcher, and each action is a
`RuleAction` that names itself and hands its Turn to one rule in bot/guidance/dialogue.
"""

from __future__ import annotations

import asyncio
from abc import ABCMeta, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.guidance.dialogue.turn import Entity, Past, Reply, Turn, slots_before_and_after
from bot.guidance.result_card import shown_text
from bot.knowledge.loader import knowledge
from bot.language.dates import today
from bot.notices import live as live_notices
from bot.notices import reminders


def _entities(raw: Iterable[Mapping[str, Any]] | None) -> tuple[Entity, ...]:
    return tuple(
        Entity(
            label=str(entity.get("entity")),
            value=str(entity["value"]),
            text=str(entity.get("text") or ""),
            start=entity.get("start") if isinstance(entity.get("start"), int) else None,
            end=entity.get("end") if isinstance(entity.get("end"), int) else None,
            extractor=entity.get("extractor"),
        )
        for entity in raw or ()
        if entity.get("value") is not None
    )


def _past(event: Mapping[str, Any]) -> Past:
    kind = str(event.get("event"))
    if kind == "user":
        parse = event.get("parse_data") or {}
        return Past(
            kind,
            text=str(event.get("text") or ""),
            intent=str((parse.get("intent") or {}).get("name") or ""),
            entities=_entities(parse.get("entities")),
        )
    if kind == "bot":
        text = shown_text(event.get("text"), event.get("data"))
        return Past(kind, text=text, by_agent=bool((event.get("metadata") or {}).get("agent")))
    if kind in ("slot", "active_loop"):
        return Past(kind, name=str(event.get("name")), value=event.get("value"))
    return Past(kind)


def turn_of(tracker: Tracker) -> Turn:
    """The founder's latest message and what the conversation knows, as plain frozen data."""
    message = tracker.latest_message or {}
    history = tuple(_past(event) for event in tracker.events)
    before, after = slots_before_and_after(history)
    ranking = tuple(str(entry.get("name")) for entry in message.get("intent_ranking") or [] if entry.get("name"))
    return Turn(
        text=str(message.get("text") or ""),
        intent=str((message.get("intent") or {}).get("name") or ""),
        ranking=ranking,
        entities=_entities(message.get("entities")),
        slots=dict(tracker.current_slot_values()),
        before=before,
        after=after,
        active_loop=tracker.active_loop_name,
        channel=tracker.get_latest_input_channel(),
        history=history,
        today=today(),
        sender=tracker.sender_id,
    )


def apply(reply: Reply, dispatcher: CollectingDispatcher) -> list[EventType]:
    """Sends the reply's messages and returns its slot changes (and pause) as Rasa events."""
    for message in reply.messages:
        dispatcher.utter_message(**message)
    events: list[EventType] = [SlotSet(name, value) for name, value in reply.slots.items()]
    if reply.pause:
        events.append(ConversationPaused())
    return events


class RuleAction(Action, metaclass=ABCMeta):
    """An action that is one conversation rule: its Turn in, its Reply out."""

    reads_notices = False  # True: the Turn carries the stored open calls (read off the event loop)

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def reply(self, turn: Turn) -> Reply: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        turn = turn_of(tracker)
        if self.reads_notices:
            turn = replace(turn, notices=await asyncio.to_thread(live_notices.current))
        reply = self.reply(turn)
        if reply.effects:  # what the rule asked done outside the conversation, and what came of it
            done = await asyncio.to_thread(reminders.perform, reply.effects, turn)
            reply = Reply(reply.messages + done.messages, reply.slots, reply.pause)
        return apply(reply, dispatcher)


# The knowledge base is read and validated when the action server starts, not on the first
# founder's message.
knowledge()
