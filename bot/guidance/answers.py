"""Answer composition: what a founder (or a hotline agent) reads, in plain polite Korean.

Every function returns an `Answer` (text plus buttons) built only from knowledge records,
with the source and 기준일 of what it states. Channels render buttons in their own format.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.guidance.eligibility import (
    URGENT_DAYS,
    VERDICT_LABELS,
    ProgramResult,
    Status,
    Verdict,
    availability,
    barriers_of,
)
from bot.guidance.profile import FounderProfile
from bot.guidance.result_card import ResultCard
from bot.knowledge.loader import NATIONAL_HOTLINE, KnowledgeBase
from bot.knowledge.models import Barrier, Program, Relation, Remedy
from bot.language.gazetteer import AMBIGUITY_SEPARATOR
from bot.language.korean import with_object

MAX_RECOMMENDATIONS = 3
MAX_BENEFITS = 3  # a card stays short; the data lists what matters first

# Which intent asks about each barrier (its card is the answer to that intent).
BARRIER_BY_INTENT = {
    "ask_joint_guarantee": "joint_guarantee",
    "ask_credit_delinquency": "credit_delinquency",
    "ask_tax_arrears": "tax_arrears",
    "ask_social_insurance_arrears": "social_insurance_arrears",
    "ask_bankruptcy": "bankruptcy",
    "ask_policy_loan_restriction": "policy_loan_restriction",
    "ask_restart_recognition": "restart_recognition",
    "ask_stigma_support": "stigma",
}
# An intent covers a family of barriers; a message that names the narrower one gets its card
# ("개인회생 중인데 재창업자금 되나요?" is about rehabilitation, not bankruptcy).
NARROWER: dict[str, dict[tuple[str, str], str]] = {
    "bankruptcy": {
        ("barrier", "slow_rehabilitation"): "slow_rehabilitation",
        ("credit_state", "rehabilitation"): "slow_rehabilitation",
    },
}


@dataclass
class Button:
    title: str
    payload: str


@dataclass
class Card:
    """A contact or program card: channels with cards (KakaoTalk) show it as one."""

    title: str
    text: str
    url: str | None = None

    def as_element(self) -> dict[str, object]:
        """Rasa's generic element (Messenger's shape); default_action carries the link."""
        element: dict[str, object] = {"title": self.title, "subtitle": self.text, "buttons": []}
        if self.url:
            element["default_action"] = {"type": "web_url", "url": self.url}
        return element


@dataclass
class Answer:
    text: str
    buttons: list[Button] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    # What channels that show the cards say around them (the cards replace the details).
    card_intro: str = ""
    # The finder's result as a structured card (bot.guidance.result_card.ResultCard), which
    # channels with a card rendering draw instead of the text.
    result: ResultCard | None = None

    def as_message(self) -> dict[str, object]:
        """Keyword arguments for CollectingDispatcher.utter_message."""
        return self._message(self.text)

    def as_card_messages(self) -> list[dict[str, object]]:
        """The same answer for a channel that renders cards: intro text, then the cards."""
        if not self.cards:
            return [self.as_message()]
        return [self._message(self.card_intro or self.text), {"elements": [c.as_element() for c in self.cards]}]

    def _message(self, text: str) -> dict[str, object]:
        message: dict[str, object] = {"text": text}
        if self.buttons:
            message["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        return message


def source_line(urls: Sequence[str], as_of: datetime.date | None, more: bool = False) -> str:
    """'출처: etnews.com/… · 기준일 2025-12-11' — the first source, shortened.

    A source that states no date says so ('기준일 미확인'): the day it was read, or today,
    would pass for a fresh confirmation.
    """
    first = urls[0].split("://", 1)[-1] if urls else "다시 지식베이스"
    return f"출처: {first}{' 외' if more else ''} · {as_of_text(as_of)}"


def as_of_text(as_of: datetime.date | None) -> str:
    return f"기준일 {as_of.isoformat()}" if as_of else "기준일 미확인"


def newest(dates: Iterable[datetime.date | None]) -> datetime.date | None:
    """The latest of the dates that are known, or None when none is."""
    return max((d for d in dates if d is not None), default=None)


def dated_source_line(dated_sources: Sequence[tuple[Sequence[str], datetime.date | None]]) -> str:
    """One footer for facts from several records: the newest dated one's source and date, '외' for more."""
    urls = list(dict.fromkeys(url for sources, _ in dated_sources for url in sources))
    if not urls:
        return ""
    as_of = newest(date for _, date in dated_sources)
    first = next((sources for sources, date in dated_sources if date == as_of and sources), urls[:1])
    return source_line(first, as_of, more=len(urls) > 1)


