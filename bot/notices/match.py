"""Which stored notices fit one founder: open now, about a restart, in their region, for them.

Pure functions over `Notice` records, the founder's profile and the knowledge base (no I/O).
A notice is prepared once (`NoticeIndex`), so matching a profile against thousands of stored
notices is a few dictionary and set look-ups per notice.

- **About a restart**: a re-challenge, restart, closure or recovery word in the title,
  hashtags, target or summary (재도전, 재창업, 재기, 폐업, 희망리턴 …).
- **Region**: the founder's 시·도 (any of its names) or a nationwide notice (전국, or no region
  given). A founder whose region is not known yet sees every region, each marked.
- **Target**: a founder who has closed (or not restarted) is a 예비 (재)창업자; a founder who
  restarted Y years ago fits a 업력 range ("3년이상,7년미만") that holds Y. A notice that states
  no 업력 fits.
- **Exclusions** ("금융기관 채무불이행자", "국세 체납자") are not a verdict: they name barriers, and
  the founder is shown each barrier with its remedy from the knowledge base.
- **Curated program**: the knowledge-base program whose name the title carries, if any. A
  notice never replaces that program's facts; it is shown as a notice, with its source.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.guidance.profile import UNKNOWN, FounderProfile
from bot.knowledge.loader import KnowledgeBase
from bot.notices.models import Notice, Window

RESTART_WORDS = re.compile(
    r"재도전|재창업|재기|폐업|희망리턴|재도약|재출발|새출발|실패|다시|재시작|업종\s?전환|사업\s?정리"
)
NATIONWIDE = re.compile(r"전국|전\s?지역|지역\s?무관|제한\s?없")
PRE_FOUNDER = re.compile(r"예비")
YEARS_BELOW = re.compile(r"(\d+)\s?년\s?(?:미만|이내|이하)")
YEARS_AT_LEAST = re.compile(r"(\d+)\s?년\s?(?:이상|초과)")
# What an exclusion text names, and the knowledge base's barrier for it.
EXCLUSION_BARRIERS = (
    (re.compile(r"채무\s?불이행|신용\s?불량|연체|신용\s?정보"), "credit_delinquency"),
    (
        re.compile(r"(?:국세|지방세|세금)[^,.;]{0,6}체납|체납[^,.;]{0,6}(?:국세|지방세|세금)|(?<!보험료\s)체납자"),
        "tax_arrears",
    ),
    (re.compile(r"(?:4대\s?보험|사회\s?보험|보험료)[^,.;]{0,6}체납"), "social_insurance_arrears"),
    (re.compile(r"파산|회생|면책"), "bankruptcy"),
)


@dataclass(frozen=True)
class PreparedNotice:
    notice: Notice
    about_restart: bool
    nationwide: bool
    region_text: str  # where the notice says it applies (regions, else the title)
    pre_founders: bool  # the 업력 text names 예비 (재)창업자
    years_below: tuple[int, ...]
    years_at_least: tuple[int, ...]
    barriers: tuple[str, ...]
    program_id: str | None


@dataclass(frozen=True)
class NoticeMatch:
    notice: Notice
    days_left: int | None  # None for 상시 (always open)
    program_id: str | None
    barriers: tuple[str, ...]  # barriers its exclusions name (shown with their remedies)
    region_known: bool  # False: the founder's region is not known, so the notice's region is said


class NoticeIndex:
    """Stored notices prepared once for matching (build it again after a refresh)."""

    def __init__(self, notices: Iterable[Notice], base: KnowledgeBase) -> None:
        self._names = _program_names(base)
        self.items = [self._prepare(notice) for notice in notices]
        self._region_names = {region.id: tuple(region.names) for region in base.regions.values()}

    def _prepare(self, notice: Notice) -> PreparedNotice:
        text = " ".join((notice.title, " ".join(notice.hashtags), notice.target, notice.summary))
        regions = " ".join(notice.regions)
        age = notice.business_age
        return PreparedNotice(
            notice=notice,
            about_restart=bool(RESTART_WORDS.search(text)),
            nationwide=not regions.strip() or bool(NATIONWIDE.search(regions)),
            region_text=regions or notice.title,
            pre_founders=bool(PRE_FOUNDER.search(age)),
            years_below=tuple(int(years) for years in YEARS_BELOW.findall(age)),
            years_at_least=tuple(int(years) for years in YEARS_AT_LEAST.findall(age)),
            barriers=tuple(barrier for pattern, barrier in EXCLUSION_BARRIERS if pattern.search(notice.excluded)),
            program_id=next((program for name, program in self._names if name in notice.title), None),
        )

    def match(self, profile: FounderProfile, today: datetime.date) -> list[NoticeMatch]:
        """The open notices about a restart that fit the founder, the nearest deadline first."""
        region = profile.region if profile.region not in (None, UNKNOWN) else None
        names = self._region_names.get(region or "", ())
        years = _business_years(profile)
        found = []
        for item in self.items:
            notice = item.notice
            if not item.about_restart or not notice.is_open(today):
                continue
            if region and not item.nationwide and not any(name in item.region_text for name in names):
                continue
            if not _target_fits(item, years):
                continue
            found.append(
                NoticeMatch(notice, notice.days_left(today), item.program_id, item.barriers, region is not None)
            )
        return sorted(found, key=_deadline_first)


def _deadline_first(found: NoticeMatch) -> tuple[int, int, str]:
    always = found.notice.window is Window.always
    return (1 if always else 0, found.days_left if found.days_left is not None else 10**6, found.notice.title)


def _business_years(profile: FounderProfile) -> float | None:
    """Years in business of the founder's current company; None for a 예비 (재)창업자."""
    if profile.restarted and profile.years_since_restart is not None:
        return float(profile.years_since_restart)
    return None


def _target_fits(item: PreparedNotice, years: float | None) -> bool:
    """예비 (재)창업자 for a founder with no running company; a 업력 range ("3년이상,7년미만") otherwise."""
    if not (item.pre_founders or item.years_below or item.years_at_least):
        return True  # the notice says nothing of 업력
    if years is None:
        return item.pre_founders
    if item.years_at_least and years < min(item.years_at_least):
        return False
    if item.years_below and years >= max(item.years_below):
        return False
    return bool(item.years_below or item.years_at_least)


def _program_names(base: KnowledgeBase) -> Sequence[tuple[str, str]]:
    """(name, program id) for every curated program, longest name first (the most specific wins)."""
    pairs = [(name, program.id) for program in base.programs.values() for name in program.names if len(name) >= 4]
    return sorted(pairs, key=lambda pair: -len(pair[0]))
