"""The eligibility engine: for each program, eligible / possibly / not eligible, with reasons.

Plain Python over the knowledge base's structured conditions; no Rasa import.

Dates are rules. Every call takes `today`: a program whose application deadline has passed
is closed and never recommended; a yearly program between calls says when the last call ran
and where the next appears; a deadline within 60 days comes first. Conditions on the
founder's own dates compare the whole day range they said ("2024년에 폐업" holds for "closed
by 2024-12-31"; "2년 전쯤" may straddle it, and then Dasi asks).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from bot.guidance.profile import DateRange, FounderProfile
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.models import Condition, CreditState, Op, Program

URGENT_DAYS = 60  # a deadline this close leads the results


class Verdict(str, Enum):
    eligible = "eligible"
    possible = "possible"  # something is still unknown, or a clearable obstacle stands
    not_eligible = "not_eligible"


VERDICT_LABELS = {
    Verdict.eligible: "신청 가능성이 높아요",
    Verdict.possible: "확인이 더 필요해요",
    Verdict.not_eligible: "지금은 어려워요",
}


@dataclass
class Missing:
    field: str
    question: str
    # asked because it decides what the founder gets, not whether they can apply
    optional: bool = False


@dataclass
class Caveat:
    text: str
    barrier_id: str | None


class Status(str, Enum):
    unknown = "unknown"  # the record has no schedule: nothing is said about dates
    rolling = "rolling"  # open all year
    open = "open"
    closing_soon = "closing_soon"  # open, deadline within URGENT_DAYS
    not_yet = "not_yet"  # the call opens later
    between_calls = "between_calls"  # the last yearly call has closed
    expired = "expired"  # the deadline has passed: closed for good


@dataclass
class Availability:
    status: Status
    text: str = ""  # plain Korean, empty when there is nothing to say

    @property
    def urgent(self) -> bool:
        return self.status is Status.closing_soon


def availability(program: Program, today: datetime.date) -> Availability:
    """Whether the program can be applied for today, in the founder's words."""
    schedule = program.schedule
    if schedule is None:
        return Availability(Status.unknown)
    if schedule.kind == "rolling":
        return Availability(Status.rolling, "연중 언제든 신청할 수 있어요.")
    if schedule.kind == "deadline":
        return _by_deadline(schedule.deadline, schedule.after_deadline, today)  # type: ignore[arg-type]
    call = schedule.calls[-1]
    next_call = f" {schedule.next_call}" if schedule.next_call else ""
    if call.opens and today < call.opens:
        return Availability(Status.not_yet, f"{call.label} 접수는 {call.opens.isoformat()}부터예요.")
    if call.closes and today > call.closes:
        return Availability(Status.between_calls, f"{call.label}는 {call.closes.isoformat()}에 마감됐어요.{next_call}")
    if call.closes:
        found = _by_deadline(call.closes, None, today)
        found.text = f"지금 {call.label} 신청을 받고 있어요. " + found.text
        return found
    return Availability(Status.open, f"지금 {call.label} 신청을 받고 있어요.")


def _by_deadline(deadline: datetime.date, after: str | None, today: datetime.date) -> Availability:
    days = (deadline - today).days
    if days < 0:
        instead = f" {after}" if after else ""
        return Availability(Status.expired, f"신청 기한 {deadline.isoformat()}이 지났어요.{instead}")
    if days <= URGENT_DAYS:
        left = "오늘이 마지막 날이에요" if days == 0 else f"{days}일 남았어요"
        return Availability(Status.closing_soon, f"신청 기한은 {deadline.isoformat()}까지예요({left}).")
    return Availability(Status.open, f"{deadline.isoformat()}까지 신청할 수 있어요.")


@dataclass
class ProgramResult:
    program: Program
    verdict: Verdict
    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)  # bonuses not (yet) had: never an obstacle
    missing_required: bool = False  # a fact a requirement needs is unknown
    relevance: int = 0
    tier: int = 6  # the adviser's order it was ranked in (see _tier)
    availability: Availability = field(default_factory=lambda: Availability(Status.unknown))
    benefits: list[str] = field(default_factory=list)  # what this founder's own dates give them

    @property
    def reasons(self) -> list[str]:
        """Plain-Korean reasons in the order a founder should read them."""
        return [*self.unmet, *(caveat.text for caveat in self.caveats), *self.met]


