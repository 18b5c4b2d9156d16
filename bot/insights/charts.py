"""Server-side SVG charts of an InsightReport, for the operators: no script, no web font, no chart library.

Each chart is a `Chart`: an accessible SVG (role="img", a <title> and <desc> it is labelled by, a
viewBox and width="100%" so it scales), the same numbers as a table, and that table as CSV.

Small cells stay small everywhere: a `Cell` with fewer than `SMALL_CELL` conversations shows
"< 5" in its bar label, its tooltip, the table and the CSV, its bar is a dashed stub of one fixed
length (never drawn to scale), scales and shades are set from the shown cells only, and
suppressed rows come after the shown ones in name order, so neither geometry nor order tells
their number. Every text that reaches the SVG is escaped; founder text (the masked messages that
fell back) only ever goes into the table, never into the SVG.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from bot.insights.model import CHANNEL_LABELS, SMALL_CELL, WEEKDAYS, Cell, InsightReport

SUPPRESSED = f"< {SMALL_CELL}"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML
FONT = "'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', 'Nanum Gothic', system-ui, sans-serif"
INK = "#1d2330"  # body text on white: 15.7:1
MUTED = "#4a5468"  # secondary text on white: 7.6:1
GRID = "#d5dae3"
TRACK = "#e9edf3"
BAR = "#2b6cb0"  # bars on white: 5.4:1
STOP = "#9a3412"  # "여기서 멈춤" text and bars: 7.3:1
# channel colours (each at least 4.7:1 on white), in CHANNEL_LABELS order, then the spares
CHANNEL_COLOURS = {
    "웹 채팅": "#1f5fa8",
    "카카오톡": "#8a5a00",
    "텔레그램": "#137a6b",
    "페이스북 메신저": "#6b3fa0",
    "REST": "#5f6b7a",
}
SPARE_COLOURS = ("#b8420f", "#2f6f2f", "#a4262c", "#1a4f8b")
# a sequential single-hue scale (ColorBrewer Blues), light to dark
BLUES = ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b")
EMPTY_FILL = "#f3f4f6"  # suppressed tiles and empty heatmap cells
EMPTY = "이 기간에는 자료가 없습니다."

# The 17 시·도 as a tile grid (column, row), roughly where each lies on the peninsula.
TILE_GRID: dict[str, tuple[int, int]] = {
    "incheon": (0, 0),
    "seoul": (1, 0),
    "gyeonggi": (2, 0),
    "gangwon": (3, 0),
    "chungnam": (0, 1),
    "sejong": (1, 1),
    "chungbuk": (2, 1),
    "gyeongbuk": (3, 1),
    "jeonbuk": (0, 2),
    "daejeon": (1, 2),
    "daegu": (2, 2),
    "ulsan": (3, 2),
    "gwangju": (0, 3),
    "jeonnam": (1, 3),
    "gyeongnam": (2, 3),
    "busan": (3, 3),
    "jeju": (1, 4),
}


@dataclass(frozen=True)
class Chart:
    id: str  # also the `chart=` of the CSV download
    title: str  # Korean
    svg: str
    table_headers: list[str]
    table_rows: list[list[str]]
    csv: str  # UTF-8 text with a header row, the same rows as the table


# --- text, numbers, colours -------------------------------------------------------------------


def esc(text: object) -> str:
    """Escapes text for XML/HTML content and double- or single-quoted attributes (dropping control characters)."""
    return escape(CONTROL.sub("", str(text)), {'"': "&quot;", "'": "&#39;"})


def number(value: int) -> str:
    """A count as the SVG shows it: 1,234."""
    return f"{value:,}"


def cell_value(cell: Cell) -> str:
    """A Cell's count as the table and CSV show it: 1234, or "< 5"."""
    return SUPPRESSED if cell.suppressed else str(cell.count)


