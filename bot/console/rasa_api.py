"""The console's only way into conversations: Rasa's token-protected HTTP API, via requests.

No conversation state is copied: each view reads the tracker again. Agent replies are
appended as bot events with `execute_side_effects`, which makes Rasa push them to the
founder's channel (socket.io; through Redis when the replicas share one).
"""

from __future__ import annotations

from typing import Any

import requests
from pydantic import BaseModel, Extra, ValidationError

from bot.guidance.result_card import shown_text

TIMEOUT_SECONDS = 10


class RasaUnavailable(Exception):
    """Rasa did not answer, or answered with an error."""


class TrackerEvent(BaseModel):
    event: str
    timestamp: float | None = None
    text: str | None = None
    name: str | None = None
    metadata: dict[str, Any] | None = None
    parse_data: dict[str, Any] | None = None  # user events: the intent Rasa understood
    data: dict[str, Any] | None = None  # bot events: buttons, or a result card (custom)

    @property
    def shown(self) -> str:
        """What a bot message showed, as text (a result card's plain rendering)."""
        return shown_text(self.text, self.data)

    class Config:
        extra = Extra.ignore


class Tracker(BaseModel):
    """The part of Rasa's tracker JSON the console reads."""

    sender_id: str
    slots: dict[str, Any] = {}
    events: list[TrackerEvent] = []
    paused: bool = False
    latest_input_channel: str | None = None

    class Config:
        extra = Extra.ignore


class RasaClient:
    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.http = requests.Session()

    def tracker(self, conversation_id: str) -> Tracker:
        data = self._call("GET", f"/conversations/{conversation_id}/tracker", params={"include_events": "ALL"})
        try:
            return Tracker.parse_obj(data)
        except ValidationError as error:
            raise RasaUnavailable(f"unexpected tracker from Rasa: {error}") from error

    def append(self, conversation_id: str, events: list[dict[str, Any]], push: bool = False) -> None:
        """Appends events; with `push`, bot messages go out to the founder's latest channel."""
        params = {"execute_side_effects": "true", "output_channel": "latest"} if push else {}
        self._call("POST", f"/conversations/{conversation_id}/tracker/events", params=params, json=events)

    def trigger(self, conversation_id: str, intent: str) -> None:
        """Runs Dasi's next actions for an external intent; replies go to the latest channel."""
        self._call(
            "POST",
            f"/conversations/{conversation_id}/trigger_intent",
            params={"output_channel": "latest"},
            json={"name": intent, "entities": {}},
        )

    def parse(self, text: str) -> list[dict[str, Any]]:
        """The NLU pipeline's entities for `text` (the gazetteer runs in Rasa, not in the console)."""
        data = self._call("POST", "/model/parse", json={"text": text})
        entities = data.get("entities") if isinstance(data, dict) else None
        if not isinstance(entities, list):
            raise RasaUnavailable("unexpected parse result from Rasa")
        return [entity for entity in entities if isinstance(entity, dict)]

    def _call(self, method: str, path: str, params: dict[str, str] | None = None, json: Any = None) -> Any:
        try:
            response = self.http.request(
                method,
                f"{self.url}{path}",
                params={**(params or {}), "token": self.token},
                json=json,
                timeout=TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            raise RasaUnavailable(f"Rasa is not reachable: {error}") from error
        if response.status_code >= 400:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}: {response.text[:200]}")
        return response.json() if response.content else None