def verified_hotline(base: KnowledgeBase, number: str | None) -> str:
    """`number` if it is verified, else the national hotline: only verified numbers are shown."""
    return number if number and number in base.verified_numbers else NATIONAL_HOTLINE


def hotline_text(base: KnowledgeBase, number: str | None) -> str:
    return base.hotline_label(verified_hotline(base, number))


PROFILE_LABELS = {
    "business_type": {"sole_proprietor": "개인사업자", "corporation": "법인", "small_merchant": "소상공인"},
    "credit_state": {
        "normal": "신용 문제 없음",
        "delinquent": "연체",
        "under_adjustment": "채무조정 중",
        "rehabilitation": "회생 중",
        "bankrupt": "파산",
        "discharged": "면책",
    },
    "goal": {"restart": "재창업 희망", "job": "취업 희망", "undecided": "진로 고민 중"},
}


def describe_profile(profile: FounderProfile, base: KnowledgeBase) -> str:
    """'부산 · 개인사업자 · 약 1년 전 폐업 · 세금 체납' from what is known."""
    parts: list[str] = []
    if profile.region:
        parts.append(region_label(base, profile.region))
    if profile.business_type:
        parts.append(PROFILE_LABELS["business_type"][profile.business_type.value])
    if profile.closed and profile.closure_year is not None:
        parts.append(f"{profile.closure_year}년 폐업")  # what the founder said, not "약 1.4년 전"
    elif profile.closed and profile.years_since_closure is not None:
        parts.append(f"{years_text(profile.years_since_closure)} 폐업")
    elif profile.closed:
        parts.append("폐업")
    elif profile.closing_soon:
        parts.append("폐업 예정")
    if profile.credit_state:
        parts.append(PROFILE_LABELS["credit_state"][profile.credit_state.value])
    if profile.total_debt:
        parts.append(f"빚 약 {money_text(profile.total_debt)}")
    if profile.tax_arrears:
        amount = f" 약 {money_text(profile.tax_arrears_amount)}" if profile.tax_arrears_amount else ""
        parts.append(f"세금 체납{amount}")
    if profile.tax_arrears is False and profile.insurance_arrears is False:
        parts.append("세금·4대보험 체납 없음")
    elif profile.tax_arrears is False:
        parts.append("세금 체납 없음")
    if profile.insurance_arrears:
        parts.append("4대보험 체납")
    elif profile.insurance_arrears is False and profile.tax_arrears is not False:
        parts.append("4대보험 체납 없음")
    if profile.goal:
        parts.append(PROFILE_LABELS["goal"][profile.goal.value])
    if profile.sincere_evaluation_passed:
        parts.append("성실경영평가 통과")
    return " · ".join(parts)


def money_text(won: int) -> str:
    """30000000 → '3,000만 원', 250000000 → '2억 5,000만 원'."""
    eok, man = divmod(round(won / 10_000), 10_000)
    parts = ([f"{eok:,}억"] if eok else []) + ([f"{man:,}만"] if man else [])
    return " ".join(parts) + " 원" if parts else f"{won:,}원"


def years_text(years: float) -> str:
    if years < 1:
        months = max(1, round(years * 12))
        return f"약 {months}개월 전"
    if abs(years - round(years)) < 0.25:
        return f"약 {round(years)}년 전"
    return f"약 {int(years)}년 반 전"  # whole and half years, as "약 1.4년 전" reads like a machine


def region_label(base: KnowledgeBase, region_id: str) -> str:
    """'부산'; a name that means two places ('광주') reads '광주광역시 또는 경기도 (확인 필요)'."""
    if AMBIGUITY_SEPARATOR in region_id:
        return f"{which_region(base, region_id)} (확인 필요)"
    region = base.regions.get(region_id)
    return region.label if region else region_id


def which_region(base: KnowledgeBase, region_ids: str) -> str:
    return " 또는 ".join(
        base.regions[r].name if r in base.regions else r for r in region_ids.split(AMBIGUITY_SEPARATOR)
    )


def freshness_note(program: Program, base: KnowledgeBase) -> str:
    """Said with a stale record: how old it is and whom to ask, in plain words."""
    if not program.stale:
        return ""
    age = f"{program.as_of.year}년 자료라" if program.as_of else "날짜를 알 수 없는 자료라"
    ask = program.ask or hotline_text(base, program.hotline)
    return f"이 내용은 {age} 지금은 다를 수 있어요. 신청 전에 {ask}에 꼭 확인해 주세요."


