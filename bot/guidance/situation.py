"""Every profile fact a founder's free Korean states, read clause by clause. Nothing is guessed.

"부산에서 식당 하다가 작년에 폐업했고 세금 체납이 있어요" gives region, business type,
closure, years since closure and tax arrears at once. The gazetteer finds the words that
name a fact (mentions); the patterns here read what is said about them: negated, asked
about, only wished for, or dated.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.guidance.profile import GWANGJU, PROCEDURES, resolve_regions
from bot.knowledge.models import BusinessType, CreditState, Goal
from bot.language.cues import asks_about, asks_what_if
from bot.language.dates import ParsedDate, find_korean_date, parse_korean_date
from bot.language.gazetteer import Gazetteer, Mention
from bot.language.money import parse_money
from bot.language.numbers import native_number

# --------------------------------------------------------------------------------------
# Clauses and negation

# Words after a mention that negate it, within the same clause: "체납은 없어요", "폐업 안 했어요".
# "얼마 안 됐어요" means "recently", not a negation.
NEGATION = re.compile(
    r"(?<!얼마 )(?<!얼마)(없|안\s?했|안\s?해|안\s?함|안\s?하고|안\s?한\s|않았|않고|아니|안\s?됐|안\s?받|못\s?받았|전혀|안\s?밀|다\s?냈|완납|다\s?납부)"
)
# Where a clause ends: punctuation, connective endings (했고, 했는데, 했지만) and conjunctions.
# A period between digits is a date or an amount ("2024.5 폐업", "1.5억"), not a clause end.
# "업종 바꾸려고 폐업": a purpose (…려고) leads into its clause, it does not end one.
CLAUSE_END = re.compile(
    r"[,!?\n;]|(?<![0-9])\.|\.(?![0-9])|(?<=[고며])(?<!려고)\s|는데|은데|지만|그리고|하지만|근데|그런데"
)
# Note-style negation right after a mention, as agents and founders type it: "체납X", "회생 ×",
# "연체 無", "심층평가 미실시".
NOTE_NEGATION = re.compile(r"\s?(?:[xX×✕✗]|無|해당\s?없|미실시|미수검|미신청|미참여|미통과)(?![A-Za-z])")
NEGATED_BEFORE = re.compile(r"(?:^|[\s,])(?:안|무)\s*$|^무$")


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: "3년 전에 폐업하고 작년에 재창업했어요" has two."""
    bounds, start = [], 0
    for match in CLAUSE_END.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def negated(text: str, mention: Mention, bounds: list[tuple[int, int]]) -> bool:
    """True when the words around a mention say it is absent ("체납은 없어요", "연체X", "무체납")."""
    _, clause_end = _clause_of(bounds, mention.start)
    after = text[mention.end : min(clause_end, mention.end + 16)]
    end = CLAUSE_END.search(after)
    after = after[: end.start()] if end else after
    before = text[max(0, mention.start - 4) : mention.start]
    return (
        bool(NEGATION.search(after))
        or bool(NOTE_NEGATION.match(text, mention.end))
        or bool(NEGATED_BEFORE.search(before))  # "안 밀렸어요", "무체납"; not "15년 동안 식당"
    )


def _clause_of(bounds: list[tuple[int, int]], position: int) -> tuple[int, int]:
    return next(((a, b) for a, b in bounds if a <= position < b), (position, position))


def _stated(bounds: list[tuple[int, int]], position: int) -> bool:
    """True when `position` lies in a clause that states something (not one that asks)."""
    return any(a <= position < b for a, b in bounds)


# --------------------------------------------------------------------------------------
# Reading a message


@dataclass
class _Reading:
    """One message being read: its text, the clauses that state facts, and the facts so far.

    `events` are the closures, restarts and openings named, by position: the dates said
    next to them are read once every event is known.
    """

    text: str
    bounds: list[tuple[int, int]]
    today: datetime.date
    facts: dict[str, Any] = field(default_factory=dict)
    events: list[tuple[str, int]] = field(default_factory=list)


