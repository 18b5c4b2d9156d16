"""The notice store (bot/notices/store.py) and `./dasi notices` on SQLite and the local PostgreSQL."""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa

from bot.notices.__main__ import list_report, main, refresh_report, status_report
from bot.notices.models import Notice, Window, keys_from
from bot.notices.store import (
    FetchFailure,
    NoticeStore,
    SaveReport,
    create_database,
    database_url,
    fetches_table,
    notices_table,
    refresh,
)

UTC = datetime.timezone.utc
KST = datetime.timezone(datetime.timedelta(hours=9))
DAY = datetime.date(2025, 3, 10)
MORNING = datetime.datetime(2025, 3, 10, 0, 30, tzinfo=UTC)
LATER = datetime.datetime(2025, 3, 11, 0, 30, tzinfo=UTC)


def notice(**fields: Any) -> Notice:
    values: dict[str, Any] = {
        "source": "bizinfo",
        "source_id": "PBLN_1",
        "title": "2025년 재도전 성공패키지 예비재창업자 모집",
        "url": "https://www.bizinfo.go.kr/web/lay1/bbs/S1T122C128/AS/74/view.do?pblancId=PBLN_1",
        "opens": datetime.date(2025, 3, 1),
        "closes": datetime.date(2025, 3, 20),
        "fetched_at": MORNING,
    }
    values.update(fields)
    return Notice(**values)


RICH = {
    "source": "kstartup",
    "source_id": "171234",
    "agency": "중소벤처기업부",
    "organiser": "창업진흥원",
    "regions": ["전국"],
    "target": "예비재창업자",
    "business_age": "예비창업자",
    "summary": "재창업 지원",
}


@pytest.fixture
def store(tmp_path) -> Iterator[NoticeStore]:
    notices = NoticeStore(f"sqlite:///{tmp_path / 'dasi.db'}")
    yield notices
    notices.close()


def rows(store: NoticeStore, table: sa.Table = notices_table) -> list[dict[str, Any]]:
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(sa.select(table))]


# --- where the store lives ---------------------------------------------------------------------


def test_database_url_is_the_tracker_store_database(tmp_path) -> None:
    assert database_url({"DASI_TRACKER_DB": str(tmp_path / "t.db")}) == f"sqlite:///{tmp_path / 't.db'}"
    assert database_url({}).endswith("/var/dasi.db")
    assert database_url({"DASI_POSTGRES_HOST": "db"}) == "postgresql://postgres@db:5432/dasi"
    full = {
        "DASI_POSTGRES_HOST": "10.0.0.5",
        "DASI_POSTGRES_PORT": "6543",
        "DASI_POSTGRES_DB": "dasi_prod",
        "DASI_POSTGRES_USER": "dasi",
        "DASI_POSTGRES_PASSWORD": "p@ss/word",
        "DASI_TRACKER_DB": "/ignored.db",
    }
    url = sa.engine.make_url(database_url(full))
    assert (url.host, url.port, url.database, url.username, url.password) == (
        "10.0.0.5",
        6543,
        "dasi_prod",
        "dasi",
        "p@ss/word",
    )
    # As Rasa reads it: a port in the host wins, a host with a scheme is the whole URL.
    assert database_url({"DASI_POSTGRES_HOST": "db:5433"}) == "postgresql://postgres@db:5433/dasi"
    assert database_url({"DASI_POSTGRES_HOST": "postgresql://u@h/x"}) == "postgresql://u@h/x"


