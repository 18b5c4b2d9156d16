"""The eligibility engine: for each program, eligible / possibly / not eligible, with reasons.

Plain Python over the knowledge base's structured conditions; no Rasa import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.models import Condition, CreditState, Op, Program


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


@dataclass
class Caveat:
    text: str
    barrier_id: str | None


@dataclass
class ProgramResult:
    program: Program
    verdict: Verdict
    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    relevance: int = 0

    @property
    def reasons(self) -> list[str]:
        """Plain-Korean reasons in the order a founder should read them."""
        return [*self.unmet, *(caveat.text for caveat in self.caveats), *self.met]


def _holds(condition: Condition, value: Any) -> bool:
    expected = condition.value
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


def _applies(condition: Condition, profile: FounderProfile) -> bool:
    if condition.applies_if is None:
        return True
    value = profile.get(condition.applies_if.field)
    return value is not None and _holds(condition.applies_if, value)


def _check(condition: Condition, profile: FounderProfile) -> bool | None:
    """True / False when decided, None when a field it needs is unknown."""
    outcomes = []
    for candidate in (condition, *condition.alternatives):
        value = profile.get(candidate.field)
        outcomes.append(None if value is None else _holds(candidate, value))
    if any(outcome is True for outcome in outcomes):
        return True
    if any(outcome is None for outcome in outcomes):
        return None
    return False


def evaluate(program: Program, profile: FounderProfile) -> ProgramResult:
    """Checks every condition of `program` against what is known of the founder."""
    result = ProgramResult(program=program, verdict=Verdict.eligible)
    for condition in program.conditions:
        if not _applies(condition, profile):
            continue
        outcome = _check(condition, profile)
        if outcome is None:
            if condition.question and all(item.field != condition.field for item in result.missing):
                result.missing.append(Missing(condition.field, condition.question))
        elif outcome:
            if condition.met:
                result.met.append(condition.met)
        elif condition.required:
            result.unmet.append(condition.unmet)
        else:
            result.caveats.append(Caveat(condition.unmet, condition.remedy_barrier))
    if result.unmet:
        result.verdict = Verdict.not_eligible
    elif result.missing or result.caveats:
        result.verdict = Verdict.possible
    return result


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
    # a passed 성실경영평가 (심층평가) is what clears this one (QA: listed after "통과했어요")
    restarting = profile.goal is not None and profile.goal.value == "restart" and profile.closed
    if restarting and not profile.sincere_evaluation_passed:
        found.append("restart_recognition")
    return list(dict.fromkeys(found))


def _relevance(program: Program, profile: FounderProfile, barrier_ids: Sequence[str]) -> int:
    needs = set(program.needs)
    # Funding for the restart itself is what most founders come for.
    score = 1 if "restart_funding" in needs else 0
    if profile.goal is not None and profile.goal.value == "job" and "job" in needs:
        score += 3
    if profile.goal is not None and profile.goal.value == "restart" and "restart_funding" in needs:
        score += 2
    if profile.business_type is not None and profile.business_type.value == "small_merchant":
        score += 2 if "small_business" in needs else 0
    barrier_needs = {
        "credit_delinquency": "credit",
        "bankruptcy": "credit",
        "tax_arrears": "tax",
        "policy_loan_restriction": "debt",
    }
    score += sum(2 for barrier in barrier_ids if barrier_needs.get(barrier) in needs)
    return score


ORDER = {Verdict.eligible: 0, Verdict.possible: 1, Verdict.not_eligible: 2}


def recommend(
    base: KnowledgeBase,
    profile: FounderProfile,
    kinds: Iterable[str] = ("restart_program", "remedy_program"),
) -> list[ProgramResult]:
    """Every program of `kinds`, best fit first."""
    kinds = tuple(kinds)
    barrier_ids = barriers_of(profile)
    results = []
    for program in base.programs.values():
        if program.kind not in kinds:
            continue
        if program.id == EVALUATION_PROGRAM and profile.sincere_evaluation_passed:
            continue  # already passed: not a program to recommend again (QA: it came first)
        result = evaluate(program, profile)
        result.relevance = _relevance(program, profile, barrier_ids)
        results.append(result)
    # Ruled-out programs go last; otherwise a clearly relevant program with a clearable
    # obstacle may rank above a loosely relevant one that fits outright.
    results.sort(
        key=lambda r: (
            r.verdict is Verdict.not_eligible,
            -(r.relevance + (1 if r.verdict is Verdict.eligible else 0)),
            ORDER[r.verdict],
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
            count, _ = counts.get(missing.field, (0, missing.question))
            counts[missing.field] = (count + 1, missing.question)
    # "How much tax is owed?" only once it is known that some is
    if "tax_arrears" in counts:
        counts.pop("tax_arrears_amount", None)
    ranked = sorted(counts.items(), key=lambda item: -item[1][0])
    return [(field_name, question) for field_name, (_, question) in ranked[:limit]]
