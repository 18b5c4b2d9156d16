"""The eligibility engine over the real programs, and the answers built from its results."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from bot.guidance import answers, findings
from bot.guidance.eligibility import ORDER, ProgramResult, Verdict, barriers_of, evaluate, next_questions, recommend
from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import KnowledgeBase, knowledge
from bot.knowledge.models import CreditState

TODAY = datetime.date(2026, 12, 3)

HANGUL = re.compile(r"[가-힣]")


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return knowledge()


def profile(**slots: Any) -> FounderProfile:
    return FounderProfile.from_slots(slots)


def verdict(base: KnowledgeBase, program_id: str, **slots: Any) -> ProgramResult:
    return evaluate(base.programs[program_id], profile(**slots), TODAY)


PROFILES: list[dict[str, Any]] = [
    {},
    {"closed": True, "years_since_closure": 1.0, "credit_state": "normal"},
    {"closed": True, "credit_state": "delinquent", "tax_arrears": True},
    {"closed": False, "closing_soon": True, "business_type": "small_merchant"},
    {"closed": True, "business_type": "corporation", "guarantor_default": "kodit", "goal": "restart"},
    {"closed": True, "restarted": True, "years_since_restart": 5, "total_debt": 5_000_000_000},
    {"closed": False},
]


# --- verdicts on real programs ----------------------------------------------------------


def test_closed_a_year_ago_without_credit_trouble_can_apply_to_the_success_package(base: KnowledgeBase) -> None:
    result = verdict(base, "rechallenge_success_package", closed=True, years_since_closure=1.0, credit_state="normal")
    assert result.verdict is not Verdict.not_eligible
    assert result.unmet == [] and result.caveats == []
    assert "폐업 경험이 있으셔서 대상이 됩니다." in result.met


def test_a_delinquent_founder_is_possible_with_a_credit_caveat(base: KnowledgeBase) -> None:
    result = verdict(
        base, "rechallenge_success_package", closed=True, credit_state="delinquent", sincere_evaluation_passed=False
    )
    assert result.verdict is Verdict.possible
    assert [caveat.barrier_id for caveat in result.caveats if caveat.barrier_id] == ["credit_delinquency"]
    assert "credit_delinquency" in base.barriers
    assert any("채무조정" in caveat.text for caveat in result.caveats)


def test_under_debt_adjustment_is_not_a_credit_obstacle_for_the_package(base: KnowledgeBase) -> None:
    result = verdict(base, "rechallenge_success_package", closed=True, credit_state="under_adjustment")
    assert [caveat.barrier_id for caveat in result.caveats] == []


@pytest.mark.parametrize(
    "program_id, slots, expected",
    [
        ("rechallenge_success_package", {"closed": False}, Verdict.not_eligible),
        # 2026 공고: restarted within 7 years (it was 3 in 2024)
        (
            "rechallenge_success_package",
            {"closed": True, "restarted": True, "years_since_restart": 5, "credit_state": "normal"},
            Verdict.eligible,
        ),
        (
            "rechallenge_success_package",
            {"closed": True, "restarted": True, "years_since_restart": 7.5},
            Verdict.not_eligible,
        ),
        (
            "sincere_management_evaluation",
            {"closed": True, "restarted": True, "years_since_restart": 5},
            Verdict.eligible,
        ),
        (
            "sincere_management_evaluation",
            {"closed": True, "restarted": True, "years_since_restart": 8},
            Verdict.not_eligible,
        ),
        # the 30억 debt limit is a 2013/2016 figure: it no longer decides anything
        (
            "ccrs_restart_support",
            {"closed": True, "total_debt": 5_000_000_000, "credit_state": "delinquent"},
            Verdict.eligible,
        ),
        ("ccrs_restart_support", {"credit_state": "normal"}, Verdict.not_eligible),
        ("kibo_restart_guarantee", {"guarantor_default": "kibo"}, Verdict.eligible),
        ("kibo_restart_guarantee", {"guarantor_default": "kodit"}, Verdict.not_eligible),
        # the extractor says "koreg" for 지역신용보증재단 (it once said local_foundation here)
        ("koreg_rechallenge_guarantee", {"guarantor_default": "koreg"}, Verdict.eligible),
        (
            "tax_seizure_deferral",
            {"tax_arrears": True, "tax_arrears_amount": 20_000_000, "sincere_evaluation_passed": True},
            Verdict.eligible,
        ),
        ("tax_seizure_deferral", {"tax_arrears": True, "credit_state": "under_adjustment"}, Verdict.eligible),
        ("tax_seizure_deferral", {"tax_arrears": True, "sincere_evaluation_passed": False}, Verdict.possible),
        ("tax_seizure_deferral", {"tax_arrears": False}, Verdict.not_eligible),
        ("tax_collection_special_case", {"closed": True, "business_type": "corporation"}, Verdict.not_eligible),
        (
            "tax_collection_special_case",
            {"closed": True, "business_type": "sole_proprietor", "tax_arrears": True, "tax_arrears_amount": 81_000_000},
            Verdict.not_eligible,
        ),
        # 2026 rules: closure by 2025-12-31 (a 2024 closure qualifies now), a restart from 2020 on
        (
            "tax_collection_special_case",
            {
                "closed": True,
                "closure_year": 2024,
                "business_type": "sole_proprietor",
                "tax_arrears": True,
                "tax_arrears_amount": 80_000_000,
                "average_revenue": 300_000_000,
                "restarted": True,
                "restart_from": "2026-03-01",
                "restart_to": "2026-03-31",
            },
            Verdict.eligible,
        ),
        (
            "tax_collection_special_case",
            {
                "closed": True,
                "closure_from": "2026-01-02",
                "closure_to": "2026-01-02",
                "business_type": "sole_proprietor",
            },
            Verdict.not_eligible,
        ),
        ("hope_return_package", {"closed": True, "business_type": "small_merchant"}, Verdict.possible),
        (
            "hope_return_package",
            {"closed": True, "closure_year": 2024, "business_type": "small_merchant"},
            Verdict.eligible,
        ),
        (
            "hope_return_package",
            {
                "closed": True,
                "closure_from": "2022-12-31",
                "closure_to": "2022-12-31",
                "business_type": "small_merchant",
            },
            Verdict.not_eligible,
        ),
        ("hope_return_package", {"closed": True, "business_type": "corporation"}, Verdict.possible),
        ("jaegi_healing_camp", {"closed": True}, Verdict.eligible),
    ],
)
def test_verdicts_follow_the_researched_conditions(
    base: KnowledgeBase, program_id: str, slots: dict[str, Any], expected: Verdict
) -> None:
    assert verdict(base, program_id, **slots).verdict is expected


def test_unknown_facts_become_questions_in_korean(base: KnowledgeBase) -> None:
    result = verdict(base, "rechallenge_success_package")
    assert result.verdict is Verdict.possible
    fields = [missing.field for missing in result.missing]
    assert fields[0] == "closed"
    assert "credit_state" in fields
    assert len(fields) == len(set(fields))
    for missing in result.missing:
        assert HANGUL.search(missing.question) and missing.question.rstrip().endswith(("?", ")"))


def test_a_condition_that_does_not_apply_asks_nothing(base: KnowledgeBase) -> None:
    """years_since_restart only matters for someone who restarted."""
    not_restarted = verdict(base, "rechallenge_success_package", closed=True, restarted=False)
    restarted = verdict(base, "rechallenge_success_package", closed=True, restarted=True)
    assert "years_since_restart" not in [m.field for m in not_restarted.missing]
    assert "years_since_restart" in [m.field for m in restarted.missing]


def test_closed_false_with_years_since_closure_does_not_crash(base: KnowledgeBase) -> None:
    contradictory = profile(closed=False, years_since_closure=2.0)
    results = recommend(base, contradictory, TODAY)
    assert verdict(base, "rechallenge_success_package", closed=False, years_since_closure=2.0).verdict is (
        Verdict.not_eligible
    )
    text = findings.recommendations(results, contradictory, base).text
    assert "폐업 ·" not in text and "전 폐업" not in text
    assert "기준일" in text


# --- ranking and questions --------------------------------------------------------------


@pytest.mark.parametrize("slots", PROFILES)
def test_recommend_ranks_ruled_out_programs_last_and_fit_before_doubt(
    base: KnowledgeBase, slots: dict[str, Any]
) -> None:
    results = recommend(base, FounderProfile.from_slots(slots), TODAY)
    ruled_out = [result.verdict is Verdict.not_eligible for result in results]
    assert ruled_out == sorted(ruled_out)
    # the adviser's order: urgent, then remedies, then the goal …; within it, fit before doubt
    shown = [r for r in results if r.verdict is not Verdict.not_eligible]
    assert [r.tier for r in shown] == sorted(r.tier for r in shown)
    for tier in {result.tier for result in shown}:
        ranks = [ORDER[r.verdict] for r in shown if r.tier == tier]
        assert ranks == sorted(ranks)
    finder_kinds = ("restart_program", "remedy_program", "income_support")
    assert {result.program.kind for result in results} <= set(finder_kinds)
    assert len(results) == sum(1 for p in base.programs.values() if p.kind in finder_kinds)


def test_a_closed_founder_who_wants_to_restart_gets_eligible_restart_programs_first(base: KnowledgeBase) -> None:
    founder = profile(closed=True, years_since_closure=1.0, credit_state="normal", goal="restart")
    results = recommend(base, founder, TODAY)
    assert results[0].verdict is Verdict.eligible
    assert results[0].program.id in {
        "sincere_management_evaluation",
        "rechallenge_center",
        "jaegi_healing_camp",
        "rechallenge_success_package",
    }


def test_a_tax_arrears_founder_sees_the_tax_remedies_above_unrelated_possibles(base: KnowledgeBase) -> None:
    results = recommend(base, profile(closed=True, credit_state="normal", tax_arrears=True), TODAY)
    possible = [r.program.id for r in results if r.verdict is Verdict.possible]
    assert possible.index("tax_seizure_deferral") < possible.index("kibo_restart_guarantee")


def test_linked_supports_are_recommended_only_when_asked(base: KnowledgeBase) -> None:
    results = recommend(base, profile(closed=True), TODAY, kinds=["linked_support"])
    assert results and all(r.program.kind == "linked_support" for r in results)


def test_next_questions_ask_first_what_settles_most_programs(base: KnowledgeBase) -> None:
    questions = next_questions(recommend(base, profile(), TODAY))
    assert len(questions) == 3
    assert questions[0][0] == "closed"
    assert len({field for field, _ in questions}) == 3
    assert all(HANGUL.search(question) for _, question in questions)


def test_next_questions_never_repeat_what_is_known(base: KnowledgeBase) -> None:
    known = profile(closed=True, tax_arrears=False, sincere_evaluation_passed=False)
    fields = [field for field, _ in next_questions(recommend(base, known, TODAY), limit=10)]
    assert fields and not {"closed", "tax_arrears", "sincere_evaluation_passed"} & set(fields)


def test_next_questions_ignore_programs_already_ruled_out(base: KnowledgeBase) -> None:
    # Not closed: every closure program is not_eligible, so their questions are pointless.
    results = recommend(base, profile(closed=False), TODAY)
    asked = {field for field, _ in next_questions(results, limit=20)}
    only_from_ruled_out = {m.field for r in results if r.verdict is Verdict.not_eligible for m in r.missing} - {
        m.field for r in results if r.verdict is not Verdict.not_eligible for m in r.missing
    }
    assert only_from_ruled_out and not (asked & only_from_ruled_out)


def test_next_questions_is_empty_when_nothing_is_missing(base: KnowledgeBase) -> None:
    everything = profile(
        closed=True,
        closure_year=2021,
        restarted=False,
        business_type="sole_proprietor",
        credit_state="normal",
        tax_arrears=True,
        tax_arrears_amount=10_000_000,
        average_revenue=200_000_000,
        goal="restart",
        sincere_evaluation_passed=True,
        total_debt=100_000_000,
        guarantor_default="kibo",
        # what a closing owner is owed, and the start of the business (the 새출발기금 window)
        yellow_umbrella=False,
        employment_insured_years=0.0,
        involuntary_closure=True,
        age=52,
        low_income=False,
        opened_from=datetime.date(2015, 3, 1),
        opened_to=datetime.date(2015, 3, 31),
    )
    assert next_questions(recommend(base, everything, TODAY)) == []


# --- barriers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slots, expected",
    [
        ({"credit_state": "delinquent"}, ["credit_delinquency"]),
        ({"credit_state": "under_adjustment"}, ["credit_delinquency"]),
        ({"credit_state": "bankrupt"}, ["bankruptcy"]),
        ({"credit_state": "normal"}, []),
        ({"tax_arrears": True}, ["tax_arrears"]),
        ({"tax_arrears": False}, []),
        ({"insurance_arrears": True}, ["social_insurance_arrears"]),
        ({"guarantor_default": "kodit"}, ["policy_loan_restriction"]),
        ({"goal": "restart", "closed": True}, ["restart_recognition"]),
        ({"goal": "restart", "closed": False}, []),
        (
            {"credit_state": "delinquent", "guarantor_default": "kibo", "tax_arrears": True, "insurance_arrears": True},
            ["credit_delinquency", "policy_loan_restriction", "tax_arrears", "social_insurance_arrears"],
        ),
    ],
)
def test_barriers_of_maps_facts_to_barriers(base: KnowledgeBase, slots: dict[str, Any], expected: list[str]) -> None:
    found = barriers_of(FounderProfile.from_slots(slots))
    assert found == expected
    assert all(barrier_id in base.barriers for barrier_id in found)


@pytest.mark.parametrize("state", list(CreditState))
def test_every_credit_state_maps_to_a_barrier_that_exists(base: KnowledgeBase, state: CreditState) -> None:
    assert all(barrier_id in base.barriers for barrier_id in barriers_of(profile(credit_state=state.value)))


# --- answers built from the results -----------------------------------------------------


def test_recommendations_name_the_programs_with_date_and_source(base: KnowledgeBase) -> None:
    founder = profile(closed=True, credit_state="delinquent", tax_arrears=True, region="busan")
    results = recommend(base, founder, TODAY)
    answer = findings.recommendations(results, founder, base)
    shown = [r for r in results if r.verdict is not Verdict.not_eligible][: answers.MAX_RECOMMENDATIONS]
    assert shown
    for result in shown:
        assert result.program.name in answer.text
    assert re.search(r"기준일 \d{4}-\d{2}-\d{2}", answer.text)
    assert "출처: " in answer.text
    assert "부산" in answer.text and "연체" in answer.text and "세금 체납" in answer.text
    assert "연체·신용 문제" in answer.text and "국세 체납" in answer.text  # the barriers to clear
    assert answer.sources[: len(shown)] == [r.program.source[0] for r in shown]


def test_recommendations_leave_out_programs_the_founder_cannot_use(base: KnowledgeBase) -> None:
    founder = profile(closed=False)
    results = recommend(base, founder, TODAY)
    text = findings.recommendations(results, founder, base).text
    for result in results:
        if result.verdict is Verdict.not_eligible:
            assert f"{result.program.name} —" not in text


def test_explain_lists_met_and_unmet_reasons(base: KnowledgeBase) -> None:
    not_closed = answers.explain(verdict(base, "rechallenge_success_package", closed=False)).text
    assert "✖ 폐업 이력이 있는 예비 재창업자나 재창업 7년 이내 기업이 대상입니다." in not_closed
    assert "지금은 어려워요" in not_closed

    delinquent = answers.explain(verdict(base, "rechallenge_success_package", closed=True, credit_state="delinquent"))
    assert "✔ 폐업 경험이 있으셔서 대상이 됩니다." in delinquent.text
    assert "△ 연체 중이거나 면책 전이시면" in delinquent.text
    # the evaluation is a bonus, not a missing condition: no question, no lower verdict
    assert "? 중진공 성실경영평가" not in delinquent.text
    assert "기준일 2026-02-11" in delinquent.text
    # the call's dates are part of the answer
    assert "2026년 공고는 2026-03-04에 마감됐어요" in delinquent.text


def test_a_bonus_not_had_is_a_tip_not_an_obstacle(base: KnowledgeBase) -> None:
    result = verdict(
        base,
        "rechallenge_success_package",
        closed=True,
        credit_state="normal",
        goal="restart",
        sincere_evaluation_passed=False,
    )
    assert result.verdict is Verdict.eligible and result.caveats == [] and result.tips


def test_explain_for_a_program_without_conditions_says_so(base: KnowledgeBase) -> None:
    text = answers.explain(verdict(base, "rechallenge_center")).text
    assert "따로 걸리는 조건이 없어요" in text


# --- defects found while writing these tests (expected to fail until fixed) -------------


def test_a_small_merchant_about_to_close_can_use_hope_return(base: KnowledgeBase) -> None:
    result = verdict(base, "hope_return_package", closed=False, closing_soon=True, business_type="small_merchant")
    assert result.verdict is not Verdict.not_eligible


def test_99_10_is_not_offered_for_a_closure_after_2022(base: KnowledgeBase) -> None:
    result = verdict(
        base,
        "tax_collection_special_case",
        closed=True,
        years_since_closure=1.0,  # closed around 2025-11
        business_type="sole_proprietor",
        tax_arrears=True,
        tax_arrears_amount=20_000_000,
    )
    assert result.verdict is not Verdict.eligible


def test_a_founder_in_rehabilitation_sees_the_rehabilitation_barrier(base: KnowledgeBase) -> None:
    found = barriers_of(profile(credit_state="rehabilitation"))
    assert "slow_rehabilitation" in found and "bankruptcy" not in found


def test_a_passed_evaluation_is_neither_recommended_again_nor_a_barrier() -> None:
    from bot.knowledge.models import Goal

    restarting = FounderProfile(closed=True, goal=Goal.restart, sincere_evaluation_passed=False)
    passed = FounderProfile(closed=True, goal=Goal.restart, sincere_evaluation_passed=True)
    assert "restart_recognition" in barriers_of(restarting)
    assert "restart_recognition" not in barriers_of(passed)  # QA: listed after "통과했어요"
    ids = [result.program.id for result in recommend(knowledge(), passed, TODAY)]
    assert "sincere_management_evaluation" not in ids and ids  # QA: it came first


def test_a_restart_program_still_shows_when_urgent_remedies_fill_the_first_three(base: KnowledgeBase) -> None:
    founder = profile(closed=True, closure_year=2025, business_type="sole_proprietor", tax_arrears=True, goal="restart")
    results = recommend(base, founder, TODAY)
    answer = findings.recommendations(results, founder, base).text
    firsts = [r.program.id for r in results if r.verdict is not Verdict.not_eligible][:3]
    assert all(base.programs[pid].kind == "remedy_program" for pid in firsts)
    assert "4. " in answer and ("재도전성공패키지" in answer or "성실경영평가" in answer)


def test_a_passed_deadline_closes_the_program_and_says_what_to_check_instead(base: KnowledgeBase) -> None:
    founder = profile(closed=True, tax_arrears=True, sincere_evaluation_passed=True, business_type="sole_proprietor")
    after = datetime.date(2027, 1, 1)
    result = evaluate(base.programs["tax_seizure_deferral"], founder, after)
    assert result.verdict is Verdict.not_eligible
    assert result.unmet[0].startswith("신청 기한 2026-12-31이 지났어요.") and "☎ 126" in result.unmet[0]
    shown = [r.program.id for r in recommend(base, founder, after) if r.verdict is not Verdict.not_eligible]
    assert "tax_seizure_deferral" not in shown
    card = answers.program_detail(base.programs["tax_seizure_deferral"], base, after).text
    assert "신청 기한 2026-12-31이 지났어요" in card


def test_the_tax_card_counts_down_then_says_the_deadline_passed(base: KnowledgeBase) -> None:
    barrier = base.barriers["tax_arrears"]
    before = answers.barrier_detail(barrier, base, TODAY).text
    assert "신청 기한 2026-12-31 (28일 남았어요)" in before
    after = answers.barrier_detail(barrier, base, datetime.date(2027, 1, 1)).text
    assert "2026-12-31이 지났어요" in after
    # the first thing to do is then a remedy still open
    assert answers.barrier_one_liner(barrier, datetime.date(2027, 1, 1)) == "국세 체납: 영세개인사업자 체납액 징수특례"
    assert answers.barrier_one_liner(barrier, TODAY) == "국세 체납: 재기중소기업인 체납처분 유예"


def test_a_yearly_call_between_calls_says_when_it_closed_and_where_the_next_appears(base: KnowledgeBase) -> None:
    result = evaluate(
        base.programs["rechallenge_success_package"], profile(closed=True, goal="restart", credit_state="normal"), TODAY
    )
    assert result.verdict is Verdict.eligible
    assert "2026-03-04에 마감됐어요" in result.availability.text and "K-Startup" in result.availability.text
    during = evaluate(base.programs["rechallenge_success_package"], profile(closed=True), datetime.date(2026, 2, 20))
    assert during.availability.text.startswith("지금 2026년 공고 신청을 받고 있어요.")


@pytest.mark.parametrize(
    "closure, expected",
    [
        (("2025-07-11", "2025-07-11"), "최대 600만 원"),
        (("2025-07-10", "2025-07-10"), "최대 400만 원"),
        (("2023-01-01", "2023-01-01"), "최대 400만 원"),
    ],
)
def test_the_demolition_amount_follows_the_founders_closure_date(
    base: KnowledgeBase, closure: tuple[str, str], expected: str
) -> None:
    founder = profile(closed=True, closure_from=closure[0], closure_to=closure[1], business_type="small_merchant")
    result = evaluate(base.programs["hope_return_package"], founder, TODAY)
    assert result.verdict is Verdict.eligible and len(result.benefits) == 1 and expected in result.benefits[0]


def test_a_closure_that_straddles_a_limit_makes_dasi_ask(base: KnowledgeBase) -> None:
    founder = profile(closed=True, closure_from="2022-12-01", closure_to="2023-01-31", business_type="small_merchant")
    result = evaluate(base.programs["hope_return_package"], founder, TODAY)
    assert result.verdict is Verdict.possible
    assert any("2023년 1월 1일 이후" in missing.question for missing in result.missing)