def extract_situation(
    text: str,
    gazetteer: Gazetteer | None,
    today: datetime.date,
    mentions: list[Mention] | None = None,
    expecting: str | None = None,
) -> dict[str, Any]:
    """Every profile fact stated in `text`, as slot values. Nothing is guessed.

    A date counts only in a clause that names a closure or restart, or when `expecting` is
    "closure" (the founder is answering "폐업은 언제쯤 하셨어요?"). `mentions` are the gazetteer's
    mentions in `text` when the caller has them (the NLU pipeline found them already).
    """
    if mentions is None:  # the gazetteer's mentions, found here unless the NLU pipeline's are given
        if gazetteer is None:
            raise ValueError("extract_situation needs the gazetteer or its mentions")
        mentions = gazetteer.find(text)
    text = TAKEN_BACK_DATE.sub(lambda taken: " " * len(taken.group()), text)
    mentions = _fact_mentions(text, mentions)
    mentions, bounds = _leave_out_questions(text, mentions, clauses(text))
    reading = _Reading(text, bounds, today)
    _read_region(reading, mentions)
    for mention in _without_premium_arrears(text, mentions):
        reader = _MENTION_READERS.get(mention.label)
        if reader is not None:
            reader(reading, mention, negated(text, mention, bounds))
    # The facts said without a gazetteer word, in this order: a later step may settle what
    # an earlier one left open, and the dates come last because they need every event.
    _read_restart_made(reading)
    _read_undecided(reading)
    _read_closure_considered(reading)
    _read_bare_tax_names(reading)
    _read_credit_fine(reading)
    _read_restart_wish(reading)
    _read_debt(reading)
    _read_revenue(reading)
    _read_opening(reading)
    _read_dates(reading, expecting)
    _read_days_overdue(reading)
    _read_employment_insurance(reading)
    _read_closure_cause(reading)
    _read_yellow_umbrella(reading)
    _read_age(reading)
    _read_low_income(reading)
    _read_restart_training(reading)
    return reading.facts


# "폐업 2년 전 아니고 2020년이에요": the first date is taken back, and its "아니고" does not
# negate the closure. It is blanked out, offsets kept, before negations and dates are read.
_DATE_SAID = (
    r"(?:(?:19|20)\d{2}\s?년?(?:\s?\d{1,2}\s?월)?|\d{1,2}\s?월|\d+\s?(?:년|개월|달)\s?전|작년|재작년|올해|지난\s?해)"
)
TAKEN_BACK_DATE = re.compile(
    rf"{_DATE_SAID}(?:\s?(?:에|쯤|초|말))?\s?(?:이|가|은|는)?\s?(?:아니고|아니라|말고)(?:요)?\s?"
)
# Barrier names that also state a fact about the founder ("밀린 세금", "대위변제").
BARRIER_FACTS = {
    "tax_arrears": ("tax", "tax_arrears"),
    "social_insurance_arrears": ("insurance", "insurance_arrears"),
    "credit_delinquency": ("credit_state", CreditState.delinquent.value),
    "policy_loan_restriction": ("credit_state", CreditState.delinquent.value),
}
# "작년에 접었어요", "올해 초에 장사 접었습니다", "가게 닫은 지 1년": the verb alone says the
# business is closed. It is read from the text itself because the gazetteer's "접었" misses it
# when the tokenizer splits 접/었 in a sentence ("사업은 이미 접었어요").
CLOSED_VERB = re.compile(r"(?:접|닫)(?:었|았)|(?:접|닫)은\s?지|(?:접|닫)아서|접어서")


def _fact_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions as the facts they state, with the closure verbs the gazetteer missed, in text order."""
    mentions = [_as_fact_mention(mention) for mention in mentions]
    return sorted([*mentions, *_closure_verbs(text, mentions)], key=lambda mention: mention.start)


def _as_fact_mention(mention: Mention) -> Mention:
    if mention.label == "barrier" and mention.value in BARRIER_FACTS:
        label, value = BARRIER_FACTS[mention.value]
        return Mention(label, value, mention.text, mention.start, mention.end)
    if mention.label == "barrier" and mention.value == "bankruptcy":
        state = "discharged" if "면책" in mention.text else "rehabilitation" if "회생" in mention.text else "bankrupt"
        return Mention("credit_state", state, mention.text, mention.start, mention.end)
    return mention


def _closure_verbs(text: str, mentions: list[Mention]) -> list[Mention]:
    said = [(m.start, m.end) for m in mentions if m.label == "closure"]
    return [
        Mention("closure", "closed", match.group(), match.start(), match.end())
        for match in CLOSED_VERB.finditer(text)
        if not any(start < match.end() and match.start() < end for start, end in said)
    ]


def _leave_out_questions(
    text: str, mentions: list[Mention], bounds: list[tuple[int, int]]
) -> tuple[list[Mention], list[tuple[int, int]]]:
    """The mentions and clauses that state something, without those in a question.

    A region stays even in a question ("부산에도 센터 있나요?"), and so does a goal in a
    question about a condition: "재창업하면 지원받을 수 있나요?" still says the founder wants
    to restart.
    """
    asked = [(a, b) for a, b in bounds if asks_about(text[a:b])]
    supposed = [(a, b) for a, b in bounds if (a, b) not in asked and asks_what_if(text[a:b])]
    if not (asked or supposed):
        return mentions, bounds
    mentions = [
        m
        for m in mentions
        if m.label == "region"
        or not any(a <= m.start < b for a, b in asked)
        and (m.label == "goal" or not any(a <= m.start < b for a, b in supposed))
    ]
    bounds = [(a, b) for a, b in bounds if (a, b) not in asked and (a, b) not in supposed]
    return mentions, bounds


# --------------------------------------------------------------------------------------
# Facts named by a mention

# "부산이 아니라 광주예요": the first region is the one that is not meant.
NOT_THIS_REGION = re.compile(r"\s?(?:이|가|은|는)?\s?(?:아니라|아니고|말고|아닌)")
HONAM = re.compile(r"전라|전남|전북|호남")


def _read_region(reading: _Reading, mentions: list[Mention]) -> None:
    text, facts = reading.text, reading.facts
    regions = [m for m in mentions if m.label == "region" and not NOT_THIS_REGION.match(text, m.end)]
    if regions:
        facts["region"] = resolve_regions(regions)
        # "전라도 광주": 광주광역시, not 경기도 광주시; the province named settles which 광주
        # without asking
        if GWANGJU in str(facts["region"]).split("|") and HONAM.search(text):
            facts["region"] = GWANGJU


def _without_premium_arrears(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "건보료 체납 있음": a bare 체납 right after a premium is that premium's arrears, not a tax's."""
    insurance_ends = [m.end for m in mentions if m.label == "insurance"]
    return [m for m in mentions if not _arrears_of_insurance(text, m, insurance_ends)]


