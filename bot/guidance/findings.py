"""What the finder found: the eligibility engine's results made into the result card."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from bot.guidance import centers
from bot.guidance.answers import (
    DATE_NEWS,
    MAX_RECOMMENDATIONS,
    Answer,
    Button,
    barrier_first_step,
    barrier_payload,
    dated_source_line,
    describe_profile,
    first_reason,
    freshness_note,
    program_payload,
    relation_line,
    relations_of,
)
from bot.guidance.eligibility import (
    GOAL_TIER,
    VERDICT_LABELS,
    ProgramResult,
    Verdict,
    barriers_of,
    owed_if_confirmed,
)
from bot.guidance.profile import UNKNOWN, FounderProfile
from bot.guidance.result_card import (
    NONE_FOUND,
    BarrierItem,
    CardButton,
    ContactItem,
    ProgramItem,
    ResultCard,
    plain_text,
)
from bot.knowledge.loader import NATIONAL_HOTLINE, KnowledgeBase

MAX_BARRIERS = 3
MAX_OWED = 2


def build(
    results: Sequence[ProgramResult],
    profile: FounderProfile,
    base: KnowledgeBase,
    today: datetime.date | None = None,
) -> ResultCard:
    """The best-fitting programs with one-line reasons, the barriers to clear, whom to call."""
    open_results = [r for r in results if r.verdict is not Verdict.not_eligible]
    shown = open_results[:MAX_RECOMMENDATIONS]
    # urgent remedies may fill the first three: what serves the founder's goal still shows
    goal_fit = next((r for r in open_results if r.tier == GOAL_TIER), None)
    if goal_fit is not None and all(r.tier != GOAL_TIER for r in shown):
        shown.append(goal_fit)
    summary = describe_profile(profile, base)
    owed = [r for r in owed_if_confirmed(open_results, profile) if r not in shown]
    open_ids = {r.program.id for r in open_results}
    shown_ids = {r.program.id for r in shown}
    barrier_ids = [b for b in barriers_of(profile) if b in base.barriers]
    buttons = [CardButton(title=f"{r.program.name} 자세히", payload=program_payload(r.program.id)) for r in shown[:2]]
    buttons.append(CardButton(title="가까운 상담 센터", payload="/ask_center"))
    return ResultCard(
        summary=f"말씀해 주신 상황({summary})으로 살펴봤어요." if summary else "살펴본 결과예요.",
        programs=[_program_item(result, base) for result in shown],
        none_found="" if shown else NONE_FOUND,
        owed=[f"{r.program.name} — {r.missing[0].question}" for r in owed[:MAX_OWED]],
        notes=[
            relation_line(relation)
            for relation in relations_of(base, open_ids, both=True)
            if set(relation.programs) & shown_ids
        ],
        barriers=[
            BarrierItem(
                id=barrier_id,
                name=base.barriers[barrier_id].name,
                remedy=barrier_first_step(base.barriers[barrier_id], today),
                payload=barrier_payload(barrier_id),
            )
            for barrier_id in barrier_ids[:MAX_BARRIERS]
        ],
        contacts=_contacts(profile, barrier_ids, base),
        source=dated_source_line([(r.program.source[:1], r.program.as_of) for r in shown]) if shown else "",
        buttons=buttons,
    )


def _program_item(result: ProgramResult, base: KnowledgeBase) -> ProgramItem:
    program = result.program
    details = list(result.benefits[:1])
    if result.availability.status in DATE_NEWS:
        details.append(result.availability.text)
    if program.stale:
        details.append(freshness_note(program, base))
    return ProgramItem(
        id=program.id,
        name=program.name,
        verdict=result.verdict.value,
        verdict_label=VERDICT_LABELS[result.verdict],
        reason=first_reason(result),
        details=[detail for detail in details if detail],
        check=result.missing[0].question if result.missing else "",
        url=program.website,
        payload=program_payload(program.id),
    )


def _contacts(profile: FounderProfile, barrier_ids: Sequence[str], base: KnowledgeBase) -> list[ContactItem]:
    """The founder's nearest center for their first barrier (or a restart), and the national hotline."""
    contacts: list[ContactItem] = []
    region = profile.region
    if region and region != UNKNOWN and region in base.regions:
        need = next((centers.NEED_BY_TOPIC[b] for b in barrier_ids if b in centers.NEED_BY_TOPIC), None)
        for card in centers.centers_for(base, region, need)[:1]:
            contacts.append(ContactItem(name=card.title, detail=card.reach, phone=card.call, url=card.website))
    # the national hotline, unless the regional center is reached through it already
    if all(contact.phone != NATIONAL_HOTLINE for contact in contacts):
        national = base.hotlines[NATIONAL_HOTLINE]
        contacts.append(
            ContactItem(
                name=national.name,
                detail=f"☎ {national.number} — 재도전 지원 전반을 상담해 드려요.",
                phone=national.number,
            )
        )
    return contacts


def recommendations(
    results: Sequence[ProgramResult],
    profile: FounderProfile,
    base: KnowledgeBase,
    today: datetime.date | None = None,
) -> Answer:
    """The finder's result: the card, with its plain-text rendering as the answer's text."""
    card = build(results, profile, base, today)
    return Answer(
        plain_text(card),
        buttons=[Button(button.title, button.payload) for button in card.buttons],
        sources=[base.programs[item.id].source[0] for item in card.programs if base.programs[item.id].source],
        result=card,
    )
