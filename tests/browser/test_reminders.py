"""A deadline reminder reaches the widget in Chromium after the clock moves, across a restart of every process."""

from __future__ import annotations

import datetime
import shutil
import uuid
from pathlib import Path

import pytest

from bot.notices.models import Notice
from bot.notices.sources import FetchResult
from bot.notices.store import NoticeStore
from tests.browser.test_widget import ARGS, open_widget, send, wait_for_text
from tests.conftest import start_dasi, stop_dasi, worker_offset

playwright_sync = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

FETCHED = datetime.datetime(2026, 12, 3, 0, 30, tzinfo=datetime.timezone.utc)
CALL = Notice(
    source="kstartup",
    source_id="reminder-1",
    title="부산 소상공인 재기 지원사업 추가 모집",
    regions=["부산"],
    url="https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?pbancSn=170001",
    opens=datetime.date(2026, 11, 20),
    closes=datetime.date(2026, 12, 13),
    agency="부산경제진흥원",
    fetched_at=FETCHED,
)
REMINDER_ENV = {"DASI_REMINDER_POLL_SECONDS": "1", "DASI_REMINDER_START_DELAY_SECONDS": "6"}


def serve(directory: Path, port: int, today: str):
    return start_dasi(directory, port, port + 50, extra_env={**REMINDER_ENV, "DASI_TODAY": today})


def test_a_reminder_arrives_in_the_widget_after_the_clock_moves_and_every_process_restarts(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> None:
    directory = tmp_path_factory.mktemp("reminders")
    port = 16805 + worker_offset(worker_id)
    process, dasi = serve(directory, port, "2026-12-03")
    store = NoticeStore(f"sqlite:///{dasi.database}")
    store.save([CALL], FETCHED)
    store.record_fetch(FetchResult("kstartup", [CALL], [], None, 1), fetched_at=FETCHED)
    store.close()
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_context().new_page()
        try:
            page.goto(f"{dasi.url}/webhooks/web/?founder={uuid.uuid4().hex[:6]}")
            open_widget(page)
            send(page, "부산에 살아요")
            page.wait_for_timeout(1500)
            send(page, "요즘 모집 중인 지원사업 있나요?")
            wait_for_text(page, CALL.title)
            page.locator(".rw-reply", has_text="마감 3일 전에 알려 주세요").first.click()
            wait_for_text(page, "12월 10일에 이 창으로 알려 드릴게요")
            # every process stops; the clock moves to the reminder day; Dasi starts again
            stop_dasi(process)
            process, dasi = serve(directory, port, "2026-12-10")
            wait_for_text(page, "12월 13일에 마감돼요(D-3)", timeout=90_000)
            assert CALL.url in "\n".join(page.locator(".rw-response").all_inner_texts())
        finally:
            browser.close()
            stop_dasi(process)