def _arrears_of_insurance(text: str, mention: Mention, insurance_ends: list[int]) -> bool:
    return (
        mention.label == "tax"
        and not TAX_NAME.search(mention.text)
        and any(
            0 <= mention.start - end <= 3 and not text[end : mention.start].strip(" 은는도이가료")
            for end in insurance_ends
        )
    )


def _read_business_type(reading: _Reading, mention: Mention, absent: bool) -> None:
    # "법인" beats "식당": a corporation that ran a restaurant is a corporation.
    if not absent and reading.facts.get("business_type") != BusinessType.corporation.value:
        reading.facts["business_type"] = mention.value


# "파산 고민 중", "개인회생 알아보는 중", an agent's "파산고민중": a procedure considered is not
# one under way.
CONSIDERING = re.compile(r"\s?(?:을|를|도|까지)?\s?(?:고민|생각\s?중|생각하|고려|할까|해야\s?하나|알아보|검토)")
NOT_YET = re.compile(r"\s?(?:은|이)?\s?(?:전|이전|아직|안\s?(?:됐|났|받)|못\s?받|대기|기다리|결정\s?(?:전|대기|기다))")


def _read_credit_state(reading: _Reading, mention: Mention, absent: bool) -> None:
    text, facts = reading.text, reading.facts
    if mention.value in PROCEDURES and CONSIDERING.match(text, mention.end):
        return
    # "아직 면책 전", "면책 결정 기다리는 중": bankrupt, not yet discharged
    if mention.value == CreditState.discharged.value and NOT_YET.match(text, mention.end):
        facts["credit_state"] = CreditState.bankrupt.value
        return
    if absent:  # "회생X" says nothing against the 대위변제 named before it
        facts.setdefault("credit_state", CreditState.normal.value)
    elif mention.value != CreditState.delinquent.value or facts.get("credit_state") not in PROCEDURES:
        # "채무조정 중, 보증사고 이력 있음": the procedure under way says more than the default
        facts["credit_state"] = mention.value


# "폐업 후 재창업", "폐업하고 나면": the closure as a step still ahead
AFTER_CLOSING = re.compile(r"\s?(?:하고\s?)?(?:후|뒤|하면|하고\s?나서|하고\s?나면|되면)")
CLOSING_PLAN = re.compile(
    r"(곧|조만간|다음\s?달|이번\s?달|연말|올해|내년)[^.?!]{0,10}(예정|계획|생각|하려|할\s?거|닫으려|접으려)"
    r"|(할|닫을|접을)\s?(예정|계획)"
)


def _read_closure(reading: _Reading, mention: Mention, absent: bool) -> None:
    text, facts = reading.text, reading.facts
    if mention.value == "closed":
        # "다음 달 폐업 예정 … 폐업 후 재창업 생각": the closure planned, spoken of again
        if facts.get("closing_soon") and AFTER_CLOSING.match(text, mention.end):
            return
        facts["closed"] = not absent
        # "아직 폐업은 안 했어요 곧 할 예정이에요": not closed yet, but closing soon
        if absent and CLOSING_PLAN.search(text, mention.end):
            facts["closing_soon"] = True
        if not absent:
            facts.setdefault("closing_soon", False)
            reading.events.append(("closure", mention.start))
    elif mention.value == "closing_soon" and not absent:
        facts["closed"] = False
        facts["closing_soon"] = True
    elif mention.value == "operating" and not absent:
        facts["closed"] = False


UNSURE = re.compile(r"[^.,?!\n]{0,12}?(?:모르|모름|몰라|기억\s?(?:이\s?)?안|확실하지)")


def _read_tax(reading: _Reading, mention: Mention, absent: bool) -> None:
    """Tax arrears yes or no, and the amount when the clause names one."""
    text, facts = reading.text, reading.facts
    if UNSURE.match(text, mention.end):
        return  # "세금 체납이 있는지는 모름": nothing is known
    facts["tax_arrears"] = not absent
    clause_start, clause_end = _clause_of(reading.bounds, mention.start)
    amount = _amount_of(text, mention, clause_start, clause_end)
    if amount and not absent:
        facts["tax_arrears_amount"] = amount


