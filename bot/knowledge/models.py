"""Pydantic models for Dasi's knowledge base (data/knowledge/*.yml).

Every record carries `source` (URLs it was read from), `as_of` (the date the source states,
shown to founders as 기준일) and `verified`. A phone number or street address that is not
verified is kept in the data for operators but is never rendered to a founder (see
`Phone.shown`).

`as_of` must be written in every record, but may be `null`: FACTS.md gives no date for some
sources, and the date they were read is not their 기준일 (a founder would take it for a
current confirmation). A null `as_of` is rendered as "기준일 미확인".

`checked_on` is the day someone last checked the record against its sources. A record whose
newest source is more than two years older than that check is *stale*: it is shown with a
plain warning and may not carry a figure (an amount, a date, a number of years) as an
eligibility condition (see `Program.figure_conditions`).

Dates are rules: a program's `schedule` carries its application deadline and its calls, and
conditions may compare the founder's own dates (`closure_date`, `restart_date`) with a date.
"""

from __future__ import annotations

import datetime
import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, Field, root_validator, validator

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
URL_PATTERN = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$")
PHONE_PATTERN = re.compile(r"^(\d{3,4}|\d{2,3}-\d{3,4}-\d{4}|\d{4}-\d{4})$")


class StrictModel(BaseModel):
    class Config:
        extra = "forbid"
        anystr_strip_whitespace = True


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(f"id {value!r} must be lower_snake_case ascii")
    return value


def _check_url(value: str) -> str:
    if not URL_PATTERN.match(value):
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    return value


def _check_as_of(value: datetime.date | None) -> datetime.date | None:
    if value is not None and (value > datetime.date(2100, 1, 1) or value < datetime.date(1990, 1, 1)):
        raise ValueError(f"as_of {value} is out of range")
    return value


#: A source older than this, counted back from the day it was checked, is not current.
STALE_AFTER = datetime.timedelta(days=730)


def is_stale(as_of: datetime.date | None, checked_on: datetime.date | None) -> bool:
    """True when no source from the two years before the last check backs the record."""
    if as_of is None or checked_on is None:
        return True
    return checked_on - as_of > STALE_AFTER


