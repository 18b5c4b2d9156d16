"""The real knowledge base: every researched fact is present, and nothing unverified leaks.

Facts are checked against /work/shared/knowledge/FACTS.md. The loader tests copy the real
data directory, break one thing, and expect the loader to refuse it.
"""

from __future__ import annotations

import datetime
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.guidance import answers, centers, eligibility, findings
from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import DEFAULT_DIRECTORY, KnowledgeBase, KnowledgeError, knowledge, load_knowledge
from bot.knowledge.models import Program

TODAY = datetime.date(2026, 12, 3)

# FACTS.md §4 and §1: seen only in code or blogs, never to be shown as a fact.
# 2026-12 fact pass: 126 is confirmed (국세상담센터), 1588-5302 is a 2016 number no longer used
UNVERIFIED_NUMBERS = ["1811-3655", "1544-1120", "1588-6565", "1588-5302", "051-316-4050"]
VERIFIED_NUMBERS = ["1357", "1600-5500", "1588-7365", "1533-0100", "126"]

SIDO_IDS = [
    "seoul",
    "busan",
    "daegu",
    "incheon",
    "gwangju",
    "daejeon",
    "ulsan",
    "sejong",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "chungnam",
    "jeonbuk",
    "jeonnam",
    "gyeongbuk",
    "gyeongnam",
    "jeju",
]
CENTER_REGION_IDS = [*SIDO_IDS, "pohang", "bitgaram"]

# Profiles that together reach every verdict and every barrier the engine knows.
PROFILES: list[dict[str, Any]] = [
    {},
    {"closed": True, "years_since_closure": 1.0, "credit_state": "normal"},
    {"closed": True, "credit_state": "delinquent", "tax_arrears": True, "tax_arrears_amount": 20_000_000},
    {"closed": False, "closing_soon": True, "business_type": "small_merchant", "insurance_arrears": True},
    {"closed": True, "credit_state": "bankrupt", "guarantor_default": "kibo", "goal": "restart"},
    {"closed": True, "business_type": "corporation", "guarantor_default": "kodit", "credit_state": "rehabilitation"},
    {"closed": True, "restarted": True, "years_since_restart": 5, "total_debt": 5_000_000_000, "goal": "job"},
]


def number_appears(number: str, text: str) -> bool:
    """True when `number` stands in `text` as a number (126 inside 1260 or a URL does not count)."""
    return re.search(rf"(?<![\d\-/=.]){re.escape(number)}(?![\d\-])", text) is not None


def texts_a_founder_can_see(base: KnowledgeBase) -> list[str]:
    """Every answer Dasi can compose from the knowledge base, with its button titles."""
    rendered: list[answers.Answer] = [answers.program_overview(base), centers.ask_region_answer()]
    rendered += [answers.program_detail(program, base) for program in base.programs.values()]
    rendered += [answers.barrier_detail(barrier, base) for barrier in base.barriers.values()]
    linked = [program for program in base.programs.values() if program.kind == "linked_support"]
    rendered.append(answers.linked_support(linked, base))
    for region_id in base.regions:
        for need in [None, *centers.CENTER_TYPES_BY_NEED]:
            rendered.append(centers.center_answer(base, region_id, need))
    rendered.append(centers.ambiguous_region_answer(base, ["gwangju", "gyeonggi"]))
    for slots in PROFILES:
        profile = FounderProfile.from_slots(slots)
        results = eligibility.recommend(base, profile, TODAY)
        rendered.append(findings.recommendations(results, profile, base))
        rendered += [answers.explain(result) for result in results]
    return [answer.text + "\n" + "\n".join(button.title for button in answer.buttons) for answer in rendered]


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return knowledge()


@pytest.fixture(scope="module")
def founder_texts(base: KnowledgeBase) -> list[str]:
    return texts_a_founder_can_see(base)


def program_named(base: KnowledgeBase, word: str) -> Program:
    """The one program whose name or alias contains `word` (spaces ignored)."""
    squeezed = word.replace(" ", "")
    found = {
        program.id: program
        for program in base.programs.values()
        for name in program.names
        if squeezed in name.replace(" ", "")
    }
    assert len(found) == 1, f"{word!r} should name exactly one program, found {sorted(found)}"
    return next(iter(found.values()))