@dataclass(frozen=True)
class YearsRange:
    """How many years ago a date range was, as an interval ("2019년" is 6.9 to 7.9 years)."""

    low: float
    high: float


DAYS_PER_YEAR = 365.25
YEARS_OF = {"years_since_closure": "closure_date", "years_since_restart": "restart_date"}


def _value(profile: FounderProfile, field_name: str, today: datetime.date) -> Any:
    """A profile field; years since a date the founder gave only as a date are computed from it."""
    value = profile.get(field_name)
    if value is None and field_name in YEARS_OF:
        days = profile.get(YEARS_OF[field_name])
        if days is not None:
            value = YearsRange((today - days.end).days / DAYS_PER_YEAR, (today - days.start).days / DAYS_PER_YEAR)
    return value


def _holds(condition: Condition, value: Any) -> bool | None:
    """Whether `value` meets the condition; None when a date range straddles its limit."""
    expected = condition.value
    if isinstance(value, DateRange):
        return _range_holds(condition.op, value, expected)
    if isinstance(value, YearsRange):
        return _years_hold(condition.op, value, float(expected))
    actual = value.value if hasattr(value, "value") else value
    if condition.op is Op.eq:
        return bool(actual == expected)
    if condition.op is Op.ne:
        return bool(actual != expected)
    if condition.op is Op.in_:
        return actual in expected
    if condition.op is Op.not_in:
        return actual not in expected
    if condition.op is Op.le:
        return float(actual) <= float(expected)
    if condition.op is Op.ge:
        return float(actual) >= float(expected)
    return float(actual) < float(expected)


def _range_holds(op: Op, days: DateRange, limit: datetime.date) -> bool | None:
    """True when every day of the range meets the limit, False when none does, else None."""
    return _interval_holds(op, days.start, days.end, limit)


def _years_hold(op: Op, years: YearsRange, limit: float) -> bool | None:
    return _interval_holds(op, years.low, years.high, limit)


def _interval_holds(op: Op, low: Any, high: Any, limit: Any) -> bool | None:
    """An interval against a limit: True when all of it meets the limit, False when none does."""
    if op is Op.le:
        return True if high <= limit else False if low > limit else None
    if op is Op.lt:
        return True if high < limit else False if low >= limit else None
    if op is Op.ge:
        return True if low >= limit else False if high < limit else None
    return None


def _applies(condition: Condition, profile: FounderProfile, today: datetime.date) -> bool:
    if condition.applies_if is None:
        return True
    value = _value(profile, condition.applies_if.field, today)
    return value is not None and _holds(condition.applies_if, value) is True


def _check(condition: Condition, profile: FounderProfile, today: datetime.date) -> bool | None:
    """True / False when decided, None when a field it needs is unknown."""
    outcomes = []
    for candidate in (condition, *condition.alternatives):
        value = _value(profile, candidate.field, today)
        outcomes.append(None if value is None else _holds(candidate, value))
    if any(outcome is True for outcome in outcomes):
        return True
    if any(outcome is None for outcome in outcomes):
        return None
    return False


def evaluate(program: Program, profile: FounderProfile, today: datetime.date) -> ProgramResult:
    """Checks every condition of `program`, and its dates, against what is known of the founder."""
    result = ProgramResult(program=program, verdict=Verdict.eligible, availability=availability(program, today))
    if result.availability.status is Status.expired:
        result.unmet.append(result.availability.text)
    for condition in program.conditions:
        if not _applies(condition, profile, today):
            continue
        outcome = _check(condition, profile, today)
        required = condition.required or (condition.required_from is not None and today >= condition.required_from)
        if outcome is None:
            if condition.bonus:
                continue
            if condition.question and all(item.field != condition.field for item in result.missing):
                result.missing.append(Missing(condition.field, condition.question))
            result.missing_required = result.missing_required or (required and not condition.likely)
        elif outcome:
            if condition.met:
                result.met.append(condition.met)
        elif condition.bonus:
            result.tips.append(condition.unmet)
        elif required:
            result.unmet.append(condition.unmet)
        else:
            result.caveats.append(Caveat(condition.unmet, condition.remedy_barrier))
    result.benefits = _dated_benefits(program, profile)
    for benefit in program.benefits_when:
        outcome = _check(benefit.when, profile, today)
        if outcome:
            result.benefits.append(benefit.text)
        elif outcome is None and benefit.question and all(m.field != benefit.when.field for m in result.missing):
            result.missing.append(Missing(benefit.when.field, benefit.question, optional=True))
    if result.unmet:
        result.verdict = Verdict.not_eligible
    elif any(not missing.optional for missing in result.missing) or result.caveats:
        result.verdict = Verdict.possible
    return result


