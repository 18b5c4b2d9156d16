"""Accessibility in Chromium: axe-core finds no serious or critical violation in the widget and the
console, and the widget can be used with the keyboard alone."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.browser.test_widget import open_widget, send
from tests.conftest import AGENT, AGENT_PASSWORD, ROOT, Dasi

playwright_sync = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
VERSION = (ROOT / "tests" / "browser" / "axe.version").read_text().strip()
AXE = ROOT / "tests" / "browser" / "vendor" / f"axe-{VERSION}.min.js"
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (./dasi setup installs it)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not fetched (./dasi setup fetches it)"),
]
STORY = "부산에서 식당 하다가 작년에 폐업했어요. 개인사업자였고 연체 없고 세금 체납 없고 4대보험도 없어요. 다시 창업하고 싶어요"


# The target is no serious or critical violation; the moderate ones (landmarks, heading order)
# are fixed too, and kept out.
BLOCKING = ("critical", "serious", "moderate")


def serious(page: Any, impacts: tuple[str, ...] = BLOCKING) -> list[str]:
    """axe-core's violations of these impacts on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (impacts) => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => impacts.includes(v.impact))"
        ".map(v => `${v.impact} ${v.id}: ${v.help} ${JSON.stringify(v.nodes.map(n => n.target))}`)",
        list(impacts),
    )
    return list(found)


def test_the_widget_has_no_serious_violation_closed_open_with_buttons_and_results(browser: Any, dasi: Dasi) -> None:
    page = browser.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    page.wait_for_selector(".rw-launcher, .rw-new-message", timeout=30_000)
    page.wait_for_timeout(500)
    if page.locator(".rw-new-message").is_visible():
        page.locator(".rw-close-button").click()
    assert serious(page) == [], "closed"
    open_widget(page)
    page.wait_for_timeout(1000)  # the opening animation fades the colours in
    assert serious(page) == [], "open"
    send(page, "도와주세요")
    page.locator(".rw-reply").first.wait_for(timeout=30_000)
    assert serious(page) == [], "with buttons"
    send(page, STORY)
    page.wait_for_timeout(2500)
    send(page, "모르겠어요")
    page.wait_for_timeout(3000)
    assert serious(page) == [], "after the finder"
    # names and announcements a screen reader needs
    assert page.evaluate("document.documentElement.lang") == "ko"
    assert page.locator(".rw-send").get_attribute("aria-label") == "보내기"
    assert page.locator("#rw-messages, .rw-messages-container").first.get_attribute("aria-live") == "polite"


def test_the_console_has_no_serious_violation_at_login_in_the_script_and_on_the_insights_page(
    browser: Any, dasi: Dasi
) -> None:
    page = browser.new_page()
    page.goto(f"{dasi.console_url}/console/")
    page.locator("#login").wait_for(timeout=15_000)
    assert serious(page) == [], "login"
    page.fill("#username", AGENT)
    page.fill("#password", AGENT_PASSWORD)
    page.click("#login-button")
    page.locator("#app").wait_for(timeout=15_000)
    assert serious(page) == [], "call script and queue"
    page.goto(f"{dasi.console_url}/console/insights")
    page.locator("svg[role=img]").first.wait_for(timeout=30_000)
    assert serious(page) == [], "insights"


