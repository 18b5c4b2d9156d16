"""What a founder reads about open calls: each with its D-day, agency, link and when it was checked.

A notice is shown as a notice (the public API's words, with its source), never as a curated
record's facts; a barrier its exclusions name comes with that barrier's remedy from the
knowledge base.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.guidance.answers import Answer, hotline_text
from bot.guidance.eligibility import Status, availability
from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import NATIONAL_HOTLINE, KnowledgeBase
from bot.language.dates import KST
from bot.notices.match import NoticeIndex, NoticeMatch

MAX_SHOWN = 4
SOURCE_NAMES = {"bizinfo": "기업마당", "kstartup": "K-Startup"}
SEARCH_SITES = "기업마당(bizinfo.go.kr)이나 K-Startup(k-startup.go.kr)"


@dataclass(frozen=True)
class LiveNotices:
    """The stored notices, prepared for matching, and how current they are."""

    index: NoticeIndex | None
    sources_on: dict[str, bool] = field(default_factory=dict)
    checked_at: datetime.datetime | None = None  # the newest successful fetch

    @property
    def sources(self) -> list[str]:
        """The APIs the stored notices came from (whatever the keys say now)."""
        return sorted({item.notice.source for item in self.index.items}) if self.index else []

    @property
    def available(self) -> bool:
        return self.index is not None and bool(self.index.items)


def d_day(found: NoticeMatch) -> str:
    if found.days_left is None:
        return "상시 접수"
    if found.days_left == 0:
        return "오늘 마감"
    closes = found.notice.closes
    return f"D-{found.days_left} ({closes.month}월 {closes.day}일 마감)" if closes else f"D-{found.days_left}"


def checked_line(live: LiveNotices) -> str:
    checked = live.checked_at
    if checked is not None and checked.tzinfo is not None:
        checked = checked.astimezone(KST)  # stored in UTC; founders read Korean time
    when = checked.strftime("%Y-%m-%d %H:%M") if checked else "확인 시각 미상"
    sources = "·".join(SOURCE_NAMES.get(name, name) for name in live.sources)
    return f"공고 출처: {sources or '공공 공고 API'} · 마지막 확인 {when}"


def notice_lines(found: NoticeMatch, base: KnowledgeBase) -> list[str]:
    notice = found.notice
    agency = notice.agency or notice.organiser
    lines = [f"· {notice.title} — {d_day(found)}{f' · {agency}' if agency else ''}"]
    if not found.region_known and notice.regions:
        lines.append(f"  지역: {', '.join(notice.regions)}")
    program = base.programs.get(found.program_id or "")
    if program is not None:
        lines.append(f"  다시가 안내하는 '{program.name}'의 공고예요.")
    for barrier_id in found.barriers:
        barrier = base.barriers.get(barrier_id)
        if barrier is None:
            continue
        remedy = barrier.remedies[0].title if barrier.remedies else None
        fix = f" 먼저 풀 방법: {remedy}." if remedy else ""
        lines.append(f"  ※ 신청 제외 조건에 '{barrier.name}'이 있어요.{fix}")
    lines.append(f"  {notice.url}")
    return lines


def open_calls_answer(
    matches: Sequence[NoticeMatch], live: LiveNotices, base: KnowledgeBase, today: datetime.date
) -> Answer:
    """The open calls that fit, or, when none is open, when the restart programs usually open."""
    if not live.available:
        return Answer(
            "지금 열린 공고를 실시간으로 확인하는 기능이 아직 켜져 있지 않아요. "
            f"{SEARCH_SITES}에서 '재도전'이나 '재창업'으로 검색해 보시거나, "
            f"{hotline_text(base, NATIONAL_HOTLINE)}로 물어보세요."
        )
    if not matches:
        lines = ["지금 열려 있는 재도전·재창업 공고 가운데 맞는 것은 찾지 못했어요."]
        lines += _usual_openings(base, today)
        lines.append(checked_line(live))
        return Answer("\n".join(lines))
    shown = list(matches[:MAX_SHOWN])
    lines = [
        f"지금 신청할 수 있는 공고가 {len(matches)}건 있어요."
        if len(matches) > 1
        else "지금 신청할 수 있는 공고가 있어요."
    ]
    for found in shown:
        lines += notice_lines(found, base)
    if len(matches) > len(shown):
        lines.append(f"그 밖에 {len(matches) - len(shown)}건은 {SEARCH_SITES}에서 보실 수 있어요.")
    lines.append("공고의 조건은 바뀔 수 있으니, 신청 전에 공고문을 꼭 확인해 주세요.")
    lines.append(checked_line(live))
    return Answer("\n".join(lines))


def _usual_openings(base: KnowledgeBase, today: datetime.date) -> list[str]:
    """When the restart programs' yearly calls ran and where the next will appear."""
    lines = []
    for program in base.programs.values():
        if program.kind != "restart_program" or program.schedule is None or program.schedule.kind != "yearly":
            continue
        found = availability(program, today)
        if found.status in (Status.between_calls, Status.not_yet) and found.text:
            lines.append(f"· {program.name}: {found.text}")
    return lines[:3]


def open_call_lines(profile: FounderProfile, live: LiveNotices, base: KnowledgeBase, today: datetime.date) -> list[str]:
    """The agent's call script: one line per open call that fits the caller, and when it was checked."""
    if live.index is None:
        return []
    found = live.index.match(profile, today)
    lines = []
    for item in found[:MAX_SHOWN]:
        notice = item.notice
        agency = notice.agency or notice.organiser
        excluded = [base.barriers[b].name for b in item.barriers if b in base.barriers]
        caution = f" · 제외 조건: {', '.join(excluded)}" if excluded else ""
        lines.append(f"{notice.title} — {d_day(item)}{f' · {agency}' if agency else ''}{caution} · {notice.url}")
    if lines:
        lines.append(checked_line(live))
    return lines