def _dated_benefits(program: Program, profile: FounderProfile) -> list[str]:
    """The benefits whose date span holds the founder's whole date range."""
    found = []
    for benefit in program.dated_benefits:
        days = profile.get(benefit.field)
        if days is None:
            continue
        after = benefit.on_or_after is None or days.start >= benefit.on_or_after
        before = benefit.on_or_before is None or days.end <= benefit.on_or_before
        if after and before:
            found.append(benefit.text)
    return found


BARRIER_BY_CREDIT = {
    CreditState.delinquent: "credit_delinquency",
    CreditState.under_adjustment: "credit_delinquency",
    CreditState.rehabilitation: "slow_rehabilitation",
    CreditState.bankrupt: "bankruptcy",
    CreditState.discharged: "bankruptcy",
}


EVALUATION_PROGRAM = "sincere_management_evaluation"


def barriers_of(profile: FounderProfile) -> list[str]:
    """Barrier ids that the founder's situation raises, most pressing first."""
    found: list[str] = []
    if profile.credit_state in BARRIER_BY_CREDIT:
        found.append(BARRIER_BY_CREDIT[profile.credit_state])  # type: ignore[index]
    if profile.guarantor_default:
        found.append("policy_loan_restriction")
    if profile.tax_arrears:
        found.append("tax_arrears")
    if profile.insurance_arrears:
        found.append("social_insurance_arrears")
    # a passed 성실경영평가 (심층평가) is what clears this one, so after "통과했어요" it is not listed
    restarting = profile.goal is not None and profile.goal.value == "restart" and profile.closed
    if restarting and not profile.sincere_evaluation_passed:
        found.append("restart_recognition")
    return list(dict.fromkeys(found))


def _relevance(program: Program, profile: FounderProfile) -> int:
    """How well a program fits what the founder wants (a tie-break inside its tier)."""
    needs = set(program.needs)
    purpose = program.purpose
    # Funding for the restart itself is what most founders come for (not one looking for a job).
    job_seeker = profile.goal is not None and profile.goal.value == "job"
    score = 1 if "restart_funding" in needs and not job_seeker else 0
    if profile.goal is not None and profile.goal.value == "job" and "job" in needs:
        score += 3
    if profile.goal is not None and profile.goal.value == "restart" and "restart_funding" in needs:
        score += 2 if purpose == "restart_funding" else 1
    if profile.closing_soon and purpose == "closure":
        score += 3  # closing now: the closure help is what is needed first
    if program.stale:
        score -= 1  # terms no current source confirms do not lead
    if purpose == "guarantee":
        # a guarantor's own restart guarantee matters to those it paid for, and first to them
        score += 2 if _for_their_guarantor(program, profile) else -2
    if profile.business_type is not None and profile.business_type.value == "small_merchant":
        score += 2 if "small_business" in needs else 0
    return score


ORDER = {Verdict.eligible: 0, Verdict.possible: 1, Verdict.not_eligible: 2}

# The adviser's order (see _tier): what cannot wait, what the founder is owed, what clears a
# barrier (debt relief before new loans), what serves their goal, then the rest.
URGENT_TIER = 0
OWED_TIER = 1
REMEDY_TIER = 2
GOAL_TIER = 3
CLOSURE_TIER = 4
COUNSELLING_TIER = 5
REST_TIER = 6

# What a barrier needs: a program whose main purpose is that remedies it.
BARRIER_PURPOSES = {
    "tax_arrears": {"tax"},
    "credit_delinquency": {"debt"},
    "bankruptcy": {"debt"},
    "slow_rehabilitation": {"debt"},
}