# --- every FACTS.md program and remedy is there -----------------------------------------


@pytest.mark.parametrize(
    "program_id, korean_name, agency_id",
    [
        ("rechallenge_success_package", "재도전성공패키지", "kised"),
        ("restart_fund", "재창업자금", "kosmes"),
        ("sincere_management_evaluation", "성실경영평가", "kosmes"),
        ("rechallenge_center", "재도전종합지원센터", "kosmes"),
        ("hope_return_package", "희망리턴패키지", "semas"),
        ("jaegi_healing_camp", "재도전 힐링캠프", "jaegi"),
        ("ccrs_restart_support", "중소기업인 재창업지원", "ccrs"),
        ("kibo_restart_guarantee", "재기지원보증", "kibo"),
        ("kodit_restart_guarantee", "재창업지원 특례보증", "kodit"),
        ("koreg_rechallenge_guarantee", "재도전지원 특례보증", "koreg"),
        ("tax_seizure_deferral", "99조의6", "nts"),
        ("tax_collection_special_case", "99조의10", "nts"),
    ],
)
def test_every_restart_program_and_remedy_is_present(
    base: KnowledgeBase, program_id: str, korean_name: str, agency_id: str
) -> None:
    program = base.programs[program_id]
    assert any(korean_name.replace(" ", "") in name.replace(" ", "") for name in program.names)
    assert agency_id in program.agency_ids
    assert program.kind in ("restart_program", "remedy_program")
    assert program.source  # as_of is written in every record; null when the source states no date


@pytest.mark.parametrize(
    "agency_id, name, short",
    [
        ("kosmes", "중소벤처기업진흥공단", "중진공"),
        ("semas", "소상공인시장진흥공단", "소진공"),
        ("ccrs", "신용회복위원회", "신복위"),
        ("kibo", "기술보증기금", "기보"),
        ("kodit", "신용보증기금", "신보"),
        ("koreg", "지역신용보증재단", "재단"),
        ("kised", "창업진흥원", "창진원"),
        ("jaegi", "재기중소기업개발원", None),
    ],
)
def test_agencies_behind_the_programs_are_present(base: KnowledgeBase, agency_id: str, name: str, short: str) -> None:
    agency = base.agencies[agency_id]
    assert agency.name == name
    if short:
        assert short in agency.aliases


@pytest.mark.parametrize(
    "word",
    [
        "수출지원센터",
        "시제품 제작터",
        "창업아카데미",
        "액셀러레이터",
        "출연연",
        "SW 임치",
        "기술유출 분쟁조정",
        "판로",
        "1인 창조기업",
        "박람회",
    ],
)
def test_every_linked_support_from_the_2014_council_is_present(base: KnowledgeBase, word: str) -> None:
    program = program_named(base, word)
    assert program.kind == "linked_support"
    assert any("etoday.co.kr/news/view/890616" in url for url in program.source)


def test_the_program_amounts_and_conditions_match_facts(base: KnowledgeBase) -> None:
    programs = base.programs
    package = programs["rechallenge_success_package"]
    assert any("1억" in benefit for benefit in package.benefits)
    assert "7년" in package.target  # 2026 공고 (3 years in 2024)
    assert any(c.remedy_barrier == "credit_delinquency" for c in package.conditions)
    assert package.schedule is not None and package.schedule.calls[-1].closes == datetime.date(2026, 3, 4)

    assert any("600만" in benefit for benefit in programs["hope_return_package"].benefits)
    assert programs["hope_return_package"].hotline == "1533-0100"

    ccrs = programs["ccrs_restart_support"]
    assert ccrs.hotline == "1600-5500"
    # the 30억 limit is from 2013/2016: shown with its year, never a condition
    assert ccrs.stale and not any(c.field == "total_debt" for c in ccrs.conditions)

    assert programs["koreg_rechallenge_guarantee"].hotline == "1588-7365"
    camp = programs["jaegi_healing_camp"]
    assert "통영" in " ".join(camp.benefits) and "무료" in " ".join(camp.benefits)

    deferral = programs["tax_seizure_deferral"]
    assert deferral.legal_basis == "조세특례제한법 제99조의6"
    assert deferral.schedule is not None and deferral.schedule.deadline == datetime.date(2026, 12, 31)
    special_case = programs["tax_collection_special_case"]
    assert special_case.legal_basis == "조세특례제한법 제99조의10"
    # after the 2025 amendment (in force 2026): 8천만 원, closure by 2025-12-31
    assert next(c for c in special_case.conditions if c.field == "tax_arrears_amount").value == 80_000_000
    assert next(c for c in special_case.conditions if c.field == "closure_date").value == datetime.date(2025, 12, 31)