def test_the_widget_works_with_the_keyboard_alone(browser: Any, dasi: Dasi) -> None:
    page = browser.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    page.wait_for_selector(".rw-launcher, .rw-new-message", timeout=30_000)
    page.wait_for_timeout(500)
    if page.locator(".rw-new-message").is_visible():
        page.locator(".rw-close-button").focus()
        page.keyboard.press("Enter")
    # Tab reaches the launcher; Enter opens the conversation
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('rw-launcher')"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "다시와 대화하기"
    page.keyboard.press("Enter")
    box = page.locator(".rw-new-message")
    box.wait_for(timeout=10_000)
    box.focus()
    page.keyboard.type("도와주세요")
    page.keyboard.press("Enter")
    reply = page.locator(".rw-reply").first
    reply.wait_for(timeout=30_000)
    # Tab from the message box reaches a quick reply; Enter chooses it
    for _ in range(30):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('rw-reply')"):
            break
    chosen = page.evaluate("document.activeElement.textContent")
    assert chosen, "no quick reply reached with the keyboard"
    answered = page.locator(".rw-response").count()
    page.keyboard.press("Enter")
    page.locator(".rw-client", has_text=chosen).last.wait_for(timeout=30_000)  # sent as the founder's choice
    page.wait_for_function(f"document.querySelectorAll('.rw-response').length > {answered}", timeout=30_000)
    # the conversation can be focused and scrolled; the same button closes it, and says so
    assert page.locator("#rw-messages, .rw-messages-container").first.get_attribute("tabindex") == "0"
    page.locator(".rw-launcher").focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "대화창 닫기"
    page.keyboard.press("Enter")
    page.locator(".rw-new-message").wait_for(state="hidden", timeout=10_000)
    assert page.locator(".rw-launcher").get_attribute("aria-label") == "다시와 대화하기"


@pytest.mark.parametrize("width, zoom", [(320, 1.0), (1280, 2.0)])
def test_the_widget_reflows_on_a_small_phone_and_at_double_zoom(
    browser: Any, dasi: Dasi, width: int, zoom: float
) -> None:
    # 200% zoom: the same screen, half as many CSS pixels, each drawn twice as large
    sized = browser.browser.new_context(
        viewport={"width": int(width / zoom), "height": int(640 / zoom)}, device_scale_factor=zoom
    )
    page = sized.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    open_widget(page)
    send(page, "도와주세요")
    page.locator(".rw-reply").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    # no horizontal scrolling of the page, and every message and quick reply inside the view
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    view = page.evaluate("window.innerWidth")
    boxes = page.evaluate(
        "Array.from(document.querySelectorAll('.rw-response, .rw-reply, .rw-new-message'))"
        ".map(e => e.getBoundingClientRect()).map(r => [r.left, r.right])"
    )
    assert boxes and all(left >= -1 and right <= view + 1 for left, right in boxes), (view, boxes)


def focus_ring(page: Any) -> str:
    """The focused element's outline, as the browser draws it for keyboard focus."""
    return str(
        page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; })()"
        )
    )


