"""The hotline agent console: call scripts, the live-chat queue, replies and hand-back.

`python -m bot.console` (started by `./dasi run` next to Rasa) serves it at
http://localhost:$DASI_CONSOLE_PORT/console/. Settings from the environment:
DASI_CONSOLE_USERS (name:password pairs, required), DASI_API_TOKEN (Rasa's API token; the
action server uses it to queue a handoff here), DASI_RASA_URL, DASI_CONSOLE_DB,
DASI_CONSOLE_SESSION_SECRET (keeps logins over restarts), DASI_CONSOLE_SECURE_COOKIE=1
behind HTTPS, DASI_HANDOFF_WAIT_SECONDS (how long a founder waits for an agent) and
DASI_AGENT_PRESENCE_SECONDS (how long after an agent's console last called in they count as
available for a live chat).
"""

from __future__ import annotations

import asyncio
import datetime
import hmac
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, Extra, ValidationError, confloat, constr, validator
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.auth import Accounts, ConfigurationError, parse_users
from bot.console.handoffs import Handoff, HandoffConflict, HandoffQueue, Status
from bot.console.rasa_api import RasaClient, RasaUnavailable, Tracker
from bot.guidance import answers
from bot.guidance.profile import PROFILE_SLOTS, FounderProfile
from bot.guidance.script import mentioned_barriers, script_for_profile, situation_facts
from bot.insights.aggregate import open_engine, update
from bot.insights.charts import csv_bytes
from bot.insights.model import InsightReport
from bot.insights.page import CONTENT_SECURITY_POLICY as INSIGHTS_POLICY
from bot.insights.page import charts_for, render_html
from bot.insights.report import build_report
from bot.knowledge.loader import knowledge
from bot.knowledge.models import BusinessType, CreditState, Goal
from bot.language.crisis import shows_crisis
from bot.language.dates import today
from bot.language.gazetteer import Mention, mentions_of
from bot.notices import live as live_notices
from bot.notices.answers import open_call_lines

Parsed = TypeVar("Parsed", bound=BaseModel)
logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "dasi_console"
HANDBACK_INTENT = "handback"
MAX_REPLY_CHARACTERS = 2000
# How long a founder waits for an agent before Dasi takes the conversation back (seconds).
DEFAULT_WAIT_LIMIT = 300.0
# An open console page polls every few seconds; an agent silent for this long has left.
DEFAULT_PRESENCE_WINDOW = 60.0
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class Login(BaseModel):
    username: constr(strip_whitespace=True, min_length=1, max_length=100)  # type: ignore[valid-type]
    password: constr(min_length=1, max_length=500)  # type: ignore[valid-type]


class FormFacts(BaseModel):
    """The console's short form: the same profile fields the chat collects."""

    region: str | None = None
    business_type: BusinessType | None = None
    closed: bool | None = None
    years_since_closure: confloat(ge=0, le=60) | None = None  # type: ignore[valid-type]
    restarted: bool | None = None
    credit_state: CreditState | None = None
    tax_arrears: bool | None = None
    insurance_arrears: bool | None = None
    goal: Goal | None = None

    class Config:
        extra = Extra.forbid

    @validator("region")
    def _known_region(cls, value: str | None) -> str | None:
        if value and value not in knowledge().regions:
            raise ValueError("unknown region")
        return value or None


class ScriptRequest(BaseModel):
    text: constr(max_length=5000) = ""  # type: ignore[valid-type]
    form: FormFacts = FormFacts()

    class Config:
        extra = Extra.forbid


class Reply(BaseModel):
    text: constr(strip_whitespace=True, min_length=1, max_length=MAX_REPLY_CHARACTERS)  # type: ignore[valid-type]


class InternalHandoff(BaseModel):
    conversation_id: constr(min_length=1, max_length=200)  # type: ignore[valid-type]