def _read_insurance(reading: _Reading, mention: Mention, absent: bool) -> None:
    if _arrears_context(reading.text, mention):
        reading.facts["insurance_arrears"] = not absent


def _arrears_context(text: str, mention: Mention) -> bool:
    """True when the words right after a tax or insurance name speak of arrears (or none)."""
    window = text[mention.start : mention.end + 14]
    # "4대보험은 다 냈습니다" answers the arrears question too, so it is not asked again
    return bool(re.search(r"(체납|밀|못\s?냈|연체|미납|없|다\s?냈|완납|다\s?납부)", window))


# "재창업 안 했고 준비 중", "재창업은 아직 안 했지만 하고 싶어요"
STILL_WISHED = re.compile(
    r"\s?(?:은|는|도)?\s?(?:아직\s?)?안\s?(?:했고|했지만|했는데|함|하고)[,\s]*(?:아직\s?)?(?:준비|희망|원함|원해|하고\s?싶)"
)
# After 재창업: the restart is made ("재창업했어요", "재창업해서 운영 중", "재창업(영업 중)") ...
RESTART_DONE_AFTER = re.compile(r"\s?(?:했|하였|한\s?지|해서|하여|해\s?(?:운영|영업)|\(\s?(?:영업|운영))")
# ... unless a wish or plan follows ("재창업 희망", "재창업 준비 중", "재창업하려고")
RESTART_WISHED_AFTER = re.compile(
    r"\s?(?:을|를|은|는|도)?\s?(?:희망|원|준비|예정|계획|생각|고민|하려|하고\s?싶|할\s?(?:거|생각|계획|예정)|할까|해\s?보)"
)


def _read_goal(reading: _Reading, mention: Mention, absent: bool) -> None:
    text, facts = reading.text, reading.facts
    if absent:
        # "재창업 안 했고", "재창업은 아직 안 함": not restarted (the wish may follow apart);
        # "재창업 안 했고 준비 중": and wants to
        if mention.value == Goal.restart.value:
            facts.setdefault("restarted", False)
            if STILL_WISHED.match(text, mention.end):
                facts["goal"] = Goal.restart.value
    elif mention.value == Goal.restart.value and _restart_done(text, mention, reading.bounds, reading.today):
        facts["restarted"] = True
        facts.setdefault("closed", True)  # a restart follows a closure
        reading.events.append(("restart", mention.start))
    else:
        facts["goal"] = mention.value


def _restart_done(text: str, mention: Mention, bounds: list[tuple[int, int]], today: datetime.date) -> bool:
    """ "2024년 4월 재창업", "재창업해서 운영 중": a restart made, not one wished for."""
    if RESTART_WISHED_AFTER.match(text, mention.end):
        return False
    if RESTART_DONE_AFTER.match(text, mention.end):
        return True
    # a bare 재창업 with a past date just before it in its clause ("2025년 2월 재창업.")
    clause_start, _ = _clause_of(bounds, mention.start)
    before = text[max(clause_start, mention.start - 14) : mention.start]
    date = find_korean_date(before, today)
    return date is not None and date.end <= today


def _read_evaluation(reading: _Reading, mention: Mention, absent: bool) -> None:
    if not _unsure_of_evaluation(reading.text, mention):
        reading.facts["sincere_evaluation_passed"] = not _failed_evaluation(reading.text, mention)


def _unsure_of_evaluation(text: str, mention: Mention) -> bool:
    """'성실경영평가 모름': nothing is known about it (the finder or the agent still asks)."""
    return bool(re.match(r".{0,8}?(모르|모름|몰라|몰랐|글쎄|기억\s?(이\s?)?안)", text[mention.end : mention.end + 16]))


def _failed_evaluation(text: str, mention: Mention) -> bool:
    window = text[mention.end : mention.end + 16]
    # "통과. 세금 체납 없음": the next sentence's 없 is about something else
    clause_end = CLAUSE_END.search(window)
    window = window[: clause_end.start()] if clause_end else window
    return bool(
        re.search(r"(떨어|탈락|안\s?받|못\s?받|불합격|안 했|안했|아직|모르|미실시|미수검|미통과|없)", window)
    ) or bool(NOTE_NEGATION.match(text, mention.end))


GUARANTORS = ("kodit", "kibo", "koreg")
GUARANTOR_DEFAULT = re.compile(r"대위\s?변제|보증\s?사고")
# "연대보증 때문에 신보 빚이 남아 있어요": a debt owed to the guarantor itself is a default it paid
AGENCY_DEBT = re.compile(r"\s?(?:에|에서|쪽)?\s?(?:진\s?)?(?:빚|채무|구상)")


def _read_agency(reading: _Reading, mention: Mention, absent: bool) -> None:
    text = reading.text
    if mention.value in GUARANTORS and (
        GUARANTOR_DEFAULT.search(text) or (AGENCY_DEBT.match(text, mention.end) and not absent)
    ):
        reading.facts["guarantor_default"] = mention.value
        reading.facts.setdefault("credit_state", CreditState.delinquent.value)