def test_tables_are_created_once_and_rasa_events_are_left_alone(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'dasi.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT)"))
        connection.execute(sa.text("INSERT INTO events (data) VALUES ('{}')"))
    engine.dispose()
    shared = NoticeStore(url)
    shared.save([notice()], MORNING)
    again = NoticeStore(url)  # idempotent
    assert len(again.all()) == 1
    assert set(sa.inspect(again.engine).get_table_names()) == {"events", "dasi_notices", "dasi_notice_fetches"}
    with again.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 1
    for one in (shared, again):
        one.close()
    # A missing directory is made, as bot.serve does for the tracker store.
    NoticeStore.from_environ({"DASI_TRACKER_DB": str(tmp_path / "var" / "dasi.db")}).close()
    assert (tmp_path / "var" / "dasi.db").exists()


# --- saving ------------------------------------------------------------------------------------


def test_saving_again_is_idempotent_and_only_moves_fetched_at(store: NoticeStore) -> None:
    batch = [notice(), notice(source_id="PBLN_2", title="부산 재기 지원사업", regions=["부산"])]
    assert store.save(batch, MORNING) == SaveReport(new=2, updated=0, unchanged=0)
    assert store.save(batch, LATER) == SaveReport(new=0, updated=0, unchanged=2)
    for row in rows(store):
        assert row["fetched_at"] == LATER.replace(tzinfo=None)
        assert row["first_seen"] == MORNING.replace(tzinfo=None)
    assert [stored.fetched_at for stored in store.all()] == [LATER, LATER]
    stored = {item.source_id: item for item in store.all()}
    assert stored["PBLN_2"].regions == ["부산"]
    assert stored["PBLN_1"] == notice(fetched_at=LATER)  # every field round-trips


def test_a_changed_record_from_its_own_source_replaces_the_old_one(store: NoticeStore) -> None:
    store.save([notice(summary="재창업 자금 지원", hashtags=["재도전", "창업"])], MORNING)
    report = store.save([notice(summary="")], LATER)  # the source dropped its summary: it says so now
    assert report == SaveReport(new=0, updated=1, unchanged=0)
    (stored,) = store.all()
    assert stored.summary == "" and stored.fetched_at == LATER
    assert rows(store)[0]["first_seen"] == MORNING.replace(tzinfo=None)


def test_the_same_call_from_both_sources_is_one_row_with_the_richer_record(store: NoticeStore) -> None:
    poor = notice(title="2025년  재도전성공패키지 예비재창업자 모집")  # spacing differs: the same key
    rich = notice(**RICH, url="https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?pbancSn=171234")
    assert poor.key == rich.key
    assert store.save([poor], MORNING) == SaveReport(new=1)
    assert store.save([rich], LATER) == SaveReport(updated=1)  # more information wins
    (stored,) = store.all()
    assert (stored.source, stored.source_id, stored.organiser, stored.regions) == (
        "kstartup",
        "171234",
        "창업진흥원",
        ["전국"],
    )
    assert store.listings() == {rich.key: {"bizinfo": "PBLN_1", "kstartup": "171234"}}
    # The poorer listing again changes nothing; the richer source keeps its record.
    assert store.save([poor], LATER) == SaveReport(unchanged=1)
    assert store.all()[0].source == "kstartup"
    assert rows(store)[0]["first_seen"] == MORNING.replace(tzinfo=None)


def test_a_poorer_second_source_only_adds_its_name(store: NoticeStore) -> None:
    rich = notice(**RICH)
    poor = notice()
    report = store.save([rich, poor], MORNING)  # both in one batch: one new call
    assert report == SaveReport(new=1)
    (stored,) = store.all()
    assert stored.source == "kstartup"
    assert store.listings()[rich.key] == {"bizinfo": "PBLN_1", "kstartup": "171234"}
    assert store.save([rich, poor], LATER) == SaveReport(unchanged=1)


def test_different_deadlines_are_different_calls(store: NoticeStore) -> None:
    first_round = notice()
    second_round = notice(source_id="PBLN_9", opens=datetime.date(2025, 6, 1), closes=datetime.date(2025, 6, 30))
    assert store.save([first_round, second_round], MORNING) == SaveReport(new=2)


def test_many_notices_in_one_save(store: NoticeStore) -> None:
    batch = [notice(source_id=f"PBLN_{number}", title=f"지원사업 공고 {number}") for number in range(1200)]
    assert store.save(batch, MORNING) == SaveReport(new=1200)
    assert store.save(batch, LATER) == SaveReport(unchanged=1200)
    assert len(store.all()) == 1200


def test_times_are_stored_in_utc_and_read_back_aware(store: NoticeStore) -> None:
    korean_morning = datetime.datetime(2025, 3, 10, 9, 30, tzinfo=KST)
    store.save([notice()], korean_morning)
    assert rows(store)[0]["fetched_at"] == datetime.datetime(2025, 3, 10, 0, 30)
    assert store.all()[0].fetched_at == korean_morning


# --- reading -----------------------------------------------------------------------------------


def calls() -> list[Notice]:
    return [
        notice(source_id="open", title="열린 공고", closes=datetime.date(2025, 3, 20)),
        notice(source_id="today", title="오늘 마감 공고", closes=DAY),
        notice(source_id="passed", title="지난 공고", closes=datetime.date(2025, 3, 9)),
        notice(source_id="later", title="아직 안 열린 공고", opens=datetime.date(2025, 3, 11)),
        notice(source_id="always", title="상시 접수 공고", window=Window.always, opens=None, closes=None),
        notice(source_id="tba", title="추후 공지 공고", window=Window.to_be_announced, opens=None, closes=None),
        notice(source_id="open-ended", title="마감일 없는 공고", closes=None),
    ]


def test_open_on_a_day(store: NoticeStore) -> None:
    store.save(calls(), MORNING)
    open_ids = [item.source_id for item in store.open_on(DAY)]
    assert open_ids == ["today", "open", "open-ended", "always"]  # nearest deadline first
    mid_month = {item.source_id for item in store.open_on(datetime.date(2025, 3, 15))}
    assert mid_month == {"open", "later", "open-ended", "always"}
    assert {item.source_id for item in store.open_on(datetime.date(2025, 3, 21))} == {"open-ended", "always"}
    assert len(store.all()) == 7


def test_prune_removes_calls_closed_before_a_day(store: NoticeStore) -> None:
    store.save(calls(), MORNING)
    assert store.prune(DAY) == 1  # "지난 공고" closed on the 9th; the one closing on the 10th stays
    assert {item.source_id for item in store.all()} == {"open", "today", "later", "always", "tba", "open-ended"}
    assert store.prune(datetime.date(2026, 1, 1)) == 3
    assert {item.source_id for item in store.all()} == {"always", "tba", "open-ended"}
    assert store.prune(datetime.date(2026, 1, 1)) == 0


def test_counts(store: NoticeStore) -> None:
    store.save([*calls(), notice(), notice(**RICH)], MORNING)
    counts = store.counts(DAY)
    assert (counts.total, counts.open, counts.listed_by_both) == (8, 5, 1)
    assert counts.listed_by == {"bizinfo": 8, "kstartup": 1}


# --- fetches -----------------------------------------------------------------------------------


@dataclass
class Result:
    """The shape of bot.notices.sources.FetchResult."""

    source: str
    notices: list[Notice] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    error: str | None = None
    pages: int = 1


def test_record_fetch_and_last_fetch(store: NoticeStore) -> None:
    assert store.last_fetch() == {"bizinfo": None, "kstartup": None}
    assert store.last_attempts() == {}
    store.record_fetch(Result("bizinfo", [notice()], ["no title: 3"], pages=2), MORNING)
    store.record_fetch(Result("bizinfo", error="HTTP 503", pages=0), LATER)
    store.record_fetch(Result("kstartup", [notice(**RICH)]), LATER.astimezone(KST))
    assert store.last_fetch() == {"bizinfo": MORNING, "kstartup": LATER}  # the failed fetch is not "last"
    attempts = store.last_attempts()
    assert attempts["bizinfo"].error == "HTTP 503" and attempts["bizinfo"].fetched_at == LATER
    assert (attempts["kstartup"].notices, attempts["kstartup"].rejected, attempts["kstartup"].error) == (1, 0, None)
    assert [(row["notices"], row["rejected"], row["pages"]) for row in rows(store, fetches_table)] == [
        (1, 1, 2),
        (0, 0, 0),
        (1, 0, 1),
    ]


def test_source_keys_from_the_environment() -> None:
    assert keys_from({"DASI_BIZINFO_KEY": " abc ", "DASI_KSTARTUP_KEY": ""}) == {"bizinfo": "abc", "kstartup": None}


def test_refresh_saves_each_source_and_skips_a_source_that_is_off(store: NoticeStore) -> None:
    asked: list[tuple[dict[str, str | None], dict[str, Any]]] = []

    def fetch(keys: dict[str, str | None], **options: Any) -> list[Result]:
        asked.append((keys, options))
        return [
            Result("bizinfo", [notice(), notice(source_id="PBLN_2", title="다른 공고")], ["no link: PBLN_3"], pages=1),
            Result("kstartup", error="DASI_KSTARTUP_KEY is not set", pages=0),
        ]

    results = refresh(store, {"DASI_BIZINFO_KEY": "secret"}, fetch=fetch, now=MORNING, timeout=5.0)
    assert asked == [({"bizinfo": "secret", "kstartup": None}, {"now": MORNING, "timeout": 5.0})]
    assert [(r.source, r.saved, len(r.rejected), r.error) for r in results] == [
        ("bizinfo", SaveReport(new=2), 1, None),
        ("kstartup", SaveReport(), 0, "DASI_KSTARTUP_KEY is not set"),
    ]
    assert len(store.all()) == 2
    assert store.last_fetch() == {"bizinfo": MORNING, "kstartup": None}
    assert list(store.last_attempts()) == ["bizinfo"]  # a source without a key was not fetched
    again = refresh(store, {"DASI_BIZINFO_KEY": "secret"}, fetch=fetch, now=LATER)
    assert again[0].saved == SaveReport(unchanged=2)
    report = refresh_report(again, {"bizinfo": True, "kstartup": False})
    assert "기업마당(bizinfo): 켜짐 · 공고 2건 (신규 0, 갱신 0, 그대로 2) · 거부 1건" in report
    assert "K-Startup(kstartup): 꺼짐 (키 없음: DASI_KSTARTUP_KEY)" in report


def test_refresh_forgets_calls_closed_more_than_90_days_ago(store: NoticeStore) -> None:
    store.save(
        [
            notice(
                source_id="OLD",
                title="오래전 마감",
                opens=datetime.date(2024, 10, 1),
                closes=datetime.date(2024, 12, 9),
            ),
            notice(
                source_id="RECENT", title="최근 마감", opens=datetime.date(2025, 1, 1), closes=datetime.date(2025, 2, 1)
            ),
            notice(source_id="OPEN", title="접수 중"),
        ],
        MORNING,
    )
    refresh(store, {}, fetch=lambda keys, **options: [], now=MORNING)  # 2025-03-10: 90 days back is 2024-12-10
    assert sorted(n.title for n in store.all()) == ["접수 중", "최근 마감"]


def test_refresh_never_raises_when_fetching_breaks(store: NoticeStore) -> None:
    def broken(keys: dict[str, str | None], **options: Any) -> list[Result]:
        raise ConnectionResetError("peer went away")

    results = refresh(store, {"DASI_BIZINFO_KEY": "a", "DASI_KSTARTUP_KEY": "b"}, fetch=broken, now=MORNING)
    assert [(r.source, r.error) for r in results] == [
        ("bizinfo", "ConnectionResetError: peer went away"),
        ("kstartup", "ConnectionResetError: peer went away"),
    ]
    assert all(isinstance(r.result, FetchFailure) for r in results)
    assert {source: record.error for source, record in store.last_attempts().items()} == {
        "bizinfo": "ConnectionResetError: peer went away",
        "kstartup": "ConnectionResetError: peer went away",
    }


def test_refresh_records_a_source_whose_notices_could_not_be_saved(store: NoticeStore) -> None:
    class Unsaveable(NoticeStore):
        def save(self, notices: Any, fetched_at: datetime.datetime) -> SaveReport:
            if any(item.source == "bizinfo" for item in notices):
                raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))
            return super().save(notices, fetched_at)

    flaky = Unsaveable(store.engine)

    def fetch(keys: dict[str, str | None], **options: Any) -> list[Result]:
        return [Result("bizinfo", [notice()]), Result("kstartup", [notice(**RICH, title="K 공고")])]

    results = refresh(flaky, {"DASI_BIZINFO_KEY": "a", "DASI_KSTARTUP_KEY": "b"}, fetch=fetch, now=MORNING)
    assert results[0].error is not None and results[0].error.startswith("saving failed: OperationalError")
    assert results[1].saved == SaveReport(new=1)
    assert store.last_fetch() == {"bizinfo": None, "kstartup": MORNING}