def program_detail(program: Program, base: KnowledgeBase, today: datetime.date | None = None) -> Answer:
    """Everything a founder needs to act on one program: what, for whom, how to apply, then details."""
    agencies = ", ".join(base.agencies[agency].name for agency in program.agency_ids if agency in base.agencies)
    lines = [f"[{program.name}] ({agencies})", program.summary, f"· 대상: {program.target}"]
    lines.append(f"· 신청: {program.how_to_apply}")
    when = availability(program, today).text if today else ""
    if when:
        lines.append(f"· 신청 시기: {when}")
    # Details after the way in: dated figures (each with its year) never lead a card.
    lines += [f"· 지원: {benefit}" for benefit in program.benefits[:MAX_BENEFITS]]
    if program.legal_basis:
        lines.append(f"· 근거: {program.legal_basis}")
    contact = [hotline_text(base, program.hotline)]
    if program.website:
        contact.append(program.website)
    lines.append("· 문의: " + " / ".join(contact))
    # `unverified` holds operators' notes; a founder reads only what to check, in plain words.
    stale = freshness_note(program, base)
    if stale:
        lines.append(f"※ {stale}")
    if program.notice:
        lines.append(f"※ {program.notice}")
    lines.append(source_line(program.source, program.as_of))
    return Answer(
        "\n".join(lines),
        buttons=[Button("내가 받을 수 있는지 보기", "/check_eligibility")],
        sources=list(program.source),
    )


OVERVIEW_SHOWN = 5  # programs the overview describes; the rest are named in one line, as ten are too long to read


def program_overview(base: KnowledgeBase) -> Answer:
    """The restart programs in one short list: the first few described, the rest named."""
    programs = [p for p in base.programs.values() if p.kind == "restart_program"]
    shown, others = programs[:OVERVIEW_SHOWN], programs[OVERVIEW_SHOWN:]
    lines = ["폐업 후 다시 시작하실 때 받을 수 있는 대표적인 지원이에요."]
    lines += [f"· {program.name}: {program.summary.split('.')[0]}." for program in shown]
    if others:
        lines.append(
            f"그 밖에 {', '.join(program.name for program in others)}도 있어요. 이름을 말씀해 주시면 자세히 알려 드려요."
        )
    lines.append("몇 가지 여쭤보고 상황에 맞는 것만 골라 드릴 수도 있어요.")
    latest = newest(p.as_of for p in shown)
    if latest:
        lines.append(f"기준일: 제도마다 출처 날짜가 달라요 (가장 최근 {latest.isoformat()})")
    buttons = [Button("나에게 맞는 지원 찾기", "/check_eligibility")]
    buttons += [Button(program.name, f'/ask_program_info{{"program": "{program.id}"}}') for program in shown]
    return Answer("\n".join(lines), buttons=buttons, sources=[p.source[0] for p in shown])


def open_remedies(barrier: Barrier, today: datetime.date | None) -> list[Remedy]:
    """The remedies that can still be applied for on `today` (all of them when it is not given)."""
    return [r for r in barrier.remedies if today is None or r.deadline is None or r.deadline >= today]


def deadline_text(deadline: datetime.date, today: datetime.date | None) -> str:
    """'신청 기한 2026-12-31 (28일 남았어요)', or that it has passed."""
    if today is not None and deadline < today:
        return f"신청 기한 {deadline.isoformat()}이 지났어요(연장되었는지 문의처에 확인해 주세요)"
    if today is not None and (deadline - today).days <= URGENT_DAYS:
        return f"신청 기한 {deadline.isoformat()} ({(deadline - today).days}일 남았어요)"
    return f"신청 기한 {deadline.isoformat()}"