#: The reader of each mention's label, given whether the words around the mention negate it.
_MENTION_READERS: dict[str, Callable[[_Reading, Mention, bool], None]] = {
    "business_type": _read_business_type,
    "credit_state": _read_credit_state,
    "closure": _read_closure,
    "tax": _read_tax,
    "insurance": _read_insurance,
    "goal": _read_goal,
    "evaluation": _read_evaluation,
    "agency": _read_agency,
}


# --------------------------------------------------------------------------------------
# Facts said in words of their own

# "새로 사업자등록해서", "새 법인 설립", "다시 가게 열었어요": a restart already made
RESTART_MADE = re.compile(
    r"(?:새로|다시)\s?사업자\s?(?:등록|를\s?냈|냈)|새\s?법인\s?(?:을\s?)?(?:설립|세웠|만들었)|"
    r"(?:다시|새로)\s?(?:가게|매장|식당|카페|점포|사업)\s?(?:을|를)?\s?(?:열었|차렸|냈|시작했)"
)


def _read_restart_made(reading: _Reading) -> None:
    text, facts = reading.text, reading.facts
    for match in RESTART_MADE.finditer(text):
        if _stated(reading.bounds, match.start()) and not NEGATION.match(text, match.end()):
            facts["restarted"] = True
            facts.setdefault("closed", True)
            named = any(kind == "restart" and abs(position - match.start()) < 12 for kind, position in reading.events)
            if not named:
                reading.events.append(("restart", match.start()))


# "앞으로 뭘 할지 아직 못 정함", "진로 미정", "취업할지 재창업할지 미정": undecided
UNDECIDED = re.compile(
    r"(?:뭘|뭐|무엇을|어떻게)\s?(?:해야\s?)?할지\s?(?:아직\s?)?(?:못\s?정|모르|미정|고민)|"
    r"(?:진로|앞으로|향후)[^.,\n]{0,10}(?:미정|못\s?정했|못\s?정함|정하지\s?못)|할지\s?(?:아직\s?)?(?:미정|못\s?정)"
)


def _read_undecided(reading: _Reading) -> None:
    if UNDECIDED.search(reading.text):
        reading.facts["goal"] = Goal.undecided.value


# "가게 접을까 생각 중이에요": open, thinking of closing; "접을까" is an intention, not "접었"
_CLOSE_VERB = r"(?:폐업|접|닫|(?:가게|사업|매장|점포|장사)\s?(?:을|를)?\s?정리)"
CLOSURE_CONSIDERED = re.compile(
    rf"{_CLOSE_VERB}\s?(?:을까|할까|을지|할지|(?:을|할)\s?(?:까\s?)?(?:생각|고민|계획)|하려고|으려고|하려|으려)"
)
CLOSED_ALREADY = re.compile(r"(?<!안 )(?<!안)(?<!못 )(?<!못)(?:폐업\s?했|폐업\s?신고\s?했|접었|닫았|정리했)")


def _read_closure_considered(reading: _Reading) -> None:
    if CLOSURE_CONSIDERED.search(reading.text) and not CLOSED_ALREADY.search(reading.text):
        reading.facts["closed"] = False
        reading.facts["closing_soon"] = True


# Tax names without an arrears word of their own ("국세도 밀려 있고", "세금은 안 밀렸어요"):
# they count only when the words right after them speak of arrears.
TAX_NAME = re.compile(r"국세|지방세|부가가치세|부가세|종합소득세|종소세|원천세|세금")


def _read_bare_tax_names(reading: _Reading) -> None:
    if "tax_arrears" in reading.facts:
        return  # a tax mention has settled it
    text = reading.text
    for match in TAX_NAME.finditer(text):
        if not _stated(reading.bounds, match.start()):
            continue  # in a clause that asks about it
        mention = Mention("tax", "tax_arrears", match.group(), match.start(), match.end())
        if _arrears_context(text, mention):
            _read_tax(reading, mention, negated(text, mention, reading.bounds))
            return


# "신용은 괜찮고": the credit question answered inside a longer story, so it is not asked again
CREDIT_FINE = re.compile(r"신용(?:은|도|이|상태는|상태도|\s?점수는)?\s?(?:괜찮|문제\s?없|깨끗|정상|멀쩡)(?!\S*지\s?않)")


def _read_credit_fine(reading: _Reading) -> None:
    if "credit_state" not in reading.facts and CREDIT_FINE.search(reading.text):
        reading.facts["credit_state"] = CreditState.normal.value


