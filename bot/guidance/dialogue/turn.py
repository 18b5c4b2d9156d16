"""A conversation turn as plain data: a frozen `Turn` goes in, a `Reply` comes out.

Every conversation rule in bot/guidance/dialogue is a function `Turn → Reply` (or a small
question about a Turn). Only actions/shell.py reads Rasa's Tracker (to build the Turn) and
writes to its dispatcher (to apply the Reply), so the rules are tested with plain Turns, no
server and no trained model.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from bot.guidance.answers import Answer, Button
from bot.knowledge.loader import NATIONAL_HOTLINE, knowledge
from bot.language.gazetteer import EXTRACTOR, Mention
from bot.notices.answers import LiveNotices


@dataclass(frozen=True)
class Entity:
    """An entity of the founder's message (NLU-extracted or carried by a button payload)."""

    label: str
    value: str
    text: str = ""
    start: int | None = None
    end: int | None = None
    extractor: str | None = None


@dataclass(frozen=True)
class Past:
    """One earlier event of the conversation, as much of it as the rules read."""

    kind: str  # user, bot, slot, active_loop, restart, session_started, pause
    name: str = ""  # the slot or loop name
    value: Any = None  # the slot value
    text: str = ""
    intent: str = ""
    entities: tuple[Entity, ...] = ()
    by_agent: bool = False  # a bot message a person wrote in the agent console


