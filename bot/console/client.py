"""The action server's calls to the agent console, off the event loop.

`requests` blocks; inside an async action a 5-second call would stall every other
conversation on the action server, so each call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import os

import requests

from bot.guidance.dialogue.handoff import Queued

logger = logging.getLogger(__name__)


def console_url() -> str | None:
    """The console's base URL (DASI_CONSOLE_URL), or None when no console is configured."""
    url = os.environ.get("DASI_CONSOLE_URL", "").rstrip("/")
    return url or None


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {os.environ.get('DASI_API_TOKEN', '')}"}


def queue_for_agent_now(conversation_id: str) -> Queued:
    """Asks the console to queue the conversation (blocking)."""
    url = console_url()
    if url is None:
        return Queued.failed
    try:
        response = requests.post(
            f"{url}/console/internal/handoffs",
            json={"conversation_id": conversation_id},
            headers=_headers(),
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


def agents_online_now() -> int:
    """How many agents have the console open now, 0 when it cannot be asked (blocking)."""
    url = console_url()
    if url is None:
        return 0
    try:
        response = requests.get(f"{url}/console/internal/agents", headers=_headers(), timeout=3)
        return int(response.json()["online"]) if response.status_code == 200 else 0
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        logger.warning("agent console unreachable: %s", error)
        return 0


async def queue_for_agent(conversation_id: str) -> Queued:
    return await asyncio.to_thread(queue_for_agent_now, conversation_id)


async def agents_online() -> int:
    return await asyncio.to_thread(agents_online_now)