# "다시 카페 하고 싶어요", "다시 식당 차리려고요": wanting to restart in a business's words
_BUSINESS = r"(?:카페|식당|음식점|가게|매장|장사|사업|점포|치킨집|호프집|분식집|미용실|편의점|개업|창업)"
_PARTICLE = r"(?:을|를|은|는|도|이|가)?"
_WISH = r"(?:하고\s?싶|하려|할\s?(?:거|계획|생각|예정)|차리|차려|열고|열려|열\s?(?:거|계획|생각)|시작하|해\s?보고|해\s?보려)"
RESTART_WISH = re.compile(
    rf"다시\s?{_BUSINESS}{_PARTICLE}\s?{_WISH}|{_BUSINESS}{_PARTICLE}\s?다시\s?{_WISH}|"
    # "재창업 자금 대출 알아보는 중": money for a restart, sought
    r"재창업\s?(?:자금|대출|지원금)[^.,?!\n]{0,8}?(?:알아보|찾고|찾는|구하|받고\s?싶|신청하려)"
)


def _read_restart_wish(reading: _Reading) -> None:
    if "goal" not in reading.facts and RESTART_WISH.search(reading.text):
        reading.facts["goal"] = Goal.restart.value


# --------------------------------------------------------------------------------------
# Amounts

# In a note with no clause breaks ("연대보증채무 3억 신용불량 국세체납 1500") each amount
# belongs to the fact right before it; a bare number right after arrears is in 만 원.
OTHER_FACT = re.compile(
    rf"빚|채무|부채|대출|대위변제|구상|카드값|보험료|건보|연금|{TAX_NAME.pattern}|신용|파산|회생|연대보증"
)
BARE_MAN_WON = re.compile(r"\s?(?:액)?\s?(\d{3,5})(?![\d.,]|\s?(?:년|월|일|원|만|억|천|명|개|%))")
# A clause about debts ("신보 대위변제 2억", "빚이 3억 정도") names the debt owed; a tax or
# insurance clause names arrears, which are counted apart.
DEBT_WORD = re.compile(r"빚|채무|부채|대출|대위변제|구상|보증\s?채무|카드값|카드론|사채")
ARREARS_WORD = re.compile(rf"체납|보험료|건보|연금|{TAX_NAME.pattern}")
# "연매출 3억 정도", "수입금액 평균 8억": the tax remedies test average revenue (수입금액), not income
REVENUE_WORD = re.compile(r"매출액?|수입\s?금액|매상")


def _money_until(text: str, stop: re.Pattern[str]) -> int | None:
    """The amount in `text` before the first word of `stop` (the next fact's own amount is its)."""
    cut = stop.search(text)
    return parse_money(text[: cut.start()] if cut else text)


def _amount_of(text: str, mention: Mention, clause_start: int, clause_end: int) -> int | None:
    amount = _money_until(text[mention.end : clause_end], OTHER_FACT)
    if amount:
        return amount
    bare = BARE_MAN_WON.match(text, mention.end)
    if bare:
        return int(bare.group(1)) * 10_000
    preceding = text[clause_start : mention.start]
    others = list(OTHER_FACT.finditer(preceding))
    return parse_money(preceding[others[-1].end() :] if others else preceding)


def _read_debt(reading: _Reading) -> None:
    debt = _debt_amount(reading.text, reading.bounds)
    if debt:
        reading.facts["total_debt"] = debt


def _debt_amount(text: str, bounds: list[tuple[int, int]]) -> int | None:
    for start, end in bounds:
        clause = text[start:end]
        if DEBT_WORD.search(clause) and not ARREARS_WORD.search(clause):
            amount = parse_money(clause)
            if amount:
                return amount
    # a note: "연대보증채무 3억 … 국세체납 1500" (the amount right after the debt word)
    for debt in DEBT_WORD.finditer(text):
        amount = _money_until(text[debt.end() : debt.end() + 14], ARREARS_WORD)
        if amount:
            return amount
    return None


def _read_revenue(reading: _Reading) -> None:
    revenue = _revenue_amount(reading.text, reading.bounds)
    if revenue:
        reading.facts["average_revenue"] = revenue


def _revenue_amount(text: str, bounds: list[tuple[int, int]]) -> int | None:
    for word in REVENUE_WORD.finditer(text):
        if not _stated(bounds, word.start()):
            continue  # in a clause that asks about it
        _, clause_end = _clause_of(bounds, word.start())
        amount = _money_until(text[word.end() : min(clause_end, word.end() + 20)], OTHER_FACT)
        if amount:
            return amount
    return None


# --------------------------------------------------------------------------------------
# Dates

# "2021년에 개업했어요", "창업한 지 3년": the business that closed started (not 재창업, not a wish)
OPENED = re.compile(
    r"(?<![재])(?<!다시\s)(?<!새로\s)(?:개업|오픈|창업(?!\s?(?:지원|자금|교육|하고\s?싶|하려|준비|희망|할|을\s?하))|"
    r"(?:가게|매장|식당|카페|점포)\s?(?:을|를)?\s?(?:열었|차렸|냈)|(?:사업|장사)\s?(?:을|를)?\s?시작했)"
    r"|(?<=부터)\s?(?:장사|사업|운영|가게)"
)