def test_the_restart_fund_rate_and_limit_are_marked_unverified(base: KnowledgeBase) -> None:
    assert any("금리" in note for note in base.programs["restart_fund"].unverified)


@pytest.mark.parametrize(
    "legal_basis, deadline",
    [
        ("조세특례제한법 제99조의6", "2026-12-31"),
        # after the 2025 amendment no application deadline was found: none is invented
        ("조세특례제한법 제99조의10", None),
    ],
)
def test_tax_remedies_carry_their_law_and_deadline(base: KnowledgeBase, legal_basis: str, deadline: str | None) -> None:
    remedy = next(r for r in base.barriers["tax_arrears"].remedies if r.legal_basis == legal_basis)
    assert (remedy.deadline.isoformat() if remedy.deadline else None) == deadline


def test_the_2026_arrears_extinction_is_a_tax_remedy(base: KnowledgeBase) -> None:
    remedy = next(r for r in base.barriers["tax_arrears"].remedies if "소멸" in r.title)
    assert remedy.deadline == datetime.date(2028, 12, 31) and "5천만 원" in remedy.detail


@pytest.mark.parametrize(
    "barrier_id",
    [
        "credit_delinquency",
        "tax_arrears",
        "bankruptcy",
        "slow_rehabilitation",
        "restart_recognition",
        "policy_loan_restriction",
        "stigma",
        "social_insurance_arrears",
        "joint_guarantee",
    ],
)
def test_every_facts_barrier_is_present_with_its_source(base: KnowledgeBase, barrier_id: str) -> None:
    barrier = base.barriers[barrier_id]
    assert barrier.source or not barrier.verified  # FACTS.md gives no source for an unverified one
    assert barrier.remedies or barrier.no_remedy_note


def test_social_insurance_arrears_claims_no_remedy(base: KnowledgeBase) -> None:
    barrier = base.barriers["social_insurance_arrears"]
    assert barrier.remedies == [] and barrier.verified is False and barrier.no_remedy_note


# --- regions and centers ----------------------------------------------------------------


def test_all_17_sido_and_the_two_center_cities_exist(base: KnowledgeBase) -> None:
    assert sorted(base.regions) == sorted(CENTER_REGION_IDS)
    assert sorted(r.id for r in base.regions.values() if r.level == "sido") == sorted(SIDO_IDS)
    assert base.regions["pohang"].parent == "gyeongbuk"
    assert base.regions["bitgaram"].parent == "jeonnam"


def test_region_names_are_current_and_old_names_still_understood(base: KnowledgeBase) -> None:
    assert base.regions["gangwon"].name == "강원특별자치도"
    assert "강원도" in base.regions["gangwon"].names
    assert base.regions["jeonbuk"].name == "전북특별자치도"
    assert "전라북도" in base.regions["jeonbuk"].names
    gunwi = [d for d in base.districts if d.name == "군위군"]
    assert [d.sido for d in gunwi] == ["daegu"]


def test_there_are_19_innovation_centers_one_per_region_with_its_website(base: KnowledgeBase) -> None:
    innovation = [c for c in base.centers.values() if c.type == "innovation_center"]
    assert len(innovation) == 19
    assert sorted(c.region for c in innovation) == sorted(CENTER_REGION_IDS)
    for center in innovation:
        assert center.website == f"https://ccei.creativekorea.or.kr/{center.region}/"


