"""Channel guards: personal data is masked at the edge, and no turn goes unanswered.

- Resident registration, phone, card and account numbers and e-mail addresses are replaced
  by placeholders ([전화번호]) before the message enters Rasa, so no clear value reaches NLU,
  the tracker store, the logs or an event broker; the founder is told it was not kept.
- If a turn produces no bot message at all (the action server is down, an action failed),
  the founder gets a polite message with the verified national hotline instead of silence.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.privacy.masking import KIND_LABELS, mask

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARACTERS = 5000  # longer input is cut here, before anything stores it
SILENCE_REPLY = (
    "죄송해요, 지금 답변을 준비하지 못했어요. 잠시 후 다시 말씀해 주시거나, "
    "바로 상담이 필요하시면 중소기업 통합콜센터 ☎ 1357로 연락해 주세요."
)

Handler = Callable[[UserMessage], Awaitable[Any]]


def personal_data_notice(kinds: tuple[str, ...]) -> str:
    labels = ", ".join(dict.fromkeys(KIND_LABELS.get(kind, kind) for kind in kinds))
    last = labels[-1]
    particle = "을" if "가" <= last <= "힣" and (ord(last) - ord("가")) % 28 else "를"
    return (
        f"남겨 주신 {labels}{particle} 개인정보 보호를 위해 가려서 기록했어요. 다시는 이 정보를 보관하거나 쓰지 않아요. "
        "연락이 필요하시면 중소기업 통합콜센터 ☎ 1357로 직접 전화해 주세요."
    )


def never_silent(on_new_message: Handler) -> Handler:
    """Wraps Rasa's message handler: masks personal data, and never leaves a turn silent."""

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
        elif not sent:
            await original(message.sender_id, {"text": SILENCE_REPLY})
        return result

    return handle


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        blueprint = super().blueprint(never_silent(on_new_message))

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
            if isinstance(response.get("text"), str):
                response = {**response, "text": markdown_safe(response["text"])}
            await original(recipient_id, response)

        channel.send_response = formatted  # type: ignore[method-assign]
        try:
            return await on_new_message(message)
        finally:
            channel.send_response = original  # type: ignore[method-assign]

    return handle


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(for_webchat(never_silent(on_new_message)))
