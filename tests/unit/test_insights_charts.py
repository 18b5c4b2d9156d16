"""The insights charts and page, from a hand-built report: accessible SVG, small cells never shown, text escaped."""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from bot.insights.charts import SUPPRESSED, Chart, regions_chart, topics_chart
from bot.insights.model import (
    SMALL_CELL,
    Cell,
    DailyCount,
    FunnelStep,
    Handoffs,
    InsightReport,
)
from bot.insights.page import PAGE_CSS, STYLE_HASH, charts_for, render_html

SVG = "{http://www.w3.org/2000/svg}"
SINCE, UNTIL = datetime.date(2026, 11, 1), datetime.date(2026, 11, 7)
SCRIPT = "<script>alert(1)</script> 주민번호 [주민등록번호]"
SHORT_NAMES = {
    "seoul": "서울",
    "busan": "부산",
    "daegu": "대구",
    "incheon": "인천",
    "gwangju": "광주",
    "daejeon": "대전",
    "ulsan": "울산",
    "sejong": "세종",
    "gyeonggi": "경기",
    "gangwon": "강원",
    "chungbuk": "충북",
    "chungnam": "충남",
    "jeonbuk": "전북",
    "jeonnam": "전남",
    "gyeongbuk": "경북",
    "gyeongnam": "경남",
    "jeju": "제주",
}
REGION_COUNTS = {
    "seoul": (1480, 310),
    "gyeonggi": (900, 240),
    "busan": (120, 60),
    "incheon": (64, 30),
    "daegu": (40, 22),
    "gwangju": (18, 9),
    "daejeon": (12, 7),
    "ulsan": (6, 5),
    "sejong": (3, 3),  # the small cell: 3 conversations, count 3
    "gangwon": (4, 2),
    "jeju": (0, 0),
}


def sample_report() -> InsightReport:
    daily = []
    for offset in range(7):
        day = SINCE + datetime.timedelta(days=offset)
        if offset == 3:
            continue  # a day with no conversations at all
        daily.append(DailyCount(day, "socketio", 20 + offset, 130 + 10 * offset))
        daily.append(DailyCount(day, "kakao", 12, 70))
        if offset % 2 == 0:
            daily.append(DailyCount(day, "web", 2, 9))  # the same 웹 채팅 as socketio
            daily.append(DailyCount(day, "telegram", 1, 4))
    daily.append(DailyCount(SINCE + datetime.timedelta(days=5), "socketio", 90, 1200))
    heatmap = [[(weekday * 7 + hour * 3) % 17 for hour in range(24)] for weekday in range(7)]
    heatmap[1][21] = 1234
    return InsightReport(
        since=SINCE,
        until=UNTIL,
        conversations=481,
        messages=3456,
        daily=daily,
        topics=[
            Cell("지원사업 찾기", 1520, 300),
            Cell("폐업 후 재창업", 240, 120),
            Cell("세금 체납", 9, 4),  # suppressed although its count is 9
            Cell("신용 회복", 44, 30),
            Cell("가족 갈등", 2, 2),
        ],
        clarify_rate=0.123,
        fallback_rate=0.045,
        fallback_messages=[SCRIPT, "=HYPERLINK(1) 대출 & 이자?", '따옴표 "인용" 과 <b>태그</b>'],
        handoffs=Handoffs(requested=12, taken=9, wait_seconds_median=80.0, wait_seconds_p90=245.0),
        funnel=[
            FunnelStep("started", "시작", 200, 20),
            FunnelStep("region", "사는 지역", 180, 35),
            FunnelStep("business_type", "업종", 145, 25),
            FunnelStep("closed_on", "폐업 시기", 120, 30),
            FunnelStep("results", "결과", 90, 0),
        ],
        programs=[Cell("재도전성공패키지", 80, 70), Cell("희망리턴패키지 재취업", 35, 33), Cell("소상공인 재기", 3, 3)],
        barriers=[Cell("국세 체납", 50, 40), Cell("신용불량", 30, 25), Cell("폐업 미신고", 1, 1)],
        regions=[Cell(region, *counts) for region, counts in REGION_COUNTS.items()],
        heatmap=heatmap,
        crisis_events=2,
        updated_through=98765,
    )


@pytest.fixture(scope="module")
def report() -> InsightReport:
    return sample_report()


@pytest.fixture(scope="module")
def charts(report: InsightReport) -> dict[str, Chart]:
    return {chart.id: chart for chart in charts_for(report)}


