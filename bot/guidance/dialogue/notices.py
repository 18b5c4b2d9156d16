"""Open calls: "지금 신청할 수 있는 거 있어요?" and the calls shown after the finder's results."""

from __future__ import annotations

from bot.guidance.dialogue.context import profile_of
from bot.guidance.dialogue.turn import NOTHING, Reply, Turn, answer, remember
from bot.knowledge.loader import knowledge
from bot.language.cues import OPEN_CALLS
from bot.notices.answers import LiveNotices, open_calls_answer
from bot.notices.match import NoticeMatch


def asks_for_open_calls(turn: Turn) -> bool:
    return bool(OPEN_CALLS.search(turn.text)) and not turn.is_payload


def matches(turn: Turn) -> list[NoticeMatch]:
    live = turn.notices
    if live is None or live.index is None:
        return []
    return live.index.match(profile_of(turn), turn.today)


def open_calls(turn: Turn) -> Reply:
    """The open calls that fit what the founder told, or when the restart programs usually open."""
    live = turn.notices or LiveNotices(None)
    said = open_calls_answer(matches(turn), live, knowledge(), turn.today)
    return answer(turn, said) + remember(last_topic="open_calls")


def open_calls_after_results(turn: Turn) -> Reply:
    """After the finder's results: the matching open calls, when there are any (else nothing more)."""
    found = matches(turn)
    if not found or turn.notices is None:
        return NOTHING
    return answer(turn, open_calls_answer(found, turn.notices, knowledge(), turn.today))
