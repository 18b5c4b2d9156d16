"""The insights aggregates (bot/insights/aggregate.py) and report (bot/insights/report.py).

Known conversations are written as Rasa events through Rasa's own SQLTrackerStore (SQLite, and
the local PostgreSQL as in production), folded in, and every number of the report is checked.
"""

from __future__ import annotations

import asyncio
import datetime
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot.insights import aggregate
from bot.insights.aggregate import KST, UpdateReport, open_engine, update
from bot.insights.model import SMALL_CELL, Cell, DailyCount, FunnelStep, Handoffs, InsightReport
from bot.insights.report import FINDER_QUESTIONS, FUNNEL, STEP_LABELS, TOPIC_TITLES, build_report, percentile
from bot.knowledge.loader import KnowledgeBase, knowledge

SINCE = datetime.date(2026, 12, 1)  # a Tuesday
UNTIL = datetime.date(2026, 12, 7)
CRISIS_TEXT = "이제 다 끝내고 싶어요. 죽고 싶어요"
MASKED = "주민번호 [주민등록번호] 입니다"
SLOTS = ("requested_slot", "closed", "region", "business_type", "last_program", "last_topic")


def kst(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 12) -> float:
    return datetime.datetime(2026, month, day, hour, minute, second, tzinfo=KST).timestamp()


class Talk:
    """One conversation's events, as Rasa logs them, a second apart unless told."""

    def __init__(self, sender: str, channel: str, start: float) -> None:
        self.sender = sender
        self.channel = channel
        self.at = start - 1
        self.events: list[Event] = []

    def _when(self, at: float | None) -> float:
        self.at = self.at + 1 if at is None else at
        return self.at

    def user(self, intent: str, text: str, at: float | None = None) -> Talk:
        when = self._when(at)
        self.events.append(
            UserUttered(text, {"name": intent, "confidence": 0.9}, input_channel=self.channel, timestamp=when)
        )
        return self

    def external(self, intent: str) -> Talk:
        event = UserUttered.create_external(intent, input_channel=self.channel)
        event.timestamp = self._when(None)
        self.events.append(event)
        return self

    def action(self, name: str) -> Talk:
        self.events.append(ActionExecuted(name, timestamp=self._when(None)))
        return self

    def bot(self, text: str = "…", agent: str | None = None, at: float | None = None) -> Talk:
        metadata = {"agent": agent} if agent else {}
        self.events.append(BotUttered(text, metadata=metadata, timestamp=self._when(at)))
        return self

    def slot(self, name: str, value: Any) -> Talk:
        self.events.append(SlotSet(name, value, timestamp=self._when(None)))
        return self

    def loop(self, name: str | None) -> Talk:
        self.events.append(ActiveLoop(name, timestamp=self._when(None)))
        return self

    def ask(self, slot: str) -> Talk:
        return self.action("profile_form").slot("requested_slot", slot).bot("질문")

    def pause(self) -> Talk:
        self.events.append(ConversationPaused(timestamp=self._when(None)))
        return self

    def resume(self) -> Talk:
        self.events.append(ConversationResumed(timestamp=self._when(None)))
        return self

    def results(self, program: str) -> Talk:
        self.action("profile_form").loop(None).slot("requested_slot", None)
        self.action("action_show_recommendations").bot("추천 결과")
        return self.slot("last_program", program).slot("last_topic", "recommendations").action("action_listen")