@pytest.fixture(scope="module")
def html(report: InsightReport) -> str:
    return render_html(report, charts_for(report), standalone=False, csv_links=True)


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tiles(chart: Chart) -> dict[str, ET.Element]:
    root = ET.fromstring(chart.svg)
    return {g.get("data-region", ""): g for g in root.iter(f"{SVG}g") if g.get("class") == "tile"}


def texts(element: ET.Element) -> str:
    return " ".join(element.itertext())


def test_charts_come_in_page_order(charts: dict[str, Chart]) -> None:
    assert list(charts) == [
        "daily",
        "topics",
        "understanding",
        "handoffs",
        "funnel",
        "programs",
        "barriers",
        "regions",
        "hours",
        "crisis",
    ]


def test_every_svg_parses_and_is_labelled_in_korean(charts: dict[str, Chart]) -> None:
    for chart in charts.values():
        root = ET.fromstring(chart.svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("width") == "100%" and root.get("height") is None
        assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None
        assert title.text == chart.title and re.search("[가-힣]", chart.title)
        assert desc.text and re.search("[가-힣]", desc.text)
        assert root.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
        assert all(element.get("style") is None for element in root.iter()), chart.id


def test_tables_have_a_row_for_every_datum(report: InsightReport, charts: dict[str, Chart]) -> None:
    expected = {
        "daily": (UNTIL - SINCE).days + 1,
        "topics": len(report.topics),
        "understanding": len(report.fallback_messages),
        "handoffs": 4,
        "funnel": len(report.funnel),
        "programs": len(report.programs),
        "barriers": len(report.barriers),
        "regions": 17,
        "hours": 7,
        "crisis": 1,
    }
    for chart_id, rows in expected.items():
        chart = charts[chart_id]
        assert len(chart.table_rows) == rows, chart_id
        assert all(len(row) == len(chart.table_headers) for row in chart.table_rows), chart_id


def test_daily_rows_add_up_and_merge_channels_with_the_same_name(
    report: InsightReport, charts: dict[str, Chart]
) -> None:
    chart = charts["daily"]
    assert chart.table_headers.count("대화(웹 채팅)") == 1  # socketio and web are both 웹 채팅
    assert "대화(카카오톡)" in chart.table_headers and "대화(텔레그램)" in chart.table_headers
    total = chart.table_headers.index("대화 합계")
    assert sum(int(row[total]) for row in chart.table_rows) == sum(row.conversations for row in report.daily)
    assert chart.table_rows[3][total] == "0"  # the empty day is still a row
    root = ET.fromstring(chart.svg)
    assert "카카오톡" in texts(root) and "메시지 1,450건" in chart.svg  # the SVG shows thousands separators


def test_csv_parses_matches_the_table_and_has_no_thousands_separators(charts: dict[str, Chart]) -> None:
    for chart in charts.values():
        rows = list(csv.reader(io.StringIO(chart.csv)))
        assert rows[0] == chart.table_headers
        assert rows[1:] == chart.table_rows, chart.id
        assert not any(re.fullmatch(r"\d{1,3}(,\d{3})+", value) for row in rows for value in row), chart.id
    assert ",1380,70,0,1450" in charts["daily"].csv and "1234" in charts["hours"].csv


def test_the_small_region_never_shows_its_number(charts: dict[str, Chart], html: str) -> None:
    chart = charts["regions"]
    sejong = tiles(chart)["sejong"]
    shown = texts(sejong)
    assert "3" not in shown and SUPPRESSED in shown
    assert sejong.find(f"{SVG}title") is not None and "3" not in (sejong.find(f"{SVG}title").text or "")
    row = next(row for row in chart.table_rows if row[0] == "세종특별자치시")
    assert row == ["세종특별자치시", SUPPRESSED]
    csv_row = next(row for row in csv.reader(io.StringIO(chart.csv)) if row[0] == "세종특별자치시")
    assert csv_row == ["세종특별자치시", SUPPRESSED]
    page_row = re.search(r"<tr><th scope=\"row\"[^>]*>세종특별자치시</th>(.*?)</tr>", html)
    assert page_row and "3" not in page_row.group(1) and "&lt; 5" in page_row.group(1)
    assert "세종 3" not in chart.svg and "세종 3" not in html
    # 0 and 3 conversations look the same: same shade, same text
    jeju = tiles(chart)["jeju"]
    assert [text.text for text in jeju.iter(f"{SVG}text")][1] == [text.text for text in sejong.iter(f"{SVG}text")][1]
    assert jeju.find(f"{SVG}rect").get("fill") == sejong.find(f"{SVG}rect").get("fill")


def test_suppressed_bars_have_one_length_and_come_last_by_name(charts: dict[str, Chart]) -> None:
    chart = charts["topics"]
    assert [row[0] for row in chart.table_rows] == [
        "지원사업 찾기",
        "폐업 후 재창업",
        "신용 회복",
        "가족 갈등",
        "세금 체납",
    ]
    assert chart.table_rows[-1] == ["세금 체납", SUPPRESSED]
    bars = [g for g in ET.fromstring(chart.svg).iter(f"{SVG}g") if g.get("class") == "bar"]
    hidden = [g for g in bars if SUPPRESSED in texts(g)]
    assert len(hidden) == 2
    widths = {g.find(f"{SVG}rect").get("width") for g in hidden}
    assert len(widths) == 1  # 9 from 4 conversations and 2 from 2 are drawn alike
    assert all("9" not in texts(g) and "2" not in texts(g) for g in hidden)
    assert "1,520건" in texts(bars[0])


def test_the_scale_ignores_suppressed_counts() -> None:
    report = InsightReport(SINCE, UNTIL, topics=[Cell("큰 숨은 칸", 900, 2), Cell("보이는 칸", 10, 10)])
    other = InsightReport(SINCE, UNTIL, topics=[Cell("큰 숨은 칸", 1, 1), Cell("보이는 칸", 10, 10)])
    assert topics_chart(report).svg == topics_chart(other).svg


def test_founder_text_is_escaped_everywhere(charts: dict[str, Chart], html: str) -> None:
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 주민번호 [주민등록번호]" in html
    assert "&lt;b&gt;태그&lt;/b&gt;" in html and "<b>" not in html
    for chart in charts.values():
        assert "<script" not in chart.svg and "alert(1)" not in chart.svg
    rows = charts["understanding"].table_rows
    assert rows[0] == ["1", SCRIPT]
    assert rows[1][1].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    parsed = list(csv.reader(io.StringIO(charts["understanding"].csv)))
    assert parsed[1][1] == SCRIPT


def test_the_heatmap_has_a_titled_cell_for_every_hour_of_every_weekday(
    report: InsightReport, charts: dict[str, Chart]
) -> None:
    root = ET.fromstring(charts["hours"].svg)
    cells = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "hm-cell"]
    assert len(cells) == 7 * 24
    titles = [rect.find(f"{SVG}title").text for rect in cells]
    assert titles[0] == f"월요일 0시: {report.heatmap[0][0]}건"
    assert titles[1 * 24 + 21] == "화요일 21시: 1,234건"
    assert titles[-1] == f"일요일 23시: {report.heatmap[6][23]}건"
    assert charts["hours"].table_headers[:3] == ["요일", "0시", "1시"]
    assert [row[0] for row in charts["hours"].table_rows] == ["월", "화", "수", "목", "금", "토", "일"]


