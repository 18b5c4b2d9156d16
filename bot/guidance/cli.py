"""`./dasi script "상황"`: prints a hotline call script for a caller's situation."""

from __future__ import annotations

import argparse
import sys

from bot.guidance.script import call_script
from bot.knowledge.loader import knowledge
from bot.language.dates import today
from bot.language.gazetteer import gazetteer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("situation", nargs="+", help='e.g. "대구, 법인 대표, 2년 전 폐업, 국세 체납 2천만 원"')
    args = parser.parse_args(argv)
    script = call_script(" ".join(args.situation), knowledge(), gazetteer(), today())
    print(script.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