def _tier(result: ProgramResult, profile: FounderProfile, barrier_ids: Sequence[str]) -> int:
    """Where a program belongs in an adviser's order (lower first).

    0 a deadline within 60 days the founder may meet; 1 money they are owed (노란우산 payout,
    구직급여); 2 the remedy for a barrier they have (debt relief before any new loan); 3 what
    serves their goal; 4 closure help for a small business that closed; 5 counselling; 6 the
    rest. Money owed once one fact is confirmed ("노란우산에 가입하셨나요?") ranks with the rest:
    the result and the call script ask that fact instead (`owed_if_confirmed`).
    """
    program = result.program
    purpose = program.purpose
    # a default the guarantor paid is owed to that guarantor: its own program is the remedy,
    # general debt adjustment (even one closing soon) comes after what serves the founder's goal
    owed_to_guarantor = profile.guarantor_default is not None and profile.credit_state is CreditState.delinquent
    if result.availability.urgent and not result.missing_required and not (owed_to_guarantor and purpose == "debt"):
        return URGENT_TIER
    if purpose == "owed" and result.verdict is Verdict.eligible:
        return OWED_TIER
    purposes = set().union(*(BARRIER_PURPOSES.get(b, set()) for b in barrier_ids))
    if owed_to_guarantor:
        purposes.discard("debt")
    if purpose in purposes or _for_their_guarantor(program, profile):
        return REMEDY_TIER
    restarting = profile.restarted is True or (profile.goal is not None and profile.goal.value == "restart")
    if restarting and purpose == "restart_funding":
        return GOAL_TIER
    if not restarting and purpose == "closure" and (profile.closing_soon or profile.closed):
        return GOAL_TIER
    if purpose == "income" and profile.goal is not None and profile.goal.value == "job" and profile.closed:
        return GOAL_TIER
    if purpose == "closure" and profile.closed and profile.business_type is not None:
        return CLOSURE_TIER if profile.business_type.value != "corporation" else REST_TIER
    if purpose == "counselling":
        return COUNSELLING_TIER
    return REST_TIER


def owed_if_confirmed(results: Sequence[ProgramResult], profile: FounderProfile) -> list[ProgramResult]:
    """Money a closing owner may be owed that one unknown fact still decides (노란우산, 구직급여)."""
    if not (profile.closed or profile.closing_soon):
        return []
    return [
        r
        for r in results
        if r.program.purpose == "owed" and r.verdict is Verdict.possible and r.tier != OWED_TIER and r.missing
    ]


def _for_their_guarantor(program: Program, profile: FounderProfile) -> bool:
    """A guarantee program of the very guarantor that paid the founder's debt."""
    return profile.guarantor_default is not None and any(
        condition.field == "guarantor_default" and condition.value == profile.guarantor_default
        for condition in program.conditions
    )


def recommend(
    base: KnowledgeBase,
    profile: FounderProfile,
    today: datetime.date,
    kinds: Iterable[str] = ("restart_program", "remedy_program", "income_support"),
) -> list[ProgramResult]:
    """Every program of `kinds`, best fit first; a deadline within 60 days leads."""
    kinds = tuple(kinds)
    barrier_ids = barriers_of(profile)
    results = []
    for program in base.programs.values():
        if program.kind not in kinds:
            continue
        if program.id == EVALUATION_PROGRAM and profile.sincere_evaluation_passed:
            continue  # already passed: nothing left to apply for, so it is not recommended again
        result = evaluate(program, profile, today)
        result.relevance = _relevance(program, profile)
        result.tier = _tier(result, profile, barrier_ids)
        results.append(result)
    # Ruled-out programs go last; the rest in the adviser's order (_tier), an outright fit
    # before a doubtful one inside a tier, then by relevance.
    results.sort(
        key=lambda r: (
            r.verdict is Verdict.not_eligible,
            r.tier,
            ORDER[r.verdict],
            -r.relevance,
            -len(r.met),
            len(r.missing),
            r.program.id,
        )
    )
    return results


def next_questions(results: Sequence[ProgramResult], limit: int = 3) -> list[tuple[str, str]]:
    """The unknown facts that would settle the most 'possible' programs, as (field, question)."""
    counts: dict[str, tuple[int, str]] = {}
    for result in results:
        if result.verdict is Verdict.not_eligible:
            continue
        for missing in result.missing:
            if missing.optional and result.verdict is not Verdict.eligible:
                continue  # what they would get matters once they can apply
            count, _ = counts.get(missing.field, (0, missing.question))
            counts[missing.field] = (count + 1, missing.question)
    # "How much tax is owed?" only once it is known that some is
    if "tax_arrears" in counts:
        counts.pop("tax_arrears_amount", None)
    ranked = sorted(counts.items(), key=lambda item: -item[1][0])
    return [(field_name, question) for field_name, (_, question) in ranked[:limit]]
