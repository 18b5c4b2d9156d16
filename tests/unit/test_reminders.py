"""Deadline reminders: offered where a message can reach the founder, kept in the database, sent when due."""

from __future__ import annotations

import datetime
import http.server
import json
import threading
from dataclasses import replace
from pathlib import Path

from bot.guidance.dialogue import notices
from bot.knowledge.loader import knowledge
from bot.notices.answers import LiveNotices
from bot.notices.match import NoticeIndex
from bot.notices.models import Notice
from bot.notices.reminders import ReminderBook, deliver_due, perform
from bot.notices.store import NoticeStore
from tests.unit.conversation import TODAY, payloads, said, slot, turn

NOW = datetime.datetime(2026, 12, 3, 1, 0, tzinfo=datetime.timezone.utc)
CALL = Notice(
    source="kstartup",
    source_id="1",
    title="부산 소상공인 재기 지원사업 모집",
    regions=["부산"],
    url="https://www.k-startup.go.kr/notice/1",
    opens=datetime.date(2026, 11, 20),
    closes=datetime.date(2026, 12, 13),
    fetched_at=datetime.datetime(2026, 12, 3, 9, 0),
)
LIVE = LiveNotices(NoticeIndex([CALL], knowledge()), {"kstartup": True})


def in_busan(text: str, intent: str, channel: str, entities: list | None = None):
    asked = turn(text, intent, entities=entities, earlier=[slot("region", "busan")], channel=channel)
    return replace(asked, notices=LIVE, sender="founder-1")


def test_the_widget_is_offered_a_reminder_and_a_rest_client_is_not() -> None:
    offered = notices.open_calls(in_busan("지금 신청할 수 있는 공고 있어요?", "ask_restart_programs", "socketio"))
    assert payloads(offered) == [f'/remind_notice{{"notice": "{CALL.short_id}"}}']
    assert (
        payloads(notices.open_calls(in_busan("지금 신청할 수 있는 공고 있어요?", "ask_restart_programs", "rest"))) == []
    )


def asking(channel: str):
    entity = {"entity": "notice", "value": CALL.short_id, "extractor": "RegexMessageHandler"}
    return in_busan(f'/remind_notice{{"notice": "{CALL.short_id}"}}', "remind_notice", channel, [entity])


def test_asking_for_a_reminder_in_the_widget_keeps_one_for_three_days_before() -> None:
    reply = notices.remind(asking("socketio"))
    assert "12월 10일에 이 창으로 알려 드릴게요" in said(reply)
    assert payloads(reply) == ["/cancel_reminders"]
    (effect,) = reply.effects
    assert effect.kind == "remind" and effect.data["closes"] == "2026-12-13"


def test_kakao_and_rest_cannot_be_reminded_and_get_the_link_instead() -> None:
    for channel in ("kakao", "rest"):
        reply = notices.remind(asking(channel))
        assert "먼저 보내 드릴 수가 없어요" in said(reply) and CALL.url in said(reply)
        assert not reply.effects


def test_a_call_closing_within_three_days_is_better_applied_for_today() -> None:
    soon = replace(asking("socketio"), today=datetime.date(2026, 12, 11))
    reply = notices.remind(soon)
    assert "2일 남았어요" in said(reply) and not reply.effects


def test_the_reminder_message_says_the_deadline_and_offers_cancelling() -> None:
    entities = [
        {"entity": "notice_title", "value": CALL.title},
        {"entity": "notice_url", "value": CALL.url},
        {"entity": "notice_closes", "value": "2026-12-13"},
    ]
    due = replace(turn("", "EXTERNAL_notice_reminder", entities=entities), today=datetime.date(2026, 12, 10))
    reply = notices.reminder_message(due)
    assert "12월 13일에 마감돼요(D-3)" in said(reply) and CALL.url in said(reply)
    assert payloads(reply) == ["/cancel_reminders"]


def database(tmp_path: Path) -> dict[str, str]:
    return {"DASI_TRACKER_DB": str(tmp_path / "tracker.db")}


def test_a_kept_reminder_is_due_three_days_before_and_cancelled_on_request(tmp_path: Path) -> None:
    environ = database(tmp_path)
    asked = asking("socketio")
    assert perform(notices.remind(asked).effects, asked, environ).silent
    perform(notices.remind(asked).effects, asked, environ)  # asked twice: one reminder
    book = ReminderBook(NoticeStore.from_environ(environ))
    assert [r.remind_on for r in book.pending("founder-1")] == [datetime.date(2026, 12, 10)]
    assert book.due(datetime.date(2026, 12, 9)) == [] and len(book.due(datetime.date(2026, 12, 10))) == 1
    cancelled = perform(notices.cancel_reminders(asked).effects, asked, environ)
    assert said(cancelled) == "네, 마감 알림 1건을 취소했어요."
    assert book.pending() == []
    again = perform(notices.cancel_reminders(asked).effects, asked, environ)
    assert said(again) == "받기로 하신 마감 알림이 없어요."


class FakeRasa(http.server.BaseHTTPRequestHandler):
    calls: list[tuple[str, dict]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.calls.append((self.path, body))
        self.send_response(FakeRasa.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_due_reminders_are_triggered_in_rasa_once_and_retried_when_rasa_is_down(tmp_path: Path) -> None:
    environ = database(tmp_path)
    asked = asking("socketio")
    perform(notices.remind(asked).effects, asked, environ)
    book = ReminderBook(NoticeStore.from_environ(environ))
    server = http.server.HTTPServer(("127.0.0.1", 0), FakeRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        FakeRasa.status = 503
        assert deliver_due(book, url, "token", datetime.date(2026, 12, 10), NOW) == 0
        assert len(book.due(datetime.date(2026, 12, 10))) == 1  # kept for the next round
        FakeRasa.status, FakeRasa.calls = 200, []
        assert deliver_due(book, url, "token", datetime.date(2026, 12, 10), NOW) == 1
        assert deliver_due(book, url, "token", datetime.date(2026, 12, 10), NOW) == 0  # sent once
    finally:
        server.shutdown()
    ((path, body),) = FakeRasa.calls
    assert path.startswith("/conversations/founder-1/trigger_intent?output_channel=latest")
    assert body == {
        "name": "EXTERNAL_notice_reminder",
        "entities": {"notice_title": CALL.title, "notice_url": CALL.url, "notice_closes": "2026-12-13"},
    }
    assert datetime.date(2026, 12, 10) > TODAY


def test_a_short_typed_cancel_is_read_as_the_cancel_command() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.language.reminder_command import ReminderCommandDetector

    detector = ReminderCommandDetector({})
    texts = [
        "알림 취소",
        "마감 알림 꺼 주세요",
        "알림 그만 받을래요",
        "알림 받고 싶어요",
        "세금 체납 알림이 와서 취소하려고 하는데 어떻게 하나요",
    ]
    messages = [Message(data={"text": text, "intent": {"name": "dont_know", "confidence": 0.5}}) for text in texts]
    detector.process(messages)
    assert [message.get("intent")["name"] for message in messages] == [
        "cancel_reminders",
        "cancel_reminders",
        "cancel_reminders",
        "dont_know",
        "dont_know",
    ]
