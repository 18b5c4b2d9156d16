"""The insights page: every chart of an InsightReport on one Korean HTML page, with its table.

The page loads nothing: no script, no font, no image, no style sheet; its one <style> element is
`PAGE_CSS`, so the same HTML is the console page and the standalone file for the monthly meeting
(it opens offline). Under a `style-src 'self'` policy the console must allow that element by its
hash: `STYLE_HASH` (or send `CONTENT_SECURITY_POLICY` with the page). Nothing on it has a style
attribute or an event handler.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlencode

from bot.insights.charts import (
    SMALL_CELL,
    SUPPRESSED,
    Chart,
    barriers_chart,
    crisis_chart,
    daily_chart,
    esc,
    funnel_chart,
    handoffs_chart,
    hours_chart,
    korean_range,
    number,
    programs_chart,
    regions_chart,
    topics_chart,
    understanding_chart,
)
from bot.insights.model import InsightReport

CSV_PATH = "/console/api/insights.csv"
PAGE_TITLE = "다시(Dasi) 이용 현황"

PAGE_CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #f5f6f8; color: #1d2330; line-height: 1.6; word-break: keep-all;
  font-family: "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Nanum Gothic", system-ui, sans-serif; }
.page { max-width: 64rem; margin: 0 auto; padding: 1rem; }
.page-head { background: #1f4e79; color: #ffffff; border-radius: 8px; padding: 1rem 1.25rem; }
.page-head h1 { font-size: 1.5rem; line-height: 1.3; margin: 0 0 .5rem; }
.page-head p { margin: .25rem 0; }
.page-head a { color: #ffffff; }
.totals { font-size: 1.15rem; font-weight: 600; }
.note { color: #1d2330; background: #ffffff; border-radius: 6px; padding: .5rem .75rem; margin: .75rem 0 0; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; margin: 1rem 0; }
a { color: #1a4f8b; }
a:focus-visible, .scroll:focus-visible, input:focus-visible, button:focus-visible { outline: 3px solid #b45309; outline-offset: 2px; }
.page-head :focus-visible { outline-color: #ffffff; }
form.range { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: 1rem 0 0; }
form.range label { display: flex; flex-direction: column; font-size: .95rem; }
form.range input, form.range button { font: inherit; padding: .3rem .5rem; }
form.range button { border: 1px solid #ffffff; background: #ffffff; color: #1f4e79; border-radius: 4px; cursor: pointer; }
.chart { background: #ffffff; border: 1px solid #d5dae3; border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
.chart h2 { font-size: 1.2rem; line-height: 1.4; margin: 0 0 .75rem; }
.scroll { overflow-x: auto; max-width: 100%; }
.figure { margin: 0 0 1rem; }
.chart-svg { display: block; width: 100%; height: auto; }
.size-s { min-width: 30rem; max-width: 40rem; }
.size-m { min-width: 36rem; max-width: 48rem; }
.size-l { min-width: 36rem; max-width: 52rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 .4rem; }
th, td { border-bottom: 1px solid #d5dae3; padding: .35rem .6rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #4a5468; white-space: nowrap; }
th.nowrap { white-space: nowrap; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.text { overflow-wrap: anywhere; min-width: 12rem; }
.empty { color: #4a5468; }
.csv { margin: .75rem 0 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (max-width: 40rem) { .page { padding: .5rem; } .chart { padding: .75rem; } }
@media print {
  body { background: #ffffff; }
  .page-head { background: #ffffff; color: #1d2330; border: 1px solid #1d2330; }
  nav, form.range, .csv { display: none; }
  .chart { break-inside: avoid; }
  .scroll { overflow: visible; }
}
""".strip()

STYLE_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(PAGE_CSS.encode("utf-8")).digest()).decode("ascii") + "'"
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {STYLE_HASH}; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def charts_for(report: InsightReport) -> list[Chart]:
    """Every chart of the report, in page order."""
    return [
        daily_chart(report),
        topics_chart(report),
        understanding_chart(report),
        handoffs_chart(report),
        funnel_chart(report),
        programs_chart(report),
        barriers_chart(report),
        regions_chart(report),
        hours_chart(report),
        crisis_chart(report),
    ]


def csv_link(chart: Chart, report: InsightReport) -> str:
    """The relative URL of a chart's CSV for the report's date range."""
    query = urlencode({"chart": chart.id, "since": report.since.isoformat(), "until": report.until.isoformat()})
    return f"{CSV_PATH}?{query}"


