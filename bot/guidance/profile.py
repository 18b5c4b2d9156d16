"""The founder's situation as Dasi knows it, and how free Korean text fills it."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from typing import Any

from bot.knowledge.models import BusinessType, CreditState, Goal
from bot.language.dates import find_korean_date
from bot.language.gazetteer import Gazetteer, Mention

# Words after a mention that negate it, within the same clause: "체납은 없어요", "폐업 안 했어요".
NEGATION = re.compile(r"(없|안\s?했|안\s?해|않았|않았|아니|안 됐|안됐|안\s?받|못\s?받았|전혀)")
CLAUSE_END = re.compile(r"[,.!?\n;]|(?<=[고며])\s|그리고|하지만|근데")
MONEY = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)?|[일이삼사오육칠팔구십]+)?\s*(?P<unit>억|천만|백만|만)\s*(?P<rest>\d*\s*(?:천만|백만|만)?)\s*원?"
)
KOREAN_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9, "십": 10}
UNIT_VALUES = {"억": 100_000_000, "천만": 10_000_000, "백만": 1_000_000, "만": 10_000}
GUARANTORS = ("kodit", "kibo", "koreg")
GUARANTOR_DEFAULT = re.compile(r"대위\s?변제|보증\s?사고")
UNKNOWN = "unknown"  # a founder who does not know or skips: asked once, never again


@dataclass
class FounderProfile:
    """Fields mirror bot.knowledge.models.PROFILE_FIELDS; None means not known yet."""

    closed: bool | None = None
    closing_soon: bool | None = None
    years_since_closure: float | None = None
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

    def get(self, field: str) -> Any:
        return getattr(self, field)

    def known(self) -> dict[str, Any]:
        return {key: value for key, value in self.as_slots().items() if value is not None}

    def as_slots(self) -> dict[str, Any]:
        """Plain values for Rasa slots (enums as their string values)."""
        return {
            field.name: (value.value if hasattr(value, "value") else value)
            for field in dataclasses.fields(self)
            for value in [getattr(self, field.name)]
        }

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
                elif field.name in ("years_since_closure", "years_since_restart"):
                    values[field.name] = float(raw)
                elif field.name in ("tax_arrears_amount", "total_debt"):
                    values[field.name] = int(raw)
                elif field.name in ("region", "guarantor_default"):
                    values[field.name] = str(raw)
                else:
                    values[field.name] = _as_bool(raw)
            except (TypeError, ValueError):
                continue
        return cls(**values)


def _as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "yes", "1"):
        return True
    if isinstance(raw, str) and raw.lower() in ("false", "no", "0"):
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def parse_money(text: str) -> int | None:
    """'2천만 원' → 20000000, '1억 5천만원' → 150000000, '3000만원' → 30000000."""
    match = MONEY.search(text)
    if not match:
        return None
    number_text = match.group("number") or "1"
    if number_text[0].isdigit():
        number = float(number_text.replace(",", ""))
    else:
        number = float(sum(KOREAN_DIGITS.get(char, 0) for char in number_text) or 1)
    total = number * UNIT_VALUES[match.group("unit")]
    rest = match.group("rest").strip()
    if rest:
        rest_match = re.match(r"(\d*)\s*(천만|백만|만)", rest)
        if rest_match:
            total += float(rest_match.group(1) or 1) * UNIT_VALUES[rest_match.group(2)]
    return int(total)


def _negated(text: str, mention: Mention) -> bool:
    clause = text[mention.end : mention.end + 16]
    end = CLAUSE_END.search(clause)
    clause = clause[: end.start()] if end else clause
    before = text[max(0, mention.start - 3) : mention.start]
    return bool(NEGATION.search(clause)) or before.strip().endswith(("안", "무"))


def extract_situation(
    text: str,
    gazetteer: Gazetteer,
    today: datetime.date,
    mentions: list[Mention] | None = None,
) -> dict[str, Any]:
    """Every profile fact stated in `text`, as slot values. Nothing is guessed.

    "부산에서 식당 하다가 작년에 폐업했고 세금 체납이 있어요" gives region, business type,
    closure, years since closure and tax arrears at once.
    """
    if mentions is None:
        mentions = gazetteer.find(text)
    facts: dict[str, Any] = {}
    regions = [mention for mention in mentions if mention.label == "region"]
    if regions:
        facts["region"] = resolve_regions(regions)
    for mention in mentions:
        negated = _negated(text, mention)
        if mention.label == "business_type" and not negated:
            # "법인" beats "식당": a corporation that ran a restaurant is a corporation.
            if facts.get("business_type") != BusinessType.corporation.value:
                facts["business_type"] = mention.value
        elif mention.label == "credit_state":
            facts["credit_state"] = CreditState.normal.value if negated else mention.value
        elif mention.label == "closure":
            if mention.value == "closed":
                facts["closed"] = not negated
                facts.setdefault("closing_soon", False) if not negated else None
            elif mention.value == "closing_soon" and not negated:
                facts["closed"] = False
                facts["closing_soon"] = True
            elif mention.value == "operating" and not negated:
                facts["closed"] = False
        elif mention.label == "tax":
            facts["tax_arrears"] = not negated
            amount = parse_money(text[mention.start : mention.start + 30])
            if amount and not negated:
                facts["tax_arrears_amount"] = amount
        elif mention.label == "insurance" and _insurance_arrears_context(text, mention):
            facts["insurance_arrears"] = not negated
        elif mention.label == "goal" and not negated:
            if re.match(r"\s?(했|하였|한 지|해서 운영|해서 하고)", text[mention.end : mention.end + 6]):
                facts["restarted"] = True
            else:
                facts["goal"] = mention.value
        elif mention.label == "evaluation":
            facts["sincere_evaluation_passed"] = not _failed_evaluation(text, mention)
        elif mention.label == "agency" and mention.value in GUARANTORS and GUARANTOR_DEFAULT.search(text):
            facts["guarantor_default"] = mention.value
            facts.setdefault("credit_state", CreditState.delinquent.value)
    date = find_korean_date(text, today)
    if date is not None and (facts.get("closed") or "restarted" not in facts):
        if date.start > today:
            facts["closure_in_future"] = True
            facts["closed"] = False
            facts["closing_soon"] = True
        elif facts.get("restarted"):
            facts["years_since_restart"] = round(date.years_before(today), 2)
        elif facts.get("closed") is not False:
            facts["years_since_closure"] = round(date.years_before(today), 2)
            facts["closed"] = True
    return facts


def _insurance_arrears_context(text: str, mention: Mention) -> bool:
    window = text[mention.start : mention.end + 14]
    return bool(re.search(r"(체납|밀|못\s?냈|연체|미납|없)", window))


def _failed_evaluation(text: str, mention: Mention) -> bool:
    window = text[mention.end : mention.end + 16]
    return bool(re.search(r"(떨어|탈락|안\s?받|못\s?받|불합격|안 했|안했|아직|모르)", window))


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
    if certain:
        return certain[-1]
    return mentions[-1].value
