"""Two Rasa replicas on one PostgreSQL tracker store and one Redis (lock store, socket.io).

The founder's socket is on replica B; the agent console talks to replica A's HTTP API. The
conversation is one conversation on both replicas (PostgreSQL), and the agent's replies reach
the founder although they are sent through A (socket.io emits go through Redis). Personal data
is masked in PostgreSQL.
"""

from __future__ import annotations

import json

import psycopg2
import pytest
import redis
import requests

from tests.conftest import AGENT, AGENT_PASSWORD, TOKEN, launch_dasi, stop_dasi, wait_for_dasi
from tests.integration.test_handoff import CONSOLE_HEADERS, Founder


def services_available() -> bool:
    try:
        psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres", connect_timeout=3).close()
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=3).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not services_available(), reason="PostgreSQL or Redis is not running locally")


def stored_events(database: str, sender: str) -> str:
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT data FROM events WHERE sender_id = %s", (sender,))
            rows = [json.dumps(json.loads(data), ensure_ascii=False) for (data,) in cursor.fetchall()]
    finally:
        connection.close()
    return "\n".join(rows)


def test_two_replicas_share_conversations_and_push_agent_replies(tmp_path, postgres_database: str) -> None:
    shared = {
        "DASI_POSTGRES_HOST": "127.0.0.1",
        "DASI_POSTGRES_DB": postgres_database,
        "DASI_POSTGRES_USER": "postgres",
        "DASI_REDIS_HOST": "127.0.0.1",
        "DASI_REDIS_DB": "4",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    # A runs the action server and the console; B only Rasa. Both load their models at once.
    replica_a, dasi_a = launch_dasi(tmp_path / "a", 16505, 16555, extra_env=shared)
    replica_b, dasi_b = launch_dasi(
        tmp_path / "b",
        16605,
        16655,
        extra_args=("--no-actions",),
        extra_env={**shared, "DASI_ACTION_URL": f"{dasi_a.action_url}/webhook"},
    )
    founder = None
    try:
        wait_for_dasi(replica_a, dasi_a)
        wait_for_dasi(replica_b, dasi_b, ("--no-actions",))
        agent = requests.Session()  # on duty before the founder asks for a person
        login = {"username": AGENT, "password": AGENT_PASSWORD}
        assert agent.post(f"{dasi_a.console_url}/console/login", json=login, timeout=10).ok
        founder = Founder(dasi_b)
        notice = founder.ask(
            "대구에서 카페 하다가 2년 전에 폐업했고 연락처는 010-3456-7890이에요", lambda t: "개인정보" in t
        )
        assert "전화번호" in notice
        founder.ask("상담원이랑 직접 얘기하고 싶어요", lambda t: "1357" in t)
        founder.ask("/live_chat", lambda t: "연결을 요청했어요" in t)

        # the same conversation seen through replica A (one PostgreSQL tracker store)
        tracker = dasi_a.tracker(founder.session)
        assert tracker["slots"]["region"] == "daegu" and tracker["paused"] is True

        url = f"{dasi_a.console_url}/console/api/handoffs/{founder.session}"
        before = len(founder.replies)
        assert agent.post(f"{url}/claim", json={}, headers=CONSOLE_HEADERS, timeout=20).ok
        founder.wait_for(lambda t: "연결되었어요" in t, before)
        before = len(founder.replies)
        reply = {"text": "다른 서버에서 보낸 답장이에요"}
        assert agent.post(f"{url}/reply", json=reply, headers=CONSOLE_HEADERS, timeout=20).ok
        founder.wait_for(lambda t: "다른 서버에서 보낸 답장" in t, before)

        before = len(founder.replies)
        assert agent.post(f"{url}/handback", json={}, headers=CONSOLE_HEADERS, timeout=20).ok
        founder.wait_for(lambda t: "마쳤어요" in t, before)
        tracker = requests.get(
            f"{dasi_b.url}/conversations/{founder.session}/tracker", params={"token": TOKEN}, timeout=10
        ).json()
        assert tracker["paused"] is False
    finally:
        if founder is not None:
            founder.client.disconnect()
        stop_dasi(replica_b)
        stop_dasi(replica_a)

    stored = stored_events(postgres_database, founder.session)
    assert "대구에서 카페" in stored and "[전화번호]" in stored and "다른 서버에서 보낸 답장" in stored
    assert "010-3456-7890" not in stored
    for directory in ("a", "b"):
        assert not (tmp_path / directory / "tracker.db").exists(), "SQLite must not be used with PostgreSQL"
