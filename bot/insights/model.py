"""The numbers the insights page and the monthly report show, as plain data.

Counts of conversations below `SMALL_CELL` are never shown as numbers (a table cell reads
"< 5"): a handful of founders from one 군 on one evening could be recognised. `Cell` keeps the
count for sorting and totals but says whether it may be shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

SMALL_CELL = 5  # fewer conversations than this are shown as "< 5"

CHANNEL_LABELS = {
    "socketio": "웹 채팅",
    "kakao": "카카오톡",
    "telegram": "텔레그램",
    "facebook": "페이스북 메신저",
    "rest": "REST",
    "web": "웹 채팅",
}
WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")  # Monday first, as datetime.weekday()


@dataclass(frozen=True)
class Cell:
    """A count of conversations (or messages from them) for one row of a chart."""

    label: str
    count: int
    conversations: int  # how many distinct conversations the count comes from

    @property
    def shown(self) -> str:
        return f"< {SMALL_CELL}" if self.conversations < SMALL_CELL else f"{self.count:,}"

    @property
    def suppressed(self) -> bool:
        return self.conversations < SMALL_CELL


@dataclass(frozen=True)
class DailyCount:
    day: datetime.date
    channel: str
    conversations: int
    messages: int


@dataclass(frozen=True)
class FunnelStep:
    step: str  # "started", a finder question's slot name, or "results"
    label: str  # Korean label
    reached: int  # conversations that got this far
    left_here: int  # conversations whose last finder step was this one (and saw no results)


@dataclass(frozen=True)
class Handoffs:
    requested: int
    taken: int
    wait_seconds_median: float | None
    wait_seconds_p90: float | None


@dataclass
class InsightReport:
    """Everything for one date range (founders' local days, Korea time)."""

    since: datetime.date
    until: datetime.date  # inclusive
    conversations: int = 0
    messages: int = 0
    daily: list[DailyCount] = field(default_factory=list)
    topics: list[Cell] = field(default_factory=list)  # intents, top first, Korean labels
    clarify_rate: float = 0.0  # share of founder messages answered with the clarifying menu
    fallback_rate: float = 0.0  # share that fell back (nlu_fallback)
    fallback_messages: list[str] = field(default_factory=list)  # masked texts, newest first
    handoffs: Handoffs = field(default_factory=lambda: Handoffs(0, 0, None, None))
    funnel: list[FunnelStep] = field(default_factory=list)
    programs: list[Cell] = field(default_factory=list)  # recommended first (top program)
    barriers: list[Cell] = field(default_factory=list)  # barriers founders met
    regions: list[Cell] = field(default_factory=list)  # 시·도 ids as labels (all 17, zeros included)
    heatmap: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in WEEKDAYS])  # [weekday][hour]
    crisis_events: int = 0  # only the count, never the content
    updated_through: int = 0  # the last tracker-store event id the aggregates include
