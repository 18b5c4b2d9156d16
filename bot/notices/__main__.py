"""`./dasi notices refresh | list | status`: the public notices Dasi stores, for operators.

- `refresh`: fetches 기업마당 and K-Startup (keys DASI_BIZINFO_KEY, DASI_KSTARTUP_KEY) into the
  tracker store's database and says, per source, what came and what failed.
- `list [--today YYYY-MM-DD] [--region 부산]`: the open calls, the nearest deadline first.
- `status`: which keys are set, each source's last fetch, how many calls are stored.

A source that is off or failed is reported, not an error: the exit code is 0 (2 for bad arguments).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Mapping, Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.language.dates import KST
from bot.notices.models import KEY_VARIABLES, SOURCES, Notice, Window
from bot.notices.store import NoticeStore, Refreshed, database_url, refresh

NAMES = {"bizinfo": "기업마당", "kstartup": "K-Startup"}


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(prog="./dasi notices", description="the public notices Dasi stores")
    commands = parser.add_subparsers(dest="command", metavar="refresh|list|status")
    commands.add_parser("refresh", help="fetch both sources and store what they list")
    listing = commands.add_parser("list", help="the open calls, the nearest deadline first")
    listing.add_argument("--today", type=datetime.date.fromisoformat, help="open on this day (YYYY-MM-DD)")
    listing.add_argument("--region", help="only this region's calls and nationwide ones (e.g. 부산)")
    status = commands.add_parser("status", help="keys, last fetch per source, stored calls")
    status.add_argument("--today", type=datetime.date.fromisoformat, help="count the calls open on this day")
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_usage(sys.stderr)
        return 2
    today = getattr(args, "today", None) or _today(environ)
    try:
        store = NoticeStore.from_environ(environ)
    except SQLAlchemyError as error:
        print(f"notice store unavailable ({_safe_url(environ)}): {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    try:
        if args.command == "refresh":
            print(refresh_report(refresh(store, environ), _sources_on(environ)))
        elif args.command == "list":
            print(list_report(store.open_on(today), today, args.region))
        else:
            print(status_report(store, environ, today))
    except SQLAlchemyError as error:
        print(f"notice store failed: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def refresh_report(results: Sequence[Refreshed], sources_on: Mapping[str, bool]) -> str:
    by_source = {result.source: result for result in results}
    lines = []
    for source in _sources(sources_on, by_source):
        name = f"{NAMES.get(source, source)}({source})"
        result = by_source.get(source)
        if not sources_on.get(source, False):
            lines.append(f"{name}: 꺼짐 (키 없음: {_key_variable(source)})")
            continue
        if result is None:
            lines.append(f"{name}: 켜짐 · 결과 없음")
            continue
        if result.error and not result.notices:
            lines.append(f"{name}: 켜짐 · 실패: {result.error}")
            continue
        saved = result.saved
        line = (
            f"{name}: 켜짐 · 공고 {len(result.notices)}건 (신규 {saved.new}, 갱신 {saved.updated}, "
            f"그대로 {saved.unchanged}) · 거부 {len(result.rejected)}건 · {result.pages}쪽"
        )
        lines.append(line + (f" · 오류: {result.error}" if result.error else ""))
    return "\n".join(lines)


def list_report(notices: Sequence[Notice], today: datetime.date, region: str | None = None) -> str:
    shown = [notice for notice in notices if region is None or _in_region(notice, region)]
    where = f", 지역 {region}" if region else ""
    lines = [f"열린 공고 {len(shown)}건 ({today.isoformat()} 기준{where})"]
    for notice in sorted(shown, key=lambda notice: _deadline_first(notice, today)):
        regions = ", ".join(notice.regions) or "지역 미기재"
        agency = notice.agency or notice.organiser or "기관 미기재"
        lines.append(f"{_d_day(notice, today):>6}  {notice.title} · {agency} · {regions}")
        lines.append(f"{'':>6}  {notice.url} (수집 {_kst(notice.fetched_at)}, {notice.source})")
    return "\n".join(lines)


def status_report(store: NoticeStore, environ: Mapping[str, str], today: datetime.date) -> str:
    sources_on = _sources_on(environ)
    last = store.last_fetch()
    attempts = store.last_attempts()
    lines = [f"DB: {_safe_url(environ)}"]
    for source in _sources(sources_on, {**last, **attempts}):
        key = "켜짐" if sources_on.get(source) else f"꺼짐 ({_key_variable(source)} 없음)"
        when = last.get(source)
        line = f"{NAMES.get(source, source)}({source}): 키 {key} · 마지막 수집 {_kst(when) if when else '없음'}"
        attempt = attempts.get(source)
        if attempt is not None and attempt.error:
            line += f" · 최근 시도 {_kst(attempt.fetched_at)} 실패: {attempt.error}"
        elif attempt is not None:
            line += f" · 공고 {attempt.notices}건, 거부 {attempt.rejected}건"
        lines.append(line)
    counts = store.counts(today)
    listed = ", ".join(f"{NAMES.get(source, source)} {count}" for source, count in counts.listed_by.items())
    lines.append(
        f"저장된 공고 {counts.total}건 ({listed}; 둘 다 {counts.listed_by_both}) · "
        f"{today.isoformat()}에 열린 공고 {counts.open}건"
    )
    return "\n".join(lines)


def _sources_on(environ: Mapping[str, str]) -> dict[str, bool]:
    from bot.notices.sources import sources_status  # with requests: only when a command needs it

    return dict(sources_status(environ))


def _sources(sources_on: Mapping[str, bool], *others: Mapping[str, object]) -> list[str]:
    names = list(SOURCES) + list(sources_on)
    for other in others:
        names += list(other)
    return list(dict.fromkeys(names))


def _key_variable(source: str) -> str:
    return KEY_VARIABLES.get(source, "key")


def _in_region(notice: Notice, region: str) -> bool:
    """The region's calls and the nationwide ones (the same reading as `bot.notices.match`)."""
    from bot.notices.match import NATIONWIDE

    regions = " ".join(notice.regions)
    if not regions.strip() or NATIONWIDE.search(regions):
        return True
    word = region.strip()
    return word in regions or any(name and name in word for name in notice.regions) or word in notice.title


def _deadline_first(notice: Notice, today: datetime.date) -> tuple[int, int, str]:
    left = notice.days_left(today)
    return (1 if left is None else 0, left if left is not None else 0, notice.title)


def _d_day(notice: Notice, today: datetime.date) -> str:
    if notice.window is Window.always:
        return "상시"
    left = notice.days_left(today)
    if left is None:
        return "마감미정"
    return "D-day" if left == 0 else f"D-{left}"


def _kst(moment: datetime.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
    return aware.astimezone(KST).strftime("%Y-%m-%d %H:%M KST")


def _safe_url(environ: Mapping[str, str]) -> str:
    return make_url(database_url(environ)).render_as_string(hide_password=True)


def _today(environ: Mapping[str, str]) -> datetime.date:
    pinned = environ.get("DASI_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.datetime.now(KST).date()


if __name__ == "__main__":
    sys.exit(main())
