"""The stored notices as the action server and the console read them: from the database, at most
every few minutes, prepared for matching. Reading is I/O; callers run `current` off the event loop.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping

from bot.knowledge.loader import knowledge
from bot.notices.answers import LiveNotices
from bot.notices.match import NoticeIndex

logger = logging.getLogger(__name__)
REREAD_SECONDS = 300.0  # a refresh runs hourly at most; five minutes late is soon enough

_lock = threading.Lock()
_cached: tuple[float, LiveNotices] | None = None


def current(environ: Mapping[str, str] | None = None) -> LiveNotices:
    """The stored notices (read again after REREAD_SECONDS); never raises: a broken store is 'off'."""
    global _cached
    environ = os.environ if environ is None else environ
    with _lock:
        reread = float(environ.get("DASI_NOTICES_REREAD_SECONDS", REREAD_SECONDS))
        if _cached is not None and time.monotonic() - _cached[0] < reread:
            return _cached[1]
        live = _read(environ)
        _cached = (time.monotonic(), live)
        return live


def forget() -> None:
    """Drops the cached notices (after a refresh in this process, and in tests)."""
    global _cached
    with _lock:
        _cached = None


def _read(environ: Mapping[str, str]) -> LiveNotices:
    from bot.notices.sources import sources_status
    from bot.notices.store import NoticeStore

    sources_on = sources_status(environ)
    try:
        store = NoticeStore.from_environ(environ)
        try:
            notices = store.all()
            fetched = [when for when in store.last_fetch().values() if when is not None]
        finally:
            store.close()
    except Exception as error:  # a missing or broken store turns the feature off, never a turn
        logger.warning("stored notices could not be read: %s", error)
        return LiveNotices(None, sources_on)
    index = NoticeIndex(notices, knowledge()) if notices else None
    return LiveNotices(index, sources_on, max(fetched) if fetched else None)