def barrier_detail(barrier: Barrier, base: KnowledgeBase, today: datetime.date | None = None) -> Answer:
    """The rule, each remedy with who handles it and its basis, and the programs it affects."""
    lines = [barrier.opening] if barrier.opening else []
    lines += [f"[{barrier.name}]", barrier.rule]
    sources = list(barrier.source)
    if barrier.remedies:
        lines.append("해결 방법:")
        for remedy in barrier.remedies:
            # the agencies the remedy's own words do not already name
            said = remedy.title + remedy.detail
            agencies = [base.agencies[a] for a in remedy.agency_ids if a in base.agencies]
            named = [any(name in said for name in a.names) for a in agencies]
            who = ", ".join(a.name for a, known in zip(agencies, named, strict=True) if not known)
            line = f"· {remedy.title}: {remedy.detail}"
            if who:
                # the first agency runs the remedy; once the text names it, the rest only take part
                line += f" ({'관련 기관' if named and named[0] else '담당'}: {who})"
            if remedy.legal_basis:
                line += f" [근거: {remedy.legal_basis}]"
            if remedy.deadline:
                line += f" — {deadline_text(remedy.deadline, today)}"
            lines.append(line)
            sources += remedy.source
    elif barrier.no_remedy_note:
        lines.append(barrier.no_remedy_note)
    if barrier.advice:
        lines.append("이렇게 해 보세요:")
        lines += [f"· {step}" for step in barrier.advice]
    affected = [base.programs[p].name for p in barrier.affects_programs if p in base.programs]
    if affected:
        lines.append("관련 지원: " + ", ".join(affected))
    numbers = barrier.hotlines or [NATIONAL_HOTLINE]
    lines.append("도움받을 곳: " + " / ".join(hotline_text(base, number) for number in numbers))
    footer = barrier_source_line(barrier)
    if footer:  # a record FACTS.md gives no source for states no fact that would need one
        lines.append(footer)
    return Answer("\n".join(lines), buttons=[Button("나에게 맞는 지원 찾기", "/check_eligibility")], sources=sources)


def barrier_source_line(barrier: Barrier) -> str:
    """The barrier card's footer: the newest dated source among the barrier and its remedies."""
    # Remedies first: each names its own source, while the barrier's list gathers several.
    return dated_source_line(
        [*((remedy.source, remedy.as_of) for remedy in barrier.remedies), (barrier.source, barrier.as_of)]
    )


def program_payload(program_id: str) -> str:
    """The button payload that asks for a program's card."""
    return f'/ask_program_info{{"program": "{program_id}"}}'


def barrier_payload(barrier_id: str) -> str:
    """The button payload that asks for a barrier's card (a narrower one through its family's intent)."""
    for intent, family in BARRIER_BY_INTENT.items():
        if family == barrier_id:
            return f"/{intent}"
        for (label, value), narrower in NARROWER.get(family, {}).items():
            if narrower == barrier_id and label == "barrier":
                return f'/{intent}{{"barrier": "{value}"}}'
    return "/ask_help"


def relations_of(base: KnowledgeBase, program_ids: Iterable[str], both: bool = False) -> list[Relation]:
    """The relations that involve these programs (with `both`, only those between two of them)."""
    wanted = set(program_ids)
    return [
        relation
        for relation in base.relations
        if (set(relation.programs) <= wanted if both else set(relation.programs) & wanted)
    ]


def relation_line(relation: Relation) -> str:
    mark = "함께 받으면" if relation.kind == "combines" else "따로 받아야 해요"
    return f"{mark}: {relation.text}"


# What a founder must hear about dates in a short result (an open-all-year program says nothing)
DATE_NEWS = (Status.closing_soon, Status.between_calls, Status.not_yet, Status.expired)


def first_reason(result: ProgramResult) -> str:
    """The first thing behind a verdict: an obstacle that can be cleared, else a condition met."""
    return (result.caveats[0].text if result.caveats else None) or (result.met[0] if result.met else "")


def barrier_one_liner(barrier: Barrier, today: datetime.date | None = None) -> str:
    """'국세 체납: 재기중소기업인 체납처분 유예': the barrier and the first thing to do about it."""
    return f"{barrier.name}: {barrier_first_step(barrier, today)}"


def barrier_first_step(barrier: Barrier, today: datetime.date | None = None) -> str:
    """The first thing to do about a barrier: its first open remedy, or else its first piece of advice."""
    remedies = open_remedies(barrier, today)
    if remedies:
        return remedies[0].title
    first_step = barrier.advice[0] if barrier.advice else None
    return first_step or barrier.no_remedy_note or barrier.summary


def verdict_marks(result: ProgramResult) -> list[str]:
    """✔ each condition met, ✖ each failed, △ each obstacle that can be cleared."""
    return [
        *(f"✔ {text}" for text in result.met),
        *(f"✖ {text}" for text in result.unmet),
        *(f"△ {caveat.text}" for caveat in result.caveats),
    ]


def explain(result: ProgramResult) -> Answer:
    """'왜요?': every reason behind one verdict."""
    lines = [f"{with_object(result.program.name)} 이렇게 본 이유예요. ({VERDICT_LABELS[result.verdict]})"]
    lines += verdict_marks(result)
    lines += [f"? {missing.question}" for missing in result.missing]
    lines += [f"+ {tip}" for tip in result.tips]
    lines += result.benefits
    if result.availability.text:
        lines.append(f"· 신청 시기: {result.availability.text}")
    if len(lines) == 1:
        lines.append("따로 걸리는 조건이 없어요.")
    lines.append(source_line(result.program.source, result.program.as_of))
    return Answer("\n".join(lines), sources=list(result.program.source))


