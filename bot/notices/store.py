"""Fetched notices, kept in the tracker store's database (SQLite by default, PostgreSQL when set).

Two tables of Dasi's own (Rasa's `events` table is never touched):

- `dasi_notices`: one row per call (`Notice.key`). When both APIs list the same call, the row
  keeps the record with more information and `listings` remembers every source and its id.
- `dasi_notice_fetches`: one row per fetch of a source (when, how many notices and rejected
  records, the error if any): `./dasi notices status` reads it.

SQLAlchemy Core (no ORM session per row): a refresh writes a few thousand rows in one transaction.
Times are stored in UTC (naive columns, the same on SQLite and PostgreSQL) and read back aware.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from bot.language.dates import KST
from bot.notices.models import SOURCES, Notice, Window, keys_from

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
UTC = datetime.timezone.utc

metadata = sa.MetaData()

notices_table = sa.Table(
    "dasi_notices",
    metadata,
    sa.Column("key", sa.String(1000), primary_key=True),
    sa.Column("source", sa.String(32), nullable=False),  # the source of the record kept
    sa.Column("source_id", sa.String(255), nullable=False),
    sa.Column("listings", sa.Text, nullable=False),  # JSON {source: source_id}, every source that lists it
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("agency", sa.Text, nullable=False, default=""),
    sa.Column("organiser", sa.Text, nullable=False, default=""),
    sa.Column("regions", sa.Text, nullable=False, default="[]"),  # JSON list
    sa.Column("target", sa.Text, nullable=False, default=""),
    sa.Column("excluded", sa.Text, nullable=False, default=""),
    sa.Column("business_age", sa.Text, nullable=False, default=""),
    sa.Column("hashtags", sa.Text, nullable=False, default="[]"),  # JSON list
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("window", sa.String(32), nullable=False),
    sa.Column("opens", sa.Date),
    sa.Column("closes", sa.Date, index=True),
    sa.Column("posted", sa.Date),
    sa.Column("fetched_at", sa.DateTime, nullable=False),  # the last fetch that listed it (UTC)
    sa.Column("first_seen", sa.DateTime, nullable=False),  # the first (UTC)
)

fetches_table = sa.Table(
    "dasi_notice_fetches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(32), nullable=False, index=True),
    sa.Column("fetched_at", sa.DateTime, nullable=False),
    sa.Column("notices", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("pages", sa.Integer, nullable=False, default=0),
    sa.Column("error", sa.Text),
)

# Columns that say what a notice is; `fetched_at` and `first_seen` only say when it was seen.
CONTENT = tuple(column.name for column in notices_table.columns if column.name not in ("fetched_at", "first_seen"))
LIST_FIELDS = ("regions", "hashtags")
# Fields whose presence counts as information when two sources list the same call.
INFORMATIVE = (
    "agency",
    "organiser",
    "regions",
    "target",
    "excluded",
    "business_age",
    "hashtags",
    "summary",
    "opens",
    "closes",
    "posted",
)
CHUNK = 500  # keys per IN (...) query: SQLite allows 999 bound parameters in older builds


class FetchOutcome(Protocol):
    """What `bot.notices.sources.fetch_all` returns per source (its `FetchResult`)."""

    @property
    def source(self) -> str: ...

    @property
    def notices(self) -> Sequence[Notice]: ...

    @property
    def rejected(self) -> Sequence[str]: ...

    @property
    def error(self) -> str | None: ...

    @property
    def pages(self) -> int: ...


@dataclass(frozen=True)
class SaveReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class FetchRecord:
    source: str
    fetched_at: datetime.datetime
    notices: int
    rejected: int
    pages: int
    error: str | None


@dataclass(frozen=True)
class NoticeCounts:
    total: int
    open: int
    listed_by: dict[str, int]  # per source: the calls it lists
    listed_by_both: int


@dataclass(frozen=True)
class Refreshed:
    """One source's fetch as `refresh` handled it: the fetch result, and what saving it did."""

    result: FetchOutcome
    saved: SaveReport

    @property
    def source(self) -> str:
        return self.result.source

    @property
    def notices(self) -> Sequence[Notice]:
        return self.result.notices

    @property
    def rejected(self) -> Sequence[str]:
        return self.result.rejected

    @property
    def error(self) -> str | None:
        return self.result.error

    @property
    def pages(self) -> int:
        return self.result.pages


@dataclass
class FetchFailure:
    """A source whose fetch raised instead of reporting its error (refresh records it all the same)."""

    source: str
    error: str | None
    notices: list[Notice] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    pages: int = 0


