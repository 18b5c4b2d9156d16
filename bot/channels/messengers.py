"""Telegram and Facebook Messenger through Rasa's own connectors, configured from the environment.

Differences from the stock connectors:
- the platform API base URL can be pointed elsewhere (`DASI_TELEGRAM_API_URL`,
  `DASI_FACEBOOK_GRAPH_URL`), which the tests use for a fake platform on loopback;
- buttons become Messenger quick replies (up to 13) instead of a button template that
  Messenger rejects beyond 3 buttons; Telegram keeps Rasa's inline keyboard.
Facebook requests are verified with the app secret (`X-Hub-Signature`) by Rasa's connector.
"""

from __future__ import annotations

import html
import inspect
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from fbmessenger import MessengerClient
from pydantic import BaseModel, ValidationError
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guarded import Server, never_silent
from bot.guidance.result_card import Markup, ResultCard, card_of, is_card, plain_text, text_lines

logger = logging.getLogger(__name__)
MESSENGER_QUICK_REPLIES = 13
MESSENGER_TITLE = 20
TELEGRAM_TEXT = 4096  # characters in one message
TELEGRAM_CALLBACK_BYTES = 64  # callback_data; a longer payload sends the button's words instead
# Telegram's HTML parse mode: bold names and headings, italic notes, every word escaped.
TELEGRAM_HTML = Markup(
    text=html.escape,
    strong=lambda words: f"<b>{words}</b>",
    quiet=lambda words: f"<i>{words}</i>",
    bullet="•",
    spaced=True,
)


class DasiTelegramOutput(TelegramOutput):
    def __init__(self, access_token: str | None, api_url: str | None = None) -> None:
        if api_url:
            Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url.rstrip("/")))
        else:
            super().__init__(access_token)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """The finder's result card as formatted text with a keyboard; other payloads as Rasa sends them."""
        if not is_card(json_message):
            await super().send_custom_json(recipient_id, json_message, **kwargs)
            return
        card = card_of(json_message)
        if card is None:  # a card that does not parse: its plain text
            await self.send_message(recipient_id, str(json_message.get("plain") or "")[:TELEGRAM_TEXT])
            return
        text, keyboard = telegram_card(card)
        await self.send_message(recipient_id, text, parse_mode="HTML", reply_markup=keyboard)


