"""Channel guards: personal data is masked at the edge, and no turn goes unanswered.

- Resident registration, phone, card and account numbers and e-mail addresses are replaced
  by placeholders ([전화번호]) before the message enters Rasa, so no clear value reaches NLU,
  the tracker store, the logs or an event broker; the founder is told it was not kept.
- If a turn produces no bot message at all (the action server is down, an action failed),
  the founder gets a polite message with the verified national hotline instead of silence,
  unless the conversation is paused for a human agent, who answers from the console.
- With DASI_REDIS_HOST set, socket.io emits go through Redis, so a message for a founder
  connected to one replica can be sent by another (an agent's reply through the HTTP API).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import socketio
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, ConversationPaused, UserUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.guidance.result_card import is_card
from bot.knowledge.loader import NATIONAL_HOTLINE, knowledge
from bot.language.korean import final_consonant
from bot.privacy.masking import KIND_LABELS, mask

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARACTERS = 5000  # longer input is cut here, before anything stores it


def _hotline() -> str:
    """The general hotline as the knowledge base labels it (verified numbers only)."""
    return knowledge().hotline_label(NATIONAL_HOTLINE)


# Built once at import: the knowledge base is loaded anyway before the first message.
SILENCE_REPLY = (
    "죄송해요, 지금 답변을 준비하지 못했어요. 잠시 후 다시 말씀해 주시거나, "
    f"바로 상담이 필요하시면 {_hotline()}로 연락해 주세요."
)

# Rasa's commands that start the conversation afresh and say nothing themselves.
FRESH_START_COMMANDS = ("/restart", "/session_start")
FRESH_START = "대화를 처음부터 다시 시작할게요. 무엇을 도와드릴까요? 상황을 편하게 말씀해 주셔도 돼요."

Handler = Callable[[UserMessage], Awaitable[Any]]
SilenceReply = Callable[[str], Awaitable[str | None]]
WAITING_FOR_AGENT = (
    f"상담사가 곧 들어올 거예요. 남겨 주신 말씀은 상담사에게 그대로 전해져요. 급하시면 {_hotline()}로 전화해 주세요."
)


class Server:
    """The running Rasa server a channel belongs to, known once the server starts."""

    def __init__(self) -> None:
        self.app: Sanic | None = None

    def attach(self, blueprint: Blueprint) -> None:
        @blueprint.listener("before_server_start")  # type: ignore[misc]
        async def keep(app: Sanic, _loop: Any) -> None:
            self.app = app

    async def silence_reply(self, sender_id: str) -> str | None:
        """What a turn without a bot message gets.

        Normally the apology with the hotline. While a human agent holds the conversation
        (Rasa's pause), nothing: the agent answers from the console. Only the first message
        after the pause, before any agent has joined, gets a note that someone is coming.
        """
        agent = getattr(getattr(self.app, "ctx", None), "agent", None)
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return SILENCE_REPLY
        try:
            tracker = await store.retrieve(sender_id)
        except Exception:
            logger.exception("could not read the tracker of a silent turn")
            return SILENCE_REPLY
        if tracker is None or not tracker.is_paused():
            return SILENCE_REPLY
        return WAITING_FOR_AGENT if first_words_while_waiting(tracker.events) else None


def first_words_while_waiting(events: Any) -> bool:
    """True when, since the latest pause, the founder spoke once and no agent has spoken."""
    spoken = 0
    for event in reversed(list(events)):
        if isinstance(event, ConversationPaused):
            return spoken == 1
        if isinstance(event, UserUttered):
            spoken += 1
        elif isinstance(event, BotUttered) and (event.metadata or {}).get("agent"):
            return False
    return False


def personal_data_notice(kinds: tuple[str, ...]) -> str:
    labels = ", ".join(dict.fromkeys(KIND_LABELS.get(kind, kind) for kind in kinds))
    particle = "을" if final_consonant(labels) else "를"
    return (
        f"남겨 주신 {labels}{particle} 개인정보 보호를 위해 가려서 기록했어요. 다시는 이 정보를 보관하거나 쓰지 않아요. "
        f"연락이 필요하시면 {_hotline()}로 직접 전화해 주세요."
    )


def never_silent(on_new_message: Handler, silence_reply: SilenceReply | None = None) -> Handler:
    """Wraps Rasa's message handler: masks personal data, and never leaves a turn silent.

    `silence_reply` decides what a turn without a bot message gets (None: nothing, because
    a human agent holds the conversation); by default the apology with the hotline.
    """

    async def handle(message: UserMessage) -> Any:
        masked = mask((message.text or "")[:MAX_MESSAGE_CHARACTERS])
        message.text = masked.text
        channel = message.output_channel
        original = channel.send_response
        sent: list[bool] = []

        async def counting(recipient_id: str, response: dict[str, Any]) -> None:
            sent.append(True)
            await original(recipient_id, response)

        channel.send_response = counting  # type: ignore[method-assign]
        try:
            result = await on_new_message(message)
        except Exception:
            logger.exception("a turn failed")
            result = None
        finally:
            channel.send_response = original  # type: ignore[method-assign]
        if masked.kinds:
            await original(message.sender_id, {"text": personal_data_notice(masked.kinds)})
        elif not sent and (message.text or "").strip() in FRESH_START_COMMANDS:
            await original(message.sender_id, {"text": FRESH_START})  # a new start, not a failure
        elif not sent:
            reply = await silence_reply(message.sender_id) if silence_reply else SILENCE_REPLY
            if reply:
                await original(message.sender_id, {"text": reply})
        return result

    return handle


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        server = Server()
        blueprint = super().blueprint(never_silent(on_new_message, server.silence_reply))
        server.attach(blueprint)

        @blueprint.middleware("request")  # type: ignore[misc]
        async def reject_malformed(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            try:
                body = json.loads(request.body or b"")
            except (json.JSONDecodeError, UnicodeDecodeError):
                return response.json({"error": "the body is not valid JSON"}, status=400)
            if not isinstance(body, dict) or not isinstance(body.get("message", ""), str):
                return response.json({"error": 'expected {"sender": "...", "message": "..."}'}, status=400)
            if not isinstance(body.get("sender", "default"), str) or not body.get("sender", "default"):
                return response.json({"error": "sender must be a non-empty string"}, status=400)
            return None

        return blueprint


def markdown_safe(text: str) -> str:
    """rasa-webchat renders Markdown: keep our line breaks and show brackets as brackets."""
    escaped = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("*", "\\*")
    return "\n".join(line + "  " if line else line for line in escaped.split("\n"))


def for_webchat(on_new_message: Handler) -> Handler:
    """Formats every text the web widget will render as Markdown."""

    async def handle(message: UserMessage) -> Any:
        channel = message.output_channel
        original = channel.send_response

        async def formatted(recipient_id: str, response: dict[str, Any]) -> None:
            card = result_card_payload(response)
            if card is not None and isinstance(channel, SocketIOOutput):
                await channel._send_message(recipient_id, card)  # the page's card component draws it
                return
            if isinstance(response.get("text"), str):
                response = {**response, "text": markdown_safe(response["text"])}
            await original(recipient_id, response)

        channel.send_response = formatted  # type: ignore[method-assign]
        try:
            return await on_new_message(message)
        finally:
            channel.send_response = original  # type: ignore[method-assign]

    return handle


def result_card_payload(response: dict[str, Any]) -> dict[str, Any] | None:
    """The finder's result card in a bot response, as the widget receives it, or None.

    Rasa's socket.io output would pass a custom payload's keys to `emit` as arguments; the
    widget needs them as the message itself, which its custom component receives.
    """
    custom = response.get("custom")
    return dict(custom) if is_card(custom) else None


class MarkdownSafeSocketIOOutput(SocketIOOutput):
    """What the HTTP API sends to a widget (an agent's reply) is escaped like a bot turn."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if is_card(json_message):
            await self._send_message(recipient_id, json_message)
        else:
            await super().send_custom_json(recipient_id, json_message, **kwargs)

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if isinstance(response.get("text"), str):
            response = {**response, "text": markdown_safe(response["text"])}
        await super()._send_message(socket_id, response)


def redis_url() -> str | None:
    """socket.io's Redis channel when the replicas share a Redis (DASI_REDIS_HOST)."""
    host = os.environ.get("DASI_REDIS_HOST")
    if not host:
        return None
    return f"redis://{host}:{os.environ.get('DASI_REDIS_PORT', '6379')}/{os.environ.get('DASI_REDIS_DB', '1')}"


def redis_channel() -> str:
    # Redis pub/sub ignores the database number: name the channel after it, so that
    # deployments sharing one Redis on different databases do not hear each other.
    return f"dasi-socketio-{os.environ.get('DASI_REDIS_DB', '1')}"


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        server = Server()
        blueprint = super().blueprint(for_webchat(never_silent(on_new_message, server.silence_reply)))
        server.attach(blueprint)
        url = redis_url()
        if url and self.sio is not None:
            share_through_redis(self.sio, url, blueprint)
        return blueprint

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return None
        return MarkdownSafeSocketIOOutput(self.sio, self.bot_message_evt)


def share_through_redis(sio: socketio.AsyncServer, url: str, blueprint: Blueprint) -> None:
    """Replaces the in-process client manager before any client connects."""
    manager = socketio.AsyncRedisManager(url, channel=redis_channel())
    manager.set_server(sio)
    sio.manager = manager

    @blueprint.listener("after_server_start")  # type: ignore[misc]
    async def listen(_app: Sanic, _loop: Any) -> None:
        # Subscribe now, not at the first connection: a reply for a founder on this replica
        # may be published by another one before anyone connects here.
        if not sio.manager_initialized:
            sio.manager_initialized = True
            sio.manager.initialize()