def test_the_map_has_seventeen_tiles_where_the_regions_are(charts: dict[str, Chart]) -> None:
    found = tiles(charts["regions"])
    assert len(found) == 17
    for region, short in SHORT_NAMES.items():
        assert found[region].find(f"{SVG}text").text == short
    place = {
        region: (float(g.find(f"{SVG}rect").get("x")), float(g.find(f"{SVG}rect").get("y")))
        for region, g in found.items()
    }
    assert place["seoul"][0] < place["gangwon"][0] and place["incheon"][0] <= place["seoul"][0]
    assert place["seoul"][1] < place["daejeon"][1] < place["gwangju"][1] < place["jeju"][1]
    assert place["jeonnam"][0] < place["gyeongnam"][0] < place["busan"][0]
    assert all(place["jeju"][1] > y for region, (x, y) in place.items() if region != "jeju")
    seoul = texts(found["seoul"])
    assert "1,480" in seoul and found["seoul"].find(f"{SVG}title").text == "서울특별시: 1,480건"
    # shaded by count: the busiest tile is darker than a quieter one
    fills = {region: g.find(f"{SVG}rect").get("fill", "") for region, g in found.items()}
    assert luminance(fills["seoul"]) < luminance(fills["busan"]) < luminance(fills["jeju"])


def test_tile_labels_are_readable_on_their_fill(charts: dict[str, Chart]) -> None:
    for region, tile in tiles(charts["regions"]).items():
        fill = tile.find(f"{SVG}rect").get("fill", "")
        for text in tile.iter(f"{SVG}text"):
            assert contrast(text.get("fill", ""), fill) >= 4.5, region