def _frozen(mapping: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Turn:
    """The founder's latest message and what the conversation knows when it arrives."""

    text: str = ""
    intent: str = ""
    ranking: tuple[str, ...] = ()  # intent names, likeliest first
    entities: tuple[Entity, ...] = ()
    slots: Mapping[str, Any] = field(default_factory=_frozen)  # slot values now
    before: Mapping[str, Any] = field(default_factory=_frozen)  # slot values before this message
    after: Mapping[str, Any] = field(default_factory=_frozen)  # slots set since this message
    active_loop: str | None = None
    channel: str | None = None
    history: tuple[Past, ...] = ()  # oldest first, this message included
    today: datetime.date = field(default_factory=datetime.date.today)
    notices: LiveNotices | None = None  # the stored open calls, for the rules that show them
    sender: str = ""  # the conversation's id (a reminder is kept for it)

    def __post_init__(self) -> None:
        for name in ("slots", "before", "after"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def slot(self, name: str) -> Any:
        return self.slots.get(name)

    @property
    def requested(self) -> str | None:
        value = self.slots.get("requested_slot")
        return str(value) if value else None

    @property
    def topic(self) -> str:
        return str(self.slots.get("last_topic") or "")

    @property
    def in_finder(self) -> bool:
        return bool(self.active_loop)

    @property
    def is_payload(self) -> bool:
        """A button press ("/inform{...}") rather than typed words."""
        return self.text.startswith("/")

    def values(self, label: str) -> list[str]:
        """The values of this message's entities with `label`, in order."""
        return [entity.value for entity in self.entities if entity.label == label]

    def first(self, label: str) -> str | None:
        values = self.values(label)
        return values[0] if values else None

    @property
    def mentions(self) -> list[Mention]:
        """The knowledge-base names the NLU pipeline's gazetteer found in this message."""
        return [
            Mention(entity.label, entity.value, self.text[entity.start : entity.end], entity.start, entity.end)
            for entity in self.entities
            if entity.extractor == EXTRACTOR
            and entity.label != "personal_data"
            and entity.start is not None
            and entity.end is not None
        ]

    def labels(self) -> set[str]:
        return {entity.label for entity in self.entities}

    def this_session(self) -> tuple[Past, ...]:
        """The events since the latest session start (a founder back days later starts afresh)."""
        starts = [index for index, past in enumerate(self.history) if past.kind == "session_started"]
        return self.history[starts[-1] :] if starts else self.history

    def said(self, words: str) -> bool:
        """True when Dasi already said `words` in this conversation."""
        return any(past.kind == "bot" and words in past.text for past in self.history)

    def with_slots(self, **changes: Any) -> Turn:
        """The same turn with some slot values changed (for rules that run after others)."""
        return replace(self, slots=_frozen({**self.slots, **changes}))


def make_turn(
    text: str = "",
    intent: str = "",
    *,
    entities: Iterable[Entity] = (),
    slots: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    history: Iterable[Past] = (),
    **rest: Any,
) -> Turn:
    """A Turn from plain values (the shell builds one from the tracker the same way)."""
    return Turn(
        text=text,
        intent=intent,
        entities=tuple(entities),
        slots=slots or {},
        before=before or {},
        after=after or {},
        history=tuple(history),
        **rest,
    )


def slots_before_and_after(history: Iterable[Past]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Slot values before the founder's latest message, and the slots set since it."""
    events = list(history)
    latest_user = max((index for index, past in enumerate(events) if past.kind == "user"), default=-1)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for index, past in enumerate(events):
        if past.kind == "slot":
            (after if index > latest_user else before)[past.name] = past.value
        elif past.kind == "restart":
            before.clear()
    return before, after


@dataclass(frozen=True)
class Effect:
    """Something a rule asks the shell to do outside the conversation (I/O), with its reply."""

    kind: str  # "remind" (data: the notice) or "cancel_reminders"
    data: Mapping[str, Any] = field(default_factory=_frozen)


@dataclass(frozen=True)
class Reply:
    """What Dasi says and remembers after a turn: messages, slot changes, and a pause for a person."""

    messages: tuple[Mapping[str, Any], ...] = ()  # each one the keyword arguments of one message
    slots: Mapping[str, Any] = field(default_factory=_frozen)  # slot → new value (None clears it)
    pause: bool = False  # hand the conversation to a person (Rasa's ConversationPaused)
    effects: tuple[Effect, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "messages", tuple(_frozen(message) for message in self.messages))
        object.__setattr__(self, "slots", _frozen(self.slots))

    def __add__(self, other: Reply) -> Reply:
        return Reply(
            self.messages + other.messages,
            _frozen({**self.slots, **other.slots}),
            self.pause or other.pause,
            self.effects + other.effects,
        )

    @property
    def silent(self) -> bool:
        return not self.messages and not self.slots and not self.pause and not self.effects


NOTHING = Reply()


def text(words: str, buttons: Iterable[Button] = ()) -> Reply:
    message: dict[str, Any] = {"text": words}
    buttons = list(buttons)
    if buttons:
        message["buttons"] = [{"title": button.title, "payload": button.payload} for button in buttons]
    return Reply((_frozen(message),))


def response(name: str) -> Reply:
    """One of the domain's responses (utter_*), by name."""
    return Reply((_frozen({"response": name}),))


def remember(**slots: Any) -> Reply:
    return Reply(slots=_frozen(slots))


# Channels that render Answer.cards as cards; the others read the same answer as text.
CARD_CHANNELS = {"kakao"}
# Channels that draw the finder's result card (bot.guidance.result_card) in their own shape:
# the web widget (socket.io), KakaoTalk and Telegram. The others read its plain text.
RESULT_CARD_CHANNELS = {"socketio", "kakao", "telegram"}
LONG_ANSWER = 250  # characters


def answer(turn: Turn, said: Answer) -> Reply:
    """An Answer in the channel's own shape; a long answer asked for again gets a short note."""
    said = unless_repeated(turn, said)
    if said.result is not None and turn.channel in RESULT_CARD_CHANNELS:
        return Reply((_frozen({"json_message": said.result.payload()}),))
    messages = said.as_card_messages() if turn.channel in CARD_CHANNELS else [said.as_message()]
    return Reply(tuple(_frozen(message) for message in messages))


def unless_repeated(turn: Turn, said: Answer) -> Answer:
    """The same message sent again gets a short note instead of the same long answer.

    Only this session counts: a founder back days later may ask the same thing and find no
    history. A short answer (a phone number) is worth giving again.
    """
    events = turn.this_session()
    texts = [past.text for past in events if past.kind == "user"]
    if not texts or len(said.text) < LONG_ANSWER:
        return said
    repeats = [message.strip() for message in texts[:-1]].count(texts[-1].strip())
    # Compared by the first line: the tracker store masks what looks like personal data in
    # stored texts (a date like 2015-02-02 can come back as a masked number).
    first_line = said.text.split("\n", 1)[0]
    already = any(past.kind == "bot" and past.text.split("\n", 1)[0] == first_line for past in events)
    if not repeats or not already:
        return said
    if repeats == 1:
        note = "앞에서 말씀드린 내용과 같아요. 위의 안내를 다시 봐 주시고, 더 궁금한 점이 있으면 편하게 물어봐 주세요."
    else:
        note = (
            "같은 말씀을 여러 번 보내 주셨네요. 제 안내가 충분하지 않았다면 죄송해요. "
            f"{knowledge().hotline_label(NATIONAL_HOTLINE)}에서 사람과 직접 상담하실 수도 있어요."
        )
    return Answer(note, buttons=said.buttons)
