"""The insights of one date range, read from the aggregates (bot/insights/aggregate.py) only.

A range is founders' days in Korea time, both ends included. What counts where:

- conversations, messages, daily counts, topics, clarify and fallback rates, the heatmap,
  regions and people asked for: the founders' messages written in the range;
- the funnel: the conversations that started the finder in the range, however far they got;
- programs, barriers and live chats: shown, met and queued in the range.

Every chart row is a `Cell` with its distinct conversations, so that fewer than five read "< 5".
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.guidance.dialogue.fallback import INTENT_TITLES
from bot.guidance.dialogue.finder import ALWAYS_ASKED
from bot.insights.aggregate import (
    CRISIS,
    KST,
    PERSON_INTENTS,
    RESULTS_STEP,
    STARTED,
    conversations_table,
    ensure_tables,
    handoffs_table,
    messages_table,
    programs_table,
    steps_table,
    topics_table,
    watermark,
)
from bot.insights.model import Cell, DailyCount, FunnelStep, Handoffs, InsightReport
from bot.knowledge.loader import KnowledgeBase

FALLBACK_SHOWN = 100  # fallback messages listed, newest first

# The finder's questions in the order profile_form asks them (bot/guidance/dialogue/finder.py
# `questions`): 폐업 시기 right after 폐업 when closed, 성실경영평가 last for a restart.
FINDER_QUESTIONS = (ALWAYS_ASKED[0], "years_since_closure", *ALWAYS_ASKED[1:], "sincere_evaluation_passed")
FUNNEL = (STARTED, *FINDER_QUESTIONS, RESULTS_STEP)
STEP_LABELS = {
    STARTED: "지원 찾기 시작",
    "closed": "폐업 여부",
    "years_since_closure": "폐업 시기",
    "business_type": "사업자 형태",
    "credit_state": "신용 상태",
    "tax_arrears": "세금 체납",
    "insurance_arrears": "4대보험 체납",
    "goal": "재창업·취업 계획",
    "region": "지역",
    "sincere_evaluation_passed": "성실경영평가",
    RESULTS_STEP: "추천 결과",
}

TOPIC_TITLES = {
    **INTENT_TITLES,
    "greet": "인사",
    "goodbye": "작별 인사",
    "thank": "감사 인사",
    "inform": "상황 말하기",
    "affirm": "네",
    "deny": "아니요",
    "dont_know": "모르겠어요",
    "out_of_scope": "다시가 모르는 주제",
    "bot_challenge": "다시가 누구인지",
    "express_crisis": "위기",
    "ask_why": "이유",
    "nlu_fallback": "이해 못 함",
    # buttons and commands a founder sends
    "live_chat": "상담사와 채팅",
    "share_location": "위치 보내기",
    "remind_notice": "마감 알림 신청",
    "cancel_reminders": "마감 알림 끄기",
}


def day_bounds(since: datetime.date, until: datetime.date) -> tuple[float, float]:
    """Unix times of `since` 00:00 and the day after `until` 00:00, Korea time."""
    start = datetime.datetime.combine(since, datetime.time(), KST)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(), KST)
    return start.timestamp(), end.timestamp()


def build_report(
    engine: Engine,
    since: datetime.date,
    until: datetime.date,
    base: KnowledgeBase,
    *,
    fallback_shown: int = FALLBACK_SHOWN,
) -> InsightReport:
    """The report of `since`..`until` (inclusive, Korea time) from the aggregates as they are now
    (run `bot.insights.aggregate.update` first for the latest events)."""
    ensure_tables(engine)
    low, high = day_bounds(since, until)
    report = InsightReport(since=since, until=until)
    m = messages_table.c
    in_range = sa.and_(m.at >= low, m.at < high)
    with engine.connect() as connection:
        report.updated_through = watermark(connection) or 0
        totals = connection.execute(
            sa.select(
                sa.func.count(),
                sa.func.count(sa.distinct(m.sender_id)),
                sa.func.sum(sa.case((m.clarified, 1), else_=0)),
                sa.func.sum(sa.case((m.fallback, 1), else_=0)),
                sa.func.sum(sa.case((m.intent == CRISIS, 1), else_=0)),
            ).where(in_range)
        ).one()
        report.messages, report.conversations = int(totals[0]), int(totals[1])
        if report.messages:
            report.clarify_rate = int(totals[2] or 0) / report.messages
            report.fallback_rate = int(totals[3] or 0) / report.messages
        report.crisis_events = int(totals[4] or 0)
        report.daily = _daily(connection, in_range, since, until)
        report.topics = _topics(connection, in_range)
        report.fallback_messages = [
            text
            for (text,) in connection.execute(
                sa.select(m.text)
                .where(in_range, m.fallback, m.text.is_not(None))
                .order_by(m.at.desc(), m.event_id.desc())
                .limit(fallback_shown)
            )
        ]
        for weekday, hour, count in connection.execute(
            sa.select(m.weekday, m.hour, sa.func.count()).where(in_range).group_by(m.weekday, m.hour)
        ):
            report.heatmap[int(weekday)][int(hour)] = int(count)
        report.handoffs = _handoffs(connection, in_range, low, high)
        report.funnel = _funnel(connection, low, high)
        report.programs = _events_by(connection, programs_table, programs_table.c.program, low, high, base.programs)
        report.barriers = _events_by(
            connection, topics_table, topics_table.c.topic, low, high, base.barriers, keep=set(base.barriers)
        )
        report.regions = _regions(connection, in_range, base)
    return report


def _daily(connection: Connection, in_range: Any, since: datetime.date, until: datetime.date) -> list[DailyCount]:
    """Per day and channel, every day of the range for each channel seen in it (zeros included)."""
    m = messages_table.c
    query = (
        sa.select(m.day, m.channel, sa.func.count(sa.distinct(m.sender_id)), sa.func.count())
        .where(in_range)
        .group_by(m.day, m.channel)
    )
    counts = {
        (day, channel): (int(people), int(messages)) for day, channel, people, messages in connection.execute(query)
    }
    channels = sorted({channel for _, channel in counts})
    days = [since + datetime.timedelta(days=offset) for offset in range((until - since).days + 1)]
    return [DailyCount(day, channel, *counts.get((day, channel), (0, 0))) for day in days for channel in channels]


def _topics(connection: Connection, in_range: Any) -> list[Cell]:
    """What founders wrote about, most messages first; a crisis is never a topic."""
    m = messages_table.c
    query = (
        sa.select(m.intent, sa.func.count(), sa.func.count(sa.distinct(m.sender_id)))
        .where(in_range, m.intent.is_not(None), m.intent != CRISIS)
        .group_by(m.intent)
    )
    cells = [
        Cell(TOPIC_TITLES.get(intent, intent), int(count), int(people))
        for intent, count, people in connection.execute(query)
    ]
    return sorted(cells, key=lambda cell: (-cell.count, -cell.conversations, cell.label))


def _handoffs(connection: Connection, in_range: Any, low: float, high: float) -> Handoffs:
    m = messages_table.c
    requested = connection.execute(
        sa.select(sa.func.count(sa.distinct(m.sender_id))).where(in_range, m.intent.in_(PERSON_INTENTS))
    ).scalar()
    h = handoffs_table.c
    taken_in_range = sa.and_(h.paused_at >= low, h.paused_at < high, h.taken_at.is_not(None))
    taken = connection.execute(sa.select(sa.func.count(sa.distinct(h.sender_id))).where(taken_in_range)).scalar()
    waits = sorted(float(wait) for (wait,) in connection.execute(sa.select(h.wait_seconds).where(taken_in_range)))
    return Handoffs(
        requested=int(requested or 0),
        taken=int(taken or 0),
        wait_seconds_median=statistics.median(waits) if waits else None,
        wait_seconds_p90=percentile(waits, 0.9) if waits else None,
    )


def percentile(ordered: Sequence[float], share: float) -> float:
    """The `share` quantile of sorted values, linearly between the nearest two (numpy's default)."""
    position = (len(ordered) - 1) * share
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _funnel(connection: Connection, low: float, high: float) -> list[FunnelStep]:
    """The finder's steps for the conversations that started it in the range.

    `reached`: conversations that got at least this far (a question the founder had already
    answered in their own words is not asked, and counts as passed); `left_here`: those whose
    furthest step was this one and who never saw results.
    """
    s = steps_table.c
    cohort = sa.select(s.sender_id).where(s.step == STARTED, s.at >= low, s.at < high)
    order = sa.case({step: index for index, step in enumerate(FUNNEL[:-1])}, value=s.step, else_=-1)
    saw_results = sa.case((s.step == RESULTS_STEP, 1), else_=0)
    per_conversation = (
        sa.select(sa.func.max(order).label("furthest"), sa.func.max(saw_results).label("results"))
        .where(s.sender_id.in_(cohort))
        .group_by(s.sender_id)
        .subquery()
    )
    p = per_conversation.c
    grouped = sa.select(p.furthest, p.results, sa.func.count()).group_by(p.furthest, p.results)
    last = len(FUNNEL) - 1
    furthest_counts = [0] * len(FUNNEL)  # conversations by the furthest step (results: the last)
    for furthest, results, count in connection.execute(grouped):
        furthest_counts[last if results else max(int(furthest), 0)] += int(count)
    steps = []
    for index, step in enumerate(FUNNEL):
        reached = sum(furthest_counts[index:])
        left = furthest_counts[index] if index < last else 0
        steps.append(FunnelStep(step, STEP_LABELS.get(step, step), reached, left))
    return steps


def _events_by(
    connection: Connection,
    table: sa.Table,
    column: Any,
    low: float,
    high: float,
    records: dict[str, Any],
    keep: set[str] | None = None,
) -> list[Cell]:
    """Counts of one kind of event (a program shown, a barrier met) by its id, most first."""
    c = table.c
    query = (
        sa.select(column, sa.func.count(), sa.func.count(sa.distinct(c.sender_id)))
        .where(c.at >= low, c.at < high)
        .group_by(column)
    )
    if keep is not None:
        query = query.where(column.in_(sorted(keep)))
    cells = [
        Cell(records[key].name if key in records else key, int(count), int(people))
        for key, count, people in connection.execute(query)
    ]
    return sorted(cells, key=lambda cell: (-cell.count, -cell.conversations, cell.label))


def _regions(connection: Connection, in_range: Any, base: KnowledgeBase) -> list[Cell]:
    """Every 시·도 in regions.yml order (zeros included): the conversations of the range from it."""
    m = messages_table.c
    c = conversations_table.c
    active = sa.select(m.sender_id).where(in_range).distinct()
    query = sa.select(c.region, sa.func.count()).where(c.sender_id.in_(active)).group_by(c.region)
    counts: dict[str, int] = {}
    for region_id, count in connection.execute(query):
        region = base.regions.get(region_id or "")
        if region is None:
            continue
        sido = region.parent if region.level != "sido" and region.parent else region.id
        counts[sido] = counts.get(sido, 0) + int(count)
    return [
        Cell(region.id, counts.get(region.id, 0), counts.get(region.id, 0))
        for region in base.regions.values()
        if region.level == "sido"
    ]