def _read_opening(reading: _Reading) -> None:
    """ "2021년 3월에 개업", "2019년부터 장사": when the business started (the 새출발기금 window)."""
    for match in OPENED.finditer(reading.text):
        if _stated(reading.bounds, match.start()) and not NEGATION.match(reading.text, match.end()):
            reading.events.append(("opening", match.start()))


def _read_dates(reading: _Reading, expecting: str | None) -> None:
    """Assigns each clause's date to the closure, restart or opening named in that clause.

    With both in one clause ("2024년 폐업 후 2025년 2월 재창업") each reads its own stretch:
    from the previous event to the next one.
    """
    text = reading.text
    for clause_start, clause_end in reading.bounds:
        inside = sorted((position, kind) for kind, position in reading.events if clause_start <= position < clause_end)
        kinds = [kind for _, kind in inside]
        if not inside:
            inside = [(clause_start, expecting)] if expecting == "closure" else []
        for index, (_, kind) in enumerate(inside):
            start = inside[index - 1][0] if index else clause_start
            end = inside[index + 1][0] if index + 1 < len(inside) else clause_end
            _read_event_date(text[start:end], kind, kinds, reading.today, expecting, reading.facts)


def _read_event_date(
    clause: str,
    kind: str | None,
    kinds: list[str],
    today: datetime.date,
    expecting: str | None,
    facts: dict[str, Any],
) -> None:
    """The date said in one stretch of text, as the closure's or the restart's."""
    if kind is None:
        return
    date = find_korean_date(clause, today)
    if date is not None and "인지" in clause:
        # "2022년 12월인지 2023년 1월인지": either, so the range covers both
        first, _, rest = clause.partition("인지")
        one, other = find_korean_date(first, today), find_korean_date(rest, today)
        if one is not None and other is not None:
            date = ParsedDate(min(one.start, other.start), max(one.end, other.end), clause)
    if date is None and kind == "closure" and expecting == "closure" and not kinds:
        date = parse_korean_date(clause, today)
    if date is None:
        return
    if date.start > today:
        if kind == "closure":
            facts["closure_in_future"] = True
            facts["closed"] = False
            facts["closing_soon"] = True
        return
    if kind == "opening":
        facts["opened_from"], facts["opened_to"] = date.start.isoformat(), date.end.isoformat()
        return
    years = round(date.years_before(today), 2)
    if kind == "restart":
        facts["years_since_restart"] = years
        facts["restart_from"], facts["restart_to"] = date.start.isoformat(), date.end.isoformat()
    else:
        facts["years_since_closure"] = years
        facts["closure_from"], facts["closure_to"] = date.start.isoformat(), date.end.isoformat()
        facts["closed"] = True
        if date.start.year == date.end.year:
            facts["closure_year"] = date.start.year


# --------------------------------------------------------------------------------------
# The facts that decide a closing owner's debt relief and what they are owed

# "연체 100일", "석 달째 연체", "대출이 4개월 밀렸어요": how long business loans are overdue
_COUNT = r"(\d+|한|두|세|석|네|넉|다섯|여섯|일곱|여덟|아홉|열)"
OVERDUE_AFTER = re.compile(
    rf"(?:연체|밀린\s?지|밀려)(?:된|한|가|는|기간|가\s?된\s?지|된\s?지|한\s?지)?\s?(?:이\s?)?{_COUNT}\s?(일|개월|달)"
)
OVERDUE_BEFORE = re.compile(
    rf"{_COUNT}\s?(일|개월|달)\s?(?:째|넘게|이상|가까이|정도|동안|넘)?\s?(?:이\s?)?(?:연체|밀렸|밀려|못\s?갚)"
)
# "고용보험 2년 가입", "자영업자 고용보험 1년 반 냈어요"; "고용보험은 안 들었어요" is none
INSURED = re.compile(rf"고용\s?보험[^.,?!\n]{{0,12}}?{_COUNT}\s?(년|개월|달)(\s?반)?")
INSURED_SHORT = re.compile(r"(년|개월|달)\s?(?:이|가)?\s?(?:안\s?(?:됐|돼|되)|못\s?(?:됐|채웠)|미만|안\s?넘)")
NOT_INSURED = re.compile(
    r"고용\s?보험(?:은|에|을|도)?\s?(?:가입\s?)?(?:안\s?(?:했|들|냈|돼)|못\s?(?:들|했)|미가입|가입\s?안|없|X)"
)
# Why the business closed: losses and falling sales, illness, disaster (구직급여 needs this)
INVOLUNTARY = re.compile(
    r"적자|매출[^.,?!\n]{0,16}?(?:줄|감소|떨어|반토막|급감|안\s?나)|손님(?:이)?\s?(?:없|줄|끊)|"
    r"장사가?\s?(?:너무\s?)?안\s?(?:돼|되)|경영\s?(?:악화|난)|질병|투병|병(?:이|으로|때문)|건강(?:이|\s?문제|\s?때문|\s?악화)|"
    r"아파서|수술|입원|화재|불이\s?나|재난|태풍|홍수|어쩔\s?수\s?없이|비자발"
)
VOLUNTARY = re.compile(
    r"자진\s?폐업|자발적|다른\s?(?:일|사업|업종|직장)(?:을|를)?\s?(?:하려|해\s?보려|시작하려|찾아)|"
    r"권리금\s?받고|(?:가게|매장|사업)(?:을|를)?\s?(?:양도|넘겼|팔았)|그냥\s?(?:그만|접|닫)|업종\s?(?:변경|바꾸)"
)
YELLOW_UMBRELLA = re.compile(r"노[란랑]\s?우산")
YELLOW_MEMBER = re.compile(
    r"\s?(?:공제)?(?:은|는|에|을|를|도)?\s?(?:\d+\s?(?:년|개월)\s?(?:째|동안|정도|넘게|이상)?\s?)?"
    r"(?:가입|들어\s?(?:있|놨|놓)|들었|넣|부었|붓고|내고\s?있|납입|납부|있)"
)
YELLOW_NOT_MEMBER = re.compile(r"\s?(?:공제)?(?:은|는|에|도)?\s?(?:미가입|가입\s?(?:안|X|x|×)|안\s?들|없)")
AGE = re.compile(r"(?:만\s?)?(\d{2})\s?(?:살|세)(?!\s?(?:이상|이하|미만|까지|부터|이후|이전))|나이(?:는|가)?\s?(\d{2})")
LOW_INCOME = re.compile(r"기초\s?생활\s?수급|기초\s?수급|수급자|차상위|중위\s?소득\s?(?:의\s?)?60\s?%?\s?이하")
TRAINING_DONE = re.compile(
    r"(?:재창업\s?교육|재기\s?사업화|희망\s?리턴(?:\s?패키지)?(?:\s?재기\s?사업화)?)(?:을|를|은|는|도)?\s?(?:다\s?)?(?:수료|이수|마쳤|마치고|받았|들었|끝냈|선정|협약)"
)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else native_number(word) or 0