def database_url(environ: Mapping[str, str]) -> str:
    """The tracker store's database, as `bot.serve.runtime_endpoints` configures Rasa's.

    PostgreSQL when DASI_POSTGRES_HOST is set (DASI_POSTGRES_PORT 5432, DASI_POSTGRES_DB dasi,
    DASI_POSTGRES_USER postgres, DASI_POSTGRES_PASSWORD), else the SQLite file DASI_TRACKER_DB
    (var/dasi.db). As in Rasa's `SQLTrackerStore.get_db_url`, a host with "://" is a whole URL
    and a host may carry its port ("db:5433").
    """
    host = environ.get("DASI_POSTGRES_HOST")
    if not host:
        path = Path(environ.get("DASI_TRACKER_DB") or ROOT / "var" / "dasi.db")
        return str(URL.create("sqlite", database=str(path)))
    if "://" in host:
        return host
    parsed = make_url(f"postgresql://{host}")
    url = URL.create(
        "postgresql",
        username=environ.get("DASI_POSTGRES_USER", "postgres"),
        password=environ.get("DASI_POSTGRES_PASSWORD", "") or None,
        host=parsed.host,
        port=parsed.port or int(environ.get("DASI_POSTGRES_PORT", "5432")),
        database=environ.get("DASI_POSTGRES_DB", "dasi"),
    )
    return url.render_as_string(hide_password=False)