def program_verdict(result: ProgramResult, base: KnowledgeBase) -> Answer:
    """ "재창업한 지 5년 됐는데 재도전성공패키지 신청할 수 있어요?": that program, judged on what is known."""
    program = result.program
    lines = [f"{with_object(program.name)} 말씀해 주신 내용으로 살펴봤어요. ({VERDICT_LABELS[result.verdict]})"]
    lines += verdict_marks(result)
    lines += result.benefits
    if result.missing:
        lines.append("확인할 점: " + " / ".join(missing.question for missing in result.missing[:2]))
    if result.availability.text and result.availability.status is not Status.expired:
        lines.append(f"· 신청 시기: {result.availability.text}")
    lines.append(f"· 신청: {program.how_to_apply}")
    lines.append(f"· 문의: {hotline_text(base, program.hotline)}")
    stale = freshness_note(program, base)
    if stale:
        lines.append(f"※ {stale}")
    lines.append(source_line(program.source, program.as_of))
    return Answer(
        "\n".join(lines),
        buttons=[Button(f"{program.name} 자세히", f'/ask_program_info{{"program": "{program.id}"}}')],
        sources=list(program.source),
    )


def linked_support(programs: Iterable[Program], base: KnowledgeBase, today: datetime.date | None = None) -> Answer:
    """Next-step supports after a restart (export, prototyping, education …)."""
    programs = list(programs)
    if len(programs) == 1:
        return program_detail(programs[0], base, today)
    lines = ["다시 창업하신 뒤 활용하실 수 있는 지원이에요."]
    lines += [f"· {p.name}: {p.summary}" for p in programs]
    lines.append(dated_source_line([(p.source[:1], p.as_of) for p in programs]))
    return Answer("\n".join(lines), sources=[p.source[0] for p in programs])


# Barriers every restart raises: none of them is what to do first.
NOT_PRESSING = {"restart_recognition"}


def first_step(
    results: Sequence[ProgramResult],
    profile: FounderProfile,
    base: KnowledgeBase,
    today: datetime.date | None = None,
) -> Answer:
    """'그중에 제일 먼저 할 건 뭐예요?' after the recommendations: one step, not the menu again."""
    shown = [r for r in results if r.verdict is not Verdict.not_eligible]
    pressing = [b for b in barriers_of(profile) if b in base.barriers and b not in NOT_PRESSING]
    lines: list[str] = []
    buttons: list[Button] = []
    if pressing:
        barrier = base.barriers[pressing[0]]
        remedies = open_remedies(barrier, today)
        remedy = remedies[0].title if remedies else (barrier.advice[0] if barrier.advice else "")
        lines.append(f"먼저 {barrier.name} 문제부터 풀어 보시길 권해요." + (f" ({remedy})" if remedy else ""))
        lines.append("걸림돌을 먼저 풀어 두면 다른 지원도 받기 쉬워져요.")
        numbers = barrier.hotlines or [NATIONAL_HOTLINE]
        lines.append("도움받을 곳: " + " / ".join(hotline_text(base, number) for number in numbers))
        if shown:
            lines.append(f"그다음에는 {shown[0].program.name}도 알아보세요.")
    elif shown:
        program = shown[0].program
        lines.append(f"먼저 {program.name}부터 알아보시길 권해요.")
        lines.append(f"· 신청: {program.how_to_apply}")
        lines.append(f"· 문의: {hotline_text(base, program.hotline)}")
    else:
        lines.append(f"지금은 {hotline_text(base, NATIONAL_HOTLINE)}에서 상담부터 받아 보시길 권해요.")
    if shown:
        program = shown[0].program
        buttons.append(Button(f"{program.name} 자세히", f'/ask_program_info{{"program": "{program.id}"}}'))
    buttons.append(Button("가까운 상담 센터", "/ask_center"))
    return Answer("\n".join(lines), buttons=buttons)


def start_over_answer() -> Answer:
    """'처음부터 다시 할게요': what the founder said is cleared and the finder is offered."""
    return Answer(
        "네, 처음부터 다시 해요. 말씀해 주신 내용은 지웠어요. 지금 상황을 편하게 말씀해 주시거나 아래를 눌러 주세요.",
        buttons=[Button("나에게 맞는 지원 찾기", "/check_eligibility")],
    )
