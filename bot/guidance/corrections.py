"""Telling a founder briefly what Dasi changed when they correct an earlier answer."""

from __future__ import annotations

from typing import Any

from bot.guidance.answers import PROFILE_LABELS, years_text
from bot.guidance.profile import UNKNOWN
from bot.knowledge.loader import KnowledgeBase
from bot.language.korean import with_ro

# The facts a founder states and would want confirmed when they change; derived slots
# (closure_year, closing_soon, amounts) follow these and are not mentioned on their own.
CORRECTABLE = (
    "region",
    "business_type",
    "closed",
    "years_since_closure",
    "credit_state",
    "tax_arrears",
    "insurance_arrears",
    "goal",
    "sincere_evaluation_passed",
)
GOAL_LABELS = {"restart": "다시 창업", "job": "취업", "undecided": "아직 고민 중"}
BOOLEAN_PHRASES = {
    "closed": ("폐업하신 것으로", "아직 폐업 전인 것으로"),
    "tax_arrears": ("밀린 세금이 있는 것으로", "밀린 세금은 없는 것으로"),
    "insurance_arrears": ("밀린 4대보험료가 있는 것으로", "밀린 4대보험료는 없는 것으로"),
    "sincere_evaluation_passed": ("성실경영평가는 통과하신 것으로", "성실경영평가는 통과하지 않으신 것으로"),
}


def fact_phrase(field: str, value: Any, base: KnowledgeBase) -> str | None:
    if field in BOOLEAN_PHRASES:
        yes, no = BOOLEAN_PHRASES[field]
        return yes if value else no
    if field == "region":
        candidates = str(value).split("|")
        if len(candidates) != 1 or value not in base.regions:
            return None  # an ambiguous name is asked about, not confirmed
        return f"지역은 {with_ro(base.regions[value].label)}"
    if field == "years_since_closure":
        return f"폐업 시기는 {with_ro(years_text(float(value)))}"
    if field == "business_type":
        label = PROFILE_LABELS["business_type"].get(str(value))
        return f"사업 형태는 {with_ro(label)}" if label else None
    if field == "credit_state":
        label = PROFILE_LABELS["credit_state"].get(str(value))
        return f"신용 상황은 '{label}'{with_ro(label)[len(label) :]}" if label else None
    if field == "goal":
        label = GOAL_LABELS.get(str(value))
        return f"앞으로의 계획은 '{label}'{with_ro(label)[len(label) :]}" if label else None
    return None


def _changed(field: str, before: Any, after: Any) -> bool:
    if before is None or after is None or UNKNOWN in (before, after) or before == after:
        return False
    if field == "years_since_closure":
        try:
            return abs(float(before) - float(after)) >= 0.25  # "작년" then "작년 봄" is no correction
        except (TypeError, ValueError):
            return False
    return True


def correction_note(before: dict[str, Any], after: dict[str, Any], base: KnowledgeBase) -> str | None:
    """'지역은 대구로 고쳐 두었어요.' when a message changes facts the founder had already given."""
    phrases = [
        phrase
        for field in CORRECTABLE
        if field in after and _changed(field, before.get(field), after[field])
        for phrase in [fact_phrase(field, after[field], base)]
        if phrase
    ]
    if not phrases:
        return None
    return ", ".join(phrases) + " 고쳐 두었어요."
