"""The founder's situation as Dasi knows it: the profile's fields and the slots that hold them."""

from __future__ import annotations

import dataclasses
import datetime
import math
from dataclasses import dataclass
from typing import Any

from bot.knowledge.models import BusinessType, CreditState, Goal
from bot.language.gazetteer import Mention

UNKNOWN = "unknown"  # a founder who does not know or skips: asked once, never again
# Credit states that are a procedure for debts in default: each says more than "delinquent".
PROCEDURES = {
    CreditState.under_adjustment.value,
    CreditState.rehabilitation.value,
    CreditState.bankrupt.value,
    CreditState.discharged.value,
}
GWANGJU = "gwangju"


@dataclass(frozen=True)
class DateRange:
    """The days a founder's date can mean: "2024년" is 2024-01-01 to 2024-12-31."""

    start: datetime.date
    end: datetime.date


DATE_SLOTS = ("closure_from", "closure_to", "restart_from", "restart_to", "opened_from", "opened_to")


@dataclass
class FounderProfile:
    """Fields mirror bot.knowledge.models.PROFILE_FIELDS; None means not known yet.

    The founder's dates are kept as the day range they were said with (closure_from …
    closure_to); `get("closure_date")` gives that range to the eligibility engine.
    """

    closed: bool | None = None
    closing_soon: bool | None = None
    years_since_closure: float | None = None
    closure_year: int | None = None
    restarted: bool | None = None
    years_since_restart: float | None = None
    business_type: BusinessType | None = None
    credit_state: CreditState | None = None
    tax_arrears: bool | None = None
    tax_arrears_amount: int | None = None
    insurance_arrears: bool | None = None
    goal: Goal | None = None
    region: str | None = None
    sincere_evaluation_passed: bool | None = None
    total_debt: int | None = None
    guarantor_default: str | None = None
    average_revenue: int | None = None
    closure_from: datetime.date | None = None
    closure_to: datetime.date | None = None
    restart_from: datetime.date | None = None
    restart_to: datetime.date | None = None
    opened_from: datetime.date | None = None
    opened_to: datetime.date | None = None
    days_overdue: int | None = None
    employment_insured_years: float | None = None
    involuntary_closure: bool | None = None
    yellow_umbrella: bool | None = None
    age: int | None = None
    low_income: bool | None = None
    restart_training_done: bool | None = None

    def get(self, field: str) -> Any:
        if field == "closure_date":
            return self.closure_range()
        if field == "restart_date":
            return _range(self.restart_from, self.restart_to)
        if field == "opened_date":
            return _range(self.opened_from, self.opened_to)
        return getattr(self, field)

    def closure_range(self) -> DateRange | None:
        """The closure's day range: as said, else the year said; None when not closed."""
        if self.closed is False:
            return None
        said = _range(self.closure_from, self.closure_to)
        if said is None and self.closure_year is not None:
            said = DateRange(datetime.date(self.closure_year, 1, 1), datetime.date(self.closure_year, 12, 31))
        return said

    def known(self) -> dict[str, Any]:
        return {key: value for key, value in self.as_slots().items() if value is not None}

    def as_slots(self) -> dict[str, Any]:
        """Plain values for Rasa slots (enums as their string values, dates as ISO text)."""
        return {field.name: _slot_value(getattr(self, field.name)) for field in dataclasses.fields(self)}

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> FounderProfile:
        """Builds a profile from slot values; 'unknown' and bad values count as not known."""
        converters = {"business_type": BusinessType, "credit_state": CreditState, "goal": Goal}
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            raw = slots.get(field.name)
            if raw is None or raw == UNKNOWN:
                continue
            try:
                if field.name in converters:
                    values[field.name] = converters[field.name](raw)
                elif field.name in ("years_since_closure", "years_since_restart", "employment_insured_years"):
                    years = float(raw)
                    if not math.isfinite(years):
                        continue
                    values[field.name] = years
                elif field.name in INT_FIELDS:
                    values[field.name] = int(raw)
                elif field.name in DATE_SLOTS:
                    values[field.name] = (
                        raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw))
                    )
                elif field.name in ("region", "guarantor_default"):
                    values[field.name] = str(raw)
                else:
                    values[field.name] = _as_bool(raw)
            except (TypeError, ValueError):
                continue
        return cls(**values)


INT_FIELDS = ("tax_arrears_amount", "total_debt", "closure_year", "average_revenue", "days_overdue", "age")

#: Every Rasa slot a profile is read from and written to (the dates as their day ranges).
PROFILE_SLOTS = tuple(field.name for field in dataclasses.fields(FounderProfile))


def _range(start: datetime.date | None, end: datetime.date | None) -> DateRange | None:
    if start is None or end is None:
        return None
    return DateRange(min(start, end), max(start, end))


def _slot_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def _as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "yes", "1"):
        return True
    if isinstance(raw, str) and raw.lower() in ("false", "no", "0"):
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def resolve_regions(mentions: list[Mention]) -> str:
    """One region id when the mentions agree; 'a|b' when a name stays ambiguous.

    "경기도 광주" resolves 광주 (gwangju|gyeonggi) to gyeonggi because 경기도 is named too.
    """
    certain = [mention.value for mention in mentions if not mention.ambiguous]
    for mention in mentions:
        if mention.ambiguous:
            overlap = [candidate for candidate in mention.candidates if candidate in certain]
            if overlap:
                return overlap[0]
            # "전남 광주": the city 광주광역시 (once part of 전라남도), not 경기도 광주시
            if GWANGJU in mention.candidates and {"jeonnam", "jeonbuk"} & set(certain):
                return GWANGJU
    if certain:
        return certain[-1]
    return mentions[-1].value
