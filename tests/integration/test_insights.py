"""The operators' insights, from conversations held through the running server (not written as rows)."""

from __future__ import annotations

import csv
import datetime
import io
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import AGENT, AGENT_PASSWORD, ROOT, Dasi, serve_on_day

DAY = "2026-12-03"  # the day Dasi's answers are computed for (DASI_TODAY)
# Messages are stamped with the real clock and counted by Korea-time day: a range around now.
NOW = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date()
RANGE = {"since": str(NOW - datetime.timedelta(days=1)), "until": str(NOW + datetime.timedelta(days=1))}
STORY = "부산에서 식당 하다가 작년에 폐업했어요. 개인사업자였고 연체도 세금 체납도 4대보험 체납도 없어요. 다시 창업하고 싶어요"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Dasi]:
    yield from serve_on_day(tmp_path_factory, worker_id, "insights", 16905, DAY)


def hold(server: Dasi) -> dict[str, int]:
    """Six founders talk: all greet, two finish the finder in 부산, one falls back, one asks for a person."""
    messages = 0

    def say(founder: str, text: str) -> None:
        nonlocal messages
        server.send(founder, text)
        messages += 1

    founders = [f"insights-{uuid.uuid4().hex[:8]}" for _ in range(6)]
    for founder in founders:
        say(founder, "안녕하세요")
    for founder in founders[:2]:
        say(founder, STORY)
        for _ in range(4):  # whatever the finder still asks: "모르겠어요" until the results
            if "추천" in str(server.tracker(founder)["slots"].get("last_topic") or ""):
                break
            say(founder, "모르겠어요")
    say(founders[2], "ㅁㄴㅇㄹ 흐흐")
    say(founders[3], "상담원이랑 이야기하고 싶어요")
    return {"conversations": len(founders), "messages": messages}


@pytest.fixture(scope="module")
def held(server: Dasi) -> dict[str, int]:
    return hold(server)


def agent(server: Dasi) -> requests.Session:
    session = requests.Session()
    login = session.post(
        f"{server.console_url}/console/login", json={"username": AGENT, "password": AGENT_PASSWORD}, timeout=10
    )
    assert login.status_code == 200, login.text
    return session


def test_the_page_counts_the_conversations_held_and_hides_small_cells(server: Dasi, held: dict[str, int]) -> None:
    logged_out = requests.get(
        f"{server.console_url}/console/insights?since=2026-11-01", timeout=10, allow_redirects=False
    )
    assert logged_out.status_code == 303
    assert logged_out.headers["Location"] == "/console/?next=%2Fconsole%2Finsights%3Fsince%3D2026-11-01"
    assert requests.get(f"{server.console_url}/console/api/insights.csv", timeout=10).status_code == 401
    page = agent(server).get(f"{server.console_url}/console/insights", params=RANGE, timeout=30)
    assert page.status_code == 200, page.text[:300]
    html = page.text
    assert 'lang="ko"' in html and "<script" not in html
    assert f"대화 {held['conversations']}건 · 메시지 {held['messages']}건" in html
    assert "< 5" in html or "&lt; 5" in html  # two founders in 부산: never shown as 2


def test_each_chart_downloads_as_csv_that_matches_its_table(server: Dasi, held: dict[str, int]) -> None:
    session = agent(server)
    response = session.get(
        f"{server.console_url}/console/api/insights.csv",
        params={"chart": "topics", **RANGE},
        timeout=30,
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    greeting = [row for row in rows if row and row[0] == "인사"]
    assert greeting and greeting[0][1] == "6", rows
    missing = session.get(f"{server.console_url}/console/api/insights.csv", params={"chart": "nothing"}, timeout=30)
    assert missing.status_code == 404


def test_rasa_markers_count_the_same_finished_finders(server: Dasi, held: dict[str, int], tmp_path: Path) -> None:
    endpoints = next(Path(server.database).parent.glob("endpoints-*.yml"))
    out = tmp_path / "markers.csv"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "evaluate",
            "markers",
            "all",
            "--config",
            str(ROOT / "data" / "markers"),
            "--endpoints",
            str(endpoints),
            "-d",
            str(ROOT / "domain"),
            "--no-stats",
            str(out),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader(out.open()))
    finished = {row["sender_id"] for row in rows if row["marker"] == "marker_finder_completed"}
    funnel = agent(server).get(
        f"{server.console_url}/console/api/insights.csv",
        params={"chart": "funnel", **RANGE},
        timeout=30,
    )
    assert finished and len(finished) <= 2
    assert "< 5" in funnel.content.decode("utf-8-sig") or str(len(finished)) in funnel.content.decode("utf-8-sig")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_the_charts_render_in_chromium_without_console_errors(server: Dasi, held: dict[str, int]) -> None:
    playwright_sync = pytest.importorskip("playwright.sync_api")
    from tests.browser.test_widget import ARGS

    session = agent(server)
    cookie = session.cookies.get_dict()
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS, headless=True)
        context = browser.new_context()
        context.add_cookies(
            [{"name": name, "value": value, "url": server.console_url} for name, value in cookie.items()]
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server.console_url}/console/insights?since={RANGE['since']}&until={RANGE['until']}")
        assert page.locator("svg[role=img]").count() >= 9
        assert page.locator("table caption").count() >= 9
        assert page.evaluate("document.documentElement.lang") == "ko"
        browser.close()
    assert errors == []


def chart_csv(server: Dasi, chart: str) -> list[list[str]]:
    response = agent(server).get(
        f"{server.console_url}/console/api/insights.csv", params={"chart": chart, **RANGE}, timeout=30
    )
    response.raise_for_status()
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_postgresql_path_gives_the_same_numbers(
    server: Dasi, held: dict[str, int], tmp_path: Path, postgres_database: str
) -> None:
    from tests.conftest import start_dasi, stop_dasi

    environment = {
        "DASI_POSTGRES_HOST": "127.0.0.1",
        "DASI_POSTGRES_DB": postgres_database,
        "DASI_POSTGRES_USER": "postgres",
        "DASI_TODAY": DAY,
    }
    try:
        process, on_postgres = start_dasi(tmp_path, 17305, 17355, extra_env=environment)
    except Exception as error:  # no PostgreSQL here: the unit tests cover the aggregation on it
        pytest.skip(f"PostgreSQL is not running locally: {error}")
    try:
        assert hold(on_postgres) == held
        for chart in ("topics", "funnel", "regions", "handoffs"):
            assert chart_csv(on_postgres, chart) == chart_csv(server, chart), chart
    finally:
        stop_dasi(process)