def create_database(url: str, login_db: str = "postgres") -> bool:
    """Creates a missing PostgreSQL database through `login_db`, as Rasa's tracker store does
    (so `./dasi notices refresh` works before the first `./dasi run`). True when it created it."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql" or not target.database:
        return False
    engine = sa.create_engine(target.set(database=login_db), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_catalog.pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if exists:
                return False
            quoted = engine.dialect.identifier_preparer.quote_identifier(target.database)
            connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
            return True
    finally:
        engine.dispose()


class NoticeStore:
    """Notices and fetches in the tracker store's database. Creating the tables is idempotent."""

    def __init__(self, url: str | Engine) -> None:
        if isinstance(url, Engine):
            self.engine = url
        else:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(parsed, future=True)
        metadata.create_all(self.engine, checkfirst=True)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> NoticeStore:
        url = database_url(environ)
        if environ.get("DASI_POSTGRES_HOST") and "://" not in environ["DASI_POSTGRES_HOST"]:
            try:
                create_database(url, environ.get("DASI_POSTGRES_LOGIN_DB", "postgres"))
            except sa.exc.SQLAlchemyError as error:  # no access to the login database: the target may exist
                logger.debug("could not check or create the database: %s", error)
        return cls(url)

    def close(self) -> None:
        self.engine.dispose()

    # --- notices ---------------------------------------------------------------------------

    def save(self, notices: Iterable[Notice], fetched_at: datetime.datetime) -> SaveReport:
        """Adds or updates notices listed at `fetched_at`.

        The same call from both sources is one row: the record with more information is kept
        (on a tie, the one already stored), and every source's id is remembered. A source's new
        record of the call it supplied replaces the old one. Saving the same notices again
        changes only `fetched_at` and counts them unchanged.
        """
        when = _utc_naive(fetched_at)
        incoming = list(notices)
        keys = list(dict.fromkeys(notice.key for notice in incoming))
        stored: dict[str, dict[str, Any]] = {}
        with self.engine.begin() as connection:
            for start in range(0, len(keys), CHUNK):
                chunk = keys[start : start + CHUNK]
                query = sa.select(notices_table).where(notices_table.c.key.in_(chunk))
                stored.update({row._mapping["key"]: dict(row._mapping) for row in connection.execute(query)})
            current = {key: dict(row) for key, row in stored.items()}
            for notice in incoming:
                current[notice.key] = _merge(current.get(notice.key), notice, when)
            inserts, updates, seen = [], [], []
            for key in keys:
                row = current[key]
                before = stored.get(key)
                if before is None:
                    inserts.append(row)
                elif any(before[name] != row[name] for name in CONTENT):
                    changed = {name: row[name] for name in CONTENT if name != "key"}
                    updates.append({**changed, "fetched_at": when, "b_key": key})
                else:
                    seen.append({"fetched_at": when, "b_key": key})
            if inserts:
                connection.execute(notices_table.insert(), inserts)
            # SET takes the columns named in the parameters; the row is found by `b_key`.
            by_key = notices_table.update().where(notices_table.c.key == sa.bindparam("b_key"))
            if updates:
                connection.execute(by_key, updates)
            if seen:
                connection.execute(by_key, seen)
        return SaveReport(new=len(inserts), updated=len(updates), unchanged=len(seen))

    def all(self) -> list[Notice]:
        """Every stored notice, the nearest deadline first (상시 and 추후 공지 last)."""
        return self._select(None)

    def open_on(self, day: datetime.date) -> list[Notice]:
        """The calls open on `day` (`Notice.is_open`): 상시 ones, and dated ones in their window."""
        c = notices_table.c
        dated = sa.and_(
            c.window == Window.dated.value,
            sa.or_(c.opens.is_(None), c.opens <= day),
            sa.or_(c.closes.is_(None), c.closes >= day),
        )
        condition = sa.or_(c.window == Window.always.value, dated)
        return [notice for notice in self._select(condition) if notice.is_open(day)]

    def listings(self) -> dict[str, dict[str, str]]:
        """Per notice key, every source that lists it and its id there."""
        query = sa.select(notices_table.c.key, notices_table.c.listings)
        with self.engine.connect() as connection:
            return {key: json.loads(listed) for key, listed in connection.execute(query)}

    def counts(self, today: datetime.date) -> NoticeCounts:
        listings = self.listings()
        listed_by = {source: 0 for source in SOURCES}
        for sources in listings.values():
            for source in sources:
                listed_by[source] = listed_by.get(source, 0) + 1
        both = sum(1 for sources in listings.values() if len(sources) > 1)
        return NoticeCounts(len(listings), len(self.open_on(today)), listed_by, both)

    def prune(self, before: datetime.date) -> int:
        """Removes the calls that closed before `before`; returns how many. 상시 and 추후 공지
        calls have no deadline and stay."""
        c = notices_table.c
        statement = notices_table.delete().where(c.window == Window.dated.value, c.closes < before)
        with self.engine.begin() as connection:
            return int(connection.execute(statement).rowcount or 0)

    def _select(self, condition: Any) -> list[Notice]:
        c = notices_table.c
        query = sa.select(notices_table)
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(c.closes.is_(None), c.closes, c.title)
        with self.engine.connect() as connection:
            return [_notice(row._mapping) for row in connection.execute(query)]

    # --- fetches ---------------------------------------------------------------------------

    def record_fetch(self, result: FetchOutcome, fetched_at: datetime.datetime | None = None) -> None:
        """Remembers one fetch of a source, failed ones included."""
        row = {
            "source": result.source,
            "fetched_at": _utc_naive(fetched_at or datetime.datetime.now(UTC)),
            "notices": len(result.notices),
            "rejected": len(result.rejected),
            "pages": int(result.pages or 0),
            "error": result.error,
        }
        with self.engine.begin() as connection:
            connection.execute(fetches_table.insert(), [row])

    def last_fetch(self) -> dict[str, datetime.datetime | None]:
        """Per source, when it was last fetched without an error (None: never)."""
        c = fetches_table.c
        query = sa.select(c.source, sa.func.max(c.fetched_at)).where(c.error.is_(None)).group_by(c.source)
        last: dict[str, datetime.datetime | None] = {source: None for source in SOURCES}
        with self.engine.connect() as connection:
            for source, when in connection.execute(query):
                last[source] = _aware(when)
        return last

    def last_attempts(self) -> dict[str, FetchRecord]:
        """Per source, its latest fetch, failed or not."""
        c = fetches_table.c
        latest = sa.select(c.source, sa.func.max(c.id).label("id")).group_by(c.source).subquery()
        query = sa.select(fetches_table).join(latest, c.id == latest.c.id).order_by(c.source)
        with self.engine.connect() as connection:
            return {
                row.source: FetchRecord(
                    row.source, _aware(row.fetched_at), row.notices, row.rejected, row.pages, row.error
                )
                for row in connection.execute(query)
            }


# Calls that closed this long ago are deleted at each refresh: no answer shows them, and a
# reminder for one was due long before.
KEEP_CLOSED_DAYS = 90


