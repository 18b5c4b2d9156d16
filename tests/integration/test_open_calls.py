"""Open calls through the running server: stored notices matched to what the founder told."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.notices.models import Notice
from bot.notices.sources import FetchResult
from bot.notices.store import NoticeStore
from tests.conftest import Dasi, serve_on_day, texts

DAY = "2026-12-03"
FETCHED = datetime.datetime(2026, 12, 3, 0, 30, tzinfo=datetime.timezone.utc)  # 09:30 in Korea


def call(title: str, regions: list[str], **fields: object) -> Notice:
    values: dict = {
        "source": "kstartup",
        "source_id": title,
        "title": title,
        "regions": regions,
        "url": f"https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?pbancSn={abs(hash(title)) % 100000}",
        "opens": datetime.date(2026, 11, 20),
        "closes": datetime.date(2026, 12, 13),
        "agency": "창업진흥원",
        "fetched_at": FETCHED,
    }
    values.update(fields)
    return Notice(**values)


BUSAN = call("2026년 부산 소상공인 재기 지원사업 추가 모집", ["부산"])
NATIONWIDE = call("재창업 사업화 지원 추가 모집", ["전국"], excluded="금융기관 채무불이행자, 국세 체납자")
SEOUL = call("서울 재창업 아카데미 참가자 모집", ["서울"])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Dasi]:
    for running in serve_on_day(tmp_path_factory, worker_id, "open-calls", 16705, DAY):
        store = NoticeStore(f"sqlite:///{running.database}")
        store.save([BUSAN, NATIONWIDE, SEOUL], FETCHED)
        store.record_fetch(FetchResult("kstartup", [BUSAN, NATIONWIDE, SEOUL], [], None, 1), fetched_at=FETCHED)
        store.close()
        yield running


@pytest.fixture
def chat(server: Dasi) -> Callable[[str], list[dict[str, Any]]]:
    import uuid

    founder = f"founder-{uuid.uuid4().hex[:10]}"
    return lambda message: server.send(founder, message)


def said(replies: list[dict[str, Any]]) -> str:
    return texts(replies)


def test_a_founder_from_busan_sees_a_busan_call_and_a_nationwide_one_not_a_seoul_one(chat) -> None:
    chat("부산에 살아요")
    answer = said(chat("요즘 모집 중인 지원사업 있나요?"))
    assert BUSAN.title in answer and NATIONWIDE.title in answer, answer
    assert SEOUL.title not in answer
    assert "D-10 (12월 13일 마감)" in answer and "마지막 확인 2026-12-03 09:30" in answer


def test_a_call_that_excludes_defaulters_shows_the_credit_remedy(server: Dasi, chat) -> None:
    from bot.knowledge.loader import knowledge

    chat("부산에 살아요")
    answer = said(chat("지금 신청할 수 있는 공고 있어요?"))
    barrier = knowledge().barriers["credit_delinquency"]
    assert NATIONWIDE.title in answer, answer
    assert f"'{barrier.name}'" in answer and barrier.remedies[0].title in answer


def test_the_agent_s_call_script_shows_the_open_calls_that_fit_the_caller(server: Dasi) -> None:
    import requests

    from tests.conftest import AGENT, AGENT_PASSWORD

    console = requests.Session()
    headers = {"X-Dasi-Console": "1"}
    login = console.post(
        f"{server.console_url}/console/login", json={"username": AGENT, "password": AGENT_PASSWORD}, timeout=10
    )
    assert login.status_code == 200, login.text
    script = console.post(
        f"{server.console_url}/console/api/script",
        json={"text": "부산에서 식당 하다 폐업했어요"},
        headers=headers,
        timeout=20,
    ).json()
    lines = "\n".join(script["open_calls"])
    assert BUSAN.title in lines and NATIONWIDE.title in lines and SEOUL.title not in lines
    assert "제외 조건" in lines and "■ 지금 열린 공고" in script["text"]


def test_a_typed_cancel_is_understood_and_says_there_is_nothing_to_cancel(chat) -> None:
    assert "받기로 하신 마감 알림이 없어요." in said(chat("알림 취소해 주세요"))


def test_a_reminder_asked_for_over_rest_gets_the_link_instead(chat) -> None:
    chat("부산에 살아요")
    answer = said(chat(f'/remind_notice{{"notice": "{BUSAN.short_id}"}}'))
    assert "먼저 보내 드릴 수가 없어요" in answer and BUSAN.url in answer


def test_what_can_i_apply_for_now_gets_the_open_calls_and_then_the_finder(chat) -> None:
    answer = said(chat("지금 신청할 수 있는 거 있어요?"))
    # the region is not known yet: every region's call, each with its region
    assert BUSAN.title in answer and SEOUL.title in answer and "지역: 서울" in answer, answer
    assert "공고 출처: K-Startup" in answer
    assert "몇 가지만 여쭤볼게요" in answer  # the finder goes on to find what fits best
