"""`./dasi insights --since 2026-11-01 [--until …] --out report.html`: the insights page as a
static report for a meeting (the same charts and tables the console shows, no CSV links)."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.insights.aggregate import open_engine, update
from bot.insights.page import charts_for, render_html
from bot.insights.report import build_report
from bot.knowledge.loader import knowledge
from bot.language.dates import KST


def day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from error


def main(argv: Sequence[str] | None = None) -> int:
    today = datetime.datetime.now(KST).date()
    parser = argparse.ArgumentParser(prog="./dasi insights", description=__doc__)
    parser.add_argument("--since", type=day, default=today - datetime.timedelta(days=29))
    parser.add_argument("--until", type=day, default=today)
    parser.add_argument("--out", type=Path, default=Path("insights-report.html"))
    args = parser.parse_args(argv)
    if args.until < args.since:
        parser.error("--until is before --since")
    engine = open_engine(os.environ)
    try:
        updated = update(engine)
        report = build_report(engine, args.since, args.until, knowledge())
    finally:
        engine.dispose()
    args.out.write_text(render_html(report, charts_for(report), standalone=True, csv_links=False), encoding="utf-8")
    print(
        f"{args.out}: {report.conversations:,} conversations, {report.messages:,} messages, "
        f"{args.since} – {args.until} (aggregates updated with {updated.events_read:,} new events)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
