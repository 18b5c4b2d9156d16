"""Insights benchmark: 10,000 conversations (~120,000 Rasa events) folded in, then a month's report.

Writes generated conversations into a temporary tracker store (Rasa's own `events` table, rows
as Rasa's SQLTrackerStore writes them, conversations interleaved in time as a live bot writes
them), then times:

- the first full `bot.insights.aggregate.update` (every event),
- `bot.insights.report.build_report` for a 30-day range (target ≤ 2 s),
- after 100 more conversations, the incremental update (target ≤ 1 s).

Prints numbers, asserts nothing. SQLite by default; `--postgres` uses a fresh database on the
local server (127.0.0.1:5432, user postgres or root), dropped afterwards.
`python -m tests.benchmarks.insights_benchmark [--conversations N] [--postgres]`
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
from sqlalchemy.engine import Engine

from bot.insights.aggregate import KST, open_engine, update
from bot.insights.report import FINDER_QUESTIONS, build_report
from bot.knowledge.loader import knowledge

DAYS = 30
UNTIL = datetime.date(2026, 12, 31)
SINCE = UNTIL - datetime.timedelta(days=DAYS - 1)
CHANNELS = ("socketio", "socketio", "socketio", "kakao", "telegram")
TOPICS = ("ask_restart_programs", "ask_center", "ask_closure_income", "ask_bankruptcy", "greet", "thank")
BARRIERS = {
    "ask_tax_arrears": "tax_arrears",
    "ask_credit_delinquency": "credit_delinquency",
    "ask_joint_guarantee": "joint_guarantee",
    "ask_social_insurance_arrears": "social_insurance_arrears",
}
TARGET_REPORT = 2.0
TARGET_INCREMENT = 1.0


class Conversation:
    """Rasa events of one generated conversation, a few seconds apart."""

    def __init__(self, sender: str, channel: str, start: float, rng: random.Random) -> None:
        self.sender, self.channel, self.at, self.rng = sender, channel, start, rng
        self.events: list[Event] = []

    def _next(self) -> float:
        self.at += self.rng.uniform(0.2, 20)
        return self.at

    def user(self, intent: str, text: str) -> None:
        parse = {"name": intent, "confidence": 0.9}
        self.events.append(UserUttered(text, parse, input_channel=self.channel, timestamp=self._next()))

    def action(self, name: str, *, bot: str | None = "…") -> None:
        self.events.append(ActionExecuted(name, policy="RulePolicy", confidence=1.0, timestamp=self._next()))
        if bot is not None:
            self.events.append(BotUttered(bot, {"buttons": []}, timestamp=self._next()))

    def slot(self, name: str, value: Any) -> None:
        self.events.append(SlotSet(name, value, timestamp=self._next()))


def generate(sender: str, rng: random.Random, start: float) -> list[Event]:
    talk = Conversation(sender, rng.choice(CHANNELS), start, rng)
    if rng.random() < 0.4:
        talk.user("greet", "안녕하세요")
        talk.action("utter_greet")
    region = rng.choice([*knowledge_regions(), "busan|gyeongnam", "unknown"])
    kind = rng.random()
    if kind < 0.3:  # the finder, finished or left at some question
        talk.user("check_eligibility", "지원 받을 수 있는 거 찾아 주세요")
        talk.action("action_finder_intro")
        talk.action("profile_form", bot=None)
        talk.events.append(ActiveLoop("profile_form", timestamp=talk._next()))
        stop = rng.randint(2, len(FINDER_QUESTIONS) + 3)
        for index, question in enumerate(FINDER_QUESTIONS):
            if index >= stop:
                break
            talk.slot("requested_slot", question)
            talk.user("inform", "네 그렇습니다")
            talk.action("profile_form", bot=None)
            if question == "region":
                talk.slot("region", region)
        if stop > len(FINDER_QUESTIONS):
            talk.events.append(ActiveLoop(None, timestamp=talk._next()))
            talk.slot("requested_slot", None)
            talk.action("action_show_recommendations")
            talk.slot("last_program", rng.choice(PROGRAMS))
            talk.slot("last_topic", "recommendations")
    elif kind < 0.55:  # a barrier
        intent = rng.choice(list(BARRIERS))
        talk.user(intent, "체납이 있는데 괜찮을까요?")
        talk.action("action_explain_barrier")
        talk.slot("last_topic", BARRIERS[intent])
        talk.slot("region", region)
    elif kind < 0.75:  # not understood
        talk.user("nlu_fallback", "그거 [전화번호] 말고 다른 거요")
        talk.action("action_clarify")
    elif kind < 0.9:  # a person
        talk.user("request_human", "상담사 연결해 주세요")
        talk.action("action_offer_human")
        talk.user("live_chat", "/live_chat")
        talk.action("action_start_handoff")
        talk.events.append(ConversationPaused(timestamp=talk._next()))
        if rng.random() < 0.7:
            talk.at += rng.uniform(10, 600)
            talk.events.append(BotUttered("상담사입니다", metadata={"agent": "김민지"}, timestamp=talk._next()))
        talk.events.append(ConversationResumed(timestamp=talk._next()))
    elif kind < 0.905:
        talk.user("express_crisis", "너무 힘들어요")
        talk.action("utter_crisis")
    else:
        talk.user(rng.choice(TOPICS), "궁금한 게 있어요")
        talk.action("action_list_programs")
    if rng.random() < 0.3:
        talk.user("thank", "고맙습니다")
        talk.action("utter_thank")
    return talk.events


def knowledge_regions() -> list[str]:
    return [region.id for region in knowledge().regions.values() if region.level == "sido"]


PROGRAMS = ["restart_fund", "rechallenge_success_package", "hope_return_package", "rechallenge_center"]


def rows(sender: str, events: Sequence[Event]) -> Iterator[dict[str, Any]]:
    """The rows Rasa's SQLTrackerStore.save writes for these events."""
    for event in events:
        data = event.as_dict()
        yield {
            "sender_id": sender,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def write(engine: Engine, count: int, rng: random.Random, first: int, start: float, span: float) -> int:
    """`count` conversations starting between `start` and `start + span`, interleaved by time."""
    generated: list[dict[str, Any]] = []
    for number in range(first, first + count):
        events = generate(f"bench-{number}", rng, start + rng.uniform(0, span))
        generated += rows(f"bench-{number}", events)
    generated.sort(key=lambda row: row["timestamp"])
    with engine.begin() as connection:
        for offset in range(0, len(generated), 10_000):
            connection.execute(SQLTrackerStore.SQLEvent.__table__.insert(), generated[offset : offset + 10_000])
    return len(generated)


@contextmanager
def database(postgres: bool) -> Iterator[tuple[SQLTrackerStore, Engine]]:
    if not postgres:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "dasi.db"
            store = SQLTrackerStore(dialect="sqlite", db=str(path))
            engine = open_engine({"DASI_TRACKER_DB": str(path)})
            try:
                yield store, engine
            finally:
                engine.dispose()
                store.engine.dispose()
        return
    user = next(user for user in ("postgres", "root") if _reachable(user))
    name = f"dasi_insights_bench_{uuid.uuid4().hex[:8]}"
    store = SQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=5432, db=name, username=user, login_db="test")
    engine = open_engine({"DASI_POSTGRES_HOST": "127.0.0.1", "DASI_POSTGRES_DB": name, "DASI_POSTGRES_USER": user})
    try:
        yield store, engine
    finally:
        engine.dispose()
        store.engine.dispose()
        admin = sa.create_engine(f"postgresql://{user}@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reachable(user: str) -> bool:
    engine = sa.create_engine(f"postgresql://{user}@127.0.0.1:5432/test")
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true", help="the local PostgreSQL instead of SQLite")
    args = parser.parse_args(argv)
    rng = random.Random(11)
    base = knowledge()
    start = datetime.datetime.combine(SINCE, datetime.time(), KST).timestamp()
    with database(args.postgres) as (_, engine):
        began = time.perf_counter()
        events = write(engine, args.conversations, rng, 0, start, DAYS * 86_400 - 3_600)
        print(f"database: {engine.dialect.name}")
        print(
            f"generated: {args.conversations:,} conversations, {events:,} events ({time.perf_counter() - began:.1f} s)"
        )

        first = update(engine)
        print(
            f"first update: {first.events_read:,} events, {first.conversations_touched:,} conversations "
            f"in {first.seconds:.2f} s ({first.events_read / first.seconds:,.0f} events/s)"
        )

        began = time.perf_counter()
        report = build_report(engine, SINCE, UNTIL, base)
        took = time.perf_counter() - began
        verdict = "ok" if took <= TARGET_REPORT else "SLOW"
        print(f"report {SINCE}..{UNTIL}: {took:.3f} s (target ≤ {TARGET_REPORT:.0f} s: {verdict})")
        print(
            f"  {report.conversations:,} conversations, {report.messages:,} messages, "
            f"funnel started {report.funnel[0].reached:,} → results {report.funnel[-1].reached:,}, "
            f"handoffs {report.handoffs.requested:,} requested / {report.handoffs.taken:,} taken "
            f"(median wait {report.handoffs.wait_seconds_median or 0:.0f} s), crisis {report.crisis_events}"
        )

        late = datetime.datetime.combine(UNTIL, datetime.time(12), KST).timestamp()
        added = write(engine, 100, rng, args.conversations, late, 3_600)
        second = update(engine)
        verdict = "ok" if second.seconds <= TARGET_INCREMENT else "SLOW"
        print(
            f"incremental update: {second.events_read:,} events (of {added:,} written), "
            f"{second.conversations_touched} conversations in {second.seconds:.3f} s "
            f"(target ≤ {TARGET_INCREMENT:.0f} s: {verdict})"
        )
        began = time.perf_counter()
        build_report(engine, SINCE, UNTIL, base)
        print(f"report again: {time.perf_counter() - began:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
