"""Hostile input through REST, socket.io and the Kakao webhook: polite answers, no crash."""

from __future__ import annotations

import random
import time
import uuid
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import KAKAO_SECRET, Dasi
from tests.integration.test_kakao import skill_request

SEED = 20261128
ERROR_MARKERS = ("Traceback", "Exception", "Internal Server Error", "None", "{", "}")


def hostile_inputs(count: int) -> list[str]:
    """Deterministic mix: empty, huge, control characters, emoji, RTL, SQL, HTML, other scripts."""
    generator = random.Random(SEED)
    fixed = [
        "",
        " ",
        "\n\n\t",
        "가" * 100_000,
        "재창업 " * 20_000,
        "\x00\x01\x02\x1b[31m빨강\x1b[0m",
        "\u202e\u202d역방향 텍스트\u200f\u200e",
        "مرحبا، أريد إعادة بدء عملي",
        "שלום, אני רוצה עזרה",
        "'; DROP TABLE events; --",
        "1' OR '1'='1",
        '<script>alert("x")</script>',
        '<img src=x onerror="alert(1)">',
        "{{7*7}} ${7*7} %s %n",
        "😀" * 500,
        "👨‍👩‍👧‍👦🏳️‍🌈🇰🇷",
        '/inform{"region": "busan"',
        "/nonexistent_intent",
        '/inform{"region": "<script>"}',
        "\ud7a3" * 10,
        "Привет, мне нужна помощь",
        "你好，我想重新创业",
        "こんにちは",
        "null",
        "undefined",
        "NaN",
    ]
    alphabet = "가나다라마바사아자차카타파하0123456789!@#$%^&*()_+-=[]{};:'\",.<>/?\\|`~ \t😀🇰🇷ㅋㅠ\u200b"
    while len(fixed) < count:
        length = generator.choice([1, 3, 10, 50, 300])
        fixed.append("".join(generator.choice(alphabet) for _ in range(length)))
    return fixed


def assert_polite(replies: list[dict[str, Any]], sent: str) -> None:
    assert replies, f"no answer to {sent[:40]!r}"
    for reply in replies:
        text = reply.get("text") or ""
        assert text or reply.get("elements"), reply
        if text:
            assert not any(marker in text for marker in ERROR_MARKERS), text
            assert ("요" in text) or ("니다" in text), text


def test_rest_survives_hostile_messages(dasi: Dasi) -> None:
    # 200 messages from four senders: each turn re-reads its whole conversation, and a 200-turn
    # conversation made this test take twice as long without testing anything more
    sender = ""
    for number, message in enumerate(hostile_inputs(200)):
        if number % 50 == 0:
            sender = f"fuzz-{uuid.uuid4().hex[:8]}"
        response = requests.post(
            f"{dasi.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        assert response.status_code == 200, (message[:40], response.status_code)
        assert_polite(response.json(), message)
    after = requests.post(
        f"{dasi.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": "국세 체납이 있는데 재창업할 수 있나요?"},
        timeout=30,
    )
    assert "조세특례제한법" in "\n".join(r.get("text", "") for r in after.json())


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"not json", b"[]", b"123", b'{"message": 5}', b'{"sender": "", "message": "hi"}', b'{"sender": 7}'],
)
def test_rest_rejects_malformed_json_with_a_reason(dasi: Dasi, raw: bytes) -> None:
    response = requests.post(
        f"{dasi.url}/webhooks/rest/webhook", data=raw, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 400
    assert response.json()["error"]


def test_socketio_survives_hostile_messages(dasi: Dasi) -> None:
    replies: list[dict[str, Any]] = []
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: replies.append(data))
    session = uuid.uuid4().hex
    client.connect(dasi.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=20)
    try:
        client.emit("session_request", {"session_id": session})
        for message in hostile_inputs(60)[::2]:
            before = len(replies)
            client.emit("user_uttered", {"message": message, "session_id": session})
            deadline = time.monotonic() + 30
            while len(replies) == before and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(replies) > before, f"no socket.io answer to {message[:40]!r}"
            time.sleep(0.3)  # let the rest of this turn's messages arrive
        for reply in replies:
            text = reply.get("text") or ""
            assert not any(marker in text for marker in ("Traceback", "Exception")), text
        before = len(replies)
        client.emit("user_uttered", {"message": "연대보증은 아직도 서야 하나요?", "session_id": session})
        deadline = time.monotonic() + 30
        while not any("연대보증" in (r.get("text") or "") for r in replies[before:]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any("연대보증" in (r.get("text") or "") for r in replies[before:])
    finally:
        client.disconnect()


def test_kakao_survives_hostile_utterances(dasi: Dasi) -> None:
    user = f"kakao-fuzz-{uuid.uuid4().hex[:8]}"
    for message in hostile_inputs(80)[::2]:
        response = requests.post(
            f"{dasi.url}/webhooks/kakao/webhook",
            json=skill_request(message, user),
            headers={"X-Dasi-Skill-Secret": KAKAO_SECRET},
            timeout=30,
        )
        assert response.status_code == 200, (message[:40], response.text[:200])
        outputs = response.json()["template"]["outputs"]
        assert 1 <= len(outputs) <= 3
