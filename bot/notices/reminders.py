"""Deadline reminders: "마감 3일 전에 알려 드릴까요?", kept in the database and sent when due.

A reminder is a row of `dasi_reminders` in the notices' database (the tracker store's). The
sender (`deliver_due`, run every minute by `./dasi run`) finds the rows due today and asks
Rasa, through its external-trigger API, to run `EXTERNAL_notice_reminder` for that founder;
Rasa sends the message to the founder's latest channel (the widget's socket or Telegram).
Nothing lives only in memory, so a reminder survives a restart of every process: the first
round after a start sends what fell due meanwhile. A reminder that Rasa did not take (down,
restarting) is tried again on the next round.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import requests
import sqlalchemy as sa

from bot.guidance.dialogue.turn import NOTHING, Effect, Reply, Turn, text
from bot.notices.models import REMIND_DAYS_BEFORE
from bot.notices.store import NoticeStore

logger = logging.getLogger(__name__)

DAYS_BEFORE = REMIND_DAYS_BEFORE
REMINDER_INTENT = "EXTERNAL_notice_reminder"

# Its own metadata: the notices' store creates only its own tables, the book creates this one.
metadata = sa.MetaData()

reminders_table = sa.Table(
    "dasi_reminders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("notice_key", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("closes", sa.Date, nullable=False),
    sa.Column("remind_on", sa.Date, nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("cancelled_at", sa.DateTime(timezone=True)),
)


@dataclass(frozen=True)
class Reminder:
    id: int
    sender_id: str
    channel: str
    notice_key: str
    title: str
    url: str
    closes: datetime.date
    remind_on: datetime.date


def remind_on(closes: datetime.date, today: datetime.date) -> datetime.date:
    """Three days before the deadline, or today when that day has already come."""
    return max(today, closes - datetime.timedelta(days=DAYS_BEFORE))


class ReminderBook:
    """The reminders in the notices' database."""

    def __init__(self, store: NoticeStore) -> None:
        self.engine = store.engine
        metadata.create_all(self.engine, tables=[reminders_table], checkfirst=True)

    def add(
        self,
        sender_id: str,
        channel: str,
        notice_key: str,
        title: str,
        url: str,
        closes: datetime.date,
        today: datetime.date,
        now: datetime.datetime,
    ) -> Reminder:
        """A reminder for this founder and call; asking twice keeps one."""
        with self.engine.begin() as connection:
            existing = connection.execute(
                sa.select(reminders_table.c.id).where(
                    reminders_table.c.sender_id == sender_id,
                    reminders_table.c.notice_key == notice_key,
                    reminders_table.c.sent_at.is_(None),
                    reminders_table.c.cancelled_at.is_(None),
                )
            ).first()
            day = remind_on(closes, today)
            if existing is None:
                row_id = connection.execute(
                    reminders_table.insert().values(
                        sender_id=sender_id,
                        channel=channel,
                        notice_key=notice_key,
                        title=title,
                        url=url,
                        closes=closes,
                        remind_on=day,
                        created_at=now,
                    )
                ).inserted_primary_key[0]
            else:
                row_id = existing[0]
        return Reminder(int(row_id), sender_id, channel, notice_key, title, url, closes, day)

    def cancel_all(self, sender_id: str, now: datetime.datetime) -> int:
        """Cancels every reminder this founder is still waiting for; returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(
                reminders_table.update()
                .where(
                    reminders_table.c.sender_id == sender_id,
                    reminders_table.c.sent_at.is_(None),
                    reminders_table.c.cancelled_at.is_(None),
                )
                .values(cancelled_at=now)
            )
        return int(result.rowcount or 0)

    def pending(self, sender_id: str | None = None) -> list[Reminder]:
        query = sa.select(reminders_table).where(
            reminders_table.c.sent_at.is_(None), reminders_table.c.cancelled_at.is_(None)
        )
        if sender_id is not None:
            query = query.where(reminders_table.c.sender_id == sender_id)
        with self.engine.connect() as connection:
            return [_reminder(row) for row in connection.execute(query.order_by(reminders_table.c.remind_on))]

    def due(self, today: datetime.date) -> list[Reminder]:
        return [reminder for reminder in self.pending() if reminder.remind_on <= today]

    def mark_sent(self, reminder_id: int, now: datetime.datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(reminders_table.update().where(reminders_table.c.id == reminder_id).values(sent_at=now))


def _reminder(row: sa.engine.Row) -> Reminder:
    return Reminder(
        int(row.id), row.sender_id, row.channel, row.notice_key, row.title, row.url, row.closes, row.remind_on
    )


def deliver_due(
    book: ReminderBook,
    rasa_url: str,
    token: str,
    today: datetime.date,
    now: datetime.datetime,
    timeout: float = 10.0,
) -> int:
    """Asks Rasa to send every reminder due today; returns how many it took (the rest wait)."""
    sent = 0
    for reminder in book.due(today):
        try:
            response = requests.post(
                f"{rasa_url.rstrip('/')}/conversations/{reminder.sender_id}/trigger_intent",
                params={"output_channel": "latest", "token": token},
                json={"name": REMINDER_INTENT, "entities": reminder_entities(reminder)},
                timeout=timeout,
            )
        except requests.RequestException as error:
            logger.warning("reminder %s not sent yet: %s", reminder.id, type(error).__name__)
            continue
        if response.status_code != 200:
            logger.warning("reminder %s not sent yet: HTTP %s", reminder.id, response.status_code)
            continue
        book.mark_sent(reminder.id, now)
        sent += 1
    return sent


def reminder_entities(reminder: Reminder) -> Mapping[str, str]:
    """What the reminder message says, carried to the action as the external intent's entities."""
    return {"notice_title": reminder.title, "notice_url": reminder.url, "notice_closes": reminder.closes.isoformat()}


def perform(effects: Sequence[Effect], turn: Turn, environ: Mapping[str, str] | None = None) -> Reply:
    """Carries out what the reminder rules asked (I/O: run it off the event loop); says what came of it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        store = NoticeStore.from_environ(os.environ if environ is None else environ)
        try:
            book = ReminderBook(store)
            said = NOTHING
            for effect in effects:
                if effect.kind == "remind":
                    data = effect.data
                    closes = datetime.date.fromisoformat(str(data["closes"]))
                    book.add(
                        turn.sender, turn.channel or "", str(data["key"]), str(data["title"]), str(data["url"]),
                        closes, turn.today, now,
                    )  # fmt: skip
                elif effect.kind == "cancel_reminders":
                    count = book.cancel_all(turn.sender, now)
                    said += text(
                        f"네, 마감 알림 {count}건을 취소했어요." if count else "받기로 하신 마감 알림이 없어요."
                    )
            return said
        finally:
            store.close()
    except Exception as error:  # the founder hears it did not work; the conversation goes on
        logger.warning("reminder not kept: %s", type(error).__name__)
        return text("죄송해요, 지금은 알림을 저장하거나 바꾸지 못했어요. 잠시 후 다시 눌러 주세요.")
