"""The eligibility answer key (cases.yml): founder situations written from the official
criteria, each with the verdict per program and the three programs a good adviser puts first.

`python -m tests.eligibility.answer_key` prints how far the engine and the call script agree.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, validator

CASES = Path(__file__).with_name("cases.yml")
ROOT = Path(__file__).resolve().parents[2]
VERDICTS = ("eligible", "possible", "not_eligible")
TOP_AGREEMENT_TARGET = 0.9


class Case(BaseModel):
    id: str
    today: datetime.date = datetime.date(2026, 12, 3)
    situation: str
    profile: dict[str, Any]
    expect: dict[str, str]
    top3: list[str] = Field(default_factory=list, max_items=3)
    source: str

    class Config:
        extra = "forbid"

    @validator("expect")
    def _known_verdicts(cls, value: dict[str, str]) -> dict[str, str]:
        wrong = {program: verdict for program, verdict in value.items() if verdict not in VERDICTS}
        if not value:
            raise ValueError("a case expects at least one verdict")
        if wrong:
            raise ValueError(f"unknown verdicts {wrong}")
        return value

    def slots(self) -> dict[str, Any]:
        """The profile as Rasa slot values (dates as ISO text)."""
        return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in self.profile.items()}


@functools.lru_cache(maxsize=1)
def cases() -> list[Case]:
    raw = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return [Case.parse_obj(item) for item in raw]


@dataclass
class Outcome:
    """What one surface (engine, script, chat) said for one case."""

    case: Case
    verdicts: dict[str, str]
    ranked: list[str]

    def disagreements(self) -> list[str]:
        return [
            f"{self.case.id}: {program} expected {expected}, got {self.verdicts.get(program, 'missing')}"
            for program, expected in self.case.expect.items()
            if self.verdicts.get(program) != expected
        ]

    @property
    def top_agrees(self) -> bool:
        return set(self.ranked[: len(self.case.top3)]) == set(self.case.top3)


def engine_outcomes(selected: Iterable[Case] | None = None) -> list[Outcome]:
    """The engine on each case's structured profile."""
    from bot.guidance.eligibility import recommend
    from bot.guidance.profile import FounderProfile
    from bot.knowledge.loader import knowledge

    outcomes = []
    for case in selected or cases():
        results = recommend(knowledge(), FounderProfile.from_slots(case.slots()), case.today)
        verdicts = {r.program.id: r.verdict.value for r in results}
        ranked = [r.program.id for r in results if r.verdict.value != "not_eligible"]
        outcomes.append(Outcome(case, verdicts, ranked))
    return outcomes


def script_outcomes(selected: Sequence[Case] | None = None) -> list[Outcome]:
    """`./dasi script --json` on each case's situation, as an agent types it (one process per date)."""
    chosen = list(selected or cases())
    outcomes: dict[str, Outcome] = {}
    for day in sorted({case.today for case in chosen}):
        batch = [case for case in chosen if case.today == day]
        completed = subprocess.run(
            [sys.executable, "-m", "bot.guidance.cli", "--json", "--today", day.isoformat()],
            input="".join(case.situation.replace("\n", " ") + "\n" for case in batch),
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            timeout=600,
        )
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        assert len(lines) == len(batch), completed.stderr[-2000:]
        for case, line in zip(batch, lines, strict=True):
            script = json.loads(line)
            outcomes[case.id] = Outcome(case, script["verdicts"], script["ranked"])
    return [outcomes[case.id] for case in chosen]


def agreement(outcomes: Sequence[Outcome]) -> tuple[int, int, int, int]:
    """(verdicts agreeing, verdicts, cases whose top three agree, cases with a top three)."""
    checked = sum(len(o.case.expect) for o in outcomes)
    wrong = sum(len(o.disagreements()) for o in outcomes)
    with_top = [o for o in outcomes if o.case.top3]
    return checked - wrong, checked, sum(o.top_agrees for o in with_top), len(with_top)


def report(name: str, outcomes: Sequence[Outcome]) -> str:
    agreeing, checked, top, with_top = agreement(outcomes)
    lines = [f"{name}: verdicts {agreeing}/{checked}, top three {top}/{with_top} ({len(outcomes)} cases)"]
    lines += [f"  {line}" for o in outcomes for line in o.disagreements()]
    lines += [
        f"  {o.case.id}: top three {o.ranked[:3]} vs {o.case.top3}"
        for o in outcomes
        if o.case.top3 and not o.top_agrees
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report("engine", engine_outcomes()))
    if "--script" in sys.argv:
        print(report("script", script_outcomes()))