def _read_days_overdue(reading: _Reading) -> None:
    for pattern in (OVERDUE_AFTER, OVERDUE_BEFORE):
        match = pattern.search(reading.text)
        if match and _stated(reading.bounds, match.start()):
            amount = _count(match.group(1))
            reading.facts["days_overdue"] = amount if match.group(2) == "일" else amount * 30
            reading.facts.setdefault("credit_state", CreditState.delinquent.value)
            return


def _read_employment_insurance(reading: _Reading) -> None:
    text, bounds = reading.text, reading.bounds
    not_insured = NOT_INSURED.search(text)
    if not_insured and _stated(bounds, not_insured.start()):
        reading.facts["employment_insured_years"] = 0.0
        return
    match = INSURED.search(text)
    if match and _stated(bounds, match.start()):
        years = _count(match.group(1)) / (1 if match.group(2) == "년" else 12) + (0.5 if match.group(3) else 0)
        if INSURED_SHORT.match(text, match.start(2)):
            years -= 0.1  # "1년이 안 됐어요": just under
        reading.facts["employment_insured_years"] = round(years, 2)


def _read_closure_cause(reading: _Reading) -> None:
    voluntary = VOLUNTARY.search(reading.text)
    involuntary = INVOLUNTARY.search(reading.text)
    if voluntary and _stated(reading.bounds, voluntary.start()):
        reading.facts["involuntary_closure"] = False
    elif involuntary and _stated(reading.bounds, involuntary.start()):
        reading.facts["involuntary_closure"] = True


def _read_yellow_umbrella(reading: _Reading) -> None:
    text, bounds = reading.text, reading.bounds
    for match in YELLOW_UMBRELLA.finditer(text):
        if not _stated(bounds, match.start()):
            continue
        mention = Mention("yellow_umbrella", "member", match.group(), match.start(), match.end())
        if UNSURE.match(text, match.end()):
            continue  # "노란우산 가입했는지 모르겠어요": nothing is known
        if YELLOW_NOT_MEMBER.match(text, match.end()) or negated(text, mention, bounds):
            reading.facts["yellow_umbrella"] = False
        elif YELLOW_MEMBER.match(text, match.end()):
            reading.facts["yellow_umbrella"] = True


def _read_age(reading: _Reading) -> None:
    age = AGE.search(reading.text)
    if age and _stated(reading.bounds, age.start()):
        reading.facts["age"] = int(age.group(1) or age.group(2))


def _read_low_income(reading: _Reading) -> None:
    low = LOW_INCOME.search(reading.text)
    if low and _stated(reading.bounds, low.start()):
        mention = Mention("income", "low", low.group(), low.start(), low.end())
        reading.facts["low_income"] = not negated(reading.text, mention, reading.bounds)


def _read_restart_training(reading: _Reading) -> None:
    trained = TRAINING_DONE.search(reading.text)
    if trained and _stated(reading.bounds, trained.start()) and not NEGATION.search(trained.group()):
        reading.facts["restart_training_done"] = True
