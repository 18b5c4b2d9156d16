"""A live handoff across two Rasa replicas sharing PostgreSQL and Redis.

The founder's socket is on replica B; the console talks to replica A's HTTP API. The agent's
replies still reach the founder because socket.io emits go through Redis.
"""

from __future__ import annotations

import pytest
import requests

from tests.conftest import AGENT, AGENT_PASSWORD, TOKEN, start_dasi, stop_dasi
from tests.integration.test_handoff import CONSOLE_HEADERS, Founder
from tests.integration.test_postgres_redis import services_available

pytestmark = pytest.mark.skipif(not services_available(), reason="PostgreSQL or Redis is not running locally")


def test_an_agent_reply_reaches_a_founder_on_another_replica(tmp_path, postgres_database: str) -> None:
    shared = {
        "DASI_POSTGRES_HOST": "127.0.0.1",
        "DASI_POSTGRES_DB": postgres_database,
        "DASI_POSTGRES_USER": "postgres",
        "DASI_REDIS_HOST": "127.0.0.1",
        "DASI_REDIS_DB": "4",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    replica_a, dasi_a = start_dasi(tmp_path / "a", 16505, 16555, extra_env=shared)
    replica_b = None
    founder = None
    try:
        replica_b, dasi_b = start_dasi(
            tmp_path / "b",
            16605,
            16655,
            extra_args=("--no-actions",),
            extra_env={**shared, "DASI_ACTION_URL": f"{dasi_a.action_url}/webhook"},
        )
        founder = Founder(dasi_b)
        founder.ask("상담원이랑 직접 얘기하고 싶어요", lambda t: "1357" in t)
        founder.ask("/live_chat", lambda t: "연결을 요청했어요" in t)

        agent = requests.Session()
        login = {"username": AGENT, "password": AGENT_PASSWORD}
        assert agent.post(f"{dasi_a.console_url}/console/login", json=login, timeout=10).ok
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
        if replica_b is not None:
            stop_dasi(replica_b)
        stop_dasi(replica_a)
