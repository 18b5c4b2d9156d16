"""The web widget in headless Chromium (Debian's), against the running server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import Dasi

playwright_sync = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (./dasi setup installs it)"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(dasi: Dasi) -> Iterator[tuple]:
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{dasi.url}/webhooks/web/")
        yield page, errors
        context.close()
        browser.close()


def bot_texts(page) -> str:
    return "\n".join(page.locator(".rw-response").all_inner_texts())


def send(page, text: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")


def wait_for_text(page, text: str, timeout: float = 30_000) -> None:
    page.locator(".rw-response", has_text=text).first.wait_for(timeout=timeout)


def open_widget(page) -> None:
    page.wait_for_selector(".rw-launcher, .rw-new-message", timeout=30_000)
    page.wait_for_timeout(500)  # a persisted session may reopen the widget by itself
    if not page.locator(".rw-new-message").is_visible():
        page.locator(".rw-launcher").click()
    page.locator(".rw-new-message").wait_for(timeout=30_000)


def test_page_loads_greets_and_answers(page) -> None:
    page, errors = page
    assert page.title() == "다시 — 재도전 지원 안내"
    open_widget(page)
    wait_for_text(page, "다시(Dasi)")
    send(page, "국세 체납이 있는데 재창업할 수 있나요?")
    wait_for_text(page, "조세특례제한법")
    answer = page.locator(".rw-response", has_text="조세특례제한법").first.inner_text()
    # our line breaks survive Markdown rendering, and a [title] is text, not a link
    assert answer.count("\n") >= 3, answer
    assert "[국세 체납]" in bot_texts(page)
    assert page.locator(".rw-response a", has_text="국세 체납").count() == 0
    assert not [error for error in errors if "favicon" not in error], errors


def test_a_button_click_works_and_a_reload_keeps_the_history(page) -> None:
    page, _ = page
    open_widget(page)
    wait_for_text(page, "다시(Dasi)")
    page.locator(".rw-reply", has_text="가까운 상담 센터").first.click()
    wait_for_text(page, "어느 지역")
    page.reload()
    open_widget(page)
    wait_for_text(page, "어느 지역")
    assert "다시(Dasi)" in bot_texts(page)


def test_html_and_scripts_are_shown_as_text(page) -> None:
    page, _ = page
    open_widget(page)
    wait_for_text(page, "다시(Dasi)")
    attack = '<img src=x onerror="window.__dasi_xss=1"><script>window.__dasi_xss=2</script>'
    send(page, attack)
    page.locator(".rw-client", has_text="<img").first.wait_for(timeout=15_000)
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__dasi_xss") is None
    assert page.locator(".rw-client img").count() == 0
