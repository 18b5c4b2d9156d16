"""The finder's result in the web widget: one card a person can scan, use with the keyboard,
read with a screen reader and see on a small phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_accessibility import CHROMIUM, serious, tab_to
from tests.browser.test_widget import open_widget, send
from tests.conftest import FINDER_STORY, Dasi

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (./dasi setup installs it)"
)


def finder_card(page: Any) -> Any:
    """Tells the story and answers what the finder still asks with '모르겠어요' until the card shows."""
    send(page, FINDER_STORY)
    card = page.locator("section.dasi-card")
    for _ in range(4):
        try:
            card.first.wait_for(timeout=6_000)
            return card.first
        except Exception:  # playwright's TimeoutError: the finder asked one more question
            send(page, "모르겠어요")
    card.first.wait_for(timeout=10_000)
    return card.first


def test_the_result_card_shows_programs_with_verdicts_barriers_with_remedies_and_where_to_call(
    browser: Any,
    dasi: Dasi,
) -> None:
    page = browser.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    open_widget(page)
    card = finder_card(page)
    headings = card.locator("h3").all_inner_texts()
    assert headings == ["맞는 지원", "먼저 풀면 좋은 걸림돌", "문의할 곳"], headings
    programs = card.locator("ol > li")
    assert 1 <= programs.count() <= 4
    verdicts = card.locator(".dasi-verdict").all_inner_texts()
    assert verdicts and set(verdicts) <= {"신청 가능성이 높아요", "확인이 더 필요해요"}, verdicts
    assert "국세 체납" in card.inner_text()
    assert card.locator('a[href="tel:1357"]').count() == 1
    # the card is one region a screen reader can name, inside the conversation's live log
    assert card.get_attribute("aria-label") == "찾은 지원 결과"
    assert page.locator("[aria-live='polite'] section.dasi-card").count() >= 1
    assert serious(page) == [], "with the result card"


def test_a_card_button_works_from_the_keyboard(browser: Any, dasi: Dasi) -> None:
    page = browser.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    open_widget(page)
    card = finder_card(page)
    name = card.locator("ol > li .dasi-name").first.inner_text()
    about = page.locator(".rw-response", has_text=name)
    answered = about.count()
    page.locator(".rw-new-message").focus()
    # backwards from the message box, through the card, to its first program's button
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label == f"{name} 자세히 보기":
            break
    else:
        raise AssertionError(f"the keyboard never reached {name}'s button")
    page.keyboard.press("Enter")
    page.locator(".rw-client", has_text=f"{name} 자세히 보기").last.wait_for(timeout=30_000)
    # the program's own card answers (a bot message about it that was not there before)
    about.nth(answered).wait_for(timeout=30_000)
    # and the keyboard leaves the card again: Tab goes on to the message box
    tab_to(page, ".rw-new-message", limit=80)


def test_the_result_card_fits_a_small_phone(browser: Any, dasi: Dasi) -> None:
    small = browser.browser.new_context(viewport={"width": 320, "height": 640})
    page = small.new_page()
    page.goto(f"{dasi.url}/webhooks/web/")
    open_widget(page)
    card = finder_card(page)
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    box = card.bounding_box()
    assert box is not None and box["x"] >= -1 and box["x"] + box["width"] <= 321, box
    overflowing = page.evaluate(
        "Array.from(document.querySelectorAll('section.dasi-card *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length"
    )
    assert overflowing == 0