def tab_to(page: Any, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            assert focus_ring(page).split()[0] != "none", (selector, focus_ring(page))
            return
    raise AssertionError(f"Tab never reached {selector}")


def log_in_by_keyboard(browser: Any, dasi: Dasi) -> Any:
    """An agent's console page, logged in with Tab, typing and Enter only."""
    page = browser.new_page()
    page.goto(f"{dasi.console_url}/console/")
    page.locator("#login").wait_for(timeout=15_000)
    tab_to(page, "#username")
    page.keyboard.type(AGENT)
    tab_to(page, "#password")
    page.keyboard.type(AGENT_PASSWORD)
    page.keyboard.press("Enter")
    page.locator("#agent-name", has_text=AGENT).wait_for(timeout=15_000)
    return page


def test_an_agent_logs_in_and_makes_a_call_script_with_the_keyboard_alone(browser: Any, dasi: Dasi) -> None:
    page = log_in_by_keyboard(browser, dasi)
    tab_to(page, "#situation")
    page.keyboard.type("부산, 개인사업자, 작년에 폐업, 국세 체납")
    tab_to(page, "#make-script")
    page.keyboard.press("Enter")
    page.locator("#script-sections h3").first.wait_for(timeout=30_000)
    assert "걸림돌과 해결 방법" in page.locator("#script-sections").inner_text()


def test_the_widget_shows_where_the_keyboard_is(browser: Any, dasi: Dasi) -> None:
    page = browser.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    open_widget(page)
    page.locator(".rw-new-message").focus()
    page.keyboard.press("Shift+Tab")  # out of the box, to the previous control, by keyboard
    assert focus_ring(page).split()[0] != "none", focus_ring(page)


def never_trapped(page: Any, start: str, limit: int = 80) -> None:
    """From `start`, Tab moves on through the page and leaves the region it started in."""
    page.locator(start).first.focus()
    region = page.evaluate(
        f"(() => {{ const s = document.querySelector({start!r}); return s.closest('aside, section, form, main, body').tagName; }})()"
    )
    for _ in range(limit):
        page.keyboard.press("Tab")
        left = page.evaluate(
            f"(() => {{ const s = document.querySelector({start!r}).closest('aside, section, form, main, body');"
            " const a = document.activeElement; return !a || a === document.body || !s.contains(a); })()"
        )
        if left:
            return
    raise AssertionError(f"the keyboard stayed inside the {region} around {start} for {limit} presses")


def test_an_agent_takes_a_live_chat_with_the_keyboard_alone(browser: Any, dasi: Dasi) -> None:
    agent = log_in_by_keyboard(browser, dasi)
    # a founder asks for a person in the widget (the live chat is offered while an agent is on duty)
    founder = browser.new_page()
    founder.goto(f"{dasi.url}/webhooks/web/")
    open_widget(founder)
    send(founder, "상담원이랑 직접 얘기하고 싶어요")
    founder.locator(".rw-reply", has_text="상담사와 채팅하기").first.wait_for(timeout=30_000)
    founder.locator(".rw-reply", has_text="상담사와 채팅하기").first.click()
    founder.locator(".rw-response", has_text="연결을 요청했어요").first.wait_for(timeout=30_000)
    send(founder, "가게 정리하고 빚이 많아서 막막해요")
    agent.locator("#queue li", has_text="막막해요").wait_for(timeout=15_000)
    assert serious(agent) == [], "queue"
    # Tab reaches the entry, Enter opens it and the keyboard continues in the conversation
    tab_to(agent, "#queue .open-chat")
    agent.keyboard.press("Enter")
    agent.locator("#transcript", has_text="막막해요").wait_for(timeout=10_000)
    assert agent.evaluate("document.activeElement.id") == "chat-title"
    assert agent.locator("[aria-live='polite'] > #transcript").count() == 1
    tab_to(agent, "#claim")
    agent.keyboard.press("Enter")
    agent.wait_for_function("document.activeElement && document.activeElement.id === 'reply-text'", timeout=10_000)
    agent.keyboard.type("많이 힘드셨겠어요. 빚 정리부터 함께 볼게요.")
    agent.keyboard.press("Control+Enter")
    founder.locator(".rw-response", has_text="빚 정리부터 함께 볼게요").first.wait_for(timeout=30_000)
    agent.locator("#transcript li.agent", has_text="빚 정리부터").wait_for(timeout=10_000)
    assert serious(agent) == [], "live chat"
    # the founder's next words appear in the transcript as one new line (not the whole log again)
    lines = agent.locator("#transcript li").count()
    send(founder, "네 고마워요")
    agent.locator("#transcript li", has_text="네 고마워요").wait_for(timeout=15_000)
    assert agent.locator("#transcript li").count() == lines + 1
    never_trapped(agent, "#reply-text")
    tab_to(agent, "#handback", limit=80)
    agent.keyboard.press("Enter")
    agent.wait_for_function("document.activeElement && document.activeElement.id === 'queue-title'", timeout=10_000)
    founder.locator(".rw-response", has_text="상담사와의 대화를 마쳤어요").first.wait_for(timeout=30_000)
    agent.close()  # the agent goes off duty (an open console counts as on duty)


def test_the_keyboard_is_never_trapped_in_the_widget(browser: Any, dasi: Dasi) -> None:
    page = browser.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    open_widget(page)
    send(page, "도와주세요")
    page.locator(".rw-reply").first.wait_for(timeout=30_000)
    never_trapped(page, ".rw-new-message")
