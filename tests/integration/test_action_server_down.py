"""A dead action server gets the founder a polite answer with the hotline; then it recovers."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import requests

from bot.serve import action_server_command
from tests.conftest import ROOT, start_dasi, stop_dasi, texts

ACTION_PORT = 17055


def start_action_server(log: Path) -> subprocess.Popen:
    handle = log.open("a")
    process = subprocess.Popen(
        action_server_command(str(ACTION_PORT)),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DASI_TODAY": "2026-11-28"},
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{ACTION_PORT}/health", timeout=2).ok:
                return process
        except requests.RequestException:
            time.sleep(0.5)
    raise AssertionError("the action server did not start")


def kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_dead_action_server_gets_a_polite_answer_and_the_conversation_recovers(tmp_path) -> None:
    founder = f"actions-{uuid.uuid4().hex[:8]}"
    actions = start_action_server(tmp_path / "actions.log")
    process, dasi = start_dasi(
        tmp_path,
        16105,
        16155,
        extra_args=("--no-actions",),
        extra_env={"DASI_ACTION_URL": f"http://127.0.0.1:{ACTION_PORT}/webhook"},
    )
    try:
        assert "조세특례제한법" in texts(dasi.send(founder, "국세 체납 있는데 재창업 가능해요?"))
        kill(actions)
        down = texts(dasi.send(founder, "파산하면 다시 사업자 등록 못 하나요?"))
        assert "1357" in down and "죄송" in down, down
        # the crisis line is a static response: it needs no action server
        crisis = texts(dasi.send(founder, "다 망해서 죽고 싶어요"))
        assert "☎ 109" in crisis and "죄송" not in crisis, crisis
        actions = start_action_server(tmp_path / "actions.log")
        back = texts(dasi.send(founder, "파산하면 다시 사업자 등록 못 하나요?"))
        assert "면책" in back, back
    finally:
        stop_dasi(process)
        if actions.poll() is None:
            kill(actions)
