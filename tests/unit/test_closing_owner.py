"""What a closing owner needs most (issue 16): debt relief, money owed, income while restarting.

The facts are read from the founder's words, judged by the engine with dates as rules, ranked in
an adviser's order, and answered directly when the question is not about eligibility.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from bot.guidance import answers, findings, supports
from bot.guidance.eligibility import Verdict, evaluate, recommend
from bot.guidance.profile import FounderProfile
from bot.guidance.script import call_script
from bot.guidance.situation import extract_situation
from bot.knowledge.loader import KnowledgeBase, knowledge
from bot.knowledge.models import Relation
from bot.language.gazetteer import gazetteer

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return knowledge()


def facts(text: str) -> dict[str, Any]:
    return extract_situation(text, gazetteer(), TODAY)


def judged(base: KnowledgeBase, program_id: str, today: datetime.date = TODAY, **slots: Any) -> Any:
    return evaluate(base.programs[program_id], FounderProfile.from_slots(slots), today)


# --- reading the founder's words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("대출 연체 89일째예요", 89),
        ("연체 90일 넘었어요", 90),
        ("석 달째 연체 중이에요", 90),
        ("대출이 두 달 밀렸어요", 60),
    ],
)
def test_days_overdue_are_read_and_mean_delinquent(text: str, days: int) -> None:
    found = facts(text)
    assert found["days_overdue"] == days
    assert found["credit_state"] == "delinquent"


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("자영업자 고용보험 2년 가입했어요", 2.0),
        ("고용보험은 1년 반 냈어요", 1.5),
        ("고용보험 8개월 냈어요", 0.67),
        ("고용보험 가입한 지 1년이 안 됐어요", 0.9),
        ("고용보험은 안 들었어요", 0.0),
    ],
)
def test_years_of_self_employed_insurance(text: str, years: float) -> None:
    assert facts(text)["employment_insured_years"] == pytest.approx(years)


def test_insurance_years_are_not_insurance_arrears() -> None:
    assert "insurance_arrears" not in facts("자영업자 고용보험 2년 가입했어요")


@pytest.mark.parametrize(
    ("text", "involuntary"),
    [
        ("적자가 6개월 넘게 나서 폐업했어요", True),
        ("매출이 반토막 나서 가게 접었어요", True),
        ("건강이 안 좋아져서 문을 닫았어요", True),
        ("다른 일 하려고 자진 폐업했어요", False),
        ("권리금 받고 가게를 넘겼어요", False),
    ],
)
def test_why_the_business_closed(text: str, involuntary: bool) -> None:
    assert facts(text)["involuntary_closure"] is involuntary


@pytest.mark.parametrize(
    ("text", "member"),
    [("노란우산 5년째 넣고 있어요", True), ("노란우산공제 가입해 있어요", True), ("노란우산은 안 들었어요", False)],
)
def test_yellow_umbrella_membership(text: str, member: bool) -> None:
    assert facts(text)["yellow_umbrella"] is member


def test_a_question_about_the_yellow_umbrella_states_no_membership() -> None:
    assert "yellow_umbrella" not in facts("노란우산 깨야 하나요?")
    # the clause before the question states a fact: under a year
    assert facts("고용보험 1년 안 됐는데 실업급여 되나요?")["employment_insured_years"] == pytest.approx(0.9)
    assert "employment_insured_years" not in facts("고용보험 몇 년 내야 실업급여 나와요?")


def test_business_start_age_and_low_income() -> None:
    found = facts("2021년 3월에 개업했고 작년에 폐업했어요. 만 58세, 기초생활수급자예요")
    assert (found["opened_from"], found["opened_to"]) == ("2021-03-01", "2021-03-31")
    assert found["closed"] is True and found["age"] == 58 and found["low_income"] is True
    assert "opened_from" not in facts("재창업하고 싶어요")  # a restart wished for is not a start


# --- the engine: dates and figures as rules ------------------------------------------------


def test_saechulbal_window_on_both_sides(base: KnowledgeBase) -> None:
    common = {"credit_state": "delinquent", "closed": True, "closure_from": "2026-05-01", "closure_to": "2026-05-31"}
    june = judged(base, "saechulbal_fund", opened_from="2025-06-01", opened_to="2025-06-30", **common)
    july = judged(base, "saechulbal_fund", opened_from="2025-07-01", opened_to="2025-07-31", **common)
    assert june.verdict is not Verdict.not_eligible and july.verdict is Verdict.not_eligible
    assert any("2025년 7월 이후" in reason for reason in july.unmet)
    before = {"credit_state": "delinquent", "closed": True, "opened_from": "2015-01-01", "opened_to": "2015-01-31"}
    march = judged(base, "saechulbal_fund", closure_from="2020-03-01", closure_to="2020-03-31", **before)
    april = judged(base, "saechulbal_fund", closure_from="2020-04-01", closure_to="2020-04-30", **before)
    assert march.verdict is Verdict.not_eligible and april.verdict is not Verdict.not_eligible


def test_89_and_90_days_overdue_both_apply_but_get_different_help(base: KnowledgeBase) -> None:
    slots = {
        "credit_state": "delinquent",
        "business_type": "small_merchant",
        "opened_from": "2019-01-01",
        "opened_to": "2019-01-31",
    }
    short = judged(base, "saechulbal_fund", days_overdue=89, **slots)
    long = judged(base, "saechulbal_fund", days_overdue=90, **slots)
    assert short.verdict is long.verdict is Verdict.eligible
    assert any("원금 감면은 없고" in b for b in short.benefits)
    assert any("원금 감면(순부채의 60~80%)" in b for b in long.benefits)
    unknown = judged(base, "saechulbal_fund", **slots)
    assert unknown.verdict is Verdict.eligible  # how long overdue decides the help, not the right to apply
    assert any(m.field == "days_overdue" and m.optional for m in unknown.missing)


def test_the_saechulbal_deadline_closes_it(base: KnowledgeBase) -> None:
    slots = {"credit_state": "delinquent"}
    assert judged(base, "saechulbal_fund", **slots).availability.text.endswith("(28일 남았어요).")
    after = judged(base, "saechulbal_fund", today=datetime.date(2027, 1, 1), **slots)
    assert after.verdict is Verdict.not_eligible
    assert "1600-5500" in after.unmet[0]  # what to check instead


@pytest.mark.parametrize(
    ("slots", "verdict"),
    [
        ({"employment_insured_years": 1.0, "involuntary_closure": True}, Verdict.eligible),
        ({"employment_insured_years": 0.9, "involuntary_closure": True}, Verdict.not_eligible),
        ({"employment_insured_years": 3.0, "involuntary_closure": False}, Verdict.not_eligible),
        ({"employment_insured_years": 3.0}, Verdict.possible),
    ],
)
def test_job_seeking_benefit_needs_a_year_insured_and_an_involuntary_closure(
    base: KnowledgeBase, slots: dict[str, Any], verdict: Verdict
) -> None:
    closed = {"closed": True, "closure_from": "2026-06-01", "closure_to": "2026-06-30"}
    assert judged(base, "self_employed_job_seeking_benefit", **closed, **slots).verdict is verdict


def test_job_seeking_benefit_within_a_year_of_closing(base: KnowledgeBase) -> None:
    slots = {"closed": True, "employment_insured_years": 2.0, "involuntary_closure": True}
    eleven = judged(
        base, "self_employed_job_seeking_benefit", closure_from="2026-01-01", closure_to="2026-01-05", **slots
    )
    thirteen = judged(
        base, "self_employed_job_seeking_benefit", closure_from="2025-10-01", closure_to="2025-10-31", **slots
    )
    assert eleven.verdict is Verdict.eligible and thirteen.verdict is Verdict.not_eligible


def test_employment_support_age_limit(base: KnowledgeBase) -> None:
    assert judged(base, "national_employment_support", closed=True, age=69).verdict is not Verdict.not_eligible
    assert judged(base, "national_employment_support", closed=True, age=70).verdict is Verdict.not_eligible


def test_restart_fund_of_semas(base: KnowledgeBase) -> None:
    six = {
        "restarted": True,
        "restart_from": "2020-12-01",
        "restart_to": "2020-12-31",
        "tax_arrears": False,
        "credit_state": "normal",
    }
    assert judged(base, "semas_restart_fund", **six).verdict is Verdict.eligible
    eight = {**six, "restart_from": "2018-11-01", "restart_to": "2018-11-30"}
    assert judged(base, "semas_restart_fund", **eight).verdict is Verdict.not_eligible
    assert judged(base, "semas_restart_fund", **{**six, "tax_arrears": True}).verdict is Verdict.not_eligible
    assert judged(base, "semas_restart_fund", closing_soon=True, closed=False).verdict is Verdict.not_eligible


# --- the adviser's order -------------------------------------------------------------------


def test_urgent_then_owed_then_debt_relief_then_restart(base: KnowledgeBase) -> None:
    profile = FounderProfile.from_slots(
        {
            "closed": True,
            "closure_from": "2026-08-01",
            "closure_to": "2026-08-31",
            "opened_from": "2019-03-01",
            "opened_to": "2019-03-31",
            "business_type": "small_merchant",
            "credit_state": "delinquent",
            "days_overdue": 120,
            "yellow_umbrella": True,
            "employment_insured_years": 2.0,
            "involuntary_closure": True,
            "goal": "restart",
            "tax_arrears": False,
        }
    )
    ranked = [r.program.id for r in recommend(base, profile, TODAY) if r.verdict is not Verdict.not_eligible]
    assert ranked[0] == "saechulbal_fund"  # 28 days left
    assert set(ranked[1:3]) == {"yellow_umbrella_payout", "self_employed_job_seeking_benefit"}  # owed
    restart = ranked.index("rechallenge_success_package") if "rechallenge_success_package" in ranked else len(ranked)
    assert ranked.index("ccrs_restart_support") < restart  # debt relief before new loans and restart programs


def test_an_unconfirmed_payout_is_asked_not_ranked_first(base: KnowledgeBase) -> None:
    profile = FounderProfile.from_slots({"closed": True, "closure_year": 2026, "business_type": "small_merchant"})
    results = recommend(base, profile, TODAY)
    text = findings.recommendations(results, profile, base, TODAY).text
    assert "폐업하시면 받을 수 있는 돈도 확인해 보세요" in text and "노란우산공제에 가입해 계신가요?" in text


def test_combinations_and_exclusions_are_said_with_their_caution(base: KnowledgeBase) -> None:
    script = call_script(
        "부산 식당 올해 6월 폐업, 적자 때문, 고용보험 2년, 만 55세, 대출 연체 100일", base, gazetteer(), TODAY
    )
    together = " ".join(script.together)
    assert "원금 감면율이 최대 10%p" in together  # 국취 + 새출발기금, sourced
    assert "구직촉진수당을 함께 받을 수 없다고 알려져 있지만" in together and "확인해 주세요" in together
    assert "■ 함께·따로 받는 지원" in script.text()


def test_a_relation_no_source_states_must_say_so() -> None:
    with pytest.raises(ValueError):
        Relation(
            kind="excludes",
            programs=["a", "b"],
            text="같이 못 받아요.",
            as_of=None,
            checked_on=TODAY,
            grade=None,
            verified=False,
        )
    with pytest.raises(ValueError):
        Relation(
            kind="combines", programs=["a", "b"], text="확인", as_of=None, checked_on=TODAY, grade="H", verified=True
        )


# --- direct answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named", "faq_id"),
    [
        ("노란우산 해지하면 세금 나와요?", ["yellow_umbrella_payout"], "yellow_umbrella_tax"),
        ("노란우산 깨야 하나요", ["yellow_umbrella_payout"], "yellow_umbrella_keep"),
        ("빚 때문에 노란우산 공제금도 압류되나요?", ["yellow_umbrella_payout"], "yellow_umbrella_seizure"),
        ("새출발기금 신청하면 추심 멈춰요?", ["saechulbal_fund"], "saechulbal_collection"),
        ("실업급여 받으면서 국취 수당도 같이 받을 수 있어요?", [], "employment_support_with_benefit"),
    ],
)
def test_questions_that_are_not_about_eligibility_get_their_answer(
    base: KnowledgeBase, text: str, named: list[str], faq_id: str
) -> None:
    answer, _ = supports.support_answer(text, named, FounderProfile(), base, TODAY)
    faq = base.faqs[faq_id]
    assert answer.text.startswith(faq.answer)
    assert "출처:" in answer.text and "☎" in answer.text


def test_can_i_get_unemployment_benefit_names_the_support_its_condition_and_contact(base: KnowledgeBase) -> None:
    answer, program_id = supports.support_answer("폐업하면 실업급여 받을 수 있나요?", [], FounderProfile(), base, TODAY)
    assert program_id == "self_employed_job_seeking_benefit"
    assert "자영업자 구직급여" in answer.text and "1년 이상" in answer.text and "☎ 1350" in answer.text


def test_money_at_closure_lists_every_support_with_its_condition(base: KnowledgeBase) -> None:
    answer, program_id = supports.support_answer("폐업하면 돈 나오는 거 있어요?", [], FounderProfile(), base, TODAY)
    assert program_id is None
    for name in ("자영업자 구직급여", "노란우산공제 폐업 공제금", "국민취업지원제도", "희망리턴패키지"):
        assert name in answer.text
    assert "해지하지 마세요" in answer.text


def test_unverified_contacts_are_never_shown(base: KnowledgeBase) -> None:
    texts = [supports.faq_answer(faq, base).text for faq in base.faqs.values()]
    texts += [answers.program_detail(base.programs[p], base, TODAY).text for p in supports.CLOSURE_MONEY]
    texts.append(answers.program_detail(base.programs["saechulbal_fund"], base, TODAY).text)
    for number in ("1660-1378", "1666-9988", "1588-0075"):
        assert not any(number in text for text in texts)


def test_the_freshness_report_lists_what_rests_on_weak_sources(base: KnowledgeBase) -> None:
    from bot.knowledge.freshness import freshness, table

    report = freshness(base, TODAY)
    weak = {(r.kind, r.id): r.grade for r in report.weakly_sourced}
    assert weak[("program", "national_employment_support")] == "L"
    assert weak[("relation", "national_employment_support+self_employed_job_seeking_benefit")] == "-"
    assert ("program", "sunshine_loan_special") not in weak  # two dated reports agree: H
    assert "Graded records resting on M or L sources only" in table(report)