def safe_text(text: str) -> str:
    """A table/CSV text cell a spreadsheet will not run as a formula (founder text can start with =)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def duration(seconds: float | None) -> str:
    """80.0 -> '1분 20초'; None -> '기록 없음'."""
    if seconds is None:
        return "기록 없음"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}시간"] if hours else []
    if minutes:
        parts.append(f"{minutes}분")
    if secs and not hours:
        parts.append(f"{secs}초")
    return " ".join(parts) or "0초"


def korean_date(day: datetime.date, *, year: bool = True) -> str:
    text = f"{day.month}월 {day.day}일"
    return f"{day.year}년 {text}" if year else text


def korean_range(since: datetime.date, until: datetime.date) -> str:
    end = korean_date(until, year=until.year != since.year)
    return f"{korean_date(since)} ~ {end}"


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(fill: str) -> str:
    """Black or white text, whichever reads better on `fill` (one of them is always >= 4.58:1)."""
    return "#000000" if contrast("#000000", fill) >= contrast("#ffffff", fill) else "#ffffff"


def _text_width(text: str, size: float) -> float:
    """A rough width: Hangul and CJK a full em, spaces a third, the rest about half."""
    ems = sum(1.0 if ord(ch) >= 0x1100 else 0.33 if ch == " " else 0.6 for ch in text)
    return ems * size


def _fit(text: str, size: float, width: float) -> str:
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _nice_ceiling(value: int) -> int:
    if value <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _round2(value: float) -> int:
    """To two significant digits: 153.2 -> 150, 47.6 -> 48."""
    if value < 100:
        return round(value)
    step = 10 ** (int(math.floor(math.log10(value))) - 1)
    return int(round(value / step) * step)


def _bins(low: int, high: int, most: int = len(BLUES)) -> list[tuple[int, int, str]]:
    """Up to `most` ranges covering low..high, even on a log scale (counts are skewed), each with its shade."""
    low = max(low, 1)
    if high < low:
        return []
    edges = [low]
    for index in range(1, most):
        edge = _round2(low * (high / low) ** (index / most))
        if edges[-1] < edge <= high:
            edges.append(edge)
    edges.append(high + 1)
    count = len(edges) - 1
    shades = [BLUES[round(i * (len(BLUES) - 1) / (count - 1))] if count > 1 else BLUES[2] for i in range(count)]
    return [(edges[i], edges[i + 1] - 1, shades[i]) for i in range(count)]


def _shade(value: int, bins: Sequence[tuple[int, int, str]]) -> str:
    return next((fill for low, high, fill in bins if low <= value <= high), EMPTY_FILL)


def _bin_label(low: int, high: int) -> str:
    return number(low) if low == high else f"{number(low)}–{number(high)}"


# --- SVG pieces -------------------------------------------------------------------------------


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float | None = None,
    weight: str | None = None,
    fill: str | None = None,
) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size is not None:
        attrs += f' font-size="{_n(size)}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if fill:
        attrs += f' fill="{fill}"'
    return f"<text {attrs}>{esc(content)}</text>"


def _rect(
    x: float,
    y: float,
    width: float,
    height: float,
    fill: str,
    *,
    title: str | None = None,
    stroke: str | None = None,
    dashed: bool = False,
    css_class: str | None = None,
    rx: float = 0,
) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0))}" height="{_n(height)}" fill="{fill}"'
    if rx:
        attrs += f' rx="{_n(rx)}"'
    if stroke:
        attrs += f' stroke="{stroke}" stroke-width="1"'
    if dashed:
        attrs += ' stroke-dasharray="4 3"'
    if css_class:
        attrs = f'class="{css_class}" ' + attrs
    if title is None:
        return f"<rect {attrs}/>"
    return f"<rect {attrs}><title>{esc(title)}</title></rect>"


def _svg(chart_id: str, title: str, desc: str, width: int, height: float, body: Iterable[str], size: str) -> str:
    height = math.ceil(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-svg-title {chart_id}-svg-desc" class="chart-svg size-{size}" '
        f'font-family="{esc(FONT)}" font-size="14" fill="{INK}">'
        f'<title id="{chart_id}-svg-title">{esc(title)}</title>'
        f'<desc id="{chart_id}-svg-desc">{esc(desc)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _empty_svg(chart_id: str, title: str) -> str:
    return _svg(chart_id, title, EMPTY, 640, 60, [_text(16, 36, EMPTY, fill=MUTED)], "s")


def _legend(x: float, y: float, entries: Sequence[tuple[str, str]]) -> list[str]:
    """A row of colour swatches with labels; returns the SVG pieces."""
    parts = []
    for label, fill in entries:
        parts.append(_rect(x, y - 11, 14, 14, fill))
        parts.append(_text(x + 20, y, label, size=13))
        x += 20 + _text_width(label, 13) + 18
    return parts


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_bytes(chart: Chart) -> bytes:
    """The CSV for a download: UTF-8 with a byte-order mark, so Excel reads the Korean."""
    return chart.csv.encode("utf-8-sig")


def _chart(chart_id: str, title: str, svg: str, headers: list[str], rows: list[list[str]]) -> Chart:
    rows = [[safe_text(value) for value in row] for row in rows]
    return Chart(chart_id, title, svg, headers, rows, to_csv(headers, rows))


# --- bars of Cells (topics, programs, barriers) ------------------------------------------------


def _display_order(cells: Sequence[Cell]) -> list[Cell]:
    """Shown cells as given (top first), then the suppressed ones by name: order must not rank them."""
    shown = [cell for cell in cells if not cell.suppressed]
    return shown + sorted((cell for cell in cells if cell.suppressed), key=lambda cell: cell.label)


def _with_unit(cell: Cell, unit: str) -> str:
    return f"{cell.shown}{unit}"


def _summary(cells: Sequence[Cell], unit: str, what: str) -> str:
    shown = [cell for cell in cells if not cell.suppressed]
    hidden = len(cells) - len(shown)
    if not cells:
        return EMPTY
    text = f"{what} {len(cells)}개."
    if shown:
        text += " 많은 순서로 " + ", ".join(f"{cell.label} {_with_unit(cell, unit)}" for cell in shown[:3]) + "."
    if hidden:
        text += f" {hidden}개는 대화가 {SMALL_CELL}건 미만이라 '{SUPPRESSED}'로만 표시합니다."
    return text


def _cell_bars(chart_id: str, title: str, cells: Sequence[Cell], unit: str, what: str) -> str:
    rows = _display_order(cells)
    if not rows:
        return _empty_svg(chart_id, title)
    width, size, row_height, top = 720, 14, 30, 12
    label_width = min(250.0, max(_text_width(cell.label, size) for cell in rows) + 8)
    x0 = 16 + label_width
    plot = width - x0 - 90
    scale = max([cell.count for cell in rows if not cell.suppressed] + [SMALL_CELL])
    stub = max(plot * SMALL_CELL / scale, 24.0)  # one length for every suppressed cell
    body = []
    for index, cell in enumerate(rows):
        y = top + index * row_height
        middle = y + row_height / 2 + 5
        parts = [f"<title>{esc(cell.label)}: {esc(_with_unit(cell, unit))}</title>"]
        parts.append(_text(x0 - 8, middle, _fit(cell.label, size, label_width - 4), anchor="end"))
        if cell.suppressed:
            bar = stub
            parts.append(_rect(x0, y + 6, bar, row_height - 12, "#ffffff", stroke=BAR, dashed=True))
        else:
            bar = max(plot * cell.count / scale, 1.0 if cell.count else 0.0)
            parts.append(_rect(x0, y + 6, bar, row_height - 12, BAR))
        parts.append(_text(x0 + bar + 6, middle, _with_unit(cell, unit)))
        body.append(f'<g class="bar">{"".join(parts)}</g>')
    height = top * 2 + len(rows) * row_height
    return _svg(chart_id, title, _summary(rows, unit, what), width, height, body, "m")


def _cells_chart(chart_id: str, title: str, cells: Sequence[Cell], header: str, value: str, unit: str) -> Chart:
    svg = _cell_bars(chart_id, title, cells, unit, header)
    rows = [[cell.label, cell_value(cell)] for cell in _display_order(cells)]
    return _chart(chart_id, title, svg, [header, value], rows)


def topics_chart(report: InsightReport) -> Chart:
    return _cells_chart("topics", "창업자가 꺼낸 주제", report.topics, "주제", "건수", "건")


def programs_chart(report: InsightReport) -> Chart:
    return _cells_chart("programs", "추천한 지원사업", report.programs, "지원사업", "추천 건수", "건")


def barriers_chart(report: InsightReport) -> Chart:
    return _cells_chart("barriers", "창업자가 부딪힌 걸림돌", report.barriers, "걸림돌", "건수", "건")


# --- conversations and messages per day, by channel --------------------------------------------


def _channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


def _channel_colours(labels: Sequence[str]) -> dict[str, str]:
    spares = iter(SPARE_COLOURS * (len(labels) // len(SPARE_COLOURS) + 1))
    return {label: CHANNEL_COLOURS.get(label) or next(spares) for label in labels}


def _stacked_panel(
    x0: float,
    y0: float,
    width: float,
    height: float,
    days: Sequence[datetime.date],
    labels: Sequence[str],
    values: dict[tuple[datetime.date, str], int],
    colours: dict[str, str],
    what: str,
) -> list[str]:
    totals = [sum(values.get((day, label), 0) for label in labels) for day in days]
    top = _nice_ceiling(max(totals, default=0))
    body = [_text(x0 - 48, y0 - 10, f"{what} 수", size=13, weight="bold")]
    for tick in sorted({0, top // 2, top}):
        if tick and top % 2 and tick == top // 2:
            continue
        y = y0 + height - height * tick / top
        body.append(f'<line x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(x0 + width)}" y2="{_n(y)}" stroke="{GRID}"/>')
        body.append(_text(x0 - 6, y + 4, number(tick), anchor="end", size=12, fill=MUTED))
    slot = width / max(len(days), 1)
    bar = max(slot * 0.72, 1.0)
    for index, day in enumerate(days):
        x = x0 + index * slot + (slot - bar) / 2
        y = y0 + height
        when = f"{korean_date(day, year=False)}({WEEKDAYS[day.weekday()]})"
        segments = []
        for label in labels:
            value = values.get((day, label), 0)
            if not value:
                continue
            size = height * value / top
            y -= size
            segments.append(
                _rect(
                    x, y, bar, size, colours[label], stroke="#ffffff", title=f"{when} {label}: {what} {number(value)}건"
                )
            )
        total = totals[index]
        body.append(f'<g class="day"><title>{esc(when)}: {what} {number(total)}건</title>{"".join(segments)}</g>')
    step = max(1, math.ceil(len(days) / 8))
    for index in range(0, len(days), step):
        x = x0 + index * slot + slot / 2
        body.append(_text(x, y0 + height + 16, korean_date(days[index], year=False), anchor="middle", size=12))
    return body


def daily_chart(report: InsightReport) -> Chart:
    chart_id, title = "daily", "날짜별 대화·메시지 (채널별)"
    span = max((report.until - report.since).days + 1, 0)
    days = sorted({report.since + datetime.timedelta(days=i) for i in range(span)} | {d.day for d in report.daily})
    known = list(dict.fromkeys(CHANNEL_LABELS.values()))
    present = {_channel_label(row.channel) for row in report.daily}
    labels = [label for label in known if label in present] + sorted(present - set(known))
    conversations: dict[tuple[datetime.date, str], int] = {}
    messages: dict[tuple[datetime.date, str], int] = {}
    for row in report.daily:
        key = (row.day, _channel_label(row.channel))
        conversations[key] = conversations.get(key, 0) + row.conversations
        messages[key] = messages.get(key, 0) + row.messages
    headers = ["날짜", "요일"]
    headers += [f"대화({label})" for label in labels] + ["대화 합계"]
    headers += [f"메시지({label})" for label in labels] + ["메시지 합계"]
    rows = []
    for day in days:
        conv = [conversations.get((day, label), 0) for label in labels]
        msgs = [messages.get((day, label), 0) for label in labels]
        rows.append(
            [day.isoformat(), WEEKDAYS[day.weekday()], *map(str, conv), str(sum(conv)), *map(str, msgs), str(sum(msgs))]
        )
    if not days:
        return _chart(chart_id, title, _empty_svg(chart_id, title), headers, rows)
    colours = _channel_colours(labels)
    total_conversations, total_messages = sum(conversations.values()), sum(messages.values())
    by_channel = ", ".join(
        f"{label} {number(sum(v for (_, name), v in conversations.items() if name == label))}건" for label in labels
    )
    desc = (
        f"{korean_range(days[0], days[-1])}, {len(days)}일 동안 대화 {number(total_conversations)}건과 "
        f"메시지 {number(total_messages)}건을 날짜별로 채널마다 쌓아 그린 막대입니다."
    )
    if labels:
        desc += f" 채널별 대화: {by_channel}."
    width, x0, plot_height = 720, 64, 130
    body = _legend(x0, 22, [(label, colours[label]) for label in labels]) if labels else []
    body += _stacked_panel(x0, 66, width - x0 - 16, plot_height, days, labels, conversations, colours, "대화")
    body += _stacked_panel(x0, 262, width - x0 - 16, plot_height, days, labels, messages, colours, "메시지")
    svg = _svg(chart_id, title, desc, width, 262 + plot_height + 30, body, "m")
    return _chart(chart_id, title, svg, headers, rows)


# --- clarify and fallback ----------------------------------------------------------------------


def understanding_chart(report: InsightReport) -> Chart:
    chart_id, title = "understanding", "되물은 비율과 이해하지 못한 메시지"
    figures = [
        ("선택지로 되물음", report.clarify_rate, BAR),
        ("이해하지 못함", report.fallback_rate, STOP),
    ]
    width, x0, plot = 640, 150, 380
    body = []
    for index, (label, rate, colour) in enumerate(figures):
        y = 14 + index * 40
        clamped = min(max(rate, 0.0), 1.0)
        body.append(
            f'<g class="rate"><title>{esc(label)}: {percent(rate)}</title>'
            + _text(x0 - 10, y + 19, label, anchor="end")
            + _rect(x0, y + 4, plot, 22, TRACK)
            + _rect(x0, y + 4, plot * clamped, 22, colour)
            + _text(x0 + plot + 10, y + 20, percent(rate), weight="bold")
            + "</g>"
        )
    count = len(report.fallback_messages)
    note = f"이해하지 못한 메시지 {number(count)}건은 아래 표에 있습니다(개인정보는 가렸습니다)."
    body.append(_text(16, 110, note, size=13, fill=MUTED))
    desc = (
        f"창업자 메시지 가운데 {percent(report.clarify_rate)}에는 선택지를 보여 되물었고, "
        f"{percent(report.fallback_rate)}는 이해하지 못했습니다. {note}"
    )
    svg = _svg(chart_id, title, desc, width, 124, body, "s")
    rows = [[str(index), text] for index, text in enumerate(report.fallback_messages, start=1)]
    return _chart(chart_id, title, svg, ["번호", "이해하지 못한 메시지(개인정보 가림, 최근 것부터)"], rows)


# --- requests for a person ---------------------------------------------------------------------


def handoffs_chart(report: InsightReport) -> Chart:
    chart_id, title = "handoffs", "상담원 연결 요청"
    handoffs = report.handoffs
    taken_share = f" ({handoffs.taken / handoffs.requested * 100:.0f}%)" if handoffs.requested else ""
    bars = [
        ("연결 요청", handoffs.requested, f"{number(handoffs.requested)}건"),
        ("상담원이 받음", handoffs.taken, f"{number(handoffs.taken)}건{taken_share}"),
    ]
    width, x0, plot = 640, 130, 380
    scale = max(handoffs.requested, handoffs.taken, 1)
    body = []
    for index, (label, value, shown) in enumerate(bars):
        y = 12 + index * 36
        bar = plot * value / scale
        body.append(
            f'<g class="bar"><title>{esc(label)}: {esc(shown)}</title>'
            + _text(x0 - 10, y + 19, label, anchor="end")
            + _rect(x0, y + 5, bar, 20, BAR)
            + _text(x0 + bar + 8, y + 20, shown)
            + "</g>"
        )
    waits = [
        ("대기 시간 중앙값", duration(handoffs.wait_seconds_median)),
        ("대기 시간 90번째 백분위수", duration(handoffs.wait_seconds_p90)),
    ]
    for index, (label, shown) in enumerate(waits):
        x = 16 + index * 300
        body.append(_rect(x, 92, 284, 64, "#f5f6f8", rx=6))
        body.append(_text(x + 14, 116, label, size=13, fill=MUTED))
        body.append(_text(x + 14, 144, shown, size=20, weight="bold"))
    desc = (
        f"상담원 연결 요청 {number(handoffs.requested)}건 가운데 {number(handoffs.taken)}건{taken_share}을 "
        f"상담원이 받았습니다. 대기 시간 중앙값은 {waits[0][1]}, 90번째 백분위수는 {waits[1][1]}입니다."
    )
    svg = _svg(chart_id, title, desc, width, 170, body, "s")

    def seconds(value: float | None) -> str:
        return "" if value is None else str(int(round(value)))

    rows = [
        ["연결 요청", str(handoffs.requested), "건"],
        ["상담원이 받음", str(handoffs.taken), "건"],
        ["대기 시간 중앙값", seconds(handoffs.wait_seconds_median), "초"],
        ["대기 시간 90번째 백분위수", seconds(handoffs.wait_seconds_p90), "초"],
    ]
    return _chart(chart_id, title, svg, ["항목", "값", "단위"], rows)


# --- the finder funnel -------------------------------------------------------------------------


def funnel_chart(report: InsightReport) -> Chart:
    chart_id, title = "funnel", "지원사업 찾기: 어디까지 오고 어디서 멈추는지"
    steps = report.funnel
    headers = ["단계", "도달", "여기서 멈춤", "시작 대비 도달(%)"]
    first = steps[0].reached if steps else 0

    def share(reached: int) -> str:
        return str(round(reached / first * 100)) if first else ""

    rows = [[step.label, str(step.reached), str(step.left_here), share(step.reached)] for step in steps]
    if not steps:
        return _chart(chart_id, title, _empty_svg(chart_id, title), headers, rows)
    width, size, row_height, top = 720, 14, 34, 40
    label_width = min(200.0, max(_text_width(step.label, size) for step in steps) + 8)
    x0 = 16 + label_width
    plot = width - x0 - 250
    scale = max(max(step.reached for step in steps), 1)
    body = _legend(x0, 22, [("도달", BAR), ("여기서 멈춤(결과를 보기 전에 떠남)", STOP)])
    for index, step in enumerate(steps):
        y = top + index * row_height
        middle = y + row_height / 2 + 5
        bar = plot * step.reached / scale
        stopped = min(bar, plot * step.left_here / scale)
        stop_text = f"여기서 멈춤 {number(step.left_here)}건"
        body.append(
            f'<g class="step"><title>{esc(step.label)}: {number(step.reached)}건 도달, {esc(stop_text)}</title>'
            + _text(x0 - 8, middle, _fit(step.label, size, label_width - 4), anchor="end")
            + _rect(x0, y + 7, bar, row_height - 14, BAR)
            + _rect(x0 + bar - stopped, y + 7, stopped, row_height - 14, STOP)
            + _text(x0 + bar + 6, middle, f"{number(step.reached)}건")
            + _text(width - 12, middle, stop_text, anchor="end", fill=STOP)
            + "</g>"
        )
    worst = max(steps, key=lambda step: step.left_here)
    desc = (
        f"{steps[0].label}부터 {steps[-1].label}까지 {len(steps)}단계. "
        f"{steps[0].label} {number(steps[0].reached)}건 가운데 {steps[-1].label}까지 온 것은 {number(steps[-1].reached)}건입니다."
    )
    if worst.left_here:
        desc += f" 가장 많이 멈춘 곳은 '{worst.label}'({number(worst.left_here)}건)입니다."
    svg = _svg(chart_id, title, desc, width, top + len(steps) * row_height + 10, body, "m")
    return _chart(chart_id, title, svg, headers, rows)


# --- founders by 시·도 -------------------------------------------------------------------------


def _sido() -> list[tuple[str, str, str]]:
    """(id, short, official name) of every 시·도, in regions.yml order."""
    from bot.knowledge.loader import knowledge

    return [(r.id, r.short, r.name) for r in knowledge().regions.values() if r.level == "sido"]


def regions_chart(report: InsightReport) -> Chart:
    chart_id, title = "regions", "시·도별 창업자 대화"
    regions = _sido()
    cells: dict[str, Cell] = {}
    for cell in report.regions:
        cells[cell.label] = cell
    names = {key: (rid, short, name) for rid, short, name in regions for key in (rid, short, name)}
    by_id: dict[str, Cell] = {}
    for label, cell in cells.items():
        if label in names:
            by_id[names[label][0]] = cell
    row_of = {rid: by_id.get(rid, Cell(rid, 0, 0)) for rid, _, _ in regions}
    shown = [cell.count for cell in row_of.values() if not cell.suppressed]
    bins = _bins(SMALL_CELL, max(shown)) if shown else []

    tile_w, tile_h, gap, origin = 100, 80, 8, 16
    spare_row = max((row for _, row in TILE_GRID.values()), default=0) + 1
    body = []
    extra = 0
    for rid, short, name in regions:
        cell = row_of[rid]
        if rid in TILE_GRID:
            column, row = TILE_GRID[rid]
        else:  # a 시·도 the grid does not know yet: a row below
            column, row = extra % 4, spare_row + extra // 4
            extra += 1
        x, y = origin + column * (tile_w + gap), origin + row * (tile_h + gap)
        fill = EMPTY_FILL if cell.suppressed else _shade(cell.count, bins)
        ink = ink_on(fill)
        body.append(
            f'<g class="tile" data-region="{esc(rid)}"><title>{esc(name)}: {esc(cell.shown)}건</title>'
            + _rect(x, y, tile_w, tile_h, fill, stroke=MUTED, dashed=cell.suppressed, rx=4)
            + _text(x + tile_w / 2, y + 33, short, anchor="middle", size=17, weight="bold", fill=ink)
            + _text(x + tile_w / 2, y + 58, cell.shown, anchor="middle", size=16, fill=ink)
            + "</g>"
        )
    rows_used = max([row for column, row in TILE_GRID.values()] + [spare_row + (extra - 1) // 4 if extra else 0]) + 1
    legend_x = origin + 4 * (tile_w + gap) + 24
    body.append(_text(legend_x, 30, "대화 수", size=13, weight="bold"))
    entries = [(SUPPRESSED, EMPTY_FILL)] + [(_bin_label(low, high), fill) for low, high, fill in bins]
    for index, (label, fill) in enumerate(entries):
        y = 44 + index * 28
        body.append(_rect(legend_x, y, 22, 20, fill, stroke=MUTED, dashed=label == SUPPRESSED, rx=3))
        body.append(_text(legend_x + 30, y + 15, label, size=13))
    body.append(_text(legend_x, 44 + len(entries) * 28 + 12, f"{SUPPRESSED}: {SMALL_CELL}건 미만", size=12, fill=MUTED))
    ranked = sorted(
        ((cell, short) for (rid, short, _), cell in zip(regions, row_of.values(), strict=True) if not cell.suppressed),
        key=lambda pair: -pair[0].count,
    )
    desc = f"{len(regions)}개 시·도를 한반도 위치대로 놓은 타일 지도입니다. 색이 진할수록 대화가 많습니다."
    if ranked:
        desc += " 많은 곳: " + ", ".join(f"{short} {number(cell.count)}건" for cell, short in ranked[:3]) + "."
    hidden = sum(1 for cell in row_of.values() if cell.suppressed)
    if hidden:
        desc += f" {hidden}곳은 {SMALL_CELL}건 미만이라 '{SUPPRESSED}'로 표시합니다."
    height = origin * 2 + rows_used * (tile_h + gap)
    svg = _svg(chart_id, title, desc, 660, height, body, "m")
    rows = [[name, cell_value(row_of[rid])] for rid, _, name in regions]
    return _chart(chart_id, title, svg, ["시·도", "대화 수"], rows)


# --- hour x weekday ----------------------------------------------------------------------------


def hours_chart(report: InsightReport) -> Chart:
    chart_id, title = "hours", "요일·시간대별 메시지"
    grid = [list(row[:24]) + [0] * (24 - len(row[:24])) for row in report.heatmap[:7]]
    grid += [[0] * 24 for _ in range(7 - len(grid))]
    high = max((value for row in grid for value in row), default=0)
    bins = _bins(1, high)
    cell, gap, x0, y0 = 24, 3, 44, 34
    body = []
    for hour in range(0, 24, 3):
        body.append(_text(x0 + hour * (cell + gap) + cell / 2, y0 - 10, f"{hour}시", anchor="middle", size=12))
    for weekday, row in enumerate(grid):
        y = y0 + weekday * (cell + gap)
        body.append(_text(x0 - 10, y + cell / 2 + 5, WEEKDAYS[weekday], anchor="end", size=13))
        for hour, value in enumerate(row):
            x = x0 + hour * (cell + gap)
            fill = _shade(value, bins) if value else EMPTY_FILL
            tooltip = f"{WEEKDAYS[weekday]}요일 {hour}시: {number(value)}건"
            body.append(_rect(x, y, cell, cell, fill, stroke=GRID, css_class="hm-cell", title=tooltip, rx=2))
    legend_y = y0 + 7 * (cell + gap) + 24
    entries = [("0", EMPTY_FILL)] + [(_bin_label(low, high), fill) for low, high, fill in bins]
    body.append(_text(x0, legend_y, "메시지 수", size=13, weight="bold"))
    left = x0 + 76.0
    for label, fill in entries:
        body.append(_rect(left, legend_y - 13, 16, 16, fill, stroke=MUTED))
        body.append(_text(left + 22, legend_y, label, size=12))
        left += 22 + _text_width(label, 12) + 16
    width = x0 + 24 * (cell + gap) + 16
    total = sum(sum(row) for row in grid)
    desc = f"월요일부터 일요일까지 7줄, 0시부터 23시까지 24칸. 색이 진할수록 메시지가 많습니다. 모두 {number(total)}건."
    if high:
        weekday, hour = max(((w, h) for w in range(7) for h in range(24)), key=lambda wh: grid[wh[0]][wh[1]])
        desc += f" 가장 많은 때는 {WEEKDAYS[weekday]}요일 {hour}시({number(high)}건)입니다."
    svg = _svg(chart_id, title, desc, width, legend_y + 16, body, "l")
    rows = [[WEEKDAYS[weekday], *map(str, row)] for weekday, row in enumerate(grid)]
    return _chart(chart_id, title, svg, ["요일", *(f"{hour}시" for hour in range(24))], rows)


# --- crisis ------------------------------------------------------------------------------------


def crisis_chart(report: InsightReport) -> Chart:
    chart_id, title = "crisis", "위기 신호"
    count = report.crisis_events
    label = "위기 신호(자살 생각 등)가 보인 메시지"
    body = [
        _text(20, 54, f"{number(count)}건", size=34, weight="bold"),
        _text(20, 90, label, size=14),
        _text(20, 112, "내용은 싣지 않습니다. 숫자만 셉니다.", size=12, fill=MUTED),
    ]
    desc = f"이 기간에 {label}는 {number(count)}건입니다. 내용은 싣지 않습니다."
    svg = _svg(chart_id, title, desc, 480, 128, body, "s")
    return _chart(chart_id, title, svg, ["항목", "건수"], [[label, str(count)]])