class Phone(StrictModel):
    """A phone number with its provenance; only verified numbers are ever shown."""

    number: str
    verified: bool
    source: str | None = None
    note: str | None = None

    @validator("number")
    def _number_format(cls, value: str) -> str:
        if not PHONE_PATTERN.match(value):
            raise ValueError(f"bad phone number {value!r}")
        return value

    @validator("source")
    def _source_url(cls, value: str | None) -> str | None:
        return _check_url(value) if value else value

    @root_validator(skip_on_failure=True)
    def _verified_needs_source(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("verified") and not values.get("source"):
            raise ValueError(f"verified phone {values.get('number')} needs a source")
        return values

    @property
    def shown(self) -> bool:
        return self.verified


class Address(StrictModel):
    """A street address stated in dated news; shown only if verified and not past."""

    text: str
    as_of: datetime.date | None = Field(...)  # required, null when the source states no date
    checked_on: datetime.date | None = None
    verified: bool
    past: bool = False
    source: str

    _source = validator("source", allow_reuse=True)(_check_url)
    _as_of = validator("as_of", allow_reuse=True)(_check_as_of)

    @root_validator(skip_on_failure=True)
    def _shown_needs_date(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("verified") and not values.get("past") and values.get("as_of") is None:
            raise ValueError(f"address {values.get('text')!r} is shown, so it needs the date of its source")
        return values

    @property
    def shown(self) -> bool:
        return self.verified and not self.past


class Record(StrictModel):
    """Fields every knowledge record has."""

    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    summary: str
    source: list[str] = Field(default_factory=list)
    as_of: datetime.date | None = Field(...)  # required, null when the source states no date
    checked_on: datetime.date | None = None  # the day the sources were last checked
    verified: bool
    # How strong the newest source is (docs/research): H official or several reports, M one
    # report or a copy of a notice, L blogs only. Unset on records graded before the grades.
    grade: str | None = Field(None, regex=r"^[HML]$")

    _id = validator("id", allow_reuse=True)(_check_id)
    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)
    _as_of = validator("as_of", allow_reuse=True)(_check_as_of)
    _checked_on = validator("checked_on", allow_reuse=True)(_check_as_of)

    @property
    def stale(self) -> bool:
        return is_stale(self.as_of, self.checked_on)

    @root_validator(skip_on_failure=True)
    def _verified_needs_source(cls, values: dict[str, Any]) -> dict[str, Any]:
        # Only a record marked unverified may have no source (FACTS.md gives none for it).
        if values.get("verified") and not values.get("source"):
            raise ValueError(f"verified record {values.get('id')} needs a source")
        if not values.get("source") and values.get("as_of") is not None:
            raise ValueError(f"record {values.get('id')} has a 기준일 but no source it comes from")
        return values

    @validator("aliases", each_item=True)
    def _alias_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty alias")
        return value

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Agency(Record):
    """An institution: 중진공, 신용회복위원회, 기술보증기금 …"""

    website: str | None = None
    phones: list[Phone] = Field(default_factory=list)
    headquarters: Address | None = None

    _website = validator("website", allow_reuse=True)(lambda v: _check_url(v) if v else v)

    @property
    def shown_phones(self) -> list[Phone]:
        return [phone for phone in self.phones if phone.shown]


# ---------------------------------------------------------------------------
# Founder profile vocabulary shared by eligibility conditions and the engine.


class BusinessType(str, Enum):
    sole_proprietor = "sole_proprietor"  # 개인사업자
    corporation = "corporation"  # 법인
    small_merchant = "small_merchant"  # 소상공인 (usually also a sole proprietor)


class CreditState(str, Enum):
    normal = "normal"
    delinquent = "delinquent"  # 연체, 신용불량, 대위변제
    under_adjustment = "under_adjustment"  # 신용회복위원회 채무조정 중
    rehabilitation = "rehabilitation"  # 개인회생 / 법인회생 진행 중
    bankrupt = "bankrupt"  # 파산 선고, 면책 전
    discharged = "discharged"  # 면책 확정


class Goal(str, Enum):
    restart = "restart"  # 재창업
    job = "job"  # 취업
    undecided = "undecided"


PROFILE_FIELDS = {
    "closed": bool,  # business closed (or about to close)
    "closing_soon": bool,  # about to close, not yet closed
    "years_since_closure": float,
    "closure_year": int,  # calendar year of the closure, when the date says it
    "restarted": bool,  # already re-founded a business
    "years_since_restart": float,
    "business_type": BusinessType,
    "credit_state": CreditState,
    "tax_arrears": bool,
    "tax_arrears_amount": int,  # KRW
    "insurance_arrears": bool,
    "goal": Goal,
    "region": str,
    "sincere_evaluation_passed": bool,  # 성실경영평가 (심층평가)
    "total_debt": int,  # KRW
    "guarantor_default": str,  # which guarantor paid for the founder: kodit, kibo, koreg
    "average_revenue": int,  # KRW a year: average 수입금액 (revenue, not income) of the last 3 years
    # The founder's own dates as day ranges ("작년" is a whole year): conditions compare them
    # with a date, and hold, fail or stay unknown as the whole range falls.
    "closure_date": datetime.date,
    "restart_date": datetime.date,
    "opened_date": datetime.date,  # when the business (the one that closed) started
    # What a closing owner is owed and what decides their debt relief (issue 16)
    "days_overdue": int,  # days the founder's business loans have been overdue
    "employment_insured_years": float,  # years of 자영업자 고용보험 paid (0: never joined)
    "involuntary_closure": bool,  # closed by losses, falling sales, illness or disaster
    "yellow_umbrella": bool,  # a 노란우산공제 member
    "age": int,
    "low_income": bool,  # household income at most 60% of the 기준 중위소득
    "restart_training_done": bool,  # finished 재창업교육 or 희망리턴패키지 재기사업화
}
DATE_FIELDS = ("closure_date", "restart_date", "opened_date")


class Op(str, Enum):
    eq = "eq"
    ne = "ne"
    in_ = "in"
    not_in = "not_in"
    le = "le"
    ge = "ge"
    lt = "lt"


class Condition(StrictModel):
    """One eligibility condition over a profile field.

    `required` conditions decide eligibility; the others (`caveat`) only add a note and
    point to the barrier whose remedy clears them. `question` is what Dasi asks when the
    field is unknown.
    """

    field: str
    op: Op = Op.eq
    value: Any
    met: str  # plain-Korean reason when the condition holds
    unmet: str  # plain-Korean reason when it fails
    question: str | None = None
    required: bool = True
    # A bonus only helps when it holds (성실경영평가 waives the document review); not having
    # it is no obstacle, so it never lowers a verdict. Its `unmet` is a tip.
    bonus: bool = False
    # From this day on a caveat is a requirement: a window the founder could still meet has
    # closed ("restart by 2028-12-31" is advice until then, a failed condition after).
    required_from: datetime.date | None = None
    # Most founders meet it (a business that ran after 2020-04): unknown, it is still asked,
    # but it does not keep an urgent deadline from leading the results.
    likely: bool = False
    remedy_barrier: str | None = None
    applies_if: Condition | None = None  # only checked when this holds
    alternatives: list[Condition] = Field(default_factory=list)  # holds if any of these holds

    @validator("field")
    def _known_field(cls, value: str) -> str:
        if value not in PROFILE_FIELDS:
            raise ValueError(f"unknown profile field {value!r}; known: {sorted(PROFILE_FIELDS)}")
        return value

    @validator("value")
    def _list_for_membership(cls, value: Any, values: dict[str, Any]) -> Any:
        if values.get("op") in (Op.in_, Op.not_in) and not isinstance(value, list):
            raise ValueError("'in' / 'not_in' need a list value")
        if values.get("field") in DATE_FIELDS and not isinstance(value, datetime.date):
            raise ValueError(f"{values.get('field')} is compared with a date (YYYY-MM-DD)")
        return value

    @property
    def states_a_figure(self) -> bool:
        """True for a limit that a source sets (an amount, a date, years), not a plain fact."""
        return self.op in (Op.le, Op.ge, Op.lt) or self.field in DATE_FIELDS


Condition.update_forward_refs()


class Call(StrictModel):
    """One yearly call for applications (공고) with its own dates and source."""

    label: str  # "2026년 공고"
    opens: datetime.date | None = None
    closes: datetime.date | None = None
    source: list[str] = Field(..., min_items=1)

    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)