def refresh(
    store: NoticeStore,
    environ: Mapping[str, str],
    *,
    fetch: Callable[..., Sequence[FetchOutcome]] | None = None,
    now: datetime.datetime | None = None,
    keep_closed_days: int = KEEP_CLOSED_DAYS,
    **fetch_options: Any,
) -> list[Refreshed]:
    """Fetches every source (keys from `environ`), saves what each sent and records each fetch;
    then forgets the calls that closed more than `keep_closed_days` ago (Korea's calendar).

    One source failing (its error in its result, or even an exception from the fetch) never
    stops the others nor raises: the failure is recorded and returned. A source without a key
    is returned (its result says it is off) but not recorded as a fetch. `fetch` defaults to
    `bot.notices.sources.fetch_all` and is called as `fetch(keys, now=..., **fetch_options)`.
    Each `Refreshed` reads like the source's `FetchResult` (source, notices, rejected, error,
    pages) and adds `saved` (new, updated, unchanged).
    """
    if fetch is None:
        from bot.notices.sources import fetch_all

        fetch = fetch_all
    keys = keys_from(environ)
    when = now or datetime.datetime.now(UTC)
    try:
        results: list[FetchOutcome] = list(fetch(keys, now=when, **fetch_options))
    except Exception as error:  # a bug in a source must not stop the bot's refresh job
        logger.exception("fetching notices failed")
        results = [FetchFailure(source, f"{type(error).__name__}: {error}") for source in keys]
    recorded = []
    for result in results:
        saved = SaveReport()
        try:
            if result.notices:
                saved = store.save(result.notices, when)
        except Exception as error:  # e.g. the database went away: the next source may still fare better
            logger.exception("saving %s notices failed", result.source)
            result = FetchFailure(result.source, f"saving failed: {type(error).__name__}: {error}")
        if keys.get(result.source) is not None or result.notices:  # a source without a key was not fetched
            store.record_fetch(result, when)
        recorded.append(Refreshed(result, saved))
    try:
        closed_long_ago = when.astimezone(KST).date() - datetime.timedelta(days=keep_closed_days)
        pruned = store.prune(closed_long_ago)
        if pruned:
            logger.info("forgot %d calls that closed before %s", pruned, closed_long_ago)
    except Exception:  # the fetched calls are saved; old ones are forgotten next time
        logger.exception("forgetting old calls failed")
    return recorded


def _merge(row: dict[str, Any] | None, notice: Notice, when: datetime.datetime) -> dict[str, Any]:
    """The row after `notice` is listed: itself when new, else the richer record of the two."""
    fresh = _row(notice)
    if row is None:
        return {
            **fresh,
            "listings": json.dumps({notice.source: notice.source_id}),
            "fetched_at": when,
            "first_seen": when,
        }
    listings = json.loads(row["listings"])
    listings[notice.source] = notice.source_id
    same_record = row["source"] == notice.source and row["source_id"] == notice.source_id
    keep = fresh if same_record or _information(fresh) > _information(row) else row
    listings[keep["source"]] = keep["source_id"]  # one source listing a call twice: the id of the record kept
    merged = {**row, **{name: keep[name] for name in fresh}}
    merged["listings"] = json.dumps(dict(sorted(listings.items())))
    return merged


def _information(row: Mapping[str, Any]) -> tuple[int, int]:
    """How much a record says: fields filled in, then characters of text."""
    filled = 0
    length = 0
    for name in INFORMATIVE:
        value = row[name]
        if name in LIST_FIELDS:
            value = json.loads(value)
        if value:
            filled += 1
            length += len(value) if isinstance(value, str) else len(str(value))
    return filled, length


def _row(notice: Notice) -> dict[str, Any]:
    return {
        "key": notice.key,
        "source": notice.source,
        "source_id": notice.source_id,
        "title": notice.title,
        "agency": notice.agency,
        "organiser": notice.organiser,
        "regions": json.dumps(notice.regions, ensure_ascii=False),
        "target": notice.target,
        "excluded": notice.excluded,
        "business_age": notice.business_age,
        "hashtags": json.dumps(notice.hashtags, ensure_ascii=False),
        "summary": notice.summary,
        "url": notice.url,
        "window": notice.window.value,
        "opens": notice.opens,
        "closes": notice.closes,
        "posted": notice.posted,
    }


def _notice(row: Mapping[str, Any]) -> Notice:
    return Notice(
        source=row["source"],
        source_id=row["source_id"],
        title=row["title"],
        agency=row["agency"],
        organiser=row["organiser"],
        regions=json.loads(row["regions"]),
        target=row["target"],
        excluded=row["excluded"],
        business_age=row["business_age"],
        hashtags=json.loads(row["hashtags"]),
        summary=row["summary"],
        url=row["url"],
        window=Window(row["window"]),
        opens=row["opens"],
        closes=row["closes"],
        posted=row["posted"],
        fetched_at=_aware(row["fetched_at"]),
    )


def _utc_naive(moment: datetime.datetime) -> datetime.datetime:
    """UTC without tzinfo, as stored (a naive time is taken to be UTC already)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=UTC)
