"""Telegram and Facebook Messenger: real webhook payloads in, a fake platform API on loopback out."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from bot.notices.reminders import REMINDER_INTENT
from tests.conftest import AGENT, AGENT_PASSWORD, FINDER_STORY, TOKEN, Dasi, start_dasi, stop_dasi

FAKE_PORT = 18080
TELEGRAM_TOKEN = "123456:TEST-TOKEN"
TELEGRAM_BOT = "dasi_test_bot"
FACEBOOK_SECRET = "facebook-app-secret"
FACEBOOK_VERIFY = "facebook-verify-token"


class FakePlatform(BaseHTTPRequestHandler):
    """Answers like the Telegram Bot API and the Graph API; records what Dasi sent."""

    calls: list[dict[str, Any]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        if "json" in content_type:
            return json.loads(raw or b"{}")
        if "x-www-form-urlencoded" in content_type:
            return {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        if "multipart" in content_type:
            text = raw.decode(errors="replace")
            fields: dict[str, Any] = {}
            for part in text.split("--")[1:]:
                if 'name="' in part:
                    name = part.split('name="', 1)[1].split('"', 1)[0]
                    fields[name] = part.split("\r\n\r\n", 1)[-1].rsplit("\r\n", 1)[0]
            return fields
        return {}

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self._answer()

    def do_GET(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        url = urlparse(self.path)
        body = self._body() if self.command == "POST" else {}
        FakePlatform.calls.append({"path": url.path, "query": parse_qs(url.query), "body": body})
        method = url.path.rsplit("/", 1)[-1]
        if url.path.startswith("/bot"):
            results = {
                "getMe": {"id": 1, "is_bot": True, "first_name": "다시", "username": TELEGRAM_BOT},
                "setWebhook": True,
                "sendMessage": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "ok"},
            }
            payload: dict[str, Any] = {"ok": True, "result": results.get(method, True)}
        else:
            payload = {"recipient_id": "1", "message_id": "mid.1"}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def platform_and_dasi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dasi]:
    server = ThreadingHTTPServer(("127.0.0.1", FAKE_PORT), FakePlatform)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = 16205
    process, dasi = start_dasi(
        tmp_path_factory.mktemp("messengers"),
        port,
        16255,
        extra_env={
            "DASI_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "DASI_TELEGRAM_BOT_NAME": TELEGRAM_BOT,
            "DASI_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/webhooks/telegram/webhook",
            "DASI_TELEGRAM_API_URL": f"http://127.0.0.1:{FAKE_PORT}",
            "DASI_FACEBOOK_VERIFY": FACEBOOK_VERIFY,
            "DASI_FACEBOOK_SECRET": FACEBOOK_SECRET,
            "DASI_FACEBOOK_PAGE_TOKEN": "page-token",
            "DASI_FACEBOOK_GRAPH_URL": f"http://127.0.0.1:{FAKE_PORT}/v7.0",
        },
    )
    yield dasi
    stop_dasi(process)
    server.shutdown()


def calls_to(path_end: str, since: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [call for call in FakePlatform.calls[since:] if call["path"].endswith(path_end)]
        if found:
            return found
        time.sleep(0.2)
    return []


def telegram_update(text: str, chat_id: int) -> dict[str, Any]:
    return {
        "update_id": int(time.time()),
        "message": {
            "message_id": 7,
            "from": {"id": chat_id, "is_bot": False, "first_name": "민수", "language_code": "ko"},
            "chat": {"id": chat_id, "first_name": "민수", "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }


def test_telegram_sets_its_webhook_and_answers_with_buttons(platform_and_dasi: Dasi) -> None:
    assert any(call["path"].endswith("/setWebhook") for call in FakePlatform.calls)
    since = len(FakePlatform.calls)
    response = requests.post(
        f"{platform_and_dasi.url}/webhooks/telegram/webhook", json=telegram_update("안녕하세요", 424242), timeout=30
    )
    assert response.status_code == 200
    sent = calls_to("/sendMessage", since)
    assert sent, FakePlatform.calls[since:]
    body = sent[0]["body"]
    assert str(body["chat_id"]) == "424242" and "다시" in body["text"]
    assert "나에게 맞는 지원 찾기" in json.loads(body["reply_markup"]).__repr__()


def test_telegram_gets_the_finder_result_as_formatted_text_with_buttons(platform_and_dasi: Dasi) -> None:
    chat = 515151
    result: dict[str, Any] | None = None
    for text in (FINDER_STORY, "모르겠어요", "모르겠어요", "모르겠어요"):
        since = len(FakePlatform.calls)
        url = f"{platform_and_dasi.url}/webhooks/telegram/webhook"
        requests.post(url, json=telegram_update(text, chat), timeout=30)
        calls_to("/sendMessage", since)  # the webhook answers after the turn: its messages are sent
        sent = [call["body"] for call in FakePlatform.calls[since:] if call["path"].endswith("/sendMessage")]
        result = next((body for body in sent if "맞는 지원" in str(body.get("text"))), None)
        if result:
            break
    assert result is not None, FakePlatform.calls[-3:]
    assert result["parse_mode"] == "HTML"
    text = str(result["text"])
    assert "<b>■ 맞는 지원</b>" in text and "<b>■ 먼저 풀면 좋은 걸림돌</b>" in text and "<b>■ 문의할 곳</b>" in text
    assert "국세 체납" in text and "1357" in text
    keyboard = json.loads(result["reply_markup"])["inline_keyboard"]
    buttons = [button for row in keyboard for button in row]
    assert any(button.get("callback_data", "").startswith("/ask_program_info") for button in buttons), buttons
    assert any(button.get("url", "").startswith("https://") for button in buttons), buttons


def test_a_deadline_reminder_reaches_a_telegram_founder(platform_and_dasi: Dasi) -> None:
    """bot.serve's reminder round asks Rasa to send through the founder's latest channel: for
    Telegram that channel is made while the server runs (the webhook was set at start)."""
    chat = 616161
    url = f"{platform_and_dasi.url}/webhooks/telegram/webhook"
    requests.post(url, json=telegram_update("안녕하세요", chat), timeout=30)
    since = len(FakePlatform.calls)
    response = requests.post(
        f"{platform_and_dasi.url}/conversations/{chat}/trigger_intent",
        params={"output_channel": "latest", "token": TOKEN},
        json={
            "name": REMINDER_INTENT,
            "entities": {
                "notice_title": "2026년 재도전성공패키지 모집",
                "notice_url": "https://www.k-startup.go.kr/notice/1",
                "notice_closes": "2026-12-10",
            },
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    sent = [call["body"] for call in calls_to("/sendMessage", since)]
    assert any(
        str(body.get("chat_id")) == str(chat) and "재도전성공패키지 모집" in str(body.get("text")) for body in sent
    ), sent


@pytest.mark.parametrize("raw", [b"", b"{", b"not json", b"[]", b'{"update_id": "x"}', b'{"message": {"text": "hi"}}'])
def test_telegram_rejects_what_is_not_an_update_and_goes_on(platform_and_dasi: Dasi, raw: bytes) -> None:
    url = f"{platform_and_dasi.url}/webhooks/telegram/webhook"
    response = requests.post(url, data=raw, headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400 and "Telegram" in response.json()["error"]
    since = len(FakePlatform.calls)
    assert requests.post(url, json=telegram_update("안녕하세요", 717171), timeout=30).status_code == 200
    assert calls_to("/sendMessage", since)


def test_telegram_answers_a_sticker_and_a_shared_location(platform_and_dasi: Dasi) -> None:
    url = f"{platform_and_dasi.url}/webhooks/telegram/webhook"
    sticker = telegram_update("", 818181)
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "CAACAgIAAxkB", "width": 512, "height": 512, "is_animated": False}
    since = len(FakePlatform.calls)
    assert requests.post(url, json=sticker, timeout=30).status_code == 200
    sent = [call["body"] for call in calls_to("/sendMessage", since)]
    assert sent and "글로 적어 주시면" in str(sent[0]["text"]), sent
    # a location shared from 부산 (시청 부근) gets 부산's centers
    shared = telegram_update("", 818181)
    del shared["message"]["text"]
    shared["message"]["location"] = {"latitude": 35.1798, "longitude": 129.0750}
    since = len(FakePlatform.calls)
    assert requests.post(url, json=shared, timeout=30).status_code == 200
    sent = [call["body"] for call in calls_to("/sendMessage", since)]
    assert any("부산" in str(body.get("text")) for body in sent), sent
    # a live location keeps moving (edited messages): it is not answered again each time
    moved = {
        "update_id": shared["update_id"] + 1,
        "edited_message": {**shared["message"], "edit_date": int(time.time())},
    }
    moved["edited_message"]["location"] = {"latitude": 35.18, "longitude": 129.076}
    since = len(FakePlatform.calls)
    assert requests.post(url, json=moved, timeout=30).status_code == 200
    time.sleep(1)
    assert not [call for call in FakePlatform.calls[since:] if call["path"].endswith("/sendMessage")]


def telegram_button(payload: str, chat_id: int) -> dict[str, Any]:
    """The update Telegram sends when an inline keyboard button is pressed."""
    chat = {"id": chat_id, "first_name": "민수", "type": "private"}
    return {
        "update_id": int(time.time() * 1000) % 2_000_000_000,
        "callback_query": {
            "id": uuid.uuid4().hex[:10],
            "from": {"id": chat_id, "is_bot": False, "first_name": "민수"},
            "message": {"message_id": 8, "chat": chat, "date": int(time.time()), "text": "버튼"},
            "chat_instance": "1",
            "data": payload,
        },
    }


def test_a_telegram_founder_chats_with_an_agent_and_is_handed_back(platform_and_dasi: Dasi) -> None:
    console = platform_and_dasi.console_url
    agent = requests.Session()
    assert agent.post(f"{console}/console/login", json={"username": AGENT, "password": AGENT_PASSWORD}, timeout=10).ok
    assert agent.get(f"{console}/console/api/handoffs", timeout=20).ok  # the agent is on duty
    chat = 919191
    url = f"{platform_and_dasi.url}/webhooks/telegram/webhook"

    def say(update: dict[str, Any]) -> list[str]:
        since = len(FakePlatform.calls)
        assert requests.post(url, json=update, timeout=30).status_code == 200
        return [
            str(call["body"].get("text"))
            for call in FakePlatform.calls[since:]
            if call["path"].endswith("/sendMessage")
        ]

    def pushed(action: str, body: dict[str, Any] | None = None) -> list[str]:
        since = len(FakePlatform.calls)
        response = agent.post(
            f"{console}/console/api/handoffs/{chat}/{action}",
            json=body or {},
            headers={"X-Dasi-Console": "1"},
            timeout=20,
        )
        assert response.status_code == 200, response.text
        calls_to("/sendMessage", since)
        return [
            str(call["body"].get("text"))
            for call in FakePlatform.calls[since:]
            if call["path"].endswith("/sendMessage")
        ]

    offer = say(telegram_update("상담원이랑 직접 얘기하고 싶어요", chat))
    assert any("채팅" in text for text in offer), offer
    assert any("연결을 요청했어요" in text for text in say(telegram_button("/live_chat", chat)))
    assert any("곧 들어올 거예요" in text for text in say(telegram_update("빚이 많아서 걱정이에요", chat)))
    assert any(AGENT in text and "연결되었어요" in text for text in pushed("claim"))
    assert any("빚이 얼마쯤인지" in text for text in pushed("reply", {"text": "빚이 얼마쯤인지 여쭤봐도 될까요?"}))
    assert say(telegram_update("3천만 원쯤이요", chat)) == []  # the agent answers, not Dasi (no apology)
    assert any("상담사와의 대화를 마쳤어요" in text for text in pushed("handback"))


def messenger_event(text: str, sender: str, attachment: dict[str, Any] | None = None) -> bytes:
    message: dict[str, Any] = {"mid": f"m_{uuid.uuid4().hex}", "text": text}
    if attachment is not None:
        message = {"mid": message["mid"], "attachments": [attachment]}
    event = {
        "object": "page",
        "entry": [
            {
                "id": "PAGE",
                "time": int(time.time() * 1000),
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": "PAGE"},
                        "timestamp": int(time.time() * 1000),
                        "message": message,
                    }
                ],
            }
        ],
    }
    return json.dumps(event, ensure_ascii=False).encode()


def sign(body: bytes, secret: str = FACEBOOK_SECRET) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def test_messenger_verifies_the_signature_and_sends_quick_replies(platform_and_dasi: Dasi) -> None:
    url = f"{platform_and_dasi.url}/webhooks/facebook/webhook"
    body = messenger_event("안녕하세요", "fb-user-1")
    since = len(FakePlatform.calls)
    headers = {"Content-Type": "application/json", "X-Hub-Signature": sign(body)}
    assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 200
    sent = [c for c in calls_to("/me/messages", since) if "message" in c["body"]]
    assert sent, FakePlatform.calls[since:]
    message = sent[-1]["body"]["message"]
    assert "다시" in message["text"]
    titles = [reply["title"] for reply in message["quick_replies"]]
    assert "나에게 맞는 지원 찾기" in titles and all(len(title) <= 20 for title in titles)
    assert sent[-1]["query"]["access_token"] == ["page-token"]


def test_messenger_answers_a_sticker_by_asking_for_words(platform_and_dasi: Dasi) -> None:
    url = f"{platform_and_dasi.url}/webhooks/facebook/webhook"
    sticker = {
        "type": "image",
        "payload": {"url": "https://scontent.xx.fbcdn.net/sticker.png", "sticker_id": 369239263222822},
    }
    body = messenger_event("", "fb-user-sticker", attachment=sticker)
    since = len(FakePlatform.calls)
    headers = {"Content-Type": "application/json", "X-Hub-Signature": sign(body)}
    assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 200
    sent = [c["body"]["message"] for c in calls_to("/me/messages", since) if "message" in c["body"]]
    assert sent and "글로 적어 주시면" in sent[-1]["text"], FakePlatform.calls[since:]
    assert not any("fbcdn" in str(message) for message in sent)


def test_messenger_rejects_a_forged_signature(platform_and_dasi: Dasi) -> None:
    url = f"{platform_and_dasi.url}/webhooks/facebook/webhook"
    body = messenger_event("안녕하세요", "fb-user-2")
    since = len(FakePlatform.calls)
    headers = {"Content-Type": "application/json", "X-Hub-Signature": sign(body, "wrong-secret")}
    assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 403
    time.sleep(1)
    assert not [c for c in FakePlatform.calls[since:] if c["path"].endswith("/me/messages")]


def test_messenger_webhook_verification_handshake(platform_and_dasi: Dasi) -> None:
    url = f"{platform_and_dasi.url}/webhooks/facebook/webhook"
    ok = requests.get(url, params={"hub.verify_token": FACEBOOK_VERIFY, "hub.challenge": "42"}, timeout=10)
    assert ok.text == "42"
    assert requests.get(url, params={"hub.verify_token": "nope", "hub.challenge": "42"}, timeout=10).status_code == 403


def test_a_messenger_founder_reaches_an_agent_through_the_quick_reply(platform_and_dasi: Dasi) -> None:
    console = platform_and_dasi.console_url
    agent = requests.Session()
    assert agent.post(f"{console}/console/login", json={"username": AGENT, "password": AGENT_PASSWORD}, timeout=10).ok
    assert agent.get(f"{console}/console/api/handoffs", timeout=20).ok  # the agent is on duty
    sender = f"fb-{uuid.uuid4().hex[:8]}"
    url = f"{platform_and_dasi.url}/webhooks/facebook/webhook"

    def say(body: bytes) -> list[dict[str, Any]]:
        since = len(FakePlatform.calls)
        headers = {"Content-Type": "application/json", "X-Hub-Signature": sign(body)}
        assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 200
        return [c["body"]["message"] for c in FakePlatform.calls[since:] if "message" in c["body"]]

    offer = say(messenger_event("상담원이랑 직접 얘기하고 싶어요", sender))
    replies = [reply for message in offer for reply in message.get("quick_replies", [])]
    live = next(reply for reply in replies if reply["title"] == "상담사와 채팅하기")
    pressed = json.loads(messenger_event(live["title"], sender))
    pressed["entry"][0]["messaging"][0]["message"]["quick_reply"] = {"payload": live["payload"]}
    assert any("연결을 요청했어요" in message["text"] for message in say(json.dumps(pressed).encode()))
    since = len(FakePlatform.calls)
    claim = agent.post(f"{console}/console/api/handoffs/{sender}/claim", headers={"X-Dasi-Console": "1"}, timeout=20)
    assert claim.status_code == 200, claim.text
    pushed = [c["body"]["message"]["text"] for c in calls_to("/me/messages", since) if "message" in c["body"]]
    assert any("연결되었어요" in text for text in pushed), pushed
    agent.post(f"{console}/console/api/handoffs/{sender}/handback", headers={"X-Dasi-Console": "1"}, timeout=20)
