"""KakaoTalk: a Kakao i Open Builder skill webhook answering in skill response format 2.0.

POST /webhooks/kakao/webhook with the skill request JSON. Requests must carry the shared
secret (header `X-Dasi-Skill-Secret`, set in the skill's header settings) or come from a
bot id on the allow-list (`DASI_KAKAO_SECRET`, `DASI_KAKAO_BOT_IDS`). Kakao waits 5 seconds:
Dasi answers within `DASI_KAKAO_BUDGET_SECONDS` (4.0) with what is ready and offers
"결과 보기" for the rest, never a silent time-out.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, Field, ValidationError, validator
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guarded import never_silent
from bot.guidance.result_card import ResultCard, card_of
from bot.knowledge.loader import NATIONAL_HOTLINE

logger = logging.getLogger(__name__)

MAX_OUTPUTS = 3
MAX_CAROUSEL = 10
MAX_CARD_TITLE = 50
MAX_CARD_DESCRIPTION = 230
MAX_CARD_BUTTONS = 3
MAX_QUICK_REPLIES = 10
MAX_SIMPLE_TEXT = 1000
MAX_LABEL = 14
MAX_LIST_ITEMS = 5  # a listCard holds at most 5 items and 2 buttons
MAX_LIST_BUTTONS = 2
MAX_ITEM_TITLE = 40
MAX_ITEM_DESCRIPTION = 60
MAX_UTTERANCE = 2000
SHOW_RESULT = "결과 보기"
SORRY = f"죄송해요, 지금 답변을 드리기 어려워요. 잠시 후 다시 말씀해 주시거나 중소기업 통합콜센터 ☎ {NATIONAL_HOTLINE}로 문의해 주세요."


class KakaoUser(BaseModel):
    id: str = Field(..., min_length=1, max_length=200)
    type: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class KakaoUserRequest(BaseModel):
    utterance: str = Field(..., max_length=100_000)
    user: KakaoUser
    timezone: str | None = None
    lang: str | None = None


class KakaoAction(BaseModel):
    params: dict[str, Any] = Field(default_factory=dict)
    detailParams: dict[str, Any] = Field(default_factory=dict)  # noqa: N815 (Kakao's field name)
    clientExtra: dict[str, Any] | None = None  # noqa: N815


class KakaoBot(BaseModel):
    id: str | None = None
    name: str | None = None


class SkillRequest(BaseModel):
    """The parts of Kakao's skill payload Dasi uses; anything else is ignored."""

    userRequest: KakaoUserRequest  # noqa: N815
    bot: KakaoBot = Field(default_factory=KakaoBot)
    action: KakaoAction = Field(default_factory=KakaoAction)

    @validator("userRequest")
    def _utterance_is_text(cls, value: KakaoUserRequest) -> KakaoUserRequest:
        value.utterance = value.utterance[:MAX_UTTERANCE]
        return value

    def location(self) -> tuple[float, float] | None:
        """Latitude/longitude sent by a location plugin or client extra, if any."""
        for source in (self.action.clientExtra or {}, self.action.params):
            try:
                return float(source["latitude"]), float(source["longitude"])
            except (KeyError, TypeError, ValueError):
                continue
        return None


def _label(title: str) -> str:
    return title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1] + "…"


