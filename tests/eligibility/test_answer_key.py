"""The eligibility answer key, judged by the engine and by the agents' call script.

The cases (cases.yml) were written from the official criteria in docs/research, not from
the engine. The engine must agree on every verdict; the three programs it puts first must
match the key's in at least 90% of cases. The call script reads each case as an agent types
it, so it also checks that the notes are understood (negations, dates, amounts).
"""

from __future__ import annotations

import pytest

from tests.eligibility.answer_key import TOP_AGREEMENT_TARGET, Outcome, agreement, cases, engine_outcomes, report
from tests.eligibility.answer_key import script_outcomes as run_script


@pytest.fixture(scope="module")
def engine() -> list[Outcome]:
    return engine_outcomes()


@pytest.fixture(scope="module")
def script() -> list[Outcome]:
    return run_script()


def test_the_key_is_large_enough_and_sourced() -> None:
    assert len(cases()) >= 60
    assert all(case.source.strip() and len(case.expect) >= 3 for case in cases())
    assert len({case.id for case in cases()}) == len(cases())


def test_the_engine_agrees_on_every_verdict(engine: list[Outcome]) -> None:
    agreeing, checked, _, _ = agreement(engine)
    assert agreeing == checked, report("engine", engine)


def test_the_engines_top_three_agree_in_nine_cases_of_ten(engine: list[Outcome]) -> None:
    _, _, top, with_top = agreement(engine)
    assert with_top >= 60 and top / with_top >= TOP_AGREEMENT_TARGET, report("engine", engine)


def test_the_call_script_reads_the_agents_notes_to_the_same_verdicts(script: list[Outcome]) -> None:
    agreeing, checked, _, _ = agreement(script)
    assert agreeing == checked, report("script", script)
