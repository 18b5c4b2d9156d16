"""bot.notices.sources against a loopback fake of both APIs (a real HTTP server on 127.0.0.1).

The fake serves recorded-shape fixtures from tests/fixtures/notices/; nothing in `requests` is
mocked. Timeouts and backoffs are small so the whole file runs in a few seconds.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from bot.notices.models import Window
from bot.notices.sources import (
    SourceError,
    fetch_all,
    fetch_bizinfo,
    fetch_kstartup,
    keys_from,
    masked_url,
    parse_bizinfo,
    parse_kstartup,
    parse_window,
    sources_status,
    window_between,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"
NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.timezone.utc)
BIZINFO_KEY = "bizKEY-s3cr3t"
KSTARTUP_KEY = "kst/KEY+s3cr3t=="  # data.go.kr keys hold + / =, which must be sent encoded once
FAST = {"timeout": 1.0, "retries": 2, "backoff": 0.01, "now": NOW}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def payload(name: str) -> Any:
    return json.loads(fixture(name))


# --- the loopback fake ----------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: str = "{}"
    delay: float = 0.0
    content_type: str = "application/json;charset=UTF-8"


Responder = Callable[[dict[str, str], int], Reply]


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    raw_query: str


class FakeApis:
    """Routes by path; each responder gets the query and how many requests that path had before."""

    def __init__(self) -> None:
        self.routes: dict[str, Responder] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.fake = self  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def reset(self) -> None:
        with self.lock:
            self.routes.clear()
            self.seen.clear()

    def requests_to(self, path: str) -> list[Seen]:
        with self.lock:
            return [seen for seen in self.seen if seen.path == path]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        fake: FakeApis = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        with fake.lock:
            before = sum(1 for seen in fake.seen if seen.path == parts.path)
            fake.seen.append(Seen(parts.path, query, parts.query))
            responder = fake.routes.get(parts.path)
        reply = responder(query, before) if responder else Reply(404, '{"error": "no route"}')
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def by_page(parameter: str, pages: dict[str, str], last: str) -> Responder:
    """The fixture for the page asked (query[parameter]); `last` for any other page."""
    return lambda query, count: Reply(body=fixture(pages.get(query.get(parameter, "1"), last)))


def always(reply: Reply) -> Responder:
    return lambda query, count: reply


def failing_first(times: int, then: Responder, status: int = 500) -> Responder:
    return lambda query, count: Reply(status, '{"error": "busy"}') if count < times else then(query, count)


BIZINFO_PAGES = by_page("pageIndex", {"1": "bizinfo_page1.json", "2": "bizinfo_page2.json"}, last="bizinfo_empty.json")
KSTARTUP_PAGES = by_page("page", {"1": "kstartup_page1.json", "2": "kstartup_page2.json"}, last="kstartup_empty.json")


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeApis]:
    fake = FakeApis()
    yield fake
    fake.stop()


@pytest.fixture
def apis(fake_server: FakeApis) -> FakeApis:
    fake_server.reset()
    return fake_server


@pytest.fixture
def session() -> Iterator[requests.Session]:
    http = requests.Session()
    http.trust_env = False  # never through a proxy: the fake is on loopback
    yield http
    http.close()


# --- windows --------------------------------------------------------------------------------


D = datetime.date


@pytest.mark.parametrize(
    ("text", "window", "opens", "closes", "readable"),
    [
        ("20260101 ~ 20260131", Window.dated, D(2026, 1, 1), D(2026, 1, 31), True),
        ("2026-07-10 ~ 2026-08-10", Window.dated, D(2026, 7, 10), D(2026, 8, 10), True),
        ("2026.12.02~2026.12.16", Window.dated, D(2026, 12, 2), D(2026, 12, 16), True),
        ("2026년 3월 2일 ~ 2026년 3월 20일", Window.dated, D(2026, 3, 2), D(2026, 3, 20), True),
        ("2026-12-05 00:00:00 ~ 2027-01-08 18:00:00", Window.dated, D(2026, 12, 5), D(2027, 1, 8), True),
        ("상시", Window.always, None, None, True),
        ("상시 접수", Window.always, None, None, True),
        ("연중 상시접수", Window.always, None, None, True),
        ("예산 소진시까지", Window.always, None, None, True),
        ("2026-12-01 ~ 예산 소진시까지", Window.always, D(2026, 12, 1), None, True),
        ("추후 공지", Window.to_be_announced, None, None, True),
        ("추후공지", Window.to_be_announced, None, None, True),
        ("일정 미정", Window.to_be_announced, None, None, True),
        ("20261201 ~ 별도 공지", Window.to_be_announced, D(2026, 12, 1), None, True),
        ("2026-12-31까지", Window.dated, None, D(2026, 12, 31), True),
        ("사업별 상이", Window.to_be_announced, None, None, False),
        ("", Window.to_be_announced, None, None, False),
        ("20261231 ~ 20261201", Window.to_be_announced, None, None, False),  # closes before it opens
        ("20261301 ~ 20261399", Window.to_be_announced, None, None, False),  # no such days
    ],
)
def test_windows(text, window, opens, closes, readable):
    assert tuple(parse_window(text)) == (window, opens, closes, readable)


def test_window_between_two_fields():
    assert tuple(window_between("20261201", "20261215")) == (Window.dated, D(2026, 12, 1), D(2026, 12, 15), True)
    assert tuple(window_between("20261203", "상시모집")) == (Window.always, D(2026, 12, 3), None, True)
    assert tuple(window_between("", "")) == (Window.to_be_announced, None, None, False)


# --- 기업마당 parsing -------------------------------------------------------------------------


def test_bizinfo_records_become_notices():
    notices, rejected = parse_bizinfo(payload("bizinfo_page1.json"), NOW)
    assert rejected == []
    restart, busan, later = notices

    assert restart.source == "bizinfo" and restart.source_id == "PBLN_000000000116001"
    assert restart.title == "2026년 재도전성공패키지 예비재창업자 모집 공고"
    assert restart.url == (
        "https://www.bizinfo.go.kr/web/lay1/bbs/S1T122C128/AS/74/view.do?pblancId=PBLN_000000000116001"
    )
    assert (restart.agency, restart.organiser) == ("중소벤처기업부", "창업진흥원")
    assert restart.summary == (
        "폐업 경험이 있는 예비재창업자 및 재창업 7년 이내 기업의 재도전을 지원합니다. "
        "※ 사업화 자금 최대 1억원 & 재창업 교육·멘토링"
    )
    assert (restart.window, restart.opens, restart.closes) == (Window.dated, D(2026, 11, 30), D(2026, 12, 21))
    assert restart.posted == D(2026, 11, 24) and restart.fetched_at == NOW
    assert restart.regions == ["전국"]  # every 시·도 in the hashtags
    assert restart.hashtags[:3] == ["창업", "서울", "부산"] and "재도전" in restart.hashtags
    assert restart.target == "중소기업, 예비창업자"

    assert busan.regions == ["부산"]
    assert busan.summary == "폐업(예정) 소상공인의 재기를 위한 경영개선 컨설팅 및 재창업 교육 지원"
    assert (busan.window, busan.opens, busan.closes) == (Window.always, None, None)
    assert busan.is_open(D(2026, 12, 3))

    assert (later.window, later.closes) == (Window.to_be_announced, None)
    assert later.regions == ["전국"] and not later.is_open(D(2026, 12, 3))
    assert later.url.startswith("https://www.bizinfo.go.kr/web/")  # already absolute: kept


def test_bizinfo_refuses_records_without_title_or_proper_link(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.notices.sources"):
        notices, rejected = parse_bizinfo(payload("bizinfo_page2.json"), NOW)
    assert [notice.source_id for notice in notices] == ["PBLN_000000000116777"]
    gyeongnam = notices[0]
    assert gyeongnam.url == (
        "https://www.bizinfo.go.kr/web/lay1/bbs/S1T122C128/AS/74/view.do?pblancId=PBLN_000000000116777"
    )
    assert (gyeongnam.window, gyeongnam.opens) == (Window.always, D(2026, 12, 1))
    assert rejected == [
        "pblancId PBLN_000000000116801: no title (pblancNm)",
        "pblancId PBLN_000000000116815: the link is not an absolute http(s) address",
    ]
    for reason in rejected:
        assert reason in caplog.text


def test_bizinfo_single_record_envelope_and_unreadable_window(caplog):
    with caplog.at_level(logging.INFO, logger="bot.notices.sources"):
        notices, rejected = parse_bizinfo(payload("bizinfo_single.json"), NOW)
    (notice,) = notices
    assert rejected == []
    assert notice.url.endswith("pblancId=PBLN_000000000116902&cpage=1")  # &amp; unescaped
    assert notice.summary == "<재기> 희망 소상공인 대상 맞춤형 지원"
    assert notice.hashtags == ["경영", "전북", "2026"]  # from the documented spelling hashTags
    assert notice.regions == ["전북"]
    assert (notice.window, notice.opens, notice.closes) == (Window.to_be_announced, None, None)
    assert "사업별 상이" in caplog.text


RECORD = {
    "pblancId": "PBLN_1",
    "pblancNm": "부산광역시 소상공인 재기 지원사업",
    "pblancUrl": "/web/lay1/bbs/S1T122C128/AS/74/view.do?pblancId=PBLN_1",
    "reqstBeginEndDe": "20261201 ~ 20261231",
}


@pytest.mark.parametrize(
    "envelope",
    [
        {"jsonArray": [RECORD]},
        {"jsonArray": {"item": [RECORD]}},
        {"jsonArray": {"item": RECORD}},
        {"jsonArray": RECORD},
    ],
    ids=["list", "item-list", "item-record", "record"],
)
def test_bizinfo_envelopes(envelope):
    notices, rejected = parse_bizinfo(envelope, NOW)
    assert [notice.source_id for notice in notices] == ["PBLN_1"] and rejected == []


@pytest.mark.parametrize("envelope", [{"jsonArray": []}, {"jsonArray": {"item": []}}, {"jsonArray": None}])
def test_bizinfo_empty_envelopes(envelope):
    assert parse_bizinfo(envelope, NOW) == ([], [])


@pytest.mark.parametrize(
    ("envelope", "said"),
    [
        ({"reqErr": "인증키가 유효하지 않습니다."}, "reqErr: 인증키가 유효하지 않습니다."),
        ({"data": []}, "no jsonArray"),
        ([RECORD], "not an object"),
        ({"jsonArray": "PBLN_1"}, "jsonArray is a str"),
    ],
)
def test_bizinfo_wrong_envelopes_raise(envelope, said):
    with pytest.raises(SourceError, match=said):
        parse_bizinfo(envelope, NOW)


# --- K-Startup parsing ----------------------------------------------------------------------


def test_kstartup_records_become_notices():
    notices, rejected, page = parse_kstartup(payload("kstartup_page1.json"), NOW)
    assert rejected == [] and (page.page, page.perPage, page.totalCount, page.currentCount) == (1, 3, 28944, 3)
    restart, busan, capital = notices

    assert restart.source == "kstartup" and restart.source_id == "176543"  # a number in the JSON
    assert restart.title == "2026년 재도전성공패키지 예비재창업자 모집 공고"
    assert restart.url == "https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?schM=view&pbancSn=176543"
    assert restart.excluded == "금융기관 채무불이행자, 국세·지방세 체납자, 타 정부지원사업 중복 수혜자"
    assert restart.target == (
        "일반인,일반기업 / 공고일 기준 폐업 경험이 있는 예비재창업자 또는 재창업 7년 이내 기업의 대표자"
    )
    assert restart.business_age == "예비창업자, 1년미만, 2년미만, 3년미만, 5년미만, 7년미만"
    assert restart.regions == ["전국"] and restart.agency == "창업진흥원"
    assert (restart.window, restart.opens, restart.closes) == (Window.dated, D(2026, 11, 30), D(2026, 12, 21))
    assert restart.summary.endswith("재창업 교육을 지원합니다.")

    assert busan.regions == ["부산"] and busan.excluded == ""  # null fields are empty, not refused
    assert (busan.opens, busan.closes) == (D(2026, 12, 1), D(2026, 12, 15))
    assert busan.summary == "재창업 준비 교육(8주)"

    assert capital.regions == ["서울", "경기"]
    assert capital.closes == D(2027, 1, 8)
    assert capital.agency == "민간"  # no pbanc_ntrp_nm: the sprv_inst word
    assert capital.url == "https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?schM=view&pbancSn=176702"


def test_kstartup_refuses_untitled_and_closed_records():
    notices, rejected, _ = parse_kstartup(payload("kstartup_page2.json"), NOW)
    (later,) = notices
    assert later.url == "https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?schM=view&pbancSn=176731"
    assert (later.window, later.opens, later.closes) == (Window.to_be_announced, None, None)
    assert rejected == [
        "pbanc_sn 176720: no title (biz_pbanc_nm)",
        "pbanc_sn 175001: recruitment closed (rcrt_prgs_yn=N)",
    ]


@pytest.mark.parametrize(
    ("envelope", "said"),
    [
        ({"code": -4, "msg": "등록되지 않은 인증키 입니다."}, "K-Startup error -4: 등록되지 않은 인증키 입니다."),
        ({"currentCount": 0}, "no data list"),
        ({"data": [], "totalCount": "many"}, "totalCount"),
        ([], "not an object"),
    ],
)
def test_kstartup_wrong_envelopes_raise(envelope, said):
    with pytest.raises(SourceError, match=said):
        parse_kstartup(envelope, NOW)


# --- fetching 기업마당 over loopback ----------------------------------------------------------


def test_bizinfo_pages_until_a_short_page(apis, session):
    apis.routes["/bizinfo"] = BIZINFO_PAGES
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), page_size=3, session=session, **FAST)
    assert result.error is None and result.pages == 3  # 3 records, 3 records, then none
    assert [notice.source_id for notice in result.notices] == [
        "PBLN_000000000116001",
        "PBLN_000000000116342",
        "PBLN_000000000116590",
        "PBLN_000000000116777",
    ]
    assert len(result.rejected) == 2
    sent = apis.requests_to("/bizinfo")
    assert [seen.query["pageIndex"] for seen in sent] == ["1", "2", "3"]
    assert sent[0].query == {
        "crtfcKey": BIZINFO_KEY,
        "dataType": "json",
        "searchCnt": "3",
        "pageUnit": "3",
        "pageIndex": "1",
    }


def test_bizinfo_one_short_page_is_the_last(apis, session):
    apis.routes["/bizinfo"] = BIZINFO_PAGES
    result = fetch_bizinfo(
        BIZINFO_KEY, url=apis.url("/bizinfo"), page_size=5, session=session, category="06", hashtags="부산", **FAST
    )
    assert result.pages == 1 and len(result.notices) == 3
    (sent,) = apis.requests_to("/bizinfo")
    assert (sent.query["searchLclasId"], sent.query["hashtags"]) == ("06", "부산")


def test_bizinfo_stops_at_max_pages_and_when_a_page_repeats(apis, session):
    apis.routes["/bizinfo"] = always(Reply(body=fixture("bizinfo_page1.json")))  # paging ignored
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), page_size=3, session=session, **FAST)
    assert result.pages == 2 and len(result.notices) == 3 and result.error is None
    assert len(apis.requests_to("/bizinfo")) == 2

    apis.reset()
    apis.routes["/bizinfo"] = BIZINFO_PAGES
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), page_size=3, max_pages=1, session=session, **FAST)
    assert result.pages == 1 and len(result.notices) == 3


def test_bizinfo_empty_result(apis, session):
    apis.routes["/bizinfo"] = always(Reply(body=fixture("bizinfo_empty.json")))
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), session=session, **FAST)
    assert (result.notices, result.rejected, result.error, result.pages) == ([], [], None, 1)


def test_bizinfo_reqerr_is_an_error_without_retry(apis, session):
    apis.routes["/bizinfo"] = always(Reply(body=fixture("bizinfo_reqerr.json")))
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), session=session, **FAST)
    assert result.error == "reqErr: 인증키가 유효하지 않습니다. 인증키를 확인하여 주시기 바랍니다."
    assert result.notices == [] and result.pages == 0
    assert len(apis.requests_to("/bizinfo")) == 1


def test_malformed_json_is_an_error(apis, session):
    apis.routes["/bizinfo"] = always(Reply(body=fixture("bizinfo_malformed.txt")))
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), session=session, **FAST)
    assert result.error is not None and result.error.startswith("malformed JSON (application/json)")
    assert len(apis.requests_to("/bizinfo")) == 1


def test_http_500_then_success_on_retry(apis, session):
    apis.routes["/bizinfo"] = failing_first(2, BIZINFO_PAGES)
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), page_size=5, session=session, **FAST)
    assert result.error is None and len(result.notices) == 3 and result.pages == 1
    assert len(apis.requests_to("/bizinfo")) == 3


def test_http_500_forever(apis, session):
    apis.routes["/bizinfo"] = always(Reply(500, '{"error": "down"}'))
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), session=session, **FAST)
    assert result.error == "HTTP 500 after 3 attempts"
    assert (result.notices, result.pages) == ([], 0)
    assert len(apis.requests_to("/bizinfo")) == 3  # the first try and two retries


def test_http_4xx_is_not_retried(apis, session):
    apis.routes["/bizinfo"] = always(Reply(403, "Forbidden", content_type="text/plain"))
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), session=session, **FAST)
    assert result.error == "HTTP 403" and len(apis.requests_to("/bizinfo")) == 1


def test_timeout_is_retried_then_reported(apis, session):
    apis.routes["/bizinfo"] = always(Reply(body=fixture("bizinfo_page1.json"), delay=0.6))
    started = time.monotonic()
    result = fetch_bizinfo(
        BIZINFO_KEY, url=apis.url("/bizinfo"), session=session, timeout=0.2, retries=1, backoff=0.01, now=NOW
    )
    assert result.error == "timeout (0.2 s) after 2 attempts" and result.notices == []
    assert time.monotonic() - started < 2.0
    assert len(apis.requests_to("/bizinfo")) == 2


def test_a_failing_later_page_keeps_what_came_and_says_why(apis, session):
    apis.routes["/bizinfo"] = lambda query, count: (
        Reply(body=fixture("bizinfo_page1.json")) if query["pageIndex"] == "1" else Reply(502, "Bad Gateway")
    )
    result = fetch_bizinfo(BIZINFO_KEY, url=apis.url("/bizinfo"), page_size=3, session=session, **FAST)
    assert len(result.notices) == 3 and result.pages == 1
    assert result.error == "page 2: HTTP 502 after 3 attempts"


# --- fetching K-Startup over loopback -------------------------------------------------------


def test_kstartup_pages_until_match_count(apis, session):
    apis.routes["/kstartup"] = KSTARTUP_PAGES
    result = fetch_kstartup(KSTARTUP_KEY, url=apis.url("/kstartup"), page_size=3, session=session, **FAST)
    assert result.error is None and result.pages == 2  # 2 × 3 = matchCount 6 (totalCount is 28,944)
    assert [notice.source_id for notice in result.notices] == ["176543", "176610", "176702", "176731"]
    assert result.rejected == [
        "pbanc_sn 176720: no title (biz_pbanc_nm)",
        "pbanc_sn 175001: recruitment closed (rcrt_prgs_yn=N)",
    ]
    sent = apis.requests_to("/kstartup")
    assert [seen.query["page"] for seen in sent] == ["1", "2"]
    assert sent[0].query == {
        "serviceKey": KSTARTUP_KEY,
        "page": "1",
        "perPage": "3",
        "returnType": "json",
        "cond[rcrt_prgs_yn::EQ]": "Y",
    }


def test_kstartup_encoding_key_is_not_encoded_twice(apis, session):
    apis.routes["/kstartup"] = always(Reply(body=fixture("kstartup_empty.json")))
    encoding_key = requests.utils.quote(KSTARTUP_KEY, safe="")  # as data.go.kr shows the "Encoding" key
    fetch_kstartup(encoding_key, url=apis.url("/kstartup"), session=session, **FAST)
    (sent,) = apis.requests_to("/kstartup")
    assert sent.query["serviceKey"] == KSTARTUP_KEY


def test_kstartup_pages_until_total_count_without_match_count(apis, session):
    apis.routes["/kstartup"] = by_page("page", {"1": "kstartup_total_only.json"}, last="kstartup_page2.json")
    result = fetch_kstartup(KSTARTUP_KEY, url=apis.url("/kstartup"), page_size=1, session=session, **FAST)
    assert result.pages == 1 and len(apis.requests_to("/kstartup")) == 1
    (notice,) = result.notices
    assert notice.regions == ["전남광주"]
    assert (notice.window, notice.opens) == (Window.always, D(2026, 12, 3))


def test_kstartup_empty_result(apis, session):
    apis.routes["/kstartup"] = always(Reply(body=fixture("kstartup_empty.json")))
    result = fetch_kstartup(KSTARTUP_KEY, url=apis.url("/kstartup"), session=session, **FAST)
    assert (result.notices, result.rejected, result.error, result.pages) == ([], [], None, 1)


@pytest.mark.parametrize(
    ("name", "content_type", "said"),
    [
        ("kstartup_error.json", "application/json", "K-Startup error -4: 등록되지 않은 인증키 입니다."),
        (
            "kstartup_error.xml",
            "text/xml;charset=UTF-8",
            "not JSON: SERVICE_KEY_IS_NOT_REGISTERED_ERROR / SERVICE ERROR / 30",
        ),
    ],
)
def test_kstartup_error_answers(apis, session, name, content_type, said):
    apis.routes["/kstartup"] = always(Reply(body=fixture(name), content_type=content_type))
    result = fetch_kstartup(KSTARTUP_KEY, url=apis.url("/kstartup"), session=session, **FAST)
    assert result.error == said and result.notices == []
    assert len(apis.requests_to("/kstartup")) == 1


# --- both sources ---------------------------------------------------------------------------


def test_fetch_all_one_source_failing_does_not_stop_the_other(apis, session):
    apis.routes["/bizinfo"] = BIZINFO_PAGES
    apis.routes["/kstartup"] = always(Reply(500, '{"error": "down"}'))
    results = fetch_all(
        {"bizinfo": BIZINFO_KEY, "kstartup": KSTARTUP_KEY},
        urls={"bizinfo": apis.url("/bizinfo"), "kstartup": apis.url("/kstartup")},
        page_size=3,
        session=session,
        **FAST,
    )
    bizinfo, kstartup = results
    assert (bizinfo.source, bizinfo.error, len(bizinfo.notices)) == ("bizinfo", None, 4)
    assert (kstartup.source, kstartup.error, kstartup.notices) == ("kstartup", "HTTP 500 after 3 attempts", [])


def test_fetch_all_the_same_call_from_both_sources_has_one_key(apis, session):
    apis.routes["/bizinfo"] = BIZINFO_PAGES
    apis.routes["/kstartup"] = KSTARTUP_PAGES
    bizinfo, kstartup = fetch_all(
        {"bizinfo": BIZINFO_KEY, "kstartup": KSTARTUP_KEY},
        urls={"bizinfo": apis.url("/bizinfo"), "kstartup": apis.url("/kstartup")},
        page_size=3,
        session=session,
        **FAST,
    )
    assert bizinfo.notices[0].key == kstartup.notices[0].key


def test_no_key_means_off_and_nothing_is_asked(apis, session):
    apis.routes["/bizinfo"] = BIZINFO_PAGES
    results = fetch_all(
        {"bizinfo": None, "kstartup": "   "},
        urls={"bizinfo": apis.url("/bizinfo"), "kstartup": apis.url("/kstartup")},
        session=session,
        **FAST,
    )
    assert [(result.source, result.error, result.off) for result in results] == [
        ("bizinfo", "off: no DASI_BIZINFO_KEY", True),
        ("kstartup", "off: no DASI_KSTARTUP_KEY", True),
    ]
    assert apis.seen == []
    assert fetch_kstartup(None).error == "off: no DASI_KSTARTUP_KEY"


def test_fetch_all_refuses_options_no_source_takes():
    with pytest.raises(TypeError, match="category"):
        fetch_all({}, category="06")


def test_sources_status_and_keys():
    environ = {"DASI_BIZINFO_KEY": BIZINFO_KEY, "DASI_KSTARTUP_KEY": "  "}
    assert sources_status(environ) == {"bizinfo": True, "kstartup": False}
    assert keys_from(environ) == {"bizinfo": BIZINFO_KEY, "kstartup": None}
    assert sources_status({}) == {"bizinfo": False, "kstartup": False}


def test_keys_never_reach_logs_or_errors(apis, session, caplog):
    apis.routes["/bizinfo"] = always(Reply(503, "busy"))
    apis.routes["/kstartup"] = KSTARTUP_PAGES
    with caplog.at_level(logging.DEBUG):
        results = fetch_all(
            {"bizinfo": BIZINFO_KEY, "kstartup": KSTARTUP_KEY},
            urls={"bizinfo": apis.url("/bizinfo"), "kstartup": apis.url("/kstartup")},
            page_size=3,
            session=session,
            **FAST,
        )
        dead = fetch_kstartup(KSTARTUP_KEY, url="http://127.0.0.1:9/nothing-listens", session=session, **FAST)
    logged = caplog.text
    assert "crtfcKey=***" in logged and "serviceKey=***" in logged
    encoded = requests.utils.quote(KSTARTUP_KEY, safe="")
    for secret in (BIZINFO_KEY, KSTARTUP_KEY, encoded, "s3cr3t"):
        assert secret not in logged
        for result in [*results, dead]:
            assert secret not in (result.error or "")
    assert dead.error == "connection error (ConnectionError) after 3 attempts"


def test_masked_url():
    shown = masked_url("https://apis.example/x", {"serviceKey": "abc", "page": 2, "cond[rcrt_prgs_yn::EQ]": "Y"})
    assert shown == "https://apis.example/x?serviceKey=***&page=2&cond[rcrt_prgs_yn::EQ]=Y"
