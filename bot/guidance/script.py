"""A hotline call script from a caller's situation, built by the same engine as the chat."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.guidance import answers
from bot.guidance.centers import NEED_BY_TOPIC, centers_for
from bot.guidance.eligibility import VERDICT_LABELS, barriers_of, next_questions, owed_if_confirmed, recommend
from bot.guidance.profile import FounderProfile
from bot.guidance.situation import clauses, extract_situation, negated
from bot.knowledge.loader import NATIONAL_HOTLINE, KnowledgeBase
from bot.language.crisis import shows_crisis
from bot.language.gazetteer import AMBIGUITY_SEPARATOR, Gazetteer, Mention

CRISIS_LINE = "109"  # 자살예방 상담전화, in hotlines.yml
# What an agent reads first when a caller has spoken of wanting to die.
SAFETY_FIRST = (
    "⚠ 자살 생각을 내비쳤습니다. 지원 안내보다 안전이 먼저예요. 지금 어디에 계신지, 혼자이신지, "
    "안전한지 차분히 여쭤 주세요. {crisis_line}를 안내하고, 지금 위험하면 112·119에 연결해 주세요."
)
CRISIS_OPENING = "말씀해 주셔서 고맙습니다. 많이 힘드셨지요. 지금 이야기 들을게요, 천천히 말씀해 주세요."


@dataclass
class CallScript:
    situation: str
    opening: str
    safety: str = ""
    questions: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    remedies: list[str] = field(default_factory=list)
    # supports that combine or exclude each other, both open to this caller (relations.yml)
    together: list[str] = field(default_factory=list)
    # the public calls open now that fit the caller (stored notices; empty when none or off)
    open_calls: list[str] = field(default_factory=list)
    referral: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # every program's verdict and the order they were ranked in (for tools and the answer key)
    verdicts: dict[str, str] = field(default_factory=dict)
    ranked: list[str] = field(default_factory=list)

    def text(self) -> str:
        sections = [f"■ 안전 먼저\n{self.safety}"] if self.safety else []
        sections += [
            f"■ 파악된 상황: {self.situation or '아직 없음'}",
            f"■ 첫 마디\n{self.opening}",
            "■ 더 여쭤볼 것\n" + ("\n".join(f"- {q}" for q in self.questions) or "- 없음"),
            "■ 맞는 지원\n" + ("\n".join(f"- {p}" for p in self.programs) or "- 해당 없음"),
            "■ 걸림돌과 해결 방법\n" + ("\n".join(f"- {r}" for r in self.remedies) or "- 없음"),
            *(["■ 함께·따로 받는 지원\n" + "\n".join(f"- {t}" for t in self.together)] if self.together else []),
            *(["■ 지금 열린 공고\n" + "\n".join(f"- {c}" for c in self.open_calls)] if self.open_calls else []),
            "■ 연결할 곳\n" + "\n".join(f"- {line}" for line in self.referral),
            "■ 출처·기준일\n" + "\n".join(f"- {s}" for s in dict.fromkeys(self.sources)),
        ]
        return "\n\n".join(sections)

    def as_dict(self) -> dict[str, object]:
        """The sections for the agent console, plus the whole script as copyable text."""
        return {
            "safety": self.safety,
            "situation": self.situation,
            "opening": self.opening,
            "questions": self.questions,
            "programs": self.programs,
            "remedies": self.remedies,
            "together": self.together,
            "open_calls": self.open_calls,
            "referral": self.referral,
            "sources": list(dict.fromkeys(self.sources)),
            "verdicts": self.verdicts,
            "ranked": self.ranked,
            "text": self.text(),
        }


def situation_facts(
    text: str, gazetteer: Gazetteer | None, today: datetime.date, mentions: list[Mention] | None = None
) -> dict[str, Any]:
    """The profile facts a caller's situation states (the chat's own extraction)."""
    facts = extract_situation(text, gazetteer, today, mentions=mentions)
    facts.pop("closure_in_future", None)
    return facts


def call_script(text: str, base: KnowledgeBase, gazetteer: Gazetteer, today: datetime.date) -> CallScript:
    """What to say, what to ask, what fits and whom to refer to, for one caller."""
    profile = FounderProfile.from_slots(situation_facts(text, gazetteer, today))
    return script_for_profile(
        profile, base, today, crisis=shows_crisis(text), mentioned=mentioned_barriers(text, gazetteer)
    )


def mentioned_barriers(text: str, gazetteer: Gazetteer | None, mentions: list[Mention] | None = None) -> list[str]:
    """Barriers a caller's words name though no profile fact holds them (연대보증, 우울증).

    A barrier said to be absent ("신용 문제 없음", "4대보험 체납 없음") is not one.
    """
    if not text.strip():
        return []
    bounds = clauses(text)
    if mentions is None:
        if gazetteer is None:
            raise ValueError("mentioned_barriers needs the gazetteer or its mentions")
        mentions = gazetteer.find(text)
    return [m.value for m in mentions if m.label == "barrier" and not negated(text, m, bounds)]


def script_for_profile(
    profile: FounderProfile,
    base: KnowledgeBase,
    today: datetime.date,
    crisis: bool = False,
    mentioned: Sequence[str] = (),
) -> CallScript:
    """The call script for what is known of a founder (from a call, a form or a chat's slots).

    With `crisis` (the caller spoke of wanting to die) the script starts with their safety;
    `mentioned` barriers get their remedies next to those the profile raises.
    """
    results = recommend(base, profile, today)
    summary = answers.describe_profile(profile, base)
    script = CallScript(
        situation=summary,
        opening=CRISIS_OPENING
        if crisis
        else (
            "많이 힘드셨을 텐데 전화 주셔서 고맙습니다. 지금 상황에서 받으실 수 있는 지원과 "
            "먼저 풀어야 할 부분을 함께 정리해 드릴게요."
        ),
        safety=SAFETY_FIRST.format(crisis_line=base.hotline_label(CRISIS_LINE)) if crisis else "",
        questions=[question for _, question in next_questions(results, limit=4)],
        verdicts={r.program.id: r.verdict.value for r in results},
        ranked=[r.program.id for r in results if r.verdict.value != "not_eligible"],
    )
    # money the caller may be owed at closure: one question settles it (노란우산, 고용보험)
    for result in owed_if_confirmed(results, profile)[:2]:
        question = result.missing[0].question
        if question not in script.questions:
            script.questions.append(question)
    if profile.region and AMBIGUITY_SEPARATOR in profile.region:  # "광주": which one decides the centers
        script.questions.insert(0, f"{answers.which_region(base, profile.region)} 가운데 어느 쪽이신가요?")
    crisis_line = base.hotlines[CRISIS_LINE] if crisis else None
    if crisis_line is not None and crisis_line.as_of:
        script.sources.append(answers.source_line(crisis_line.source, crisis_line.as_of))
    for result in [r for r in results if r.verdict.value != "not_eligible"][:4]:
        reasons = [c.text for c in result.caveats] or result.met or [m.question for m in result.missing]
        reason = reasons[0] if reasons else result.program.summary
        notes = [*result.benefits[:1]]
        if result.availability.status in answers.DATE_NEWS:
            notes.append(result.availability.text)
        if result.program.stale:
            notes.append(answers.freshness_note(result.program, base))
        line = f"{result.program.name} ({VERDICT_LABELS[result.verdict]}): {reason}"
        script.programs.append(" ".join([line, *notes]))
        script.sources.append(answers.source_line(result.program.source, result.program.as_of))
    open_ids = {r.program.id for r in results if r.verdict.value != "not_eligible"}
    for relation in answers.relations_of(base, open_ids, both=True):
        script.together.append(answers.relation_line(relation))
        if relation.source:
            script.sources.append(answers.source_line(relation.source, relation.as_of))
    barrier_ids = list(dict.fromkeys([*barriers_of(profile), *mentioned]))
    for barrier_id in barrier_ids:
        barrier = base.barriers.get(barrier_id)
        if barrier is None:
            continue
        line = answers.barrier_one_liner(barrier, today)
        remedies = answers.open_remedies(barrier, today)
        basis = remedies[0].legal_basis if remedies else None
        # an agent may be asked what a remedy rests on: the statute goes with it
        script.remedies.append(f"{line} (근거: {basis})" if basis else line)
        footer = answers.barrier_source_line(barrier)
        if footer:  # a barrier FACTS.md gives no source for cites none
            script.sources.append(footer)
    need = next((NEED_BY_TOPIC[b] for b in barrier_ids if b in NEED_BY_TOPIC), None)
    if profile.region and profile.region in base.regions:
        for card in centers_for(base, profile.region, need)[:2]:
            script.referral.append(f"{card.title}: " + " / ".join(card.lines))
    else:
        script.referral.append(
            "지역을 여쭤본 뒤 가까운 센터를 안내해 주세요. " + answers.hotline_text(base, NATIONAL_HOTLINE)
        )
    return script
