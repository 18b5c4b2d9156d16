"""Prints axe-core's violations, of every impact, for each view of the widget and the console.

    .venv/bin/python -m tests.benchmarks.accessibility_report

Starts its own Dasi (the trained model under models/) and Chromium. The widget is checked twice:
as Dasi serves it, and as rasa-webchat 1.0.1 draws itself without the page's patch script
(the "before"). The browser tests assert 0 serious or critical violations; this report also
counts the moderate and minor ones.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.browser.test_accessibility import AXE
from tests.browser.test_widget import ARGS, open_widget, send
from tests.conftest import AGENT, AGENT_PASSWORD, FINDER_STORY, start_dasi, stop_dasi

PATCH_SCRIPT = re.compile(r"<script>\s*// rasa-webchat 1\.0\.1 draws.*?</script>", re.S)


def violations(page: Any) -> list[tuple[str, str, int]]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => [v.impact, v.id, v.nodes.length])"
    )
    return [tuple(item) for item in found]


def report(name: str, found: list[tuple[str, str, int]]) -> Counter[str]:
    impacts = Counter(impact for impact, _, _ in found)
    rules = ", ".join(f"{rule} ({impact}, {nodes})" for impact, rule, nodes in found) or "none"
    print(
        f"{name:<28} critical {impacts['critical']} serious {impacts['serious']} "
        f"moderate {impacts['moderate']} minor {impacts['minor']}: {rules}"
    )
    return impacts


def widget(context: Any, url: str, stock: bool) -> None:
    page = context.new_page()
    if stock:

        def unpatched(route: Any) -> None:
            body = route.fetch().text()
            route.fulfill(body=PATCH_SCRIPT.sub("", body), content_type="text/html; charset=utf-8")

        page.route("**/webhooks/web/", unpatched)
    label = "stock widget" if stock else "widget"
    page.goto(f"{url}/webhooks/web/")
    page.wait_for_selector(".rw-launcher, .rw-new-message", timeout=30_000)
    page.wait_for_timeout(800)
    if page.locator(".rw-new-message").is_visible():
        page.locator(".rw-launcher").click()
        page.wait_for_timeout(800)
    report(f"{label}: closed", violations(page))
    open_widget(page)
    page.wait_for_timeout(1000)
    report(f"{label}: open", violations(page))
    send(page, "도와주세요")
    page.locator(".rw-reply").first.wait_for(timeout=30_000)
    report(f"{label}: buttons", violations(page))
    send(page, FINDER_STORY)
    for _ in range(4):
        page.wait_for_timeout(4000)
        if page.locator("section.dasi-card").count() or page.locator(".rw-response", has_text="맞는 지원").count():
            break
        send(page, "모르겠어요")
    report(f"{label}: result card", violations(page))
    page.close()


def console(context: Any, dasi: Any) -> None:
    agent = context.new_page()
    agent.goto(f"{dasi.console_url}/console/")
    agent.locator("#login").wait_for(timeout=15_000)
    report("console: login", violations(agent))
    agent.fill("#username", AGENT)
    agent.fill("#password", AGENT_PASSWORD)
    agent.press("#password", "Enter")
    agent.locator("#agent-name", has_text=AGENT).wait_for(timeout=15_000)
    agent.fill("#situation", "부산, 개인사업자, 작년에 폐업, 국세 체납")
    agent.click("#make-script")
    agent.locator("#script-sections h3").first.wait_for(timeout=30_000)
    report("console: call script", violations(agent))
    founder = context.new_page()
    founder.goto(f"{dasi.url}/webhooks/web/")
    open_widget(founder)
    send(founder, "상담원이랑 직접 얘기하고 싶어요")
    founder.locator(".rw-reply", has_text="상담사와 채팅하기").first.click(timeout=30_000)
    founder.locator(".rw-response", has_text="연결을 요청했어요").first.wait_for(timeout=30_000)
    send(founder, "빚이 많아서 막막해요")
    agent.locator("#queue li", has_text="막막해요").wait_for(timeout=15_000)
    report("console: queue", violations(agent))
    agent.locator("#queue .open-chat").first.click()
    agent.click("#claim")
    agent.locator("#reply-text").wait_for(timeout=10_000)
    report("console: live chat", violations(agent))
    agent.click("#handback")
    agent.goto(f"{dasi.console_url}/console/insights")
    agent.wait_for_timeout(1500)
    report("console: insights", violations(agent))


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None or not AXE.exists():
        print("needs Chromium and axe-core: run ./dasi setup")
        return 1
    with tempfile.TemporaryDirectory() as directory:
        process, dasi = start_dasi(Path(directory), 15405, 15455)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
                context = browser.new_context(bypass_csp=True)
                widget(context, dasi.url, stock=True)
                widget(context, dasi.url, stock=False)
                console(context, dasi)
                browser.close()
        finally:
            stop_dasi(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
