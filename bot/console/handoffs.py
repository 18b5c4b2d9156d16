"""The console's queue of live-chat requests: which conversation, since when, which agent.

Only this bookkeeping lives here (SQLite, survives a console restart); the conversation
itself stays in Rasa's tracker store and is read through the HTTP API.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Status(str, Enum):
    waiting = "waiting"  # the founder asked; no agent yet
    active = "active"  # an agent has it
    closed = "closed"  # handed back to Dasi


@dataclass(frozen=True)
class Handoff:
    conversation_id: str
    status: Status
    requested_at: float
    agent: str | None
    claimed_at: float | None


class HandoffConflict(Exception):
    """The handoff is not in a state that allows the request (e.g. another agent has it)."""


class HandoffQueue:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS handoffs ("
                " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                " conversation_id TEXT NOT NULL,"
                " status TEXT NOT NULL,"
                " requested_at REAL NOT NULL,"
                " agent TEXT,"
                " claimed_at REAL,"
                " closed_at REAL)"
            )

    def request(self, conversation_id: str, now: float | None = None) -> Handoff:
        """Queues a conversation; asking again while it is open keeps its place."""
        with self._lock, self._db:
            current = self._open(conversation_id)
            if current is not None:
                return current
            self._db.execute(
                "INSERT INTO handoffs (conversation_id, status, requested_at) VALUES (?, ?, ?)",
                (conversation_id, Status.waiting.value, time.time() if now is None else now),
            )
            opened = self._open(conversation_id)
            assert opened is not None
            return opened

    def open_handoffs(self) -> list[Handoff]:
        """Waiting and active handoffs, oldest request first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT conversation_id, status, requested_at, agent, claimed_at FROM handoffs"
                " WHERE status != ? ORDER BY requested_at, id",
                (Status.closed.value,),
            ).fetchall()
        return [self._handoff(row) for row in rows]

    def get(self, conversation_id: str) -> Handoff | None:
        with self._lock:
            return self._open(conversation_id)

    def claim(self, conversation_id: str, agent: str, now: float | None = None) -> Handoff:
        with self._lock, self._db:
            current = self._open(conversation_id)
            if current is None:
                raise HandoffConflict("이 대화는 대기열에 없어요.")
            if current.status is Status.active and current.agent != agent:
                raise HandoffConflict(f"{current.agent} 상담사가 이미 맡은 대화예요.")
            if current.status is Status.waiting:
                self._db.execute(
                    "UPDATE handoffs SET status = ?, agent = ?, claimed_at = ? WHERE conversation_id = ? AND status = ?",
                    (
                        Status.active.value,
                        agent,
                        time.time() if now is None else now,
                        conversation_id,
                        Status.waiting.value,
                    ),
                )
            claimed = self._open(conversation_id)
            assert claimed is not None
            return claimed

    def held_by(self, conversation_id: str, agent: str) -> Handoff:
        """The active handoff of `agent`, or HandoffConflict."""
        current = self.get(conversation_id)
        if current is None or current.status is not Status.active:
            raise HandoffConflict("먼저 '상담 시작'을 눌러 대화를 맡아 주세요.")
        if current.agent != agent:
            raise HandoffConflict(f"{current.agent} 상담사가 맡은 대화예요.")
        return current

    def expire(self, wait_limit: float, now: float | None = None) -> list[str]:
        """Closes the requests no agent took within `wait_limit` seconds; returns their ids.

        Atomic with `claim`: a request an agent claims at the same moment is not expired.
        """
        now = time.time() if now is None else now
        with self._lock, self._db:
            rows = self._db.execute(
                "SELECT id, conversation_id FROM handoffs WHERE status = ? AND requested_at <= ?",
                (Status.waiting.value, now - wait_limit),
            ).fetchall()
            self._db.executemany(
                "UPDATE handoffs SET status = ?, closed_at = ? WHERE id = ? AND status = ?",
                [(Status.closed.value, now, row_id, Status.waiting.value) for row_id, _ in rows],
            )
        return [conversation_id for _, conversation_id in rows]

    def requeue(self, conversation_id: str) -> None:
        """Puts an expired request back in the queue (when handing it back to Dasi failed)."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE handoffs SET status = ?, closed_at = NULL WHERE id ="
                " (SELECT MAX(id) FROM handoffs WHERE conversation_id = ?) AND agent IS NULL",
                (Status.waiting.value, conversation_id),
            )

    def close(self, conversation_id: str, now: float | None = None) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE handoffs SET status = ?, closed_at = ? WHERE conversation_id = ? AND status != ?",
                (Status.closed.value, time.time() if now is None else now, conversation_id, Status.closed.value),
            )

    def _open(self, conversation_id: str) -> Handoff | None:
        row = self._db.execute(
            "SELECT conversation_id, status, requested_at, agent, claimed_at FROM handoffs"
            " WHERE conversation_id = ? AND status != ? ORDER BY id DESC LIMIT 1",
            (conversation_id, Status.closed.value),
        ).fetchone()
        return self._handoff(row) if row else None

    @staticmethod
    def _handoff(row: tuple) -> Handoff:
        conversation_id, status, requested_at, agent, claimed_at = row
        return Handoff(conversation_id, Status(status), requested_at, agent, claimed_at)