def test_no_center_phone_is_marked_verified(base: KnowledgeBase) -> None:
    """FACTS §3: no center's current phone is verified."""
    assert [p.number for c in base.centers.values() for p in c.phones if p.verified] == []


# --- unverified numbers -----------------------------------------------------------------


@pytest.mark.parametrize("number", UNVERIFIED_NUMBERS)
def test_unverified_numbers_are_never_verified_in_hotlines(base: KnowledgeBase, number: str) -> None:
    assert number not in base.verified_numbers
    with pytest.raises(KnowledgeError):
        base.hotline_label(number)


@pytest.mark.parametrize("number", VERIFIED_NUMBERS)
def test_the_verified_hotlines_are_verified_with_a_source(base: KnowledgeBase, number: str) -> None:
    hotline = base.hotlines[number]
    assert hotline.verified and hotline.source
    assert base.hotline_label(number).startswith(f"☎ {number} ")


def test_agency_phones_agree_with_hotlines(base: KnowledgeBase) -> None:
    for agency in base.agencies.values():
        for phone in agency.phones:
            if phone.number in base.hotlines:
                assert phone.verified == base.hotlines[phone.number].verified, (agency.id, phone.number)


def test_founder_texts_are_rendered_for_every_surface(founder_texts: list[str]) -> None:
    joined = "\n".join(founder_texts)
    # The renderings really contain programs, barriers and centers, so the grep below means something.
    assert "재도전성공패키지" in joined and "국세 체납" in joined and "창조경제혁신센터" in joined
    assert all(number_appears(number, joined) for number in VERIFIED_NUMBERS)


@pytest.mark.parametrize("number", UNVERIFIED_NUMBERS)
def test_no_unverified_number_appears_in_any_text_a_founder_can_see(founder_texts: list[str], number: str) -> None:
    leaking = [text[:80] for text in founder_texts if number_appears(number, text)]
    assert leaking == []


def test_number_matcher_finds_a_leaked_number() -> None:
    assert number_appears("126", "국세청 ☎ 126으로 문의")
    assert number_appears("1544-1120", "문의: 1544-1120")
    assert not number_appears("126", "https://x.kr/view/1260 · 기준일 2024-01-26")


def test_past_or_unverified_addresses_are_never_shown(base: KnowledgeBase) -> None:
    texts = "\n".join(centers.center_answer(base, region_id).text for region_id in base.regions)
    hidden = [a.text for c in base.centers.values() for a in c.addresses if not a.shown]
    shown = [a.text for c in base.centers.values() for a in c.addresses if a.shown]
    assert hidden and shown
    assert [text for text in hidden if text in texts] == []
    assert any(text in texts for text in shown)


# --- the loader rejects bad data --------------------------------------------------------


def read_records(directory: Path, name: str) -> Any:
    return yaml.safe_load((directory / name).read_text(encoding="utf-8"))


def write_records(directory: Path, name: str, records: Any) -> None:
    (directory / name).write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit(directory: Path, name: str, change: Callable[[Any], None]) -> None:
    records = read_records(directory, name)
    change(records)
    write_records(directory, name, records)


def record(records: list[dict[str, Any]], record_id: str) -> dict[str, Any]:
    return next(item for item in records if item.get("id") == record_id)


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIRECTORY, target)
    return target


def test_an_untouched_copy_loads(copy_dir: Path) -> None:
    """Control for the defects below: the copy itself (even rewritten) is valid."""
    edit(copy_dir, "programs.yml", lambda records: None)
    edit(copy_dir, "barriers.yml", lambda records: None)
    edit(copy_dir, "centers.yml", lambda records: None)
    edit(copy_dir, "hotlines.yml", lambda records: None)
    copied = load_knowledge(copy_dir)
    assert sorted(copied.programs) == sorted(knowledge().programs)


def _duplicate_program(records: list[dict[str, Any]]) -> None:
    records.append(dict(record(records, "restart_fund"), name="재창업자금 사본"))