class ConditionalBenefit(StrictModel):
    """What a founder gets when a fact holds ("연체 90일 이상이면 원금 감면").

    `when` holds like a condition (its `met`/`unmet` are not read); `question` is asked when
    the fact is unknown, without lowering the verdict: it decides what the founder gets, not
    whether they can apply.
    """

    when: Condition
    text: str
    question: str | None = None


class DatedBenefit(StrictModel):
    """What a founder gets when their own date falls in a span (철거비 by closure date)."""

    field: str = Field(..., regex=r"^(closure_date|restart_date|opened_date)$")
    on_or_after: datetime.date | None = None
    on_or_before: datetime.date | None = None
    text: str


class Schedule(StrictModel):
    """When a program can be applied for.

    `rolling`: any time. `yearly`: by calls that open and close (the newest last); between calls
    the founder is told when the last one ran and where the next will appear. `deadline`: a
    fixed last day (a statute's sunset); after it the program is closed.
    """

    kind: str = Field(..., regex=r"^(rolling|yearly|deadline)$")
    deadline: datetime.date | None = None
    calls: list[Call] = Field(default_factory=list)
    next_call: str | None = None  # where and when the next call appears, plain Korean
    after_deadline: str | None = None  # what to check instead once the deadline has passed
    source: list[str] = Field(default_factory=list)

    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)

    @root_validator(skip_on_failure=True)
    def _dates_for_kind(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("kind") == "deadline" and values.get("deadline") is None:
            raise ValueError("a 'deadline' schedule needs its deadline")
        if values.get("kind") == "yearly" and not values.get("calls"):
            raise ValueError("a 'yearly' schedule needs at least its last call")
        if values.get("deadline") and not values.get("source") and values.get("kind") == "deadline":
            raise ValueError("a deadline needs the source that sets it")
        return values


class Program(Record):
    """A restart program or a linked support offered as a next step."""

    # income_support: money the founder is owed or can live on (노란우산 payout, 구직급여)
    kind: str = Field(..., regex=r"^(restart_program|linked_support|remedy_program|income_support)$")
    agency_ids: list[str] = Field(..., min_items=1)
    target: str  # who it is for, plain Korean
    benefits: list[str] = Field(..., min_items=1)
    how_to_apply: str
    website: str | None = None
    hotline: str | None = None  # a number from hotlines.yml
    legal_basis: str | None = None
    conditions: list[Condition] = Field(default_factory=list)
    # Details we could not verify: notes for operators, never rendered to a founder.
    unverified: list[str] = Field(default_factory=list)
    # What a founder should check before applying, in plain words ("금리와 한도는 … 확인해 주세요").
    notice: str | None = None
    needs: list[str] = Field(default_factory=list)  # need tags: restart_funding, debt, export …
    schedule: Schedule | None = None
    dated_benefits: list[DatedBenefit] = Field(default_factory=list)
    benefits_when: list[ConditionalBenefit] = Field(default_factory=list)
    # Whom to ask when the record is stale (shown with the warning), e.g. "☎ 1357".
    ask: str | None = None

    _website = validator("website", allow_reuse=True)(lambda v: _check_url(v) if v else v)

    @property
    def purpose(self) -> str | None:
        """The program's main purpose: its first need tag."""
        return self.needs[0] if self.needs else None

    @property
    def figure_conditions(self) -> list[Condition]:
        """Conditions that state a limit from a source (they need a current one)."""
        found: list[Condition] = []
        for condition in self.conditions:
            found += [c for c in (condition, *condition.alternatives) if c.states_a_figure]
        return found


class Remedy(StrictModel):
    title: str
    detail: str
    agency_ids: list[str] = Field(default_factory=list)
    legal_basis: str | None = None
    deadline: datetime.date | None = None
    conditions: list[str] = Field(default_factory=list)  # plain-Korean conditions
    source: list[str] = Field(..., min_items=1)
    as_of: datetime.date | None = Field(...)  # required, null when the source states no date
    checked_on: datetime.date | None = None
    verified: bool = True

    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)
    _as_of = validator("as_of", allow_reuse=True)(_check_as_of)