def telegram_card(card: ResultCard) -> tuple[str, InlineKeyboardMarkup]:
    """The card as Telegram HTML (bold headings and names) and an inline keyboard: one row per
    button, then the programs' sites as link buttons."""
    lines = text_lines(card, TELEGRAM_HTML)
    text = "\n".join(lines)
    if len(text) > TELEGRAM_TEXT:  # a cut could fall inside a tag: the plain text, cut then escaped
        text = html.escape(plain_text(card)[: TELEGRAM_TEXT // 2])
    keyboard = InlineKeyboardMarkup()
    for button in card.buttons:
        fits = len(button.payload.encode()) <= TELEGRAM_CALLBACK_BYTES
        keyboard.row(InlineKeyboardButton(button.title, callback_data=button.payload if fits else button.title))
    for item in card.programs:
        if item.url:
            keyboard.row(InlineKeyboardButton(f"{item.name} 누리집", url=item.url))
    return text, keyboard


# What a founder reads after a photo, sticker, voice or file: Dasi reads words only.
ONLY_WORDS = "사진이나 스티커, 음성은 아직 읽지 못해요. 궁금하신 점을 글로 적어 주시면 바로 도와드릴게요."


class TelegramChat(BaseModel):
    id: int


class TelegramLocation(BaseModel):
    latitude: float
    longitude: float


class TelegramMessage(BaseModel):
    """The parts of a Telegram message Dasi reads; anything else (photo, sticker …) is ignored."""

    chat: TelegramChat
    text: str | None = None
    location: TelegramLocation | None = None


class TelegramUpdate(BaseModel):
    update_id: int
    message: TelegramMessage | None = None
    edited_message: TelegramMessage | None = None
    callback_query: dict[str, Any] | None = None


class DasiTelegramInput(TelegramInput):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    def get_output_channel(self) -> TelegramOutput:
        """A channel to Telegram; made at start (before the server's loop runs), it also sets the webhook.

        At start the webhook is set in a loop of its own, whose HTTP session is then closed:
        Rasa's stock connector keeps it, so every later call fails with "Event loop is closed".
        While the server runs (a deadline reminder or an agent's reply through Rasa's HTTP API
        asks for the founder's latest channel) the webhook is already set, and `asyncio.run`
        cannot be called inside the running loop: the channel is only made.
        """
        import asyncio

        channel = DasiTelegramOutput(self.access_token, os.environ.get("DASI_TELEGRAM_API_URL"))
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # no running loop: this is the start

            async def set_webhook() -> None:
                try:
                    await channel.set_webhook(url=self.webhook_url)
                finally:
                    await channel.session.close()

            asyncio.run(set_webhook())
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # while an agent holds the conversation, a founder's message gets no apology (Server)
        server = Server()
        on_new_message = never_silent(on_new_message, server.silence_reply)
        webhook = super().blueprint(on_new_message)
        server.attach(webhook)

        @webhook.middleware("request")
        async def screen(request: Request) -> HTTPResponse | None:
            """What Rasa's connector does not handle: a body that is not an update (400, not a
            500 Telegram would retry), a photo, sticker or voice message (answered politely,
            not ignored), and a shared location (the nearest centers, as on KakaoTalk)."""
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            try:
                update = TelegramUpdate.parse_raw(request.body or b"")
            except ValidationError:
                return response.json({"error": "not a Telegram update"}, status=400)
            if update.edited_message is not None and update.edited_message.text is None:
                return response.text("success")  # a live location moving, an edited caption: nothing new to answer
            message = update.message
            if update.callback_query is not None or message is None or message.text is not None:
                return None  # Rasa's connector handles it
            if message.location is not None:
                location = message.location
                text = f'/share_location{{"latitude": {location.latitude}, "longitude": {location.longitude}}}'
                channel = self.get_output_channel()
                await on_new_message(UserMessage(text, channel, str(message.chat.id), input_channel=self.name()))
            else:
                await self.get_output_channel().send_text_message(str(message.chat.id), ONLY_WORDS)
            return response.text("success")

        return webhook


class QuickReplyMessengerBot(MessengerBot):
    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Buttons as quick replies: Messenger shows them under the message, up to 13."""
        quick_replies = [
            {
                "content_type": "text",
                "title": str(button["title"])[:MESSENGER_TITLE],
                "payload": str(button.get("payload") or button["title"]),
            }
            for button in buttons[:MESSENGER_QUICK_REPLIES]
        ]
        self.messenger_client.send({"text": text, "quick_replies": quick_replies}, recipient_id, "RESPONSE")


def messenger_client(access_token: str) -> MessengerClient:
    client = MessengerClient(access_token)
    graph_url = os.environ.get("DASI_FACEBOOK_GRAPH_URL")
    if graph_url:
        client.graph_url = graph_url.rstrip("/")
    return client


class DasiMessenger(Messenger):
    """Rasa's webhook handler, answering through the quick-reply output channel."""

    def __init__(self, page_access_token: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = messenger_client(page_access_token)

    async def message(self, message: dict[str, Any], metadata: dict[str, Any] | None) -> None:
        """Words and quick replies go to Rasa. A photo, sticker, voice or file gets a polite "please
        write it" instead of its URL going to the NLU as if typed; the page's own echoes get nothing."""
        body = message.get("message") or {}
        if body.get("is_echo"):
            return
        if self._is_quick_reply_message(message) or self._is_user_message(message):
            await super().message(message, metadata)
        elif body.get("attachments"):
            await QuickReplyMessengerBot(self.client).send_text_message(self.get_user_id(), ONLY_WORDS)

    async def _handle_user_message(self, text: str, sender_id: str, metadata: dict[str, Any] | None) -> None:
        out_channel = QuickReplyMessengerBot(self.client)
        await out_channel.send_action(sender_id, sender_action="typing_on")
        message = UserMessage(text, out_channel, sender_id, input_channel=self.name(), metadata=metadata)
        try:
            await self.on_new_message(message)
        except Exception:
            logger.exception("Messenger turn failed")
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")


class DasiFacebookInput(FacebookInput):
    @classmethod
    def name(cls) -> str:
        return "facebook"

    def get_output_channel(self) -> OutputChannel:
        return QuickReplyMessengerBot(messenger_client(self.fb_access_token))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        server = Server()
        on_new_message = never_silent(on_new_message, server.silence_reply)
        module = inspect.getmodule(self)
        webhook = Blueprint("dasi_facebook_webhook", module.__name__ if module else None)
        server.attach(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            if request.args.get("hub.verify_token") == self.fb_verify:
                return response.text(request.args.get("hub.challenge"))
            return response.text("failure, invalid token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            signature = request.headers.get("X-Hub-Signature") or ""
            if not self.validate_hub_signature(self.fb_secret, request.body, signature):
                return response.json({"error": "bad signature"}, status=403)
            try:
                payload = request.json
            except Exception:
                payload = None
            if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
                return response.json({"error": "not a Messenger webhook payload"}, status=400)
            await DasiMessenger(self.fb_access_token, on_new_message).handle(payload, self.get_metadata(request))
            return response.text("success")

        return webhook
