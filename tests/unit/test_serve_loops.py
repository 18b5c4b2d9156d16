"""bot.serve's background rounds (notice refresh, due reminders): a failing round never stops them."""

from __future__ import annotations

import threading

from bot.serve import every


def test_a_failing_round_is_reported_and_the_next_round_runs(capsys) -> None:
    stopped = threading.Event()
    rounds: list[int] = []

    def job() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise ConnectionError("database went away")
        if len(rounds) == 3:
            stopped.set()

    every(0.01, stopped, job, "notices not refreshed")
    assert rounds == [0, 1, 2]
    assert "[dasi] notices not refreshed: ConnectionError: database went away" in capsys.readouterr().err


def test_a_stop_during_the_start_delay_runs_nothing() -> None:
    stopped = threading.Event()
    stopped.set()
    ran: list[bool] = []
    every(0.01, stopped, lambda: ran.append(True), "reminders not sent", start_delay=5.0)
    assert ran == []