def _is_number(value: str) -> bool:
    return value == SUPPRESSED or value.replace(".", "", 1).isdigit()


def _table(chart: Chart) -> str:
    caption_id = f"{chart.id}-caption"
    numeric = [
        bool(chart.table_rows) and all(_is_number(row[index]) for row in chart.table_rows if row[index])
        for index in range(len(chart.table_headers))
    ]
    head = "".join(
        f'<th scope="col" class="num">{esc(header)}</th>'
        if numeric[index] and index
        else f'<th scope="col">{esc(header)}</th>'
        for index, header in enumerate(chart.table_headers)
    )
    body = []
    for row in chart.table_rows:
        cells = []
        for index, value in enumerate(row):
            if index == 0:
                nowrap = ' class="nowrap"' if len(value) <= 12 and " " not in value else ""
                cells.append(f'<th scope="row"{nowrap}>{esc(value)}</th>')
            else:
                css = "num" if _is_number(value) else "text"
                cells.append(f'<td class="{css}">{esc(value)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    table = (
        # named apart from its section (axe landmark-unique): the section and its table differ
        f'<div class="scroll" role="region" aria-label="{esc(chart.title)} 표" tabindex="0">'
        f'<table><caption id="{caption_id}">{esc(chart.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
    if not chart.table_rows:
        table += '<p class="empty">이 기간에는 표에 넣을 자료가 없습니다.</p>'
    return table


def _section(chart: Chart, report: InsightReport, csv_links: bool) -> str:
    heading_id = f"{chart.id}-heading"
    parts = [
        f'<section class="chart" id="chart-{esc(chart.id)}" aria-labelledby="{heading_id}">',
        f'<h2 id="{heading_id}">{esc(chart.title)}</h2>',
        f'<div class="scroll figure" role="group" aria-labelledby="{heading_id}" tabindex="0">{chart.svg}</div>',
        _table(chart),
    ]
    if csv_links:
        parts.append(
            f'<p class="csv"><a href="{esc(csv_link(chart, report))}" download>CSV 내려받기'
            f'<span class="visually-hidden"> ({esc(chart.title)})</span></a></p>'
        )
    parts.append("</section>")
    return "".join(parts)


def render_html(report: InsightReport, charts: list[Chart], *, standalone: bool, csv_links: bool) -> str:
    """A complete Korean page: heading, date range and totals, then each chart with its table.

    `standalone` is the file for the monthly meeting (a printable note instead of the console's
    date form); `csv_links` adds a "CSV 내려받기" link under each table (relative, for the console).
    """
    period = korean_range(report.since, report.until)
    totals = f"대화 {number(report.conversations)}건 · 메시지 {number(report.messages)}건"
    head = [
        '<header class="page-head">',
        f"<h1>{esc(PAGE_TITLE)}: {esc(period)}</h1>",
        f'<p class="totals">{esc(totals)}</p>',
        f"<p>갱신 기준: 대화 기록 이벤트 {report.updated_through}번까지 반영</p>",
    ]
    if not standalone:
        head.append(
            '<form class="range" method="get">'
            f'<label>시작일 <input type="date" name="since" value="{report.since.isoformat()}" required></label>'
            f'<label>종료일 <input type="date" name="until" value="{report.until.isoformat()}" required></label>'
            '<button type="submit">기간 바꾸기</button></form>'
        )
    head.append("</header>")
    note = (
        f'<p class="note">대화가 {SMALL_CELL}건 미만인 칸은 창업자를 알아볼 수 없도록 숫자 대신 '
        f"'{esc(SUPPRESSED)}'로 적었습니다. 날짜는 한국 시간 기준입니다."
    )
    if standalone:
        note += " 이 문서는 인터넷 연결 없이 열립니다."
    note += "</p>"
    links = "".join(f'<li><a href="#chart-{esc(chart.id)}">{esc(chart.title)}</a></li>' for chart in charts)
    sections = "".join(_section(chart, report, csv_links) for chart in charts)
    return (
        '<!doctype html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        # no favicon request (a 404 in every browser's console); data: images are allowed
        '<link rel="icon" href="data:,">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(PAGE_TITLE)} ({esc(period)})</title>\n"
        f"<style>{PAGE_CSS}</style>\n</head>\n<body>\n"
        f'<div class="page">{"".join(head[:-1])}{note}</header>'
        f'<nav aria-label="차트 목록"><ul>{links}</ul></nav>'
        f"<main>{sections}</main></div>\n</body>\n</html>\n"
    )
