"""`./dasi script "상황"`: prints a hotline call script for a caller's situation.

With no situation it reads one per line from standard input (a batch, one process); `--json`
prints each script as one JSON line with every program's verdict and the ranking.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from bot.guidance.script import call_script
from bot.knowledge.loader import knowledge
from bot.language.dates import today
from bot.language.gazetteer import gazetteer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("situation", nargs="*", help='e.g. "대구, 법인 대표, 2년 전 폐업, 국세 체납 2천만 원"')
    parser.add_argument("--json", action="store_true", help="one JSON object per script, with verdicts")
    parser.add_argument("--today", type=datetime.date.fromisoformat, help="the date to judge deadlines by")
    args = parser.parse_args(argv)
    situations = [" ".join(args.situation)] if args.situation else [line for line in sys.stdin if line.strip()]
    day = args.today or today()
    for situation in situations:
        script = call_script(situation.strip(), knowledge(), gazetteer(), day)
        print(json.dumps(script.as_dict(), ensure_ascii=False) if args.json else script.text(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