class Barrier(Record):
    """Something that stands in a restart's way, with its remedies."""

    rule: str  # what the rule or problem is
    remedies: list[Remedy] = Field(default_factory=list)
    affects_programs: list[str] = Field(default_factory=list)
    hotlines: list[str] = Field(default_factory=list)  # numbers from hotlines.yml
    no_remedy_note: str | None = None  # said when no verified remedy exists
    advice: list[str] = Field(default_factory=list)  # what a founder can do when there is no remedy
    opening: str | None = None  # a first, human line before the facts (the stigma answer)


class Hotline(StrictModel):
    number: str
    name: str
    agency_id: str | None = None
    verified: bool
    source: list[str] = Field(default_factory=list)
    as_of: datetime.date | None = Field(...)  # required, null when the source states no date
    checked_on: datetime.date | None = None

    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)
    _as_of = validator("as_of", allow_reuse=True)(_check_as_of)

    @root_validator(skip_on_failure=True)
    def _verified_needs_source(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("verified") and not values.get("source"):
            raise ValueError(f"verified hotline {values.get('number')} needs a source")
        return values


class Centroid(StrictModel):
    lat: float = Field(..., ge=33.0, le=38.7)
    lon: float = Field(..., ge=124.5, le=131.0)
    source: str


class Region(StrictModel):
    """A 시·도 (level 'sido') or one of the two extra center regions (포항, 빛가람/나주)."""

    id: str
    name: str  # official name, e.g. 부산광역시
    short: str  # 부산
    # how answers name it, when the short name is not what people call the place (나주 빛가람)
    display: str | None = None
    aliases: list[str] = Field(default_factory=list)
    level: str = Field(..., regex=r"^(sido|center_city)$")
    parent: str | None = None  # for center_city: its 시·도
    former_names: list[str] = Field(default_factory=list)
    centroid: Centroid
    source: list[str] = Field(..., min_items=1)
    as_of: datetime.date
    checked_on: datetime.date | None = None

    _id = validator("id", allow_reuse=True)(_check_id)

    @property
    def names(self) -> list[str]:
        return [self.name, self.short, *self.aliases, *self.former_names]

    @property
    def label(self) -> str:
        """The name answers use: the short name, or `display` where people say something else."""
        return self.display or self.short


class District(StrictModel):
    """A 시·군·구 mapping to its 시·도."""

    name: str  # official, e.g. 해운대구
    sido: str  # region id
    aliases: list[str] = Field(default_factory=list)  # 해운대
    centroid: Centroid | None = None
    center_region: str | None = None  # pohang / bitgaram when it has its own center


class CenterType(StrictModel):
    id: str
    name: str
    agency_id: str | None = None
    summary: str
    needs: list[str] = Field(default_factory=list)  # restart_funding, debt, export, ...
    website: str | None = None
    hotline: str | None = None
    source: list[str] = Field(default_factory=list)
    as_of: datetime.date | None = Field(...)  # required, null when the source states no date
    checked_on: datetime.date | None = None

    _id = validator("id", allow_reuse=True)(_check_id)
    _as_of = validator("as_of", allow_reuse=True)(_check_as_of)


class Center(StrictModel):
    id: str
    type: str  # a CenterType id
    region: str  # a Region id
    covers: list[str] = Field(default_factory=list)  # further regions it serves (대구경북청 → gyeongbuk)
    name: str
    website: str | None = None
    phones: list[Phone] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    note: str | None = None
    source: list[str] = Field(..., min_items=1)
    as_of: datetime.date | None = Field(...)  # required, null when the source states no date
    checked_on: datetime.date | None = None
    verified: bool

    _id = validator("id", allow_reuse=True)(_check_id)
    _as_of = validator("as_of", allow_reuse=True)(_check_as_of)
    _website = validator("website", allow_reuse=True)(lambda v: _check_url(v) if v else v)
    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)