def render(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Dasi's bot messages as a skill response 2.0 within Kakao's limits.

    Texts become simpleText outputs (at most 3, each at most 1000 characters: longer
    answers are split at line breaks and the surplus merged), buttons become quick replies,
    the finder's result card becomes list cards.
    """
    cards = cards_of(messages)
    texts = [str(message["text"]) for message in messages if message.get("text")]
    texts += [card_text(card) for card in cards]
    elements = [element for message in messages for element in message.get("elements") or []]
    card_outputs = [output for card in cards for output in list_cards(card)]
    if elements:
        card_outputs.append(_carousel(elements))
    card_outputs = card_outputs[: MAX_OUTPUTS - 1]  # one simpleText always says what the cards are
    text_outputs = MAX_OUTPUTS - len(card_outputs)
    chunks: list[str] = []
    for text in texts:
        chunks += _split(text, MAX_SIMPLE_TEXT)
    while len(chunks) > text_outputs:
        merged = chunks[-2] + "\n\n" + chunks[-1]
        if len(merged) > MAX_SIMPLE_TEXT:
            chunks = chunks[: text_outputs - 1] + [_truncate(chunks[text_outputs - 1])]
            break
        chunks[-2:] = [merged]
    outputs: list[dict[str, Any]] = [{"simpleText": {"text": chunk}} for chunk in chunks[:text_outputs]]
    outputs += card_outputs
    outputs = outputs or [{"simpleText": {"text": SORRY}}]
    quick_replies = [
        {"label": _label(str(button["title"])), "action": "message", "messageText": str(button["title"])}
        for button in buttons_of(messages, cards)[:MAX_QUICK_REPLIES]
    ]
    template: dict[str, Any] = {"outputs": outputs}
    if quick_replies:
        template["quickReplies"] = quick_replies
    return {"version": "2.0", "template": template}


def cards_of(messages: list[dict[str, Any]]) -> list[ResultCard]:
    """The finder's result cards the messages carry (a custom payload of another kind is not drawn)."""
    return [card for message in messages for card in [card_of(message.get("custom"))] if card]


def buttons_of(messages: list[dict[str, Any]], cards: list[ResultCard], items: bool = False) -> list[dict[str, Any]]:
    """Every button the messages offer, their result `cards`' included, as {title, payload}; with
    `items`, also the words a tapped list-card item sends."""
    buttons = [button for message in messages for button in message.get("buttons") or []]
    for card in cards:
        buttons += [button.dict() for button in card.buttons]
        if items:
            tappable = [(item.name, item.payload) for item in card.programs]
            tappable += [(item.name, item.payload) for item in card.barriers]
            buttons += [{"title": _item_message(name), "payload": payload} for name, payload in tappable]
    return buttons


def card_text(card: ResultCard) -> str:
    """What the simpleText says beside the list cards: the situation, then what no list holds."""
    lines = [card.summary, *filter(None, [card.none_found])]
    lines += [f"※ {note}" for note in card.notes]
    if card.owed:
        lines.append(card.headings.owed)
        lines += [f"· {line}" for line in card.owed]
    lines += [card.hint, *filter(None, [card.source])]
    return "\n".join(lines)


def list_cards(card: ResultCard) -> list[dict[str, Any]]:
    """Programs as one listCard; barriers and whom to call as another, with call buttons."""
    cards: list[dict[str, Any]] = []
    if card.programs:
        items = [
            _item(item.name, " · ".join(filter(None, [item.verdict_label, item.reason]))) for item in card.programs
        ]
        cards.append({"listCard": {"header": {"title": card.headings.programs}, "items": items[:MAX_LIST_ITEMS]}})
    items = [_item(item.name, item.remedy) for item in card.barriers]
    items += [_item(item.name, item.detail, message=False) for item in card.contacts]
    if items:
        headings = card.headings
        heading = f"{headings.barriers} · {headings.contacts}" if card.barriers else headings.contacts
        calls = [
            {"label": _label(f"☎ {phone}"), "action": "phone", "phoneNumber": phone}
            for phone in dict.fromkeys(item.phone for item in card.contacts)  # one button per number
        ]
        list_card: dict[str, Any] = {"header": {"title": heading}, "items": items[-MAX_LIST_ITEMS:]}
        if calls:
            list_card["buttons"] = calls[:MAX_LIST_BUTTONS]
        cards.append({"listCard": list_card})
    return cards


def _item(title: str, description: str, message: bool = True) -> dict[str, Any]:
    """A listCard item; tapping it asks about it (the quick-reply map turns the words into its payload)."""
    item: dict[str, Any] = {
        "title": _truncate(title, MAX_ITEM_TITLE),
        "description": _truncate(description, MAX_ITEM_DESCRIPTION),
    }
    if message:
        item.update(action="message", messageText=_item_message(title))
    return item


def _item_message(name: str) -> str:
    return f"{name} 자세히"


def _carousel(elements: list[dict[str, Any]]) -> dict[str, Any]:
    """Contact and program cards as a carousel of basicCards (Kakao: ≤10 cards, ≤230 characters)."""
    items = []
    for element in elements[:MAX_CAROUSEL]:
        card: dict[str, Any] = {
            "title": _truncate(str(element.get("title", "")), MAX_CARD_TITLE),
            "description": _truncate(str(element.get("subtitle", "")), MAX_CARD_DESCRIPTION),
        }
        link = (element.get("default_action") or {}).get("url")
        buttons = [{"action": "webLink", "label": "누리집", "webLinkUrl": link}] if link else []
        buttons += [
            {"action": "message", "label": _label(str(b["title"])), "messageText": str(b["title"])}
            for b in element.get("buttons") or []
        ]
        if buttons:
            card["buttons"] = buttons[:MAX_CARD_BUTTONS]
        items.append(card)
    return {"carousel": {"type": "basicCard", "items": items}}


class KakaoCollector(CollectingOutputChannel):
    """Keeps cards (Rasa elements) as cards instead of flattening them to text."""

    async def send_elements(self, recipient_id: str, elements: Any, **kwargs: Any) -> None:
        await self._persist_message({"recipient_id": recipient_id, "elements": list(elements)})


def _split(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        current = line if len(line) <= limit else _truncate(line, limit)
    if current:
        parts.append(current)
    return parts


def _truncate(text: str, limit: int = MAX_SIMPLE_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PendingReplies:
    """Replies still being computed when Kakao's budget ran out, per user (bounded)."""

    def __init__(self, size: int = 1000) -> None:
        self._tasks: OrderedDict[str, asyncio.Task[list[dict[str, Any]]]] = OrderedDict()
        self._buttons: OrderedDict[str, dict[str, str]] = OrderedDict()
        self._size = size

    def park(self, user: str, task: asyncio.Task[list[dict[str, Any]]]) -> None:
        self._tasks[user] = task
        self._trim(self._tasks)

    def take(self, user: str) -> asyncio.Task[list[dict[str, Any]]] | None:
        return self._tasks.pop(user, None)

    def remember_buttons(self, user: str, messages: list[dict[str, Any]]) -> None:
        """Quick replies send their label as text; map it back to the button's payload."""
        self._buttons[user] = {
            str(button["title"]): str(button["payload"])
            for button in buttons_of(messages, cards_of(messages), items=True)
        }
        self._trim(self._buttons)

    def payload_for(self, user: str, utterance: str) -> str | None:
        return self._buttons.get(user, {}).get(utterance)

    def _trim(self, mapping: OrderedDict[str, Any]) -> None:
        while len(mapping) > self._size:
            mapping.popitem(last=False)


class KakaoInput(InputChannel):
    """The KakaoTalk skill webhook."""

    @classmethod
    def name(cls) -> str:
        return "kakao"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> KakaoInput:
        credentials = credentials or {}
        secret = credentials.get("secret") or os.environ.get("DASI_KAKAO_SECRET") or ""
        bot_ids = credentials.get("bot_ids") or os.environ.get("DASI_KAKAO_BOT_IDS", "")
        budget = float(credentials.get("budget_seconds") or os.environ.get("DASI_KAKAO_BUDGET_SECONDS") or 4.0)
        ids = [item.strip() for item in str(bot_ids).split(",") if item.strip()]
        return cls(secret, ids, budget)

    def __init__(self, secret: str, bot_ids: list[str], budget_seconds: float = 4.0) -> None:
        self.secret = secret
        self.bot_ids = bot_ids
        self.budget_seconds = budget_seconds
        self.pending = PendingReplies()
        if not secret and not bot_ids:
            logger.warning("KakaoTalk channel has no DASI_KAKAO_SECRET or DASI_KAKAO_BOT_IDS: it refuses every request")

    def _authorised(self, request: Request, payload: SkillRequest) -> bool:
        header = request.headers.get("X-Dasi-Skill-Secret", "")
        if self.secret and hmac.compare_digest(header.encode(), self.secret.encode()):
            return True
        return bool(self.bot_ids) and payload.bot.id in self.bot_ids

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = never_silent(on_new_message)
        module = inspect.getmodule(self)
        kakao = Blueprint("dasi_kakao", module.__name__ if module else None)

        @kakao.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @kakao.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                raw = json.loads(request.body or b"")
                payload = SkillRequest.parse_obj(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                return response.json({"error": "the body is not valid JSON"}, status=400)
            except ValidationError as error:
                fields = ", ".join(".".join(str(part) for part in item["loc"]) for item in error.errors())
                return response.json({"error": f"not a Kakao skill request: check {fields}"}, status=400)
            if not self._authorised(request, payload):
                return response.json({"error": "unknown skill caller"}, status=403)
            user = payload.userRequest.user.id
            utterance = payload.userRequest.utterance.strip()
            if utterance == SHOW_RESULT:
                return response.json(await self._late_result(user))
            location = payload.location()
            if location:
                text = f'/share_location{{"latitude": {location[0]}, "longitude": {location[1]}}}'
            else:
                text = self.pending.payload_for(user, utterance) or utterance
            collector = KakaoCollector()
            message = UserMessage(
                text, collector, user, input_channel=self.name(), metadata={"kakao_bot": payload.bot.id}
            )
            task = asyncio.ensure_future(_collect(on_new_message, message, collector))
            done, _ = await asyncio.wait({task}, timeout=self.budget_seconds)
            if not done:
                self.pending.park(user, task)
                return response.json(_still_working())
            try:
                messages = task.result()
            except Exception:  # a failing turn must still answer the founder politely
                logger.exception("Kakao turn failed")
                return response.json(render([{"text": SORRY}]))
            self.pending.remember_buttons(user, messages)
            return response.json(render(messages))

        return kakao

    async def _late_result(self, user: str) -> dict[str, Any]:
        task = self.pending.take(user)
        if task is None:
            return render([{"text": "보여 드릴 결과가 없어요. 궁금하신 걸 다시 말씀해 주세요."}])
        done, _ = await asyncio.wait({task}, timeout=self.budget_seconds)
        if not done:
            self.pending.park(user, task)
            return _still_working()
        messages = task.result()
        self.pending.remember_buttons(user, messages)
        return render(messages)


async def _collect(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    collector: CollectingOutputChannel,
) -> list[dict[str, Any]]:
    await on_new_message(message)
    return list(collector.messages)


def _still_working() -> dict[str, Any]:
    return {
        "version": "2.0",
        "template": {
            "outputs": [{"simpleText": {"text": "답변을 정리하고 있어요. 잠시 뒤 '결과 보기'를 눌러 주세요."}}],
            "quickReplies": [{"label": SHOW_RESULT, "action": "message", "messageText": SHOW_RESULT}],
        },
    }