class Provider(BaseHTTPRequestHandler):
    """Both APIs on loopback: 기업마당 at /bizinfo, K-Startup at /kstartup (or a 500)."""

    answers: dict[str, tuple[int, Any]] = {}

    def do_GET(self) -> None:
        status, body = self.answers[self.path.split("?")[0]]
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[tuple[str, dict[str, tuple[int, Any]]]]:
    answers: dict[str, tuple[int, Any]] = {}
    handler = type("Handler", (Provider,), {"answers": answers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", answers
    server.shutdown()
    server.server_close()


BIZINFO_PAGE = {
    "jsonArray": [
        {
            "pblancId": "PBLN_000000000100001",
            "pblancNm": "2025년 재도전 성공패키지 예비재창업자 모집",
            "jrsdInsttNm": "중소벤처기업부",
            "pblancUrl": "/web/lay1/bbs/S1T122C128/AS/74/view.do?pblancId=PBLN_000000000100001",
            "reqstBeginEndDe": "20250301 ~ 20250320",
        },
        {"pblancId": "PBLN_000000000100002", "pblancNm": "링크 없는 공고", "reqstBeginEndDe": "상시 접수"},
    ]
}
KSTARTUP_PAGE = {
    "currentCount": 1,
    "page": 1,
    "perPage": 100,
    "totalCount": 1,
    "data": [
        {
            "pbanc_sn": 171234,
            "biz_pbanc_nm": "2025년 재도전 성공패키지 예비재창업자 모집",
            "pbanc_rcpt_bgng_dt": "20250301",
            "pbanc_rcpt_end_dt": "20250320",
            "supt_regin": "전국",
            "aply_trgt": "예비창업자",
            "aply_trgt_ctnt": "폐업 경험이 있는 예비재창업자",
            "aply_excl_trgt_ctnt": "금융기관 채무불이행자",
            "biz_enyy": "예비창업자",
            "detl_pg_url": "https://www.k-startup.go.kr/web/contents/bizpbanc-ongoing.do?pbancSn=171234",
            "pbanc_ntrp_nm": "창업진흥원",
            "rcrt_prgs_yn": "Y",
        }
    ],
}


def test_refresh_from_both_apis_over_http(store: NoticeStore, provider) -> None:
    base, answers = provider
    answers["/bizinfo"] = (200, BIZINFO_PAGE)
    answers["/kstartup"] = (200, KSTARTUP_PAGE)
    environ = {"DASI_BIZINFO_KEY": "biz-key", "DASI_KSTARTUP_KEY": "ks-key"}
    urls = {"bizinfo": f"{base}/bizinfo", "kstartup": f"{base}/kstartup"}
    results = refresh(store, environ, now=MORNING, urls=urls, retries=0, timeout=5.0)
    assert [(r.source, r.saved, len(r.notices), len(r.rejected), r.error) for r in results] == [
        ("bizinfo", SaveReport(new=1), 1, 1, None),
        ("kstartup", SaveReport(updated=1), 1, 0, None),  # the same call, with more information
    ]
    (stored,) = store.all()
    assert (stored.source, stored.agency, stored.regions, stored.excluded) == (
        "kstartup",
        "창업진흥원",
        ["전국"],
        "금융기관 채무불이행자",
    )
    assert store.listings() == {stored.key: {"bizinfo": "PBLN_000000000100001", "kstartup": "171234"}}
    # K-Startup fails the next time: 기업마당's notices are still saved, the failure recorded.
    answers["/kstartup"] = (500, {"error": "gateway"})
    results = refresh(store, environ, now=LATER, urls=urls, retries=0, timeout=5.0)
    assert results[0].saved == SaveReport(unchanged=1) and results[0].error is None
    assert results[1].error == "HTTP 500 after 1 attempt"
    assert store.last_fetch() == {"bizinfo": LATER, "kstartup": MORNING}
    assert store.last_attempts()["kstartup"].error == "HTTP 500 after 1 attempt"
    assert refresh_report(results, {"bizinfo": True, "kstartup": True}).splitlines() == [
        "기업마당(bizinfo): 켜짐 · 공고 1건 (신규 0, 갱신 0, 그대로 1) · 거부 1건 · 1쪽",
        "K-Startup(kstartup): 켜짐 · 실패: HTTP 500 after 1 attempt",
    ]


# --- the command line --------------------------------------------------------------------------


def test_list_report_with_d_day_agency_link_and_region(store: NoticeStore) -> None:
    store.save(
        [
            *calls(),
            notice(source_id="busan", title="부산 재창업 지원", regions=["부산"], agency="부산시", closes=DAY),
            notice(source_id="seoul", title="서울 재도전 지원", regions=["서울특별시"]),
            notice(**RICH, title="전국 재창업 지원"),
        ],
        MORNING,
    )
    report = list_report(store.open_on(DAY), DAY, "부산")
    lines = report.splitlines()
    assert lines[0] == "열린 공고 6건 (2025-03-10 기준, 지역 부산)"
    assert "D-day  부산 재창업 지원 · 부산시 · 부산" in report
    assert "D-10  전국 재창업 지원 · 중소벤처기업부 · 전국" in report
    assert "상시  상시 접수 공고 · 기관 미기재 · 지역 미기재" in report
    assert "마감미정  마감일 없는 공고" in report
    assert "서울 재도전 지원" not in report and "지난 공고" not in report
    assert "(수집 2025-03-10 09:30 KST, bizinfo)" in report
    assert "https://www.bizinfo.go.kr/" in report
    assert "서울 재도전 지원" in list_report(store.open_on(DAY), DAY)


def test_cli_list_and_status_on_the_tracker_database(tmp_path, capsys) -> None:
    environ = {"DASI_TRACKER_DB": str(tmp_path / "dasi.db"), "DASI_BIZINFO_KEY": "k"}
    seeded = NoticeStore.from_environ(environ)
    seeded.save(calls(), MORNING)
    seeded.record_fetch(Result("bizinfo", calls(), pages=1), MORNING)
    seeded.record_fetch(Result("kstartup", error="HTTP 401 (SERVICE_KEY_IS_NOT_REGISTERED)", pages=0), LATER)
    seeded.close()
    assert main(["list", "--today", "2025-03-10", "--region", "부산"], environ) == 0
    out = capsys.readouterr().out
    assert out.startswith("열린 공고 4건 (2025-03-10 기준, 지역 부산)")
    assert main(["status", "--today", "2025-03-10"], environ) == 0
    out = capsys.readouterr().out
    assert f"DB: sqlite:///{tmp_path / 'dasi.db'}" in out
    assert "기업마당(bizinfo): 키 켜짐 · 마지막 수집 2025-03-10 09:30 KST · 공고 7건, 거부 0건" in out
    assert "실패: HTTP 401 (SERVICE_KEY_IS_NOT_REGISTERED)" in out
    assert "저장된 공고 7건" in out and "2025-03-10에 열린 공고 4건" in out


def test_cli_refresh_with_both_sources_off(tmp_path, capsys) -> None:
    environ = {"DASI_TRACKER_DB": str(tmp_path / "dasi.db")}
    assert main(["refresh"], environ) == 0
    assert capsys.readouterr().out.splitlines() == [
        "기업마당(bizinfo): 꺼짐 (키 없음: DASI_BIZINFO_KEY)",
        "K-Startup(kstartup): 꺼짐 (키 없음: DASI_KSTARTUP_KEY)",
    ]
    store = NoticeStore.from_environ(environ)
    assert store.last_attempts() == {} and store.all() == []
    store.close()


def test_status_report_says_when_nothing_was_fetched(store: NoticeStore) -> None:
    report = status_report(store, {"DASI_TRACKER_DB": "/tmp/x.db"}, DAY)
    assert "기업마당(bizinfo): 키 꺼짐 (DASI_BIZINFO_KEY 없음) · 마지막 수집 없음" in report
    assert "저장된 공고 0건" in report


@pytest.mark.parametrize("argv", [[], ["bogus"], ["list", "--today", "2025-13-01"], ["list", "--nope"]])
def test_cli_bad_arguments_exit_2(argv: list[str], tmp_path, capsys) -> None:
    environ = {"DASI_TRACKER_DB": str(tmp_path / "dasi.db")}
    try:
        code = main(argv, environ)
    except SystemExit as stop:
        code = int(stop.code or 0)
    assert code == 2
    assert "usage: ./dasi notices" in capsys.readouterr().err


# --- PostgreSQL (the local server, as in production) -------------------------------------------


@pytest.fixture
def postgres_environ(scratch_database: tuple[str, str]) -> dict[str, str]:
    user, name = scratch_database
    return {
        "DASI_POSTGRES_HOST": "127.0.0.1",
        "DASI_POSTGRES_DB": name,
        "DASI_POSTGRES_USER": user,
        "DASI_POSTGRES_LOGIN_DB": "test",
    }


def database_exists(environ: dict[str, str]) -> bool:
    engine = sa.create_engine(f"postgresql://{environ['DASI_POSTGRES_USER']}@127.0.0.1:5432/test")
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT 1 FROM pg_database WHERE datname = :name")
            return connection.execute(query, {"name": environ["DASI_POSTGRES_DB"]}).first() is not None
    finally:
        engine.dispose()


def test_postgresql_store(postgres_environ: dict[str, str]) -> None:
    assert not database_exists(postgres_environ)
    store = NoticeStore.from_environ(postgres_environ)  # creates the database, as Rasa's store does
    try:
        assert database_exists(postgres_environ)
        assert store.engine.dialect.name == "postgresql"
        assert store.engine.url.database == postgres_environ["DASI_POSTGRES_DB"]
        assert create_database(database_url(postgres_environ), "test") is False  # it exists now
        batch = [*calls(), notice(), notice(**RICH)]
        assert store.save(batch, MORNING) == SaveReport(new=8)
        assert store.save(batch, LATER) == SaveReport(unchanged=8)
        assert [item.source_id for item in store.open_on(DAY)] == ["today", "171234", "open", "open-ended", "always"]
        assert store.listings()[notice().key] == {"bizinfo": "PBLN_1", "kstartup": "171234"}
        assert {item.fetched_at for item in store.all()} == {LATER}
        assert store.prune(DAY) == 1
        store.record_fetch(Result("bizinfo", calls()), MORNING)
        store.record_fetch(Result("kstartup", error="timeout"), LATER)
        assert store.last_fetch() == {"bizinfo": MORNING, "kstartup": None}
        assert store.last_attempts()["kstartup"].error == "timeout"
        NoticeStore.from_environ(postgres_environ).close()  # creating tables again is harmless
        assert set(sa.inspect(store.engine).get_table_names()) == {"dasi_notices", "dasi_notice_fetches"}
        assert len(store.all()) == 7
    finally:
        store.close()