class Relation(StrictModel):
    """How two supports go together, as a source states it.

    `combines`: using one improves the other (finishing a job programme raises the 새출발기금
    cut); `excludes`: they are not paid together (국민취업지원제도 Ⅰ유형 and 구직급여). `text` is
    what the founder reads when both are in their results, or either is asked about.
    """

    kind: str = Field(..., regex=r"^(combines|excludes)$")
    programs: list[str] = Field(..., min_items=2, max_items=2)
    text: str
    source: list[str] = Field(default_factory=list)
    as_of: datetime.date | None = Field(...)
    checked_on: datetime.date
    grade: str | None = Field(..., regex=r"^[HML]$")  # null: no current source found
    # false: no source states it; the text must say so and send the founder to ask
    verified: bool

    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)

    @root_validator(skip_on_failure=True)
    def _verified_needs_source(cls, values: dict[str, Any]) -> dict[str, Any]:
        if values.get("verified") and not values.get("source"):
            raise ValueError(f"a verified relation of {values.get('programs')} needs its source")
        if not values.get("verified") and "확인" not in values.get("text", ""):
            raise ValueError(f"the unverified relation of {values.get('programs')} must tell the founder to check")
        return values


class Faq(StrictModel):
    """A direct answer to a question that is not about eligibility ("노란우산 해지하면 세금 나와요?").

    It is chosen when the message names one of `programs` (or asks the intent that covers them)
    and has a word of every group in `keywords`.
    """

    id: str
    programs: list[str] = Field(..., min_items=1)
    keywords: list[list[str]] = Field(..., min_items=1)
    question: str  # the question it answers, as a founder asks it
    answer: str
    contact: str | None = None  # a number from hotlines.yml
    source: list[str] = Field(..., min_items=1)
    as_of: datetime.date | None = Field(...)
    checked_on: datetime.date
    grade: str = Field(..., regex=r"^[HML]$")

    _id = validator("id", allow_reuse=True)(_check_id)
    _sources = validator("source", each_item=True, allow_reuse=True)(_check_url)


class Lexicon(StrictModel):
    """Keyword lists the situation extractor and gazetteer use (business types etc.)."""

    entries: dict[str, dict[str, list[str]]]  # entity -> value -> surface forms
