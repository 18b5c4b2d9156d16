"""A founder can always reach a person: the verified hotline, and in the web widget a live chat.

The live chat pauses the conversation (Rasa's ConversationPaused) and puts it in the agent
console's queue; the agent answers through Rasa's HTTP API and hands back with a resume and
the `handback` intent, after which Dasi continues where it was (an open form asks again).
"""

from __future__ import annotations

import logging
import os
from enum import Enum
from typing import Any

import requests
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base

logger = logging.getLogger(__name__)

# Channels whose widget shows messages pushed later (an agent's reply); REST and Kakao cannot.
LIVE_CHANNELS = {"socketio"}
LIVE_CHAT_PAYLOAD = "/live_chat"


def console_url() -> str | None:
    url = os.environ.get("DASI_CONSOLE_URL", "").rstrip("/")
    return url or None


def live_chat_possible(tracker: Tracker) -> bool:
    return tracker.get_latest_input_channel() in LIVE_CHANNELS and console_url() is not None


def hotline_text() -> str:
    return (
        f"{base().hotline_label('1357')}로 전화하시면 상담사가 도와드려요 (평일 업무시간). "
        f"빚이나 신용 문제라면 신용회복위원회 {base().hotline_label('1600-5500')}도 있어요."
    )


class ActionOfferHuman(Action):
    def name(self) -> str:
        return "action_offer_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = f"사람과 직접 이야기 나누고 싶으시군요. {hotline_text()}"
        if not live_chat_possible(tracker):
            dispatcher.utter_message(text=text)
            return []
        if agents_online() == 0:  # don't offer a chat nobody can take (nights, weekends)
            dispatcher.utter_message(text=f"{text}\n지금은 채팅으로 연결할 수 있는 상담사가 없어요.")
            return []
        dispatcher.utter_message(
            text=text + "\n이 창에서 상담사와 바로 채팅하실 수도 있어요.",
            buttons=[{"title": "상담사와 채팅하기", "payload": LIVE_CHAT_PAYLOAD}],
        )
        return []


class ActionStartHandoff(Action):
    """Queues the conversation in the agent console and pauses Dasi."""

    def name(self) -> str:
        return "action_start_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if not live_chat_possible(tracker):
            dispatcher.utter_message(text=f"이 창에서는 채팅 상담을 연결할 수 없어요. {hotline_text()}")
            return []
        queued = queue_for_agent(tracker.sender_id)
        if queued is not Queued.yes:
            reason = (
                "채팅 상담사가 모두 자리를 비웠어요" if queued is Queued.no_agent else "채팅 상담을 연결하지 못했어요"
            )
            dispatcher.utter_message(text=f"죄송해요, 지금은 {reason}. {hotline_text()} 그동안 제가 계속 도와드릴게요.")
            return []
        dispatcher.utter_message(
            text=(
                "상담사에게 연결을 요청했어요. 상담사가 들어오면 이 창에서 바로 답을 드려요.\n"
                "기다리시는 동안 남기실 말씀을 적어 주시면 상담사가 함께 봐요. "
                f"급하시면 {base().hotline_label('1357')}로 전화해 주세요."
            )
        )
        return [ConversationPaused()]


class Queued(Enum):
    yes = "yes"
    no_agent = "no_agent"  # the console works, but no agent has it open
    failed = "failed"  # no console, or it could not be reached


def _console_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {os.environ.get('DASI_API_TOKEN', '')}"}


def queue_for_agent(conversation_id: str) -> Queued:
    """Asks the console to queue the conversation."""
    url = console_url()
    if url is None:
        return Queued.failed
    try:
        response = requests.post(
            f"{url}/console/internal/handoffs",
            json={"conversation_id": conversation_id},
            headers=_console_headers(),
            timeout=5,
        )
    except requests.RequestException as error:
        logger.warning("agent console unreachable: %s", error)
        return Queued.failed
    if response.status_code == 409:
        return Queued.no_agent
    if response.status_code != 200:
        logger.warning("agent console refused the handoff: HTTP %s", response.status_code)
        return Queued.failed
    return Queued.yes


def agents_online() -> int:
    """How many agents have the console open now (0 when it cannot be asked)."""
    url = console_url()
    if url is None:
        return 0
    try:
        response = requests.get(f"{url}/console/internal/agents", headers=_console_headers(), timeout=3)
        return int(response.json()["online"]) if response.status_code == 200 else 0
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        logger.warning("agent console unreachable: %s", error)
        return 0


class ActionHandback(Action):
    """The agent handed the conversation back (the console resumed it first)."""

    def name(self) -> str:
        return "action_handback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if not agent_spoke_since_pause(tracker.events):
            # the console gave the request back because no agent took it in time
            dispatcher.utter_message(
                text="기다리게 해 드려 죄송해요. 지금은 채팅으로 연결할 수 있는 상담사가 없어요. "
                f"{base().hotline_label('1357')}로 전화하시면 상담사와 이야기하실 수 있어요 (평일 업무시간). "
                "그동안 제가 이어서 도와드릴게요."
            )
        elif tracker.active_loop.get("name"):
            dispatcher.utter_message(text="상담사와의 대화를 마쳤어요. 하던 이야기를 이어서 도와드릴게요.")
        else:
            dispatcher.utter_message(
                text="상담사와의 대화를 마쳤어요. 더 궁금한 게 있으시면 언제든 편하게 물어봐 주세요."
            )
        return []


def agent_spoke_since_pause(events: list[dict[str, Any]]) -> bool:
    """True when an agent's message follows the conversation's last pause."""
    for event in reversed(events):
        if event.get("event") == "pause":
            return False
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("agent"):
            return True
    return False
