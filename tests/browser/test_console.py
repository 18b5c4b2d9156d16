"""The agent console in headless Chromium: login, call script, queue, reply and hand back.

A founder uses the real web widget in a second browser context, so what the agent sends
is checked where the founder reads it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.test_widget import ARGS, CHROMIUM, open_widget, send, wait_for_text
from tests.conftest import AGENT, AGENT_PASSWORD, Dasi

playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture
def browser() -> Iterator:
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def console_page(browser, dasi: Dasi):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{dasi.console_url}/console/")
    return page, errors


def log_in(page, password: str = AGENT_PASSWORD) -> None:
    page.locator("#username").fill(AGENT)
    page.locator("#password").fill(password)
    page.locator("#login-button").click()


def test_login_and_a_call_script_with_copy(browser, dasi: Dasi) -> None:
    page, errors = console_page(browser, dasi)
    page.locator("#login").wait_for(timeout=15_000)
    log_in(page, "wrong-password-123")
    page.locator("#login-error", has_text="맞지 않아요").wait_for(timeout=10_000)
    assert page.locator("#app").is_hidden()

    log_in(page)
    page.locator("#agent-name", has_text=AGENT).wait_for(timeout=10_000)
    page.locator("#situation").fill("대구, 법인 대표, 2년 전 폐업, 신보 대위변제, 국세 체납 2천만 원")
    page.locator("#make-script").click()
    page.locator("#script-sections", has_text="첫 마디").wait_for(timeout=30_000)
    script = page.locator("#script-sections").inner_text()
    for expected in ("대구", "더 여쭤볼 것", "국세 체납", "제99조의6", "☎ 1357", "기준일"):
        assert expected in script, expected
    # two supports that go together are said, with the source's caution (issue 16)
    assert "함께·따로 받는 지원" in script and "원금 감면율이 최대 10%p" in script

    page.locator("#copy-script").click()
    page.locator("#copy-status", has_text="복사했어요").wait_for(timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "■ 첫 마디" in copied and "국세 체납" in copied

    # the short form alone gives a script too, and the form wins over typed text
    page.locator("#situation").fill("")
    page.locator("#short-form summary").click()
    page.locator("#f-region").select_option("busan")
    page.locator("#f-credit_state").select_option("bankrupt")
    page.locator("#make-script").click()
    page.locator("#script-sections", has_text="부산").wait_for(timeout=30_000)
    assert "파산" in page.locator("#script-sections").inner_text()

    # a reload keeps the login (cookie); logging out ends it
    page.reload()
    page.locator("#agent-name", has_text=AGENT).wait_for(timeout=10_000)
    page.locator("#logout").click()
    page.locator("#login").wait_for(timeout=10_000)
    page.reload()
    page.locator("#login").wait_for(timeout=10_000)
    assert page.locator("#app").is_hidden()
    assert not errors, errors


def test_queue_reply_and_hand_back_reach_the_founders_widget(browser, dasi: Dasi) -> None:
    # an agent on duty: the live chat is offered only while someone has the console open
    page, errors = console_page(browser, dasi)
    log_in(page)
    page.locator("#agent-name", has_text=AGENT).wait_for(timeout=10_000)

    founder_context = browser.new_context()
    founder = founder_context.new_page()
    founder.goto(f"{dasi.url}/webhooks/web/")
    open_widget(founder)
    wait_for_text(founder, "다시(Dasi)")
    send(founder, "부산에서 옷가게 하다가 작년에 폐업했어요")
    founder.wait_for_timeout(3_000)
    send(founder, "상담원이랑 직접 얘기하고 싶어요")
    founder.locator(".rw-reply", has_text="상담사와 채팅하기").first.wait_for(timeout=30_000)
    founder.locator(".rw-reply", has_text="상담사와 채팅하기").first.click()
    wait_for_text(founder, "연결을 요청했어요")
    send(founder, "세금이 밀려서 너무 막막해요")

    entry = page.locator("#queue li", has_text="세금이 밀려서 너무 막막해요")
    entry.wait_for(timeout=15_000)
    assert "부산" in entry.inner_text() and "연결 대기" in entry.inner_text()
    entry.click()
    page.locator("#transcript", has_text="세금이 밀려서").wait_for(timeout=10_000)
    page.locator("#claim").click()
    page.locator("#reply-text").wait_for(timeout=10_000)
    wait_for_text(founder, f"{AGENT} 상담사가 연결되었어요")

    page.locator("#reply-text").fill("많이 힘드셨겠어요. 체납은 분납으로 풀 수 있어요.")
    page.locator("#send-reply").click()
    wait_for_text(founder, "분납으로 풀 수 있어요")
    page.locator("#transcript li.agent", has_text="분납으로").wait_for(timeout=10_000)

    page.locator("#use-script").click()
    page.locator("#script-sections", has_text="부산").wait_for(timeout=10_000)

    page.locator("#handback").click()
    entry.wait_for(state="detached", timeout=10_000)
    wait_for_text(founder, "상담사와의 대화를 마쳤어요")
    send(founder, "연대보증은 아직도 서야 하나요?")
    wait_for_text(founder, "연대보증")
    assert not errors, errors
    founder_context.close()
    page.context.close()  # the agent goes off duty (an open console counts as on duty)


def test_a_logged_out_operator_opening_the_insights_page_logs_in_and_lands_on_it(browser, dasi: Dasi) -> None:
    page, errors = console_page(browser, dasi)
    page.goto(f"{dasi.console_url}/console/insights?since=2026-11-01&until=2026-11-28")
    page.locator("#login").wait_for(timeout=15_000)  # the login, not a JSON error
    log_in(page)
    page.wait_for_url("**/console/insights?since=2026-11-01&until=2026-11-28", timeout=15_000)
    assert page.locator("h1").first.inner_text().startswith("다시(Dasi) 이용 현황")
    # a next= that points elsewhere is not followed
    page.context.clear_cookies()
    page.goto(f"{dasi.console_url}/console/?next=https://example.com/console/")
    log_in(page)
    page.locator("#agent-name", has_text=AGENT).wait_for(timeout=15_000)
    assert page.url.startswith(dasi.console_url)
    assert not errors, errors
    page.context.close()
