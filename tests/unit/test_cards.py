"""Program and barrier cards as a founder reads them: honest dates, advice first, short.

Every card is rendered with the functions the actions call (bot.guidance.answers and
bot.guidance.centers) over the real knowledge base.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from bot.guidance import answers, centers, eligibility, findings
from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import KnowledgeBase, knowledge
from bot.language.korean import with_object

TODAY = datetime.date(2026, 12, 3)

# The day FACTS.md was read: a record dated this day took the reading date for its 기준일.
FACTS_READ = datetime.date(2026, 11, 28)
DATE_IN_TEXT = re.compile(r"기준일:? [^\n]*?(\d{4}-\d{2}-\d{2})")
# A figure from before this year is old news: it may be shown, with its year, but never lead.
STALE_BEFORE_YEAR = 2023
YEAR = re.compile(r"((?:19|20)\d{2})년")
# a card now also says when to apply and how current it is (2026-12 fact pass)
MAX_PROGRAM_CARD = 600
MAX_BARRIER_CARD = 800
MAX_LINE = 200


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return knowledge()


def program_cards(base: KnowledgeBase) -> dict[str, str]:
    return {pid: answers.program_detail(program, base).text for pid, program in base.programs.items()}


def barrier_cards(base: KnowledgeBase) -> dict[str, str]:
    return {bid: answers.barrier_detail(barrier, base).text for bid, barrier in base.barriers.items()}


def every_dated_text(base: KnowledgeBase) -> list[str]:
    """Everything that can show a 기준일: cards, overviews, recommendations, '왜요?', centers."""
    texts = [*program_cards(base).values(), *barrier_cards(base).values()]
    texts.append(answers.program_overview(base).text)
    linked = [p for p in base.programs.values() if p.kind == "linked_support"]
    texts.append(answers.linked_support(linked, base).text)
    profiles: list[dict[str, Any]] = [
        {"closed": True, "credit_state": "delinquent", "tax_arrears": True},
        {"closed": True, "business_type": "corporation", "guarantor_default": "kodit", "restarted": True},
        {"closed": True, "guarantor_default": "local_foundation", "tax_arrears": True, "tax_arrears_amount": 1},
    ]
    for slots in profiles:
        profile = FounderProfile.from_slots(slots)
        results = eligibility.recommend(base, profile, TODAY)
        texts.append(findings.recommendations(results, profile, base).text)
        texts += [answers.explain(result).text for result in results]
    for region_id in base.regions:
        for need in (None, *centers.CENTER_TYPES_BY_NEED):
            texts.append(centers.center_answer(base, region_id, need).text)
    return texts


def record_dates(base: KnowledgeBase) -> dict[str, datetime.date | None]:
    """Every as_of in the knowledge base, by where it is written."""
    dates: dict[str, datetime.date | None] = {}
    for program in base.programs.values():
        dates[f"program {program.id}"] = program.as_of
    for barrier in base.barriers.values():
        dates[f"barrier {barrier.id}"] = barrier.as_of
        for remedy in barrier.remedies:
            dates[f"barrier {barrier.id} / {remedy.title}"] = remedy.as_of
    for agency in base.agencies.values():
        dates[f"agency {agency.id}"] = agency.as_of
        if agency.headquarters:
            dates[f"agency {agency.id} headquarters"] = agency.headquarters.as_of
    for hotline in base.hotlines.values():
        dates[f"hotline {hotline.number}"] = hotline.as_of
    for center_type in base.center_types.values():
        dates[f"center type {center_type.id}"] = center_type.as_of
    for center in base.centers.values():
        dates[f"center {center.id}"] = center.as_of
        for address in center.addresses:
            dates[f"center {center.id} address {address.text}"] = address.as_of
    return dates


# --- 기준일 ----------------------------------------------------------------------------


def test_no_record_takes_the_day_the_facts_were_read_or_today_for_its_date(base: KnowledgeBase) -> None:
    placeholders = {FACTS_READ, datetime.date.today()}
    assert [where for where, date in record_dates(base).items() if date in placeholders] == []


def test_no_rendered_date_is_today_or_the_reading_date(base: KnowledgeBase) -> None:
    shown = {date for text in every_dated_text(base) for date in DATE_IN_TEXT.findall(text)}
    assert shown, "the renderings really show dates, so this check means something"
    assert not shown & {FACTS_READ.isoformat(), datetime.date.today().isoformat()}


def test_every_rendered_date_is_the_date_of_a_source(base: KnowledgeBase) -> None:
    known = {date.isoformat() for date in record_dates(base).values() if date}
    shown = {date for text in every_dated_text(base) for date in DATE_IN_TEXT.findall(text)}
    assert shown <= known


@pytest.mark.parametrize("program_id", ["koreg_rechallenge_guarantee"])
def test_a_guarantee_whose_source_states_no_date_says_so(base: KnowledgeBase, program_id: str) -> None:
    text = answers.program_detail(base.programs[program_id], base).text
    assert "기준일 미확인" in text
    assert not DATE_IN_TEXT.search(text)


def test_a_dated_program_shows_its_sources_date(base: KnowledgeBase) -> None:
    assert "기준일 2024-04-01" in answers.program_detail(base.programs["restart_fund"], base).text
    assert "기준일 2026-02-11" in answers.program_detail(base.programs["rechallenge_success_package"], base).text


def test_every_program_and_sourced_barrier_card_shows_a_기준일(base: KnowledgeBase) -> None:
    cards = {**program_cards(base), **barrier_cards(base)}
    sourced = [*base.programs, *(b.id for b in base.barriers.values() if b.source)]
    assert [card_id for card_id in sourced if "기준일" not in cards[card_id]] == []


def test_a_barrier_card_pairs_its_date_with_the_source_of_that_date(base: KnowledgeBase) -> None:
    # the tax card's newest dated fact is the 2026 arrears extinction, reported on 2026-03-12
    text = answers.barrier_detail(base.barriers["tax_arrears"], base).text
    assert "출처: news.sbs.co.kr/news/endPage.do?news_id=N1008474595 외 · 기준일 2026-03-12" in text


def test_a_center_answer_dates_the_centers_it_shows(base: KnowledgeBase) -> None:
    text = centers.center_answer(base, "jeju", "export").text
    assert "기준일 2014-03-26" in text  # the 2014 council that announced the export centers


# --- what leads a card ------------------------------------------------------------------


def lines_before_how_to_apply(card: str) -> list[str]:
    lines = card.splitlines()
    return lines[: next(i for i, line in enumerate(lines) if line.startswith("· 신청"))]


def strip_label(line: str) -> str:
    return re.sub(r"^[·※\s]*(?:[가-힣 ]{1,6}:\s*)?", "", line)


def test_no_card_line_starts_with_a_year(base: KnowledgeBase) -> None:
    cards = {**program_cards(base), **barrier_cards(base)}
    leading = [
        (card_id, line)
        for card_id, card in cards.items()
        for line in card.splitlines()
        if YEAR.match(strip_label(line))
    ]
    assert leading == []


def is_stale(line: str) -> bool:
    return any(int(year) < STALE_BEFORE_YEAR for year in YEAR.findall(line))


def test_a_program_card_leads_with_what_it_does_not_with_old_figures(base: KnowledgeBase) -> None:
    # the summary says what the program does; no old year there, and no figure before the way in
    cards = program_cards(base)
    assert [pid for pid, card in cards.items() if is_stale(card.splitlines()[1])] == []
    assert [pid for pid, card in cards.items() if "· 지원" in "\n".join(lines_before_how_to_apply(card))] == []


def test_old_figures_come_after_the_current_ones(base: KnowledgeBase) -> None:
    # among the details shown, an undated line never follows one dated before STALE_BEFORE_YEAR
    misplaced = []
    for program_id, card in program_cards(base).items():
        details = [line for line in card.splitlines() if line.startswith("· 지원")]
        first_stale = next((i for i, line in enumerate(details) if is_stale(line)), len(details))
        misplaced += [(program_id, line) for line in details[first_stale:] if not YEAR.search(line)]
    assert misplaced == []


def test_the_restart_fund_card_leads_with_what_who_and_how(base: KnowledgeBase) -> None:
    card = answers.program_detail(base.programs["restart_fund"], base).text
    lines = card.splitlines()
    assert lines[1].startswith("폐업") and "정책자금" in lines[1]  # what it is
    assert lines[2].startswith("· 대상:") and lines[3].startswith("· 신청:")
    assert "예산" not in card and "700억" not in card  # the 2015 budget is gone
    assert all("2024년" in line for line in lines if "10년" in line)  # a dated figure carries its year
    # no current source: the founder is told so, and whom to ask
    assert "2024년 자료라 지금은 다를 수 있어요" in card and "☎ 1357" in card


# --- tone -------------------------------------------------------------------------------

# What a research note says and advice to a founder does not.
RESEARCH_NOTE = ["확인 필요", "찾지 못했", "이야기도", "확인되지 않았", "보도만", "블로그", "코드", "unverified"]


@pytest.mark.parametrize("marker", RESEARCH_NOTE)
def test_no_card_reads_like_a_research_note(base: KnowledgeBase, marker: str) -> None:
    cards = {**program_cards(base), **barrier_cards(base)}
    assert [card_id for card_id, card in cards.items() if marker in card] == []


def test_social_insurance_guidance_says_what_to_do_and_whom_to_call(base: KnowledgeBase) -> None:
    text = answers.barrier_detail(base.barriers["social_insurance_arrears"], base).text
    assert "이렇게 해 보세요:" in text and "☎ 1357" in text
    # no source stated nothing about insurance (FACTS.md gives none), so none is cited
    assert "zdnet" not in text and "lawgram" not in text and "출처" not in text
    for marker in ("찾지 못했", "이야기도", "확인되지 않았", "바랍니다"):
        assert marker not in text
    # only verified numbers: the agencies' own numbers are not in FACTS.md
    assert set(re.findall(r"☎ ([\d-]+)", text)) <= set(base.verified_numbers)


def test_social_insurance_arrears_claims_no_instalment_right(base: KnowledgeBase) -> None:
    # FACTS.md marks instalment requests at each agency unverified: advice may suggest asking, not promise
    text = answers.barrier_detail(base.barriers["social_insurance_arrears"], base).text
    assert "분할 납부를 받을 수 있" not in text and "나눠 낼 수 있습니다" not in text


# --- length -----------------------------------------------------------------------------


def test_program_cards_are_short(base: KnowledgeBase) -> None:
    long_cards = {pid: len(card) for pid, card in program_cards(base).items() if len(card) > MAX_PROGRAM_CARD}
    assert long_cards == {}


def test_barrier_cards_are_short(base: KnowledgeBase) -> None:
    long_cards = {bid: len(card) for bid, card in barrier_cards(base).items() if len(card) > MAX_BARRIER_CARD}
    assert long_cards == {}


def test_no_card_line_runs_on(base: KnowledgeBase) -> None:
    cards = {**program_cards(base), **barrier_cards(base)}
    long_lines = [(cid, line[:30]) for cid, card in cards.items() for line in card.splitlines() if len(line) > MAX_LINE]
    assert long_lines == []


def test_a_remedy_never_names_a_side_agency_as_the_one_in_charge() -> None:
    """'(담당: X)' is the agency that runs the remedy; QA saw 신복위's own scheme 'run by' 중진공."""
    base = knowledge()
    for barrier in base.barriers.values():
        text = answers.barrier_detail(barrier, base).text
        for remedy in barrier.remedies:
            line = next(line for line in text.splitlines() if line.startswith(f"· {remedy.title}:"))
            if "(담당:" in line:
                lead = base.agencies[remedy.agency_ids[0]]
                assert lead.name in line.split("(담당:")[1], line


def test_why_names_the_program_with_the_right_particle(base: KnowledgeBase) -> None:
    # QA: "성실경영평가을(를) 이렇게 본 이유예요" read like an unfilled template
    profile = FounderProfile.from_slots({"closed": True, "goal": "restart"})
    for result in eligibility.recommend(base, profile, TODAY):
        text = answers.explain(result).text
        assert "(를)" not in text, text
    assert with_object("성실경영평가") == "성실경영평가를"
    assert with_object("재창업자금") == "재창업자금을"


def test_closure_time_reads_as_people_say_it(base: KnowledgeBase) -> None:
    # QA: "약 1.4년 전 폐업", "약 4.4년 전"
    assert [answers.years_text(y) for y in (0.5, 1.1, 1.4, 4.4)] == [
        "약 6개월 전",
        "약 1년 전",
        "약 1년 반 전",
        "약 4년 반 전",
    ]
    said = FounderProfile(closed=True, years_since_closure=6.4, closure_year=2020)
    assert "2020년 폐업" in answers.describe_profile(said, base)
