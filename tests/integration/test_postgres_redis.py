"""The same build on PostgreSQL (tracker store) and Redis (lock store), both local."""

from __future__ import annotations

import json
import uuid

import psycopg2
import pytest
import redis

from tests.conftest import start_dasi, stop_dasi, texts


def services_available() -> bool:
    try:
        psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres", connect_timeout=3).close()
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=3).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not services_available(), reason="PostgreSQL or Redis is not running locally")


def test_conversation_persists_in_postgresql_with_a_redis_lock_store(tmp_path, postgres_database: str) -> None:
    founder = f"pg-{uuid.uuid4().hex[:8]}"
    env = {
        "DASI_POSTGRES_HOST": "127.0.0.1",
        "DASI_POSTGRES_DB": postgres_database,
        "DASI_POSTGRES_USER": "postgres",
        "DASI_REDIS_HOST": "127.0.0.1",
        "DASI_REDIS_DB": "3",
    }
    process, dasi = start_dasi(tmp_path, 16405, 16455, extra_env=env)
    try:
        assert "신용" in texts(
            dasi.send(founder, "대구에서 카페 하다가 2년 전에 폐업했고 연락처는 010-3456-7890이에요")
        )
    finally:
        stop_dasi(process)
    process, dasi = start_dasi(tmp_path, 16405, 16455, extra_env=env)
    try:
        assert dasi.tracker(founder)["slots"]["region"] == "daegu"
        # the form resumes at the next unanswered question (tax arrears), not from the start
        assert "밀린 세금" in texts(dasi.send(founder, '/inform{"credit_state": "normal"}'))
    finally:
        stop_dasi(process)
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=postgres_database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT data FROM events WHERE sender_id = %s", (founder,))
            rows = [json.dumps(json.loads(data), ensure_ascii=False) for (data,) in cursor.fetchall()]
    finally:
        connection.close()
    stored = "\n".join(rows)
    assert "대구에서 카페" in stored and "[전화번호]" in stored
    assert "010-3456-7890" not in stored
    assert not (tmp_path / "tracker.db").exists(), "SQLite must not be used when PostgreSQL is configured"