def _bad_url(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["source"] = ["www.bseconomy.com/news/view.php?idx=10481"]


def _bad_website(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["website"] = "sbc.or.kr"


def _bad_date(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["as_of"] = "2015-13-45"


def _ancient_date(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["as_of"] = "1899-01-01"


def _unknown_agency(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["agency_ids"] = ["kosmes", "no_such_agency"]


def _unverified_program_hotline(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["hotline"] = "1811-3655"


def _unlisted_program_hotline(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["hotline"] = "1577-0000"


def _unverified_number_in_summary(records: list[dict[str, Any]]) -> None:
    program = record(records, "kibo_restart_guarantee")
    program["summary"] += " 기보 대표번호 1544-1120으로 문의하세요."


def _unverified_number_in_benefit(records: list[dict[str, Any]]) -> None:
    record(records, "kodit_restart_guarantee")["benefits"].append("신보 ☎ 1588-6565 상담")


def _unknown_condition_field(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["conditions"][0]["field"] = "shoe_size"


def _unknown_remedy_barrier(records: list[dict[str, Any]]) -> None:
    record(records, "rechallenge_success_package")["conditions"][2]["remedy_barrier"] = "no_such_barrier"


def _bad_kind(records: list[dict[str, Any]]) -> None:
    record(records, "restart_fund")["kind"] = "loan"


def _unverified_number_in_remedy(records: list[dict[str, Any]]) -> None:
    record(records, "tax_arrears")["remedies"][0]["detail"] += " 문의: 051-316-4050"


def _unverified_barrier_hotline(records: list[dict[str, Any]]) -> None:
    record(records, "policy_loan_restriction")["hotlines"].append("1544-1120")


def _barrier_affects_unknown_program(records: list[dict[str, Any]]) -> None:
    record(records, "tax_arrears")["affects_programs"].append("no_such_program")


def _center_in_unknown_region(records: list[dict[str, Any]]) -> None:
    record(records, "ccei_busan")["region"] = "tokyo"


def _duplicate_center(records: list[dict[str, Any]]) -> None:
    records.append(dict(record(records, "ccei_busan"), name="부산 두 번째"))


def _verified_phone_without_source(records: list[dict[str, Any]]) -> None:
    record(records, "ccei_busan")["phones"] = [{"number": "051-000-0000", "verified": True}]


@pytest.mark.parametrize(
    "file_name, defect, message",
    [
        ("programs.yml", _duplicate_program, "duplicate program id 'restart_fund'"),
        ("programs.yml", _bad_url, "not an absolute http"),
        ("programs.yml", _bad_website, "not an absolute http"),
        ("programs.yml", _bad_date, "invalid date"),
        ("programs.yml", _ancient_date, "out of range"),
        ("programs.yml", _unknown_agency, "unknown agency no_such_agency"),
        ("programs.yml", _unverified_program_hotline, "hotline 1811-3655 is not verified"),
        ("programs.yml", _unlisted_program_hotline, "hotline 1577-0000 is not verified"),
        ("programs.yml", _unverified_number_in_summary, "unverified number 1544-1120"),
        ("programs.yml", _unverified_number_in_benefit, "unverified number 1588-6565"),
        ("programs.yml", _unknown_condition_field, "unknown profile field 'shoe_size'"),
        ("programs.yml", _unknown_remedy_barrier, "unknown barrier no_such_barrier"),
        ("programs.yml", _bad_kind, "kind"),
        ("barriers.yml", _unverified_number_in_remedy, "unverified number 051-316-4050"),
        ("barriers.yml", _unverified_barrier_hotline, "hotline 1544-1120 is not verified"),
        ("barriers.yml", _barrier_affects_unknown_program, "unknown program no_such_program"),
        ("centers.yml", _center_in_unknown_region, "unknown region tokyo"),
        ("centers.yml", _duplicate_center, "duplicate center id 'ccei_busan'"),
        ("centers.yml", _verified_phone_without_source, "needs a source"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
def test_loader_rejects_a_defect(copy_dir: Path, file_name: str, defect: Callable[[Any], None], message: str) -> None:
    edit(copy_dir, file_name, defect)
    with pytest.raises(KnowledgeError, match=re.escape(message)):
        load_knowledge(copy_dir)


def test_loader_rejects_a_missing_file(copy_dir: Path) -> None:
    (copy_dir / "hotlines.yml").unlink()
    with pytest.raises(KnowledgeError, match="missing knowledge file"):
        load_knowledge(copy_dir)


def test_loader_rejects_a_verified_hotline_without_source(copy_dir: Path) -> None:
    edit(
        copy_dir,
        "hotlines.yml",
        lambda records: records.append({"number": "1577-1234", "name": "x", "verified": True, "as_of": None}),
    )
    with pytest.raises(KnowledgeError, match="verified hotline 1577-1234 needs a source"):
        load_knowledge(copy_dir)


# --- defects found while writing these tests (expected to fail until fixed) -------------


def test_loader_rejects_an_outdated_number_in_a_summary(copy_dir: Path) -> None:
    def add(records: list[dict[str, Any]]) -> None:
        record(records, "tax_seizure_deferral")["summary"] += " 예전 번호 ☎ 1588-5302에 문의하세요."

    edit(copy_dir, "programs.yml", add)
    with pytest.raises(KnowledgeError):
        load_knowledge(copy_dir)


def test_loader_rejects_unverified_number_in_an_unverified_note(copy_dir: Path) -> None:
    def add(records: list[dict[str, Any]]) -> None:
        record(records, "jaegi_healing_camp")["unverified"] = ["예전 번호 051-316-4050이 지금도 쓰이는지 확인 필요"]

    edit(copy_dir, "programs.yml", add)
    with pytest.raises(KnowledgeError):
        load_knowledge(copy_dir)


def test_loader_rejects_a_duplicate_hotline_number(copy_dir: Path) -> None:
    edit(
        copy_dir,
        "hotlines.yml",
        lambda records: records.append(
            {"number": "1811-3655", "name": "중진공", "verified": True, "source": ["https://example.com/a"]}
        ),
    )
    with pytest.raises(KnowledgeError):
        load_knowledge(copy_dir)


def test_loader_rejects_a_center_phone_that_hotlines_call_unverified(copy_dir: Path) -> None:
    def add(records: list[dict[str, Any]]) -> None:
        record(records, "ccei_seoul")["phones"] = [
            {"number": "1811-3655", "verified": True, "source": "https://example.com/blog"}
        ]

    edit(copy_dir, "centers.yml", add)
    with pytest.raises(KnowledgeError):
        load_knowledge(copy_dir)


# --- 기준일: the date a source states, written in every record -------------------------


def test_loader_rejects_a_record_that_leaves_out_its_as_of(copy_dir: Path) -> None:
    # no silent default: a record must say its source's date, or null when the source states none
    edit(copy_dir, "programs.yml", lambda records: record(records, "kodit_restart_guarantee").pop("as_of"))
    with pytest.raises(KnowledgeError, match="as_of"):
        load_knowledge(copy_dir)


def test_loader_rejects_a_verified_barrier_without_a_source(copy_dir: Path) -> None:
    edit(copy_dir, "barriers.yml", lambda records: record(records, "bankruptcy").update(source=[]))
    with pytest.raises(KnowledgeError, match="verified record bankruptcy needs a source"):
        load_knowledge(copy_dir)


def test_loader_rejects_a_date_that_no_source_states(copy_dir: Path) -> None:
    edit(
        copy_dir, "barriers.yml", lambda records: record(records, "social_insurance_arrears").update(as_of="2026-11-28")
    )
    with pytest.raises(KnowledgeError, match="기준일 but no source"):
        load_knowledge(copy_dir)


def test_loader_rejects_a_shown_address_without_its_date(copy_dir: Path) -> None:
    def undate(records: list[dict[str, Any]]) -> None:
        address = next(a for c in records for a in c.get("addresses", []) if a["verified"] and not a.get("past"))
        address["as_of"] = None

    edit(copy_dir, "centers.yml", undate)
    with pytest.raises(KnowledgeError, match="needs the date of its source"):
        load_knowledge(copy_dir)