def script_payload(request: ScriptRequest, mentions: list[Mention]) -> dict[str, object]:
    """The call script for typed text and/or the form; the form wins where both speak.

    `mentions` are the knowledge-base names Rasa's NLU pipeline found in the typed text.
    """
    facts = situation_facts(request.text, None, today(), mentions=mentions) if request.text.strip() else {}
    form = {key: value for key, value in request.form.dict().items() if value is not None}
    if "years_since_closure" in form:
        form.setdefault("closed", True)
    facts.update({key: value.value if hasattr(value, "value") else value for key, value in form.items()})
    profile = FounderProfile.from_slots(facts)
    script = script_for_profile(
        profile,
        knowledge(),
        today(),
        crisis=shows_crisis(request.text),
        mentioned=mentioned_barriers(request.text, None, mentions=mentions),
    )
    script.open_calls = open_call_lines(profile, live_notices.current(), knowledge(), today())
    return script.as_dict()


def parsed(model: type[Parsed], request: Request) -> Parsed | None:
    """The request body as `model`, or None when it is not JSON or does not fit."""
    try:
        return model.parse_obj(request.json)
    except (ValidationError, SanicException, TypeError, ValueError):
        return None


def founder_label(conversation_id: str) -> str:
    return f"방문자 {conversation_id[:6]}"


def profile_of(tracker: Tracker) -> FounderProfile:
    return FounderProfile.from_slots({field: tracker.slots.get(field) for field in PROFILE_SLOTS})


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """The founder's words, Dasi's and the agents' (button payloads left out)."""
    messages = []
    for event in tracker.events:
        if event.event == "user" and event.text and not event.text.startswith("/"):
            messages.append({"who": "founder", "text": event.text, "at": event.timestamp})
        elif event.event == "bot" and event.shown:
            agent = (event.metadata or {}).get("agent")
            messages.append(
                {"who": "agent" if agent else "dasi", "agent": agent, "text": event.shown, "at": event.timestamp}
            )
    return messages


