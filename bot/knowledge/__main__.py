"""`./dasi facts [--json] [--today YYYY-MM-DD]`: how current Dasi's facts are, for operators."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys

from bot.knowledge.freshness import freshness, table
from bot.knowledge.loader import knowledge


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dasi facts", description=__doc__)
    parser.add_argument("--json", action="store_true", help="the report as JSON, for tools")
    parser.add_argument("--today", type=datetime.date.fromisoformat, help="judge deadlines on this day")
    args = parser.parse_args(argv)
    today = args.today or datetime.date.fromisoformat(os.environ.get("DASI_TODAY") or str(datetime.date.today()))
    report = freshness(knowledge(), today)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
