"""Starts Dasi exactly as `./dasi run` does (bot.serve) on spare ports, once per session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "dasi.tar.gz"
TOKEN = "integration-test-token"
TODAY = "2026-11-28"
KAKAO_SECRET = "kakao-test-secret"
AGENT = "김민지"
AGENT_PASSWORD = "console-test-password"
# A founder's whole story, told at once; the finder then asks at most a question or two before its
# result card (the tests of each channel's card answer them with "모르겠어요").
FINDER_STORY = (
    "부산에서 식당 하다가 작년에 폐업했어요. 개인사업자였고 연체 없고 국세 체납이 있어요. "
    "4대보험은 안 밀렸어요. 다시 창업하고 싶어요"
)


class Dasi:
    def __init__(self, port: int, action_port: int, log: Path, database: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.action_url = f"http://127.0.0.1:{action_port}"
        self.log = log
        self.database = database
        self.console_url = f"http://127.0.0.1:{port + 1}"

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        response = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=10)
        response.raise_for_status()
        return response.json()


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def buttons(replies: list[dict[str, Any]]) -> list[str]:
    return [button["title"] for reply in replies for button in reply.get("buttons", [])]


def start_dasi(
    directory: Path,
    port: int,
    action_port: int,
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen, Dasi]:
    """Starts bot.serve (what ./dasi run starts) and waits until everything answers."""
    process, server = launch_dasi(directory, port, action_port, extra_args, extra_env)
    wait_for_dasi(process, server, extra_args)
    return process, server


def launch_dasi(
    directory: Path,
    port: int,
    action_port: int,
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen, Dasi]:
    """Starts bot.serve without waiting (several servers can load their models at once)."""
    if not MODEL.exists():
        pytest.fail("no trained model: run ./dasi train (./dasi test does it first)")
    env = dict(os.environ)
    env.update(
        DASI_PORT=str(port),
        DASI_ACTION_PORT=str(action_port),
        DASI_API_TOKEN=TOKEN,
        DASI_TRACKER_DB=str(directory / "tracker.db"),
        DASI_TODAY=TODAY,
        DASI_KAKAO_SECRET=KAKAO_SECRET,
        DASI_KAKAO_BOT_IDS="dasi-kakao-bot",
        DASI_CONSOLE_USERS=f"{AGENT}:{AGENT_PASSWORD}",
        # an unanswered live-chat request goes back to Dasi after this long (5 minutes in production)
        DASI_HANDOFF_WAIT_SECONDS="25",
        # stored notices are read again on every turn, so a test's notices are seen at once
        DASI_NOTICES_REREAD_SECONDS="0",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra_env or {})
    log = directory / "server.log"
    with log.open("a") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.serve", "--model", str(MODEL), *extra_args],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, Dasi(port, action_port, log, directory / "tracker.db")


def wait_for_dasi(process: subprocess.Popen, server: Dasi, extra_args: tuple[str, ...] = ()) -> None:
    """Waits until Rasa, the action server and the console answer (bot.serve starts them in parallel)."""
    with_actions = "--no-actions" not in extra_args
    with_console = with_actions and "--no-console" not in extra_args
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Dasi exited during start-up:\n{server.log.read_text()[-3000:]}")
        try:
            if (
                requests.get(f"{server.url}/status", params={"token": TOKEN}, timeout=2).ok
                and (not with_actions or requests.get(f"{server.action_url}/health", timeout=2).ok)
                and (not with_console or requests.get(f"{server.console_url}/console/", timeout=2).ok)
            ):
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_dasi(process)
    pytest.fail(f"Dasi did not start in 240 s:\n{server.log.read_text()[-3000:]}")


def stop_dasi(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def worker_offset(worker_id: str) -> int:
    """pytest-xdist runs the test files in two workers (./dasi test): each needs its own ports."""
    return 0 if worker_id == "master" else 10 * int(worker_id.removeprefix("gw"))


def serve_on_day(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, port: int, today: str
) -> Iterator[Dasi]:
    """A server of a test module's own whose "today" is `today` (DASI_TODAY), on this worker's ports."""
    offset = worker_offset(worker_id)
    process, server = start_dasi(
        tmp_path_factory.mktemp(name), port + offset, port + 50 + offset, extra_env={"DASI_TODAY": today}
    )
    yield server
    stop_dasi(process)


@pytest.fixture(scope="session")
def dasi(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Dasi]:
    offset = worker_offset(worker_id)
    process, server = start_dasi(tmp_path_factory.mktemp("dasi"), 15005 + offset, 15055 + offset)
    yield server
    stop_dasi(process)


@pytest.fixture
def founder() -> str:
    return f"founder-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def talk(dasi: Dasi, founder: str) -> Callable[[str], list[dict[str, Any]]]:
    return lambda message: dasi.send(founder, message)


def postgres_user() -> str:
    """The user that reaches the local PostgreSQL server (database `test`); skips the test without one."""
    import sqlalchemy as sa

    for user in ("postgres", "root"):
        engine = sa.create_engine(f"postgresql://{user}@127.0.0.1:5432/test")
        try:
            with engine.connect():
                return user
        except sa.exc.OperationalError:
            continue
        finally:
            engine.dispose()
    pytest.skip("no PostgreSQL server at 127.0.0.1:5432 (user postgres or root, database test)")


@pytest.fixture
def scratch_database() -> Iterator[tuple[str, str]]:
    """A fresh database name on the local PostgreSQL server and the user that reaches it.

    The test (or the Dasi it starts) creates the database; it is dropped afterwards.
    """
    import sqlalchemy as sa

    user = postgres_user()
    name = f"dasi_test_{uuid.uuid4().hex[:10]}"
    yield user, name
    admin = sa.create_engine(f"postgresql://{user}@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def postgres_database(scratch_database: tuple[str, str]) -> str:
    """A fresh PostgreSQL database name (Dasi creates it); dropped after the test."""
    return scratch_database[1]