def conversations() -> list[Talk]:
    finder = Talk("web-finder", "socketio", kst(1, 10))
    finder.user("greet", "안녕하세요").action("utter_greet").bot()
    finder.user("check_eligibility", "나에게 맞는 지원 찾아 주세요", kst(1, 10, 1)).action("action_finder_intro").bot()
    finder.action("profile_form").loop("profile_form").slot("requested_slot", "closed").bot("폐업하셨나요?")
    finder.user("inform", "부산에서 개인사업자로 식당 하다가 작년에 폐업했어요", kst(1, 10, 2))
    finder.slot("closed", True).slot("region", "busan").slot("business_type", "sole_proprietor")
    finder.ask("years_since_closure")
    finder.user("inform", "작년 3월이요", kst(1, 10, 3)).ask("credit_state")
    finder.user("deny", "없어요", kst(1, 10, 4)).ask("tax_arrears")
    finder.user("deny", "없어요", kst(1, 10, 5)).ask("insurance_arrears")
    finder.user("deny", "없어요", kst(1, 10, 6)).ask("goal")
    finder.user("inform", "다시 창업하고 싶어요", kst(1, 10, 7)).ask("sincere_evaluation_passed")
    finder.user("dont_know", "모르겠어요", kst(1, 10, 8)).results("restart_fund")

    abandoned = Talk("kakao-abandoned", "kakao", kst(2, 21))
    abandoned.user("check_eligibility", "지원 받을 수 있는지 알고 싶어요").action("action_finder_intro").bot()
    abandoned.action("profile_form").loop("profile_form").slot("requested_slot", "closed").bot()
    abandoned.user("affirm", "네", kst(2, 21, 1)).slot("closed", True).slot("region", "busan|gyeongnam")
    abandoned.ask("years_since_closure")
    abandoned.user("inform", "2년 전에요", kst(2, 21, 2)).ask("business_type")
    abandoned.user("inform", "법인이었어요", kst(2, 21, 3)).ask("credit_state")

    barrier = Talk("telegram-barrier", "telegram", kst(3, 14))
    barrier.user("ask_tax_arrears", "세금 체납이 있는데 지원 받을 수 있나요?").slot("region", "seoul")
    barrier.action("action_explain_barrier").bot("체납 설명").slot("last_topic", "tax_arrears")
    barrier.user("nlu_fallback", MASKED, kst(3, 14, 5)).action("action_clarify").bot("혹시 이 중에?")

    handoff = Talk("web-handoff", "socketio", kst(4, 15))
    handoff.user("request_human", "상담사랑 이야기하고 싶어요").slot("region", "unknown")
    handoff.action("action_offer_human").bot("☎ 1357")
    handoff.user("live_chat", "/live_chat", kst(4, 15, 1)).action("action_start_handoff").bot("연결을 요청했어요")
    handoff.pause()
    paused_at = handoff.at
    handoff.user("inform", "기다릴게요", kst(4, 15, 1, 30))
    handoff.bot("안녕하세요, 상담사 김민지입니다", agent="김민지", at=paused_at + 90)
    handoff.bot("무엇을 도와드릴까요?", agent="김민지")
    handoff.resume().external("handback").action("action_handback").bot("다시 다시예요")

    crisis = Talk("web-crisis", "socketio", kst(5, 2))
    crisis.user("express_crisis", CRISIS_TEXT).action("utter_crisis").bot("☎ 109").slot("region", "gyeonggi")

    story = Talk("web-story", "socketio", kst(6, 9))
    story.user("inform", "서울에서 법인 하다 폐업했고 신용 문제도 체납도 없고 재창업하려고요").slot("region", "seoul")
    story.action("profile_form").loop("profile_form").results("restart_fund")
    story.user("out_of_scope", "오늘 날씨 어때요?", kst(6, 9, 1)).action("action_clarify").bot("혹시 이 중에?")

    talks = [finder, abandoned, barrier, handoff, crisis, story]
    for number, (day, channel) in enumerate(
        [(1, "socketio"), (2, "socketio"), (3, "socketio"), (4, "kakao"), (5, "telegram")], start=1
    ):
        greeter = Talk(f"greet-{number}", channel, kst(day, 20))
        greeter.user("greet", "안녕").action("utter_greet").bot().slot("region", "seoul")
        greeter.user("ask_restart_programs", "재창업 지원 알려 주세요", kst(day, 20, 1)).action("action_list_programs")
        greeter.bot("목록").slot("last_topic", "programs")
        talks.append(greeter)
    # Korea-time days: 11-30 23:30 and 12-08 00:10 are outside; 12-01 00:30 (11-30 in UTC) inside
    talks.append(Talk("before", "socketio", kst(30, 23, 30, month=11)).user("greet", "안녕"))
    talks.append(Talk("midnight", "socketio", kst(1, 0, 30)).user("greet", "안녕"))
    talks.append(Talk("after", "socketio", kst(8, 0, 10)).user("greet", "안녕"))
    return talks


def save(store: SQLTrackerStore, talk: Talk) -> None:
    """Rasa's own save: it appends the tracker's events it has not stored yet."""
    slots = [AnySlot(name, mappings=[]) for name in SLOTS]
    tracker = DialogueStateTracker.from_events(talk.sender, talk.events, slots=slots)
    asyncio.run(store.save(tracker))


