"""The operators' freshness report (`./dasi facts`): dates are read against `today`."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

from bot.knowledge.freshness import freshness, table
from bot.knowledge.loader import knowledge

ROOT = Path(__file__).resolve().parents[2]


def test_the_99_6_deadline_is_listed_within_sixty_days_of_it() -> None:
    report = freshness(knowledge(), datetime.date(2026, 12, 3))
    upcoming = {(d.owner, d.day, d.days_left) for d in report.upcoming}
    assert ("program tax_seizure_deferral", datetime.date(2026, 12, 31), 28) in upcoming
    assert report.expired == []


def test_a_deadline_passed_is_reported_as_still_in_use() -> None:
    report = freshness(knowledge(), datetime.date(2027, 1, 1))
    assert any(d.owner == "program tax_seizure_deferral" and d.days_left == -1 for d in report.expired)
    assert not any(d.owner == "program tax_seizure_deferral" for d in report.upcoming)


def test_a_yearly_call_that_closed_is_not_an_expired_fact() -> None:
    # the 2026 call of 재도전성공패키지 closed on 2026-03-04: the program waits for its next call
    report = freshness(knowledge(), datetime.date(2026, 12, 3))
    assert not any("rechallenge_success_package" in d.owner for d in report.expired)


def test_old_and_undated_sources_and_unverified_contacts_are_listed() -> None:
    report = freshness(knowledge(), datetime.date(2026, 12, 3))
    old = {(r.kind, r.id) for r in report.old_records}
    assert ("program", "ccrs_restart_support") in old  # 2016
    assert ("program", "koreg_rechallenge_guarantee") in old  # undated
    assert ("program", "rechallenge_success_package") not in old  # 2026-02-11
    numbers = {c.number for c in report.unverified_contacts}
    assert {"1588-5302", "1811-3655"} <= numbers and "1357" not in numbers


def test_every_sourced_program_and_barrier_was_checked() -> None:
    report = freshness(knowledge(), datetime.date(2026, 12, 3))
    unchecked = [(r.kind, r.id) for r in report.unchecked if r.kind in ("program", "barrier", "remedy", "hotline")]
    assert unchecked == []


def test_the_table_and_the_json_say_the_same() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bot.knowledge", "--json", "--today", "2026-12-03"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    data = json.loads(completed.stdout)
    report = freshness(knowledge(), datetime.date(2026, 12, 3))
    assert data["summary"]["deadlines_within_60_days"] == len(report.upcoming)
    assert data["summary"]["older_than_two_years"] == len(report.old_records)
    text = table(report)
    assert "Deadlines within 60 days (4)" in text and "2026-12-31" in text
    assert "program saechulbal_fund" in text  # 새출발기금 ends with 2026
