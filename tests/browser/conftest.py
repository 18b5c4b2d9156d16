"""The browser tests' shared Chromium: one context per test, the pages' CSP left as served
except for the axe-core script the accessibility checks inject."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.test_widget import ARGS

CHROMIUM = shutil.which("chromium")


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (./dasi setup installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        # the pages' own CSP stays as served; only axe's injected script is let in
        context = launched.new_context(bypass_csp=True)
        yield context
        launched.close()
