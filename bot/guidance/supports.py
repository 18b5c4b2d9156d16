"""What a closing owner is owed and can live on, and direct answers about it.

"폐업하면 실업급여 받을 수 있나요?", "노란우산 해지하면 세금 나와요?", "새출발기금 신청하면 추심
멈춰요?": a support named (or implied by the words) gets its card judged on what is known of the
founder, a question that is not about eligibility gets its sourced answer (data/knowledge/
faqs.yml), and two supports that combine or exclude each other say so (relations.yml).
No Rasa import.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence

from bot.guidance import answers
from bot.guidance.answers import Answer, Button
from bot.guidance.eligibility import VERDICT_LABELS, ProgramResult, Status, Verdict, evaluate
from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.models import Faq, Program

# The supports of the closure-income question, in the order an adviser would name them.
CLOSURE_MONEY = ("self_employed_job_seeking_benefit", "yellow_umbrella_payout", "national_employment_support")
HOPE_RETURN = "hope_return_package"
# Words that point at one support when the gazetteer found no name ("실업급여", "구직수당").
SUPPORT_WORDS = {
    "self_employed_job_seeking_benefit": re.compile(r"실업\s?급여|구직\s?급여|실업\s?수당|고용\s?보험"),
    "yellow_umbrella_payout": re.compile(r"노[란랑]\s?우산|공제금"),
    "national_employment_support": re.compile(r"국민\s?취업|국취|구직\s?촉진|구직\s?수당|취업\s?지원\s?제도"),
}


def supports_in(text: str, named: Iterable[str]) -> list[str]:
    """The supports a message is about: those the gazetteer named, then those its words point at."""
    found = list(named)
    found += [program_id for program_id, words in SUPPORT_WORDS.items() if words.search(text)]
    return list(dict.fromkeys(found))


def find_faq(base: KnowledgeBase, text: str, program_ids: Sequence[str]) -> Faq | None:
    """The first direct answer about one of `program_ids` whose every keyword group the text has."""
    compact = re.sub(r"\s+", " ", text)
    for faq in base.faqs.values():
        if not set(faq.programs) & set(program_ids):
            continue
        if all(any(word in compact for word in group) for group in faq.keywords):
            return faq
    return None


def faq_answer(faq: Faq, base: KnowledgeBase) -> Answer:
    program = base.programs[faq.programs[0]]
    lines = [faq.answer]
    if faq.contact:
        lines.append(f"· 문의: {answers.hotline_text(base, faq.contact)}")
    lines.append(answers.source_line(faq.source, faq.as_of, more=len(faq.source) > 1))
    return Answer(
        "\n".join(lines),
        buttons=[Button(f"{program.name} 자세히", f'/ask_program_info{{"program": "{program.id}"}}')],
        sources=list(faq.source),
    )


def support_card(result: ProgramResult, base: KnowledgeBase, today: datetime.date) -> Answer:
    """One support, judged on what is known: what it is, its condition, what to check, whom to ask."""
    program = result.program
    lines = [f"[{program.name}] {program.summary}", f"· 대상: {program.target}"]
    known = answers.verdict_marks(result)
    if known:
        lines.append(f"· 말씀해 주신 내용으로는: {VERDICT_LABELS[result.verdict]}")
        lines += [f"  {mark}" for mark in known]
    benefits = result.benefits or program.benefits[:2]
    lines += [f"· 받는 것: {benefit}" for benefit in benefits[:2]]
    # the founder asks about money at closure: what decides it is asked before whether they closed
    missing = sorted(result.missing, key=lambda m: m.field in ("closed", "closing_soon"))
    questions = [m.question for m in missing if not m.optional or result.verdict is Verdict.eligible]
    if questions:
        lines.append(f"· 확인할 점: {questions[0]}")
    if result.availability.text and result.availability.status is not Status.rolling:
        lines.append(f"· 신청 시기: {result.availability.text}")
    lines.append(f"· 신청: {program.how_to_apply}")
    lines.append(f"· 문의: {answers.hotline_text(base, program.hotline)}")
    lines += [f"※ {answers.relation_line(relation)}" for relation in answers.relations_of(base, [program.id])]
    if program.notice:
        lines.append(f"※ {program.notice}")
    stale = answers.freshness_note(program, base)
    if stale:
        lines.append(f"※ {stale}")
    lines.append(answers.source_line(program.source, program.as_of))
    return Answer(
        "\n".join(lines),
        buttons=[Button("나에게 맞는 지원 찾기", "/check_eligibility")],
        sources=list(program.source),
    )


def closure_money(profile: FounderProfile, base: KnowledgeBase, today: datetime.date) -> Answer:
    """'폐업하면 돈 나오는 거 있어요?': every support of that kind, one line each, with its condition."""
    ids = [*CLOSURE_MONEY, HOPE_RETURN]
    results = [evaluate(base.programs[program_id], profile, today) for program_id in ids if program_id in base.programs]
    lines = ["폐업하실 때 챙기실 수 있는 돈이에요. 해당되는지 하나씩 확인해 보세요."]
    for result in results:
        program = result.program
        # a verdict only where something the founder said decides it
        judged = result.verdict is Verdict.not_eligible or answers.verdict_marks(result)
        status = f" — {VERDICT_LABELS[result.verdict]}" if judged else ""
        lines.append(f"· {program.name}{status}: {program.target}")
    lines += [f"※ {answers.relation_line(r)}" for r in answers.relations_of(base, ids, both=True)]
    lines.append("노란우산공제는 폐업 전에 해지하지 마세요. 폐업 뒤 공제금으로 받는 편이 유리해요.")
    lines.append(answers.dated_source_line([(r.program.source[:1], r.program.as_of) for r in results]))
    buttons = [
        Button(result.program.name, f'/ask_program_info{{"program": "{result.program.id}"}}') for result in results[:3]
    ]
    return Answer("\n".join(lines), buttons=buttons, sources=[r.program.source[0] for r in results])


def support_answer(
    text: str,
    named: Sequence[str],
    profile: FounderProfile,
    base: KnowledgeBase,
    today: datetime.date,
) -> tuple[Answer, str | None]:
    """The answer to a question about what a closing owner is owed, and the program it was about."""
    program_ids = [p for p in supports_in(text, named) if p in base.programs]
    faq = find_faq(base, text, program_ids)
    if faq is not None:
        return faq_answer(faq, base), faq.programs[0]
    if len(program_ids) >= 2 and all(p in CLOSURE_MONEY for p in program_ids[:2]):
        # "실업급여랑 국취 같이 받을 수 있어요?": both, and how they go together
        return closure_money(profile, base, today), None
    if program_ids:
        program: Program = base.programs[program_ids[0]]
        return support_card(evaluate(program, profile, today), base, today), program.id
    return closure_money(profile, base, today), None