def queue_view(handoff: Handoff, tracker: Tracker, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A queue entry: who, since when, the situation so far and the founder's last words."""
    return {
        **asdict(handoff),
        "status": handoff.status.value,
        "label": founder_label(handoff.conversation_id),
        "summary": answers.describe_profile(profile_of(tracker), knowledge()) or "아직 말씀하신 상황이 없어요",
        "said": [m["text"] for m in messages if m["who"] == "founder"][-3:],
    }


def spoke_of_crisis(tracker: Tracker) -> bool:
    """True when any of the founder's messages was recognised as a sign of suicidal thoughts."""
    return any(
        event.event == "user" and (event.parse_data or {}).get("intent", {}).get("name") == "express_crisis"
        for event in tracker.events
    )


def caller_script(profile: FounderProfile, crisis: bool) -> dict[str, object]:
    """The call script for a queued founder, with the open calls that fit them."""
    script = script_for_profile(profile, knowledge(), today(), crisis=crisis)
    script.open_calls = open_call_lines(profile, live_notices.current(), knowledge(), today())
    return script.as_dict()


def conversation_view(handoff: Handoff, tracker: Tracker) -> dict[str, Any]:
    """What an agent sees of one conversation: the queue entry, transcript and call script."""
    messages = transcript(tracker)
    return {
        **queue_view(handoff, tracker, messages),
        "messages": messages,
        "paused": tracker.paused,
        "script": caller_script(profile_of(tracker), crisis=spoke_of_crisis(tracker)),
    }


class Presence:
    """Which agents have an open console: each authenticated call marks its agent as seen.

    A live chat is offered, and queued, only while someone is there to take it; at night a
    founder gets the hotline at once instead of waiting for nobody.
    """

    def __init__(self, window: float = DEFAULT_PRESENCE_WINDOW) -> None:
        self.window = window
        self._seen: dict[str, float] = {}

    def seen(self, agent: str, now: float | None = None) -> None:
        self._seen[agent] = time.time() if now is None else now

    def left(self, agent: str) -> None:
        self._seen.pop(agent, None)

    def online(self, now: float | None = None) -> int:
        moment = time.time() if now is None else now
        return sum(moment - seen <= self.window for seen in self._seen.values())


def fail(message: str, status: int) -> HTTPResponse:
    """A JSON error whose message the console page shows to the agent as it is."""
    return response.json({"error": message}, status=status, headers=SECURITY_HEADERS)


def ok(body: Any) -> HTTPResponse:
    """A JSON answer with the console's security headers."""
    return response.json(body, headers=SECURITY_HEADERS)


async def off_loop(function: Any, *args: Any) -> Any:
    """`function(*args)` in a thread: requests blocks, and the console must keep serving meanwhile."""
    return await asyncio.to_thread(function, *args)


@dataclass(frozen=True)
class Console:
    """What the console's routes share: the accounts, the queue, Rasa and who is on duty."""

    accounts: Accounts
    queue: HandoffQueue
    rasa: RasaClient
    api_token: str
    agents: Presence
    secure_cookie: bool = False
    wait_limit: float = DEFAULT_WAIT_LIMIT

    def agent_of(self, request: Request) -> str | None:
        """The agent whose session cookie the request carries, or None."""
        return self.accounts.user_of(request.cookies.get(COOKIE))

    def from_action_server(self, request: Request) -> bool:
        """True when the request carries Rasa's API token, which only the action server holds."""
        supplied = request.headers.get("authorization", "").removeprefix("Bearer ")
        return bool(self.api_token) and hmac.compare_digest(supplied.encode(), self.api_token.encode())


def create_app(
    accounts: Accounts,
    queue: HandoffQueue,
    rasa: RasaClient,
    api_token: str,
    secure_cookie: bool = False,
    wait_limit: float = DEFAULT_WAIT_LIMIT,
    presence: Presence | None = None,
) -> Sanic:
    """The console. A founder whom no agent takes within `wait_limit` seconds goes back to Dasi."""
    app = Sanic("dasi_console")
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    console = Console(accounts, queue, rasa, api_token, presence or Presence(), secure_cookie, wait_limit)
    add_expiry(app, console)
    add_guard(app, console)
    add_page_routes(app)
    add_login_routes(app, console)
    add_script_routes(app, console)
    add_queue_routes(app, console)
    add_live_chat_routes(app, console)
    add_internal_routes(app, console)
    add_insights_routes(app)
    return app


async def expire_unanswered(console: Console) -> None:
    """Hands unanswered live-chat requests back to Dasi, which apologises and gives the hotline."""
    while True:
        await asyncio.sleep(min(15.0, max(1.0, console.wait_limit / 4)))
        for conversation_id in console.queue.expire(console.wait_limit):
            try:
                await off_loop(hand_back, console.rasa, conversation_id)
                logger.info("No agent took a live chat within %.0f s: handed back to Dasi", console.wait_limit)
            except RasaUnavailable:
                console.queue.requeue(conversation_id)  # try again on the next round


def add_expiry(app: Sanic, console: Console) -> None:
    """Runs `expire_unanswered` for as long as the server does."""

    @app.after_server_start
    async def start_expiry(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.add_task(expire_unanswered(console))


def add_guard(app: Sanic, console: Console) -> None:
    """Lets only a logged-in agent, from the console page, reach /console/api/."""

    @app.middleware("request")
    async def guard(request: Request) -> HTTPResponse | None:
        path = request.path
        if path.startswith("/console/api/") or path == "/console/insights":
            agent = console.agent_of(request)
            if agent is None and path == "/console/insights":
                # a page opened from a bookmark: the login, then back to what was asked for
                wanted = path + (f"?{request.query_string}" if request.query_string else "")
                return response.redirect(f"/console/?next={quote(wanted, safe='')}", status=303)
            if agent is None:
                return fail("로그인이 필요해요.", 401)
            console.agents.seen(agent)
        # a cross-site form cannot set this header (and the cookie is SameSite=Strict)
        if (
            request.method == "POST"
            and path.startswith("/console/api/")
            and request.headers.get("x-dasi-console") != "1"
        ):
            return fail("콘솔 화면에서만 보낼 수 있어요.", 403)
        return None


def add_page_routes(app: Sanic) -> None:
    """The console page and its script and style sheet."""

    @app.get("/console/", strict_slashes=False)
    async def page(request: Request) -> HTTPResponse:
        return response.html((STATIC / "console.html").read_text(encoding="utf-8"), headers=SECURITY_HEADERS)

    @app.get("/console/<name:(console\\.js|console\\.css)>")
    async def asset(request: Request, name: str) -> HTTPResponse:
        mime = "application/javascript" if name.endswith(".js") else "text/css"
        return response.text((STATIC / name).read_text(encoding="utf-8"), content_type=mime, headers=SECURITY_HEADERS)


def add_login_routes(app: Sanic, console: Console) -> None:
    """Logging in and out, and who is logged in (with the regions the short form offers)."""

    @app.post("/console/login")
    async def login(request: Request) -> HTTPResponse:
        form = parsed(Login, request)
        if form is None:
            return fail("아이디와 비밀번호를 입력해 주세요.", 400)
        if console.accounts.locked(form.username):
            return fail("로그인 실패가 많아 잠시 막혔어요. 5분 뒤에 다시 시도해 주세요.", 429)
        if not console.accounts.check(form.username, form.password):
            return fail("아이디 또는 비밀번호가 맞지 않아요.", 401)
        console.agents.seen(form.username)
        reply = ok({"agent": form.username})
        reply.cookies[COOKIE] = console.accounts.session_for(form.username)
        cookie = reply.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/console"
        cookie["secure"] = console.secure_cookie
        return reply

    @app.post("/console/logout")
    async def logout(request: Request) -> HTTPResponse:
        agent = console.agent_of(request)
        if agent is not None:
            console.agents.left(agent)
        reply = ok({"ok": True})
        reply.cookies[COOKIE] = ""
        reply.cookies[COOKIE]["path"] = "/console"
        reply.cookies[COOKIE]["max-age"] = 0
        return reply

    @app.get("/console/api/me")
    async def me(request: Request) -> HTTPResponse:
        regions = sorted(knowledge().regions.values(), key=lambda region: region.id)
        return ok(
            {
                "agent": console.agent_of(request),
                "regions": [{"id": region.id, "name": region.name} for region in regions],
            }
        )


def add_script_routes(app: Sanic, console: Console) -> None:
    """The call script for what a founder on the phone said or the agent filled in."""

    @app.post("/console/api/script")
    async def script(request: Request) -> HTTPResponse:
        body = parsed(ScriptRequest, request)
        if body is None or not body.text.strip() and not any(v is not None for v in body.form.dict().values()):
            return fail("상황을 글로 적거나 양식을 채워 주세요.", 400)
        mentions: list[Mention] = []
        if body.text.strip():
            try:
                mentions = mentions_of(body.text, await off_loop(console.rasa.parse, body.text))
            except RasaUnavailable as error:
                logger.warning("typed situation not read: %s", error)
                return fail(
                    "지금은 적어 주신 상황을 읽지 못했어요. 잠시 후 다시 시도하시거나 양식으로 입력해 주세요.", 502
                )
        return ok(await off_loop(script_payload, body, mentions))


def add_queue_routes(app: Sanic, console: Console) -> None:
    """The live-chat queue and one queued conversation with its call script."""

    @app.get("/console/api/handoffs")
    async def handoffs(request: Request) -> HTTPResponse:
        items = []
        for handoff in console.queue.open_handoffs():
            item: dict[str, Any] = {
                "conversation_id": handoff.conversation_id,
                "label": founder_label(handoff.conversation_id),
                "status": handoff.status.value,
                "agent": handoff.agent,
                "waiting_seconds": round(time.time() - handoff.requested_at),
            }
            try:
                tracker = await off_loop(console.rasa.tracker, handoff.conversation_id)
                view = queue_view(handoff, tracker, transcript(tracker))  # no call script: polled often
                item.update(summary=view["summary"], said=view["said"])
            except RasaUnavailable:
                item.update(summary="대화를 불러오지 못했어요", said=[])
            items.append(item)
        return ok({"handoffs": items})

    @app.get("/console/api/handoffs/<conversation_id>")
    async def conversation(request: Request, conversation_id: str) -> HTTPResponse:
        handoff = console.queue.get(conversation_id)
        if handoff is None:
            return fail("대기열에 없는 대화예요.", 404)
        try:
            tracker = await off_loop(console.rasa.tracker, conversation_id)
        except RasaUnavailable:
            return fail("대화를 불러오지 못했어요. 잠시 후 다시 시도해 주세요.", 502)
        return ok(await off_loop(conversation_view, handoff, tracker))


def add_live_chat_routes(app: Sanic, console: Console) -> None:
    """An agent takes a conversation, writes to the founder and hands the founder back to Dasi."""

    @app.post("/console/api/handoffs/<conversation_id>/claim")
    async def claim(request: Request, conversation_id: str) -> HTTPResponse:
        agent = console.agent_of(request) or ""
        try:
            before = console.queue.get(conversation_id)
            handoff = console.queue.claim(conversation_id, agent)
            if before is not None and before.status is Status.waiting:
                greeting = f"{agent} 상담사가 연결되었어요. 편하게 말씀해 주세요."
                await off_loop(console.rasa.append, conversation_id, [agent_message(greeting, agent)], True)
        except HandoffConflict as conflict:
            return fail(str(conflict), 409)
        except RasaUnavailable:
            return fail("방문자에게 연결 메시지를 보내지 못했어요. 다시 시도해 주세요.", 502)
        return ok({"status": handoff.status.value, "agent": handoff.agent})

    @app.post("/console/api/handoffs/<conversation_id>/reply")
    async def reply(request: Request, conversation_id: str) -> HTTPResponse:
        agent = console.agent_of(request) or ""
        body = parsed(Reply, request)
        if body is None:
            return fail(f"보낼 말을 {MAX_REPLY_CHARACTERS}자 안으로 적어 주세요.", 400)
        try:
            console.queue.held_by(conversation_id, agent)
            await off_loop(console.rasa.append, conversation_id, [agent_message(body.text, agent)], True)
        except HandoffConflict as conflict:
            return fail(str(conflict), 409)
        except RasaUnavailable:
            return fail("메시지를 보내지 못했어요. 다시 시도해 주세요.", 502)
        return ok({"sent": True})

    @app.post("/console/api/handoffs/<conversation_id>/handback")
    async def handback(request: Request, conversation_id: str) -> HTTPResponse:
        agent = console.agent_of(request) or ""
        try:
            console.queue.held_by(conversation_id, agent)
            await off_loop(hand_back, console.rasa, conversation_id)
        except HandoffConflict as conflict:
            return fail(str(conflict), 409)
        except RasaUnavailable:
            return fail("다시(Dasi)에게 돌려주지 못했어요. 다시 시도해 주세요.", 502)
        console.queue.close(conversation_id)
        return ok({"status": Status.closed.value})


def insights_range(request: Request) -> tuple[datetime.date, datetime.date] | None:
    """The page's date range (the last 30 days unless asked), or None when it makes no sense."""
    until_default = today()
    try:
        until = datetime.date.fromisoformat(request.args.get("until") or until_default.isoformat())
        since = datetime.date.fromisoformat(
            request.args.get("since") or (until - datetime.timedelta(days=29)).isoformat()
        )
    except ValueError:
        return None
    if since > until or (until - since).days > MAX_INSIGHT_DAYS:
        return None
    return since, until


MAX_INSIGHT_DAYS = 366


def insights_report(since: datetime.date, until: datetime.date) -> InsightReport:
    """Folds the conversations since the last look into the aggregates, then reads the range."""
    engine = open_engine(os.environ)
    try:
        update(engine)
        return build_report(engine, since, until, knowledge())
    finally:
        engine.dispose()


def add_insights_routes(app: Sanic) -> None:
    """What founders ask, where Dasi fails them and when agents are needed (for operators and agents)."""

    @app.get("/console/insights")
    async def insights(request: Request) -> HTTPResponse:
        asked = insights_range(request)
        if asked is None:
            return fail("날짜 범위를 확인해 주세요 (YYYY-MM-DD, 1년 이내).", 400)
        report = await off_loop(insights_report, *asked)
        page = render_html(report, charts_for(report), standalone=False, csv_links=True)
        return response.html(page, headers={**SECURITY_HEADERS, "Content-Security-Policy": INSIGHTS_POLICY})

    @app.get("/console/api/insights.csv")
    async def insights_csv(request: Request) -> HTTPResponse:
        asked = insights_range(request)
        if asked is None:
            return fail("날짜 범위를 확인해 주세요 (YYYY-MM-DD, 1년 이내).", 400)
        report = await off_loop(insights_report, *asked)
        chart = {chart.id: chart for chart in charts_for(report)}.get(request.args.get("chart") or "")
        if chart is None:
            return fail("그런 차트는 없어요.", 404)
        name = f"dasi-{chart.id}-{asked[0]}-{asked[1]}.csv"
        return response.raw(
            csv_bytes(chart),
            content_type="text/csv; charset=utf-8",
            headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
        )


def add_internal_routes(app: Sanic, console: Console) -> None:
    """What the action server asks: is an agent on duty, and queue this founder for a live chat."""

    @app.post("/console/internal/handoffs")
    async def internal_handoff(request: Request) -> HTTPResponse:
        """Called by the action server when a founder starts a live chat."""
        if not console.from_action_server(request):
            return fail("unauthorised", 401)
        body = parsed(InternalHandoff, request)
        if body is None:
            return fail('expected {"conversation_id": "..."}', 400)
        if console.agents.online() == 0 and console.queue.get(body.conversation_id) is None:
            return fail("no agent online", 409)
        handoff = console.queue.request(body.conversation_id)
        return ok({"status": handoff.status.value})

    @app.get("/console/internal/agents")
    async def internal_agents(request: Request) -> HTTPResponse:
        """Called by the action server before it offers a live chat."""
        if not console.from_action_server(request):
            return fail("unauthorised", 401)
        return ok({"online": console.agents.online()})


def agent_message(text: str, agent: str) -> dict[str, Any]:
    """A bot event the founder's widget shows, marked as the agent's."""
    return {"event": "bot", "text": text, "metadata": {"agent": agent}, "timestamp": time.time()}


def hand_back(rasa: RasaClient, conversation_id: str) -> None:
    """Resumes Dasi and lets it continue where it was (an open form asks again)."""
    # action_listen: the founder's turn, so the handback rule's `intent` step matches
    rasa.append(conversation_id, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])
    rasa.trigger(conversation_id, HANDBACK_INTENT)


def main() -> None:
    port = int(os.environ.get("DASI_CONSOLE_PORT", "5006"))
    try:
        accounts = Accounts(parse_users(os.environ.get("DASI_CONSOLE_USERS", "")))
    except ConfigurationError as error:
        raise SystemExit(f"agent console: {error}") from error
    if os.environ.get("DASI_CONSOLE_SESSION_SECRET"):
        accounts.secret = os.environ["DASI_CONSOLE_SESSION_SECRET"].encode()
    token = os.environ.get("DASI_API_TOKEN", "")
    rasa_url = os.environ.get("DASI_RASA_URL", f"http://127.0.0.1:{os.environ.get('DASI_PORT', '5005')}")
    database = Path(os.environ.get("DASI_CONSOLE_DB", str(ROOT / "var" / f"console-{port}.db")))
    knowledge()  # load (and validate) the knowledge base before the first agent waits for it
    app = create_app(
        accounts,
        HandoffQueue(database),
        RasaClient(rasa_url, token),
        token,
        secure_cookie=os.environ.get("DASI_CONSOLE_SECURE_COOKIE") == "1",
        wait_limit=float(os.environ.get("DASI_HANDOFF_WAIT_SECONDS", DEFAULT_WAIT_LIMIT)),
        presence=Presence(float(os.environ.get("DASI_AGENT_PRESENCE_SECONDS", DEFAULT_PRESENCE_WINDOW))),
    )
    app.run(host=os.environ.get("DASI_CONSOLE_HOST", "127.0.0.1"), port=port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