def sqlite_store(path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(dialect="sqlite", db=str(path))


def filled(store: SQLTrackerStore) -> list[Talk]:
    talks = conversations()
    for talk in talks:
        save(store, talk)
    return talks


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return knowledge()


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[tuple[SQLTrackerStore, sa.engine.Engine]]:
    path = tmp_path / "dasi.db"
    store = sqlite_store(path)
    engine = open_engine({"DASI_TRACKER_DB": str(path)})
    yield store, engine
    engine.dispose()
    store.engine.dispose()


def event_count(engine: sa.engine.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM events")).scalar() or 0)


def expected_report(base: KnowledgeBase, through: int) -> InsightReport:
    report = InsightReport(since=SINCE, until=UNTIL, conversations=12, messages=32, updated_through=through)
    counts = {
        (1, "socketio"): (3, 12),
        (2, "kakao"): (1, 4),
        (2, "socketio"): (1, 2),
        (3, "socketio"): (1, 2),
        (3, "telegram"): (1, 2),
        (4, "kakao"): (1, 2),
        (4, "socketio"): (1, 3),
        (5, "socketio"): (1, 1),
        (5, "telegram"): (1, 2),
        (6, "socketio"): (1, 2),
    }
    report.daily = [
        DailyCount(datetime.date(2026, 12, day), channel, *counts.get((day, channel), (0, 0)))
        for day in range(1, 8)
        for channel in ("kakao", "socketio", "telegram")
    ]
    report.topics = [
        Cell("인사", 7, 7),
        Cell("상황 말하기", 7, 4),
        Cell("재창업 지원 제도", 5, 5),
        Cell("아니요", 3, 1),
        Cell("나에게 맞는 지원 찾기", 2, 2),
        *sorted(
            [
                Cell(TOPIC_TITLES[intent], 1, 1)
                for intent in (
                    "affirm",
                    "dont_know",
                    "ask_tax_arrears",
                    "nlu_fallback",
                    "request_human",
                    "live_chat",
                    "out_of_scope",
                )
            ],
            key=lambda cell: cell.label,
        ),
    ]
    report.clarify_rate = 2 / 32
    report.fallback_rate = 1 / 32
    report.fallback_messages = [MASKED]
    report.handoffs = Handoffs(requested=1, taken=1, wait_seconds_median=90.0, wait_seconds_p90=90.0)
    # started in the range: web-finder (results), kakao-abandoned (stopped at credit_state),
    # web-story (told everything at once: straight to results)
    reached = {"started": 3, **{question: 3 for question in FINDER_QUESTIONS}, "results": 2}
    for question in FINDER_QUESTIONS[FINDER_QUESTIONS.index("credit_state") + 1 :]:
        reached[question] = 2
    report.funnel = [
        FunnelStep(step, STEP_LABELS[step], reached[step], 1 if step == "credit_state" else 0) for step in FUNNEL
    ]
    report.programs = [Cell(base.programs["restart_fund"].name, 2, 2)]
    report.barriers = [Cell(base.barriers["tax_arrears"].name, 1, 1)]
    regions = {"seoul": 7, "busan": 1, "gyeonggi": 1}
    report.regions = [
        Cell(region.id, regions.get(region.id, 0), regions.get(region.id, 0))
        for region in base.regions.values()
        if region.level == "sido"
    ]
    heat = {(1, 10): 9, (1, 20): 2, (1, 0): 1, (2, 21): 4, (2, 20): 2, (3, 14): 2, (3, 20): 2}
    heat |= {(4, 15): 3, (4, 20): 2, (5, 2): 1, (5, 20): 2, (6, 9): 2}
    for (weekday, hour), count in heat.items():
        report.heatmap[weekday][hour] = count
    report.crisis_events = 1
    return report


# --- the report of known conversations -------------------------------------------------------


def test_every_number_of_the_report(sqlite: tuple[SQLTrackerStore, sa.engine.Engine], base: KnowledgeBase) -> None:
    store, engine = sqlite
    filled(store)
    total = event_count(engine)
    outcome = update(engine)
    assert isinstance(outcome, UpdateReport)
    assert (outcome.events_read, outcome.conversations_touched, outcome.updated_through) == (total, 14, total)
    report = build_report(engine, SINCE, UNTIL, base)
    expected = expected_report(base, total)
    for name in expected.__dataclass_fields__:
        assert getattr(report, name) == getattr(expected, name), name
    assert report == expected


def test_small_cells_read_less_than_five(sqlite: tuple[SQLTrackerStore, sa.engine.Engine], base: KnowledgeBase) -> None:
    store, engine = sqlite
    filled(store)
    update(engine)
    report = build_report(engine, SINCE, UNTIL, base)
    shown = {cell.label: cell.shown for cell in report.topics}
    assert shown["인사"] == "7"  # seven conversations
    assert shown["재창업 지원 제도"] == "5"  # exactly five: shown
    assert shown["상황 말하기"] == f"< {SMALL_CELL}"  # seven messages, but from four conversations
    assert shown["아니요"] == "< 5"
    assert [cell.shown for cell in report.programs] == ["< 5"]
    assert [cell.suppressed for cell in report.barriers] == [True]
    regions = {cell.label: cell.shown for cell in report.regions}
    assert len(regions) == 17
    assert regions["seoul"] == "7"
    assert regions["busan"] == regions["gyeonggi"] == regions["jeju"] == "< 5"
    assert "위기" not in shown  # a crisis is counted, never a topic
    assert report.crisis_events == 1


def test_a_crisis_leaves_only_a_count(sqlite: tuple[SQLTrackerStore, sa.engine.Engine]) -> None:
    store, engine = sqlite
    talks = filled(store)
    # a crisis the intent model missed still keeps no words, even as a fallback
    missed = Talk("missed-crisis", "socketio", kst(7, 23))
    missed.user("nlu_fallback", "그냥 죽고 싶다는 생각만 들어요").action("action_clarify").bot()
    save(store, missed)
    update(engine)
    dumped = []
    with engine.connect() as connection:
        for table in aggregate.TABLES:
            dumped += [repr(tuple(row)) for row in connection.execute(sa.select(table))]
    everything = "\n".join(dumped)
    assert MASKED in everything  # fallback texts are kept (masked already)
    assert "죽고" not in everything and CRISIS_TEXT not in everything
    assert "끝내고" not in everything
    with engine.connect() as connection:
        c = aggregate.conversations_table.c
        row = connection.execute(sa.select(c.crisis, c.messages).where(c.sender_id == "web-crisis")).one()
    assert tuple(row) == (1, 1)
    assert len(talks) == 14


def test_a_second_update_reads_only_the_new_events(
    sqlite: tuple[SQLTrackerStore, sa.engine.Engine], base: KnowledgeBase
) -> None:
    store, engine = sqlite
    talks = filled(store)
    first = update(engine)
    assert update(engine).events_read == 0
    barrier = next(talk for talk in talks if talk.sender == "telegram-barrier")
    barrier.user("nlu_fallback", "이건 어디로 전화해요 [전화번호]", kst(7, 11)).action("action_clarify").bot("혹시?")
    save(store, barrier)  # Rasa appends the three new events
    assert event_count(engine) == first.events_read + 3
    second = update(engine)
    assert (second.events_read, second.conversations_touched) == (3, 1)
    assert second.updated_through == first.updated_through + 3
    report = build_report(engine, SINCE, UNTIL, base)
    assert (report.messages, report.conversations) == (33, 12)
    assert report.fallback_messages == ["이건 어디로 전화해요 [전화번호]", MASKED]  # newest first
    assert (report.clarify_rate, report.fallback_rate) == (3 / 33, 2 / 33)
    assert DailyCount(datetime.date(2026, 12, 7), "telegram", 1, 1) in report.daily
    assert report.updated_through == second.updated_through
    # one day only: the new message
    today = build_report(engine, UNTIL, UNTIL, base)
    assert (today.messages, today.conversations, today.fallback_rate) == (1, 1, 1.0)
    assert today.funnel[0].reached == 0


def test_batches_split_anywhere_give_the_same_report(tmp_path: Path, base: KnowledgeBase) -> None:
    reports = []
    for batch_size in (5_000, 3, 1):
        path = tmp_path / f"dasi-{batch_size}.db"
        store = sqlite_store(path)
        engine = open_engine({"DASI_TRACKER_DB": str(path)})
        try:
            filled(store)
            assert update(engine, batch_size=batch_size).events_read == event_count(engine)
            reports.append(build_report(engine, SINCE, UNTIL, base))
        finally:
            engine.dispose()
            store.engine.dispose()
    assert reports[0] == reports[1] == reports[2]
    assert reports[0].handoffs.taken == 1  # the agent's reply came in a later batch than the pause


def test_concurrent_updates_fold_each_event_once(
    sqlite: tuple[SQLTrackerStore, sa.engine.Engine], base: KnowledgeBase
) -> None:
    store, engine = sqlite
    filled(store)
    outcomes: list[UpdateReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcomes.append(update(engine, batch_size=7))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(outcome.events_read for outcome in outcomes) == event_count(engine)
    assert build_report(engine, SINCE, UNTIL, base) == expected_report(base, event_count(engine))


def test_the_watermark_waits_for_a_hole_a_running_save_may_fill(tmp_path: Path) -> None:
    path = tmp_path / "dasi.db"
    store = sqlite_store(path)
    engine = open_engine({"DASI_TRACKER_DB": str(path)})
    events = aggregate.events_table

    def row(event_id: int, at: float) -> dict[str, Any]:
        data = f'{{"event": "user", "timestamp": {at}, "text": "hi", "input_channel": "socketio"}}'
        return {
            "id": event_id,
            "sender_id": "s",
            "type_name": "user",
            "timestamp": at,
            "intent_name": "greet",
            "action_name": None,
            "data": data,
        }

    now = kst(3, 12)
    try:
        with engine.begin() as connection:
            connection.execute(events.insert(), [row(1, now - 30), row(2, now - 20), row(4, now - 10)])
        held = update(engine, settle_seconds=120, now=now)
        assert (held.events_read, held.updated_through) == (2, 2)  # id 3 may still be committing
        with engine.begin() as connection:
            connection.execute(events.insert(), [row(3, now - 25)])
        assert update(engine, settle_seconds=120, now=now).updated_through == 4
        with engine.begin() as connection:
            connection.execute(events.insert(), [row(6, now - 200)])
        assert update(engine, settle_seconds=120, now=now).updated_through == 6  # an old hole: a rollback
    finally:
        engine.dispose()
        store.engine.dispose()


def test_no_tracker_store_yet_and_an_empty_range(tmp_path: Path, base: KnowledgeBase) -> None:
    engine = open_engine({"DASI_TRACKER_DB": str(tmp_path / "var" / "empty.db")})
    try:
        assert update(engine).events_read == 0
        report = build_report(engine, SINCE, UNTIL, base)
        assert (report.conversations, report.messages, report.daily, report.topics) == (0, 0, [], [])
        assert report.handoffs == Handoffs(0, 0, None, None)
        assert [step.reached for step in report.funnel] == [0] * len(FUNNEL)
        assert [cell.count for cell in report.regions] == [0] * 17
        assert sa.inspect(engine).has_table("events") is False  # Rasa's table is never created here
    finally:
        engine.dispose()


def test_funnel_order_follows_the_finder() -> None:
    assert FINDER_QUESTIONS == (
        "closed",
        "years_since_closure",
        "business_type",
        "credit_state",
        "tax_arrears",
        "insurance_arrears",
        "goal",
        "region",
        "sincere_evaluation_passed",
    )
    assert FUNNEL[0] == "started" and FUNNEL[-1] == "results"


def test_percentile() -> None:
    assert percentile([90.0], 0.9) == 90.0
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0], 0.9) == pytest.approx(91.0)
    assert percentile([0.0, 100.0], 0.5) == 50.0


# --- PostgreSQL (the local server, as in production) -------------------------------------------


@pytest.fixture
def postgres(scratch_database: tuple[str, str]) -> Iterator[tuple[SQLTrackerStore, sa.engine.Engine]]:
    user, name = scratch_database  # the user is found first: Rasa's store retries an unreachable server forever
    store = SQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=5432, db=name, username=user, login_db="test")
    engine = open_engine({"DASI_POSTGRES_HOST": "127.0.0.1", "DASI_POSTGRES_DB": name, "DASI_POSTGRES_USER": user})
    try:
        yield store, engine
    finally:
        engine.dispose()
        store.engine.dispose()


def test_postgresql_gives_the_same_report(
    postgres: tuple[SQLTrackerStore, sa.engine.Engine], base: KnowledgeBase
) -> None:
    store, engine = postgres
    assert engine.dialect.name == "postgresql"
    filled(store)
    total = event_count(engine)
    outcomes: list[UpdateReport] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(update(engine, batch_size=9, settle_seconds=0)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(outcome.events_read for outcome in outcomes) == total  # the advisory lock: each event once
    assert build_report(engine, SINCE, UNTIL, base) == expected_report(base, total)
    barrier = conversations()[2]
    barrier.user("nlu_fallback", "이건 어디로 전화해요 [전화번호]", kst(7, 11)).action("action_clarify").bot("혹시?")
    save(store, barrier)
    assert update(engine).events_read == 3  # old events: no hole to wait for
    assert build_report(engine, SINCE, UNTIL, base).fallback_messages[0] == "이건 어디로 전화해요 [전화번호]"
