"""Conversations aggregated from Rasa's tracker store into Dasi's own tables, a batch at a time.

Rasa's SQL tracker store keeps every event in one table, `events` (id, sender_id, type_name,
timestamp, intent_name, action_name, data = the event's JSON). The insights page must not
read it whole on every visit, so `update` folds the events it has not seen yet (id above the
watermark) into small tables the report groups by. `events` is only ever read.

Tables (the same database as the tracker store, SQLite or PostgreSQL):

- `dasi_insight_state`: the watermark, the last `events.id` folded in.
- `dasi_insight_conversations`: one row per sender: channel (the latest `input_channel` of
  its messages), first and last event time, the founder's 시·도 (the latest usable `region`
  slot), messages, crisis messages (a count only), the finder's steps reached, results shown
  and the latest top program, people asked for and live chats taken; and what the next batch
  needs to carry on (the latest message, an action waiting for its slot or pause, an open chat).
- `dasi_insight_messages`: one row per founder message: when (and its Korea-time day, weekday
  and hour), channel, intent, whether Dasi answered with the clarifying menu, whether it fell
  back, and, for a fallback only, its text (masked already by bot/privacy before it was stored).
- `dasi_insight_steps`: per conversation, the first time each finder step was reached:
  "started" (profile_form activated), each question asked (`requested_slot`), "results".
- `dasi_insight_programs`: each top program shown with results (`last_program` right after
  `action_show_recommendations`).
- `dasi_insight_topics`: each `last_topic` an answer set (the report keeps the barrier ids).
- `dasi_insight_handoffs`: each live chat (the `pause` after `action_start_handoff`), and
  when an agent first answered in it.

Crisis messages are counted and never kept: a message's text is kept only when it fell back,
and not even then when it reads as a crisis.

`update` is safe to run from several processes at once: each batch is one transaction that
first takes the aggregation lock (`BEGIN IMMEDIATE` on SQLite, a transaction-level advisory
lock on PostgreSQL), then reads the watermark, the events after it, writes the aggregates and
the new watermark. On PostgreSQL ids come from a sequence, so a transaction still writing may
commit an id below one already visible: the watermark never passes a hole in the ids while the
event after it is younger than `settle_seconds` (a hole that old is a rolled-back save).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from bot.language.crisis import shows_crisis
from bot.language.dates import KST
from bot.notices.store import create_database, database_url

logger = logging.getLogger(__name__)

BATCH = 5_000  # events per transaction
SETTLE_SECONDS = 120.0  # PostgreSQL: how long a hole in the event ids may be a save still running
CHUNK = 500  # sender ids per IN (...) query
LOCK_KEY = 0x6461_7369_696E_7369  # "dasiinsi": PostgreSQL advisory lock of the aggregation
STATE_KEY = "events"

FORM = "profile_form"
CLARIFY = "action_clarify"
RESULTS = "action_show_recommendations"
START_HANDOFF = "action_start_handoff"
FALLBACK = "nlu_fallback"
CRISIS = "express_crisis"
PERSON_INTENTS = ("request_human", "live_chat")
# Intents Rasa is told to run (the console's handback, reminders): not a founder's message.
NOT_FOUNDER = ("handback",)
EXTERNAL_PREFIX = "EXTERNAL_"
STARTED = "started"
RESULTS_STEP = "results"
UNKNOWN_CHANNEL = "unknown"

# Rasa's table, only read (a lightweight clause: never created nor altered from here).
events_table = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("intent_name", sa.String),
    sa.column("action_name", sa.String),
    sa.column("data", sa.Text),
)

# Its own metadata: creating these tables never creates anyone else's.
metadata = sa.MetaData()

state_table = sa.Table(
    "dasi_insight_state",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("last_event_id", sa.BigInteger, nullable=False, default=0),
    sa.Column("updated_at", sa.Float),  # unix time of the last update
)

conversations_table = sa.Table(
    "dasi_insight_conversations",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("channel", sa.String(64)),
    sa.Column("first_at", sa.Float),
    sa.Column("last_at", sa.Float),
    sa.Column("region", sa.String(64)),
    sa.Column("messages", sa.Integer, nullable=False, default=0),
    sa.Column("crisis", sa.Integer, nullable=False, default=0),
    sa.Column("finder_steps", sa.Text, nullable=False, default=""),  # steps reached, comma-separated
    sa.Column("results", sa.Integer, nullable=False, default=0),
    sa.Column("top_program", sa.String(255)),
    sa.Column("handoffs_requested", sa.Integer, nullable=False, default=0),
    sa.Column("handoffs_taken", sa.Integer, nullable=False, default=0),
    # carried from one batch to the next
    sa.Column("last_message_id", sa.BigInteger),
    sa.Column("awaiting", sa.String(32)),  # "results" or "handoff": the action just run
    sa.Column("open_handoff_id", sa.BigInteger),  # the pause of a live chat no agent answered yet
    sa.Column("open_handoff_at", sa.Float),
)

messages_table = sa.Table(
    "dasi_insight_messages",
    metadata,
    sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("day", sa.Date, nullable=False),  # Korea time
    sa.Column("weekday", sa.SmallInteger, nullable=False),  # 0 = Monday
    sa.Column("hour", sa.SmallInteger, nullable=False),
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("intent", sa.String(255)),
    sa.Column("clarified", sa.Boolean, nullable=False, default=False),
    sa.Column("fallback", sa.Boolean, nullable=False, default=False),
    sa.Column("text", sa.Text),  # the masked text of a fallback message; None for every other
)

steps_table = sa.Table(
    "dasi_insight_steps",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("step", sa.String(64), primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("event_id", sa.BigInteger, nullable=False),
    sa.Index("ix_dasi_insight_steps_step_at", "step", "at"),
)

programs_table = sa.Table(
    "dasi_insight_programs",
    metadata,
    sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("program", sa.String(255), nullable=False),
)

topics_table = sa.Table(
    "dasi_insight_topics",
    metadata,
    sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("topic", sa.String(255), nullable=False),
)

handoffs_table = sa.Table(
    "dasi_insight_handoffs",
    metadata,
    sa.Column("pause_event_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("paused_at", sa.Float, nullable=False, index=True),
    sa.Column("taken_at", sa.Float),
    sa.Column("wait_seconds", sa.Float),
)

TABLES = tuple(metadata.sorted_tables)
CONVERSATION_COLUMNS = tuple(column.name for column in conversations_table.columns)


@dataclass(frozen=True)
class UpdateReport:
    events_read: int
    conversations_touched: int
    seconds: float
    updated_through: int = 0  # the watermark after the update


def open_engine(environ: Mapping[str, str]) -> Engine:
    """The tracker store's database (`bot.notices.store.database_url`), opened as the notices'
    store opens it (a missing PostgreSQL database is created, as Rasa's tracker store does)."""
    url = database_url(environ)
    host = environ.get("DASI_POSTGRES_HOST")
    if host and "://" not in host:
        try:
            create_database(url, environ.get("DASI_POSTGRES_LOGIN_DB", "postgres"))
        except sa.exc.SQLAlchemyError as error:  # no access to the login database: the target may exist
            logger.debug("could not check or create the database: %s", error)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(parsed, future=True)


def korea_time(timestamp: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(timestamp, KST)


@contextlib.contextmanager
def locked(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the aggregation lock: one writer of the aggregates at a time."""
    with engine.connect() as connection, connection.begin():
        dialect = connection.dialect.name
        if dialect == "sqlite":
            raw = connection.connection.dbapi_connection
            if not getattr(raw, "in_transaction", False):
                # the write lock now, not at the first write: two deferred transactions that both
                # read the watermark could not both write it
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif dialect == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        yield connection


def ensure_tables(engine: Engine) -> None:
    """Creates the aggregate tables and the watermark when missing (idempotent, race-free)."""
    names = set(sa.inspect(engine).get_table_names())
    if all(table.name in names for table in TABLES):
        return
    with locked(engine) as connection:
        metadata.create_all(connection, checkfirst=True)
        if watermark(connection) is None:
            connection.execute(state_table.insert(), [{"name": STATE_KEY, "last_event_id": 0}])


def watermark(connection: Connection) -> int | None:
    query = sa.select(state_table.c.last_event_id).where(state_table.c.name == STATE_KEY)
    value = connection.execute(query).scalar()
    return None if value is None else int(value)


# --- folding events in ------------------------------------------------------------------------


@dataclass
class _Conversation:
    """A conversation's row while a batch is folded in."""

    sender_id: str
    channel: str | None = None
    first_at: float | None = None
    last_at: float | None = None
    region: str | None = None
    messages: int = 0
    crisis: int = 0
    finder_steps: str = ""
    results: int = 0
    top_program: str | None = None
    handoffs_requested: int = 0
    handoffs_taken: int = 0
    last_message_id: int | None = None
    awaiting: str | None = None
    open_handoff_id: int | None = None
    open_handoff_at: float | None = None
    stored: bool = False  # has a row already

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CONVERSATION_COLUMNS}

    def reached(self) -> set[str]:
        return set(self.finder_steps.split(",")) if self.finder_steps else set()


@dataclass
class _Batch:
    """What one batch of events adds and changes."""

    conversations: dict[str, _Conversation]
    messages: list[dict[str, Any]] = field(default_factory=list)
    message_at: dict[int, int] = field(default_factory=dict)  # event id -> index in messages
    clarified: list[int] = field(default_factory=list)  # messages of earlier batches
    steps: list[dict[str, Any]] = field(default_factory=list)
    programs: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)
    handoffs: list[dict[str, Any]] = field(default_factory=list)
    handoff_at: dict[int, int] = field(default_factory=dict)  # pause event id -> index in handoffs
    taken: list[dict[str, Any]] = field(default_factory=list)  # handoffs of earlier batches


def update(
    engine: Engine,
    *,
    batch_size: int = BATCH,
    settle_seconds: float | None = None,
    now: float | None = None,
) -> UpdateReport:
    """Folds the events after the watermark into the aggregates, `batch_size` events per transaction.

    `settle_seconds` (default: 120 s on PostgreSQL, 0 on SQLite, where ids are handed out in
    commit order) is how long a hole in the ids is waited for; `now` is for tests.
    """
    started = time.perf_counter()
    ensure_tables(engine)
    if settle_seconds is None:
        settle_seconds = 0.0 if engine.dialect.name == "sqlite" else SETTLE_SECONDS
    read = 0
    touched: set[str] = set()
    through = 0
    if not sa.inspect(engine).has_table("events"):  # Rasa has not stored a conversation yet
        with engine.connect() as connection:
            through = watermark(connection) or 0
        return UpdateReport(0, 0, time.perf_counter() - started, through)
    while True:
        with locked(engine) as connection:
            through = watermark(connection) or 0
            e = events_table.c
            query = (
                sa.select(e.id, e.sender_id, e.type_name, e.timestamp, e.intent_name, e.action_name, e.data)
                .where(e.id > through)
                .order_by(e.id)
                .limit(batch_size)
            )
            rows = connection.execute(query).all()
            settled = _settled(rows, through, settle_seconds, time.time() if now is None else now)
            if settled:
                touched |= _fold(connection, settled)
                through = int(settled[-1].id)
                read += len(settled)
            values = {"last_event_id": through, "updated_at": time.time()}
            connection.execute(state_table.update().where(state_table.c.name == STATE_KEY).values(**values))
        if len(rows) < batch_size or len(settled) < len(rows):
            break
    return UpdateReport(read, len(touched), time.perf_counter() - started, through)


def _settled(rows: Sequence[Any], through: int, settle_seconds: float, now: float) -> list[Any]:
    """The rows up to the first hole in the ids that a running save may still fill."""
    expected = through + 1
    for index, row in enumerate(rows):
        recent = row.timestamp is not None and row.timestamp > now - settle_seconds
        if row.id != expected and settle_seconds > 0 and recent:
            return list(rows[:index])
        expected = row.id + 1
    return list(rows)


def _fold(connection: Connection, rows: Sequence[Any]) -> set[str]:
    senders = list(dict.fromkeys(row.sender_id for row in rows))
    batch = _Batch(_load_conversations(connection, senders))
    for row in rows:
        conversation = batch.conversations[row.sender_id]
        _apply(batch, conversation, row)
    _write(connection, batch)
    return set(senders)


def _load_conversations(connection: Connection, senders: Sequence[str]) -> dict[str, _Conversation]:
    found: dict[str, _Conversation] = {}
    c = conversations_table.c
    for start in range(0, len(senders), CHUNK):
        chunk = senders[start : start + CHUNK]
        for row in connection.execute(sa.select(conversations_table).where(c.sender_id.in_(chunk))):
            values = dict(row._mapping)
            found[values["sender_id"]] = _Conversation(**values, stored=True)
    return {sender: found.get(sender) or _Conversation(sender) for sender in senders}


def _apply(batch: _Batch, conversation: _Conversation, row: Any) -> None:
    """One event, in the order Rasa logged it (an action's event, then the events it returned)."""
    at = float(row.timestamp) if row.timestamp is not None else conversation.last_at or 0.0
    if conversation.first_at is None or at < conversation.first_at:
        conversation.first_at = at
    if conversation.last_at is None or at > conversation.last_at:
        conversation.last_at = at
    kind = row.type_name
    if kind == "user":
        _message(batch, conversation, row, at)
    elif kind == "action":
        name = row.action_name
        if name == "action_listen":
            return
        conversation.awaiting = None
        if name == CLARIFY and conversation.last_message_id is not None:
            _clarified(batch, conversation.last_message_id)
        elif name == RESULTS:
            conversation.results += 1
            conversation.awaiting = "results"
            _step(batch, conversation, RESULTS_STEP, at, row.id)
        elif name == START_HANDOFF:
            conversation.awaiting = "handoff"
    elif kind == "slot":
        _slot(batch, conversation, row, at)
    elif kind == "active_loop" and row.action_name == FORM:
        _step(batch, conversation, STARTED, at, row.id)
    elif kind == "pause" and conversation.awaiting == "handoff":
        conversation.awaiting = None
        conversation.open_handoff_id, conversation.open_handoff_at = int(row.id), at
        batch.handoff_at[int(row.id)] = len(batch.handoffs)
        batch.handoffs.append(
            {
                "pause_event_id": int(row.id),
                "sender_id": conversation.sender_id,
                "paused_at": at,
                "taken_at": None,
                "wait_seconds": None,
            }
        )
    elif kind == "resume":
        conversation.open_handoff_id = conversation.open_handoff_at = None
    elif kind == "bot" and conversation.open_handoff_id is not None:
        metadata = _data(row).get("metadata") or {}
        if isinstance(metadata, dict) and metadata.get("agent"):
            _taken(batch, conversation, at)


def _message(batch: _Batch, conversation: _Conversation, row: Any, at: float) -> None:
    data = _data(row)
    intent = row.intent_name or ((data.get("parse_data") or {}).get("intent") or {}).get("name")
    metadata = data.get("metadata") or {}
    external = isinstance(metadata, dict) and metadata.get("is_external")
    if external or intent in NOT_FOUNDER or (intent or "").startswith(EXTERNAL_PREFIX):
        return  # Rasa was told to run it; the founder did not write it
    conversation.awaiting = None
    channel = data.get("input_channel")
    if channel:
        conversation.channel = str(channel)
    conversation.messages += 1
    conversation.crisis += int(intent == CRISIS)
    conversation.handoffs_requested += int(intent in PERSON_INTENTS)
    conversation.last_message_id = int(row.id)
    fallback = intent == FALLBACK
    text = data.get("text") if fallback else None
    if not isinstance(text, str) or shows_crisis(text):
        text = None  # only a fallback's masked text, never words of a crisis
    local = korea_time(at)
    batch.message_at[int(row.id)] = len(batch.messages)
    batch.messages.append(
        {
            "event_id": int(row.id),
            "sender_id": conversation.sender_id,
            "at": at,
            "day": local.date(),
            "weekday": local.weekday(),
            "hour": local.hour,
            "channel": str(channel or conversation.channel or UNKNOWN_CHANNEL),
            "intent": intent,
            "clarified": False,
            "fallback": fallback,
            "text": text,
        }
    )


def _clarified(batch: _Batch, message_id: int) -> None:
    index = batch.message_at.get(message_id)
    if index is None:
        batch.clarified.append(message_id)
    else:
        batch.messages[index]["clarified"] = True


def _slot(batch: _Batch, conversation: _Conversation, row: Any, at: float) -> None:
    name = row.action_name
    if name not in ("requested_slot", "region", "last_topic", "last_program"):
        return
    value = _data(row).get("value")
    if not isinstance(value, str) or not value:
        return
    if name == "requested_slot":
        _step(batch, conversation, value, at, row.id)
    elif name == "region":
        if "|" not in value and value != "unknown":  # "busan|gyeongnam" is still being asked
            conversation.region = value
    elif name == "last_topic":
        batch.topics.append({"event_id": int(row.id), "sender_id": conversation.sender_id, "at": at, "topic": value})
    elif conversation.awaiting == "results":
        conversation.top_program = value
        batch.programs.append(
            {"event_id": int(row.id), "sender_id": conversation.sender_id, "at": at, "program": value}
        )


def _step(batch: _Batch, conversation: _Conversation, step: str, at: float, event_id: int) -> None:
    reached = conversation.reached()
    if step in reached:
        return
    conversation.finder_steps = ",".join([*conversation.finder_steps.split(","), step]).strip(",")
    batch.steps.append({"sender_id": conversation.sender_id, "step": step, "at": at, "event_id": int(event_id)})


def _taken(batch: _Batch, conversation: _Conversation, at: float) -> None:
    pause_id = conversation.open_handoff_id
    assert pause_id is not None
    wait = max(0.0, at - (conversation.open_handoff_at or at))
    index = batch.handoff_at.get(pause_id)
    if index is None:
        batch.taken.append({"b_pause": pause_id, "taken_at": at, "wait_seconds": wait})
    else:
        batch.handoffs[index].update(taken_at=at, wait_seconds=wait)
    conversation.handoffs_taken += 1
    conversation.open_handoff_id = conversation.open_handoff_at = None


def _data(row: Any) -> dict[str, Any]:
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _write(connection: Connection, batch: _Batch) -> None:
    conversations = list(batch.conversations.values())
    inserts = [conversation.row() for conversation in conversations if not conversation.stored]
    # SET takes the columns named in the parameters; the row is found by `b_sender`.
    updates = [
        {**{name: value for name, value in conversation.row().items() if name != "sender_id"}, "b_sender": sender}
        for sender, conversation in batch.conversations.items()
        if conversation.stored
    ]
    _insert(connection, conversations_table, inserts)
    if updates:
        c = conversations_table.c
        connection.execute(conversations_table.update().where(c.sender_id == sa.bindparam("b_sender")), updates)
    _insert(connection, messages_table, batch.messages)
    _insert(connection, steps_table, batch.steps)
    _insert(connection, programs_table, batch.programs)
    _insert(connection, topics_table, batch.topics)
    _insert(connection, handoffs_table, batch.handoffs)
    if batch.clarified:
        m = messages_table.c
        for start in range(0, len(batch.clarified), CHUNK):
            chunk = batch.clarified[start : start + CHUNK]
            connection.execute(messages_table.update().where(m.event_id.in_(chunk)).values(clarified=True))
    if batch.taken:
        h = handoffs_table.c
        connection.execute(handoffs_table.update().where(h.pause_event_id == sa.bindparam("b_pause")), batch.taken)


def _insert(connection: Connection, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
    rows = list(rows)
    if rows:
        connection.execute(table.insert(), rows)
