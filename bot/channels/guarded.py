"""REST and socket.io channels that never leave a founder without an answer.

If a turn produces no bot message at all (the action server is down, an action failed, an
input nobody could understand), the founder gets a polite message with the verified national
hotline instead of silence. The conversation goes on normally once the cause is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

SILENCE_REPLY = (
    "죄송해요, 지금 답변을 준비하지 못했어요. 잠시 후 다시 말씀해 주시거나, "
    "바로 상담이 필요하시면 중소기업 통합콜센터 ☎ 1357로 연락해 주세요."
)

Handler = Callable[[UserMessage], Awaitable[Any]]


def never_silent(on_new_message: Handler) -> Handler:
    """Wraps Rasa's message handler: a turn without any bot message gets SILENCE_REPLY."""

    async def handle(message: UserMessage) -> Any:
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
        if not sent:
            await original(message.sender_id, {"text": SILENCE_REPLY})
        return result

    return handle


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(never_silent(on_new_message))


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return super().blueprint(never_silent(on_new_message))
