"""A whole live handoff: a founder on socket.io, an agent on the console's API, and back to Dasi."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import AGENT, AGENT_PASSWORD, TOKEN, Dasi

CONSOLE_HEADERS = {"X-Dasi-Console": "1"}


class Founder:
    """A founder in the web widget: rasa-webchat's socket.io events, with session persistence."""

    def __init__(self, dasi: Dasi) -> None:
        self.session = uuid.uuid4().hex
        self.replies: list[dict[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.append)
        self.client.connect(dasi.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=20)
        self.client.emit("session_request", {"session_id": self.session})

    def say(self, message: str) -> None:
        self.client.emit("user_uttered", {"message": message, "session_id": self.session})

    def wait_for(self, condition: Callable[[str], bool], after: int, timeout: float = 30) -> str:
        """The first reply after index `after` whose text meets `condition`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for reply in self.replies[after:]:
                if condition(reply.get("text") or ""):
                    return reply.get("text") or ""
            time.sleep(0.1)
        raise AssertionError(f"no matching reply; got {[r.get('text') for r in self.replies[after:]]}")

    def ask(self, message: str, condition: Callable[[str], bool]) -> str:
        before = len(self.replies)
        self.say(message)
        return self.wait_for(condition, before)


@pytest.fixture
def founder(dasi: Dasi) -> Iterator[Founder]:
    person = Founder(dasi)
    yield person
    person.client.disconnect()


@pytest.fixture
def agent(dasi: Dasi) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{dasi.console_url}/console/login", json={"username": AGENT, "password": AGENT_PASSWORD}, timeout=10
    )
    assert response.status_code == 200, response.text
    return session


def queue(dasi: Dasi, agent: requests.Session) -> list[dict[str, Any]]:
    response = agent.get(f"{dasi.console_url}/console/api/handoffs", timeout=20)
    response.raise_for_status()
    return response.json()["handoffs"]


def post(agent: requests.Session, url: str, body: dict[str, Any] | None = None) -> requests.Response:
    return agent.post(url, json=body or {}, headers=CONSOLE_HEADERS, timeout=20)


def test_live_handoff_from_the_widget_and_back(dasi: Dasi, founder: Founder, agent: requests.Session) -> None:
    # the founder starts the finder, gets a question, then asks for a person
    question = founder.ask("대구에서 식당을 하다가 폐업했어요. 받을 수 있는 지원이 있을까요?", lambda t: "?" in t)
    offer = founder.ask("상담사랑 직접 얘기하고 싶어요", lambda t: "1357" in t)
    assert "채팅" in offer
    button = next(r for r in founder.replies if r.get("quick_replies"))["quick_replies"]
    assert [b["title"] for b in button] == ["상담사와 채팅하기"]
    founder.ask(button[0]["payload"], lambda t: "연결을 요청했어요" in t)

    tracker = requests.get(f"{dasi.url}/conversations/{founder.session}/tracker", params={"token": TOKEN}, timeout=10)
    assert tracker.json()["paused"] is True

    # while paused Dasi does not answer: the first message gets a note that someone is
    # coming, later ones nothing (no "could not answer" apology); the agent will answer
    assert "곧 들어올 거예요" in founder.ask("여보세요?", lambda t: "상담사" in t)
    before = len(founder.replies)
    founder.say("빚이 좀 많아서 걱정이에요")
    time.sleep(3)
    assert founder.replies[before:] == []

    # the console's queue shows the founder with what they already said
    waiting = next(item for item in queue(dasi, agent) if item["conversation_id"] == founder.session)
    assert waiting["status"] == "waiting"
    assert "대구" in waiting["summary"]
    assert waiting["said"][-1] == "빚이 좀 많아서 걱정이에요"

    url = f"{dasi.console_url}/console/api/handoffs/{founder.session}"
    assert post(agent, f"{url}/reply", {"text": "안녕하세요"}).status_code == 409  # not claimed yet
    before = len(founder.replies)
    assert post(agent, f"{url}/claim").status_code == 200
    assert AGENT in founder.wait_for(lambda t: "연결되었어요" in t, before)

    before = len(founder.replies)
    assert post(agent, f"{url}/reply", {"text": "빚이 얼마쯤인지 여쭤봐도 될까요? [참고]"}).status_code == 200
    assert "빚이 얼마쯤" in founder.wait_for(lambda t: "빚이 얼마쯤" in t, before)

    conversation = agent.get(url, timeout=20).json()
    assert [m["who"] for m in conversation["messages"]][-3:] == ["founder", "agent", "agent"]
    assert conversation["script"]["questions"], "the agent sees what is still worth asking"

    # hand back: Dasi resumes where it was and asks the finder's question again
    before = len(founder.replies)
    assert post(agent, f"{url}/handback").status_code == 200
    assert "상담사와의 대화를 마쳤어요" in founder.wait_for(lambda t: "마쳤어요" in t, before)
    # (texts pushed through the API keep Markdown's hard line breaks: compare without them)
    assert founder.wait_for(lambda t: t.strip() == question.strip(), before)
    tracker = requests.get(f"{dasi.url}/conversations/{founder.session}/tracker", params={"token": TOKEN}, timeout=10)
    assert tracker.json()["paused"] is False
    assert all(item["conversation_id"] != founder.session for item in queue(dasi, agent))

    # and the conversation goes on with Dasi
    follow_up = founder.ask("2년 전에요", lambda t: "?" in t)
    assert follow_up.strip() != question.strip()


def test_console_refuses_strangers(dasi: Dasi) -> None:
    stranger = requests.Session()
    assert stranger.get(f"{dasi.console_url}/console/api/handoffs", timeout=10).status_code == 401
    wrong = stranger.post(
        f"{dasi.console_url}/console/login", json={"username": AGENT, "password": "not-the-password"}, timeout=10
    )
    assert wrong.status_code == 401 and "맞지 않아요" in wrong.json()["error"]
    forged = requests.get(
        f"{dasi.console_url}/console/api/handoffs", cookies={"dasi_console": "a2ltCjk5OTk5OTk5OTk.abc"}, timeout=10
    )
    assert forged.status_code == 401
    # only the action server (with Rasa's API token) may queue a conversation
    internal = f"{dasi.console_url}/console/internal/handoffs"
    assert requests.post(internal, json={"conversation_id": "x"}, timeout=10).status_code == 401
    assert (
        requests.post(
            internal, json={"conversation_id": "x"}, headers={"Authorization": "Bearer wrong"}, timeout=10
        ).status_code
        == 401
    )


def test_console_posts_need_the_console_header(dasi: Dasi, agent: requests.Session) -> None:
    response = agent.post(f"{dasi.console_url}/console/api/script", json={"text": "대구, 폐업"}, timeout=20)
    assert response.status_code == 403


def test_rest_founders_get_the_hotline_not_a_live_chat(dasi: Dasi) -> None:
    sender = f"rest-{uuid.uuid4().hex[:8]}"
    replies = dasi.send(sender, "상담원 연결해 주세요")
    assert "1357" in "\n".join(r.get("text", "") for r in replies)
    assert not any(r.get("buttons") for r in replies)
    replies = dasi.send(sender, "/live_chat")
    assert "1357" in "\n".join(r.get("text", "") for r in replies)
    tracker = requests.get(f"{dasi.url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=10)
    assert tracker.json()["paused"] is False


def test_a_live_chat_no_agent_takes_goes_back_to_dasi(dasi: Dasi, founder: Founder, agent: requests.Session) -> None:
    question = founder.ask("제가 받을 수 있는 지원이 있는지 알고 싶어요", lambda t: "?" in t)
    founder.ask("/live_chat", lambda t: "연결을 요청했어요" in t)
    assert any(item["conversation_id"] == founder.session for item in queue(dasi, agent))

    # nobody claims it: after the wait limit (25 s in the tests) Dasi apologises, gives the
    # hotline and carries on where the founder was
    before = len(founder.replies)
    apology = founder.wait_for(lambda t: "죄송" in t, before, timeout=60)
    assert "1357" in apology and "상담사" in apology, apology
    assert founder.wait_for(lambda t: t.strip() == question.strip(), before)
    tracker = requests.get(f"{dasi.url}/conversations/{founder.session}/tracker", params={"token": TOKEN}, timeout=10)
    assert tracker.json()["paused"] is False
    assert all(item["conversation_id"] != founder.session for item in queue(dasi, agent))
    assert "?" in founder.ask("2년 전에 폐업했어요", lambda t: "?" in t)


def test_with_no_agent_on_duty_the_founder_gets_the_hotline_at_once(
    dasi: Dasi, founder: Founder, agent: requests.Session
) -> None:
    # the only agent ends the shift: a live chat is neither offered nor queued
    assert agent.post(f"{dasi.console_url}/console/logout", json={}, timeout=10).ok
    offer = founder.ask("상담사랑 직접 얘기하고 싶어요", lambda t: "1357" in t)
    assert "채팅으로 연결할 수 있는 상담사가 없어요" in offer, offer
    assert not any(
        button.get("title") == "상담사와 채팅하기"
        for reply in founder.replies
        for button in reply.get("quick_replies") or []
    )
    # an old button pressed anyway: the hotline at once, and Dasi keeps the conversation
    answer = founder.ask("/live_chat", lambda t: "1357" in t)
    assert "자리를 비웠어요" in answer and "연결을 요청했어요" not in answer, answer
    tracker = requests.get(f"{dasi.url}/conversations/{founder.session}/tracker", params={"token": TOKEN}, timeout=10)
    assert tracker.json()["paused"] is False

    # back on duty: the chat is offered again
    relogin = agent.post(
        f"{dasi.console_url}/console/login", json={"username": AGENT, "password": AGENT_PASSWORD}, timeout=10
    )
    assert relogin.ok
    founder.ask("상담원 연결해 주세요", lambda t: "1357" in t)
    assert any(
        button.get("title") == "상담사와 채팅하기"
        for reply in founder.replies
        for button in reply.get("quick_replies") or []
    )
