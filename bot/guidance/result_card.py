"""The finder's result as one structured card: programs with their verdict, barriers with their
remedy, and where to call.

The card is a pydantic model, so it travels as JSON from the action server to the channel,
which draws it in its own shape (the web widget as an HTML card, KakaoTalk as list cards,
Telegram as formatted text). `plain_text` is the rendering for every other channel and for the
conversation's history. `bot.guidance.findings` builds it from the eligibility engine's results.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError

logger = logging.getLogger(__name__)

CARD_KIND = "dasi_result"  # the custom payload's key: {"dasi_result": {...card...}, "plain": "..."}
WHY_HINT = "추천 이유가 궁금하시면 '왜요?'라고 물어봐 주세요."
NONE_FOUND = "지금 조건으로 바로 맞는 지원은 찾지 못했어요. 상담을 받아 보시면 다른 길이 있을 수 있어요."


class Headings(BaseModel):
    """The card's section headings, the same words on every channel (the web page reads them
    from the card, so they are written once)."""

    programs: str = "맞는 지원"
    barriers: str = "먼저 풀면 좋은 걸림돌"
    contacts: str = "문의할 곳"
    owed: str = "폐업하시면 받을 수 있는 돈도 확인해 보세요:"


class CardButton(BaseModel):
    title: str
    payload: str


class ProgramItem(BaseModel):
    """One program with its verdict: `verdict` is the engine's (eligible, possible, not_eligible)."""

    id: str
    name: str
    verdict: str
    verdict_label: str
    reason: str = ""
    details: list[str] = []  # the first benefit, news about dates, how old the record is
    check: str = ""  # the one thing still to confirm
    url: str | None = None
    payload: str  # asks for the program's own card


class BarrierItem(BaseModel):
    id: str
    name: str
    remedy: str  # the first thing to do about it
    payload: str


class ContactItem(BaseModel):
    name: str
    detail: str  # "☎ 051-…" or how the verified hotline connects
    phone: str  # a verified number to dial
    url: str | None = None


class ResultCard(BaseModel):
    summary: str  # "말씀해 주신 상황(…)으로 살펴봤어요."
    programs: list[ProgramItem] = []
    none_found: str = ""
    owed: list[str] = []  # money a closing owner may be owed once one fact is confirmed
    notes: list[str] = []  # supports that combine with or exclude each other
    barriers: list[BarrierItem] = []
    contacts: list[ContactItem] = []
    hint: str = WHY_HINT
    source: str = ""
    buttons: list[CardButton] = []
    headings: Headings = Headings()

    def payload(self) -> dict[str, object]:
        """The custom message channels with a card rendering receive (the plain text rides along)."""
        return {CARD_KIND: self.dict(), "plain": plain_text(self)}


@dataclass(frozen=True)
class Markup:
    """How a text rendering marks the card up: plain by default; Telegram's is HTML."""

    text: Callable[[str], str] = str  # escapes the card's own words
    strong: Callable[[str], str] = str  # the summary, names and headings
    quiet: Callable[[str], str] = str  # what is still to confirm, the source
    bullet: str = "·"
    spaced: bool = False  # a blank line before each section and the closing lines


PLAIN = Markup()


def text_lines(card: ResultCard, markup: Markup = PLAIN) -> list[str]:
    """The card as lines of text with ■ section headings."""
    e, strong, quiet, bullet, headings = markup.text, markup.strong, markup.quiet, markup.bullet, card.headings
    gap = [""] if markup.spaced else []
    lines = [strong(e(card.summary)), *(e(line) for line in [card.none_found] if line)]
    if card.programs:
        lines += [*gap, strong(f"■ {e(headings.programs)}")]
    for rank, item in enumerate(card.programs, start=1):
        lines.append(f"{rank}. {strong(e(item.name))} — {e(item.verdict_label)}")
        lines += [f"   {e(line)}" for line in (item.reason, *item.details) if line]
        if item.check:
            lines.append(f"   {quiet(e(f'확인할 점: {item.check}'))}")
    lines += [f"※ {e(note)}" for note in card.notes]
    if card.owed:
        lines.append(e(headings.owed))
        lines += [f"{bullet} {e(line)}" for line in card.owed]
    if card.barriers:
        lines += [*gap, strong(f"■ {e(headings.barriers)}")]
        lines += [f"{bullet} {strong(e(item.name))}: {e(item.remedy)}" for item in card.barriers]
    if card.contacts:
        lines += [*gap, strong(f"■ {e(headings.contacts)}")]
        lines += [f"{bullet} {strong(e(item.name))} {e(item.detail)}".rstrip() for item in card.contacts]
    lines += [*gap, e(card.hint), *(quiet(e(card.source)) for _ in [0] if card.source)]
    return lines


def plain_text(card: ResultCard) -> str:
    """The card as text, for channels that show text only and for the history."""
    return "\n".join(text_lines(card))


def is_card(custom: object) -> TypeGuard[Mapping[str, Any]]:
    """True for a custom payload that carries a result card (`ResultCard.payload`)."""
    return isinstance(custom, Mapping) and CARD_KIND in custom


def card_of(custom: object) -> ResultCard | None:
    """The result card a custom payload carries; None for any other payload, or for a card that
    does not parse (its plain text is still there for the history)."""
    if not is_card(custom):
        return None
    try:
        return ResultCard.parse_obj(custom[CARD_KIND])
    except ValidationError:
        logger.warning("a result card that does not parse was not drawn")
        return None


def shown_text(text: str | None, data: Mapping[str, Any] | None) -> str:
    """What a bot message showed, as text: its text, or the plain rendering its result card carries."""
    if text:
        return text
    custom = (data or {}).get("custom")
    plain = custom.get("plain") if isinstance(custom, Mapping) else None
    return plain if isinstance(plain, str) else ""
