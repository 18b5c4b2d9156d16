"""Serves Dasi's web page (rasa-webchat 1.0.1, installed from npm, served locally).

Registered in credentials.yml as `bot.channels.webpage.WebPage`; the page lives at
/webhooks/web/ and talks to the socket.io channel of the same server.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

STATIC = Path(__file__).resolve().parent / "static"
WEBCHAT_VERSION = (Path(__file__).resolve().parent / "webchat.version").read_text().strip()
SECURITY_HEADERS = {
    # The bundle is served by us; nothing is loaded from elsewhere.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class WebPage(InputChannel):
    """A page embedding the widget; it sends no messages itself (socket.io does)."""

    @classmethod
    def name(cls) -> str:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebPage:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        page = Blueprint("dasi_web_page", module.__name__ if module else None)

        @page.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            html = (STATIC / "index.html").read_text(encoding="utf-8")
            return response.html(html, headers=SECURITY_HEADERS)

        @page.route("/webchat.js", methods=["GET"])
        async def webchat(request: Request) -> HTTPResponse:
            bundle = STATIC / f"webchat-{WEBCHAT_VERSION}.js"
            if not bundle.exists():
                return response.text("webchat bundle missing: run ./dasi setup", status=503)
            return await response.file(
                str(bundle), mime_type="application/javascript", headers={"Cache-Control": "max-age=3600"}
            )

        return page