def test_text_on_white_is_readable(charts: dict[str, Chart]) -> None:
    for chart in charts.values():
        root = ET.fromstring(chart.svg)
        default = root.get("fill", "")
        for text in root.iter(f"{SVG}text"):
            if chart.id == "regions" and text.get("fill") in ("#000000", "#ffffff"):
                continue  # tile labels: checked against their tile above
            assert contrast(text.get("fill") or default, "#ffffff") >= 4.5, chart.id


def test_handoffs_and_crisis_show_only_numbers(charts: dict[str, Chart]) -> None:
    handoffs = charts["handoffs"]
    assert handoffs.table_rows[2] == ["대기 시간 중앙값", "80", "초"]
    assert "1분 20초" in handoffs.svg and "4분 5초" in handoffs.svg and "9건 (75%)" in handoffs.svg
    assert charts["crisis"].table_rows == [["위기 신호(자살 생각 등)가 보인 메시지", "2"]]
    assert "2건" in charts["crisis"].svg


def test_the_funnel_says_where_founders_stop(charts: dict[str, Chart]) -> None:
    funnel = charts["funnel"]
    assert funnel.table_headers == ["단계", "도달", "여기서 멈춤", "시작 대비 도달(%)"]
    assert funnel.table_rows[1] == ["사는 지역", "180", "35", "90"]
    root = ET.fromstring(funnel.svg)
    assert "여기서 멈춤 35건" in texts(root) and "'사는 지역'(35건)" in (root.find(f"{SVG}desc").text or "")


class Resources(HTMLParser):
    """Every tag and attribute of a page, for what it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def test_the_page_is_korean_self_contained_and_accessible(report: InsightReport, html: str) -> None:
    assert html.startswith("<!doctype html>") and '<html lang="ko">' in html and '<meta charset="utf-8">' in html
    assert "2026년 11월 1일 ~ 11월 7일" in html and "대화 481건 · 메시지 3,456건" in html
    assert "갱신 기준" in html and "98765" in html
    page = Resources()
    page.feed(html)
    assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    # the one <link> is the empty icon, so the browser asks the server for no favicon
    assert [(tag, value) for tag, name, value in page.attributes if tag == "link" and name == "href"] == [
        ("link", "data:,")
    ]
    assert not [name for _, name, _ in page.attributes if name.startswith("on") or name in ("style", "src", "srcset")]
    for tag, name, value in page.attributes:
        if "http" in value:
            assert (tag, name, value) == ("svg", "xmlns", "http://www.w3.org/2000/svg")
        if name in ("href", "action") and tag != "link":
            assert value.startswith("#") or value.startswith("/console/api/insights.csv?chart="), value
    assert "url(" not in html and "@import" not in html
    links = [
        value for tag, name, value in page.attributes if name == "href" and tag != "link" and not value.startswith("#")
    ]
    assert len(links) == 10
    assert "/console/api/insights.csv?chart=regions&since=2026-11-01&until=2026-11-07" in links
    assert html.count("CSV 내려받기") == 10
    assert html.count("<section") == 10 and html.count("<h2") == 10 and html.count("<caption") == 10
    assert html.count('<th scope="col"') == sum(len(chart.table_headers) for chart in charts_for(report))
    assert html.count('role="img"') == 10 and "max-width" in html


def test_the_standalone_page_has_no_links_or_form(report: InsightReport) -> None:
    html = render_html(report, charts_for(report), standalone=True, csv_links=False)
    assert "CSV 내려받기" not in html and "<form" not in html and 'href="/' not in html
    assert "인터넷 연결 없이" in html


def test_the_style_hash_matches_the_inline_style(html: str) -> None:
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style and style.group(1) == PAGE_CSS
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" == STYLE_HASH


def test_an_empty_report_still_renders() -> None:
    report = InsightReport(SINCE, SINCE)
    charts = charts_for(report)
    for chart in charts:
        ET.fromstring(chart.svg)
    html = render_html(report, charts, standalone=True, csv_links=False)
    assert "이 기간에는 자료가 없습니다." in html
    regions = regions_chart(report)
    assert len(regions.table_rows) == 17 and {row[1] for row in regions.table_rows} == {f"< {SMALL_CELL}"}


def test_labels_with_markup_or_control_characters_still_make_valid_svg() -> None:
    report = InsightReport(SINCE, UNTIL, barriers=[Cell('<b>"체납"</b> & \x0b빚', 40, 30)])
    chart = charts_for(report)[6]
    root = ET.fromstring(chart.svg)
    assert '<b>"체납"</b> & 빚' in texts(root) and "<b>" not in chart.svg
