"""Program answers (bot/guidance/dialogue/programs.py): the finder's start, results, '왜요?', one program."""

from __future__ import annotations

from bot.guidance.dialogue import programs
from bot.knowledge.loader import knowledge
from tests.unit.conversation import entity, payloads, said, turn

PROGRAM = "restart_fund"
UMBRELLA = "yellow_umbrella_payout"
EVALUATION = "sincere_management_evaluation"
AFTER_CARD = {"last_topic": "program", "last_program": PROGRAM}
AFTER_RESULTS = {"last_topic": "recommendations", "last_program": PROGRAM}
TOLD_EVERYTHING = {
    "closed": True,
    "years_since_closure": 1.0,
    "business_type": "sole_proprietor",
    "credit_state": "normal",
    "tax_arrears": False,
    "insurance_arrears": False,
    "goal": "restart",
    "region": "busan",
}


def program(value: str) -> dict:
    return entity("program", value)


def name(program_id: str) -> str:
    return knowledge().programs[program_id].name


def card_button(program_id: str) -> str:
    return f'/ask_program_info{{"program": "{program_id}"}}'


def test_finder_intro_without_a_program_starts_the_finder() -> None:
    reply = programs.finder_intro(turn("지원 찾아주세요", "check_eligibility"))
    assert reply.messages == ({"response": "utter_finder_intro"},)
    assert not reply.slots


def test_finder_intro_with_a_program_answers_for_it_first() -> None:
    reply = programs.finder_intro(turn("재창업자금 받을 수 있어요?", "check_eligibility", entities=[program(PROGRAM)]))
    verdict, intro = reply.messages
    assert verdict["text"].startswith(f"{name(PROGRAM)}을 말씀해 주신 내용으로 살펴봤어요.")
    assert "출처:" in verdict["text"]
    assert intro == {"response": "utter_finder_intro_after_program"}
    assert dict(reply.slots) == {"last_program": PROGRAM, "last_topic": "program"}


def test_finder_intro_with_a_linked_support_starts_the_finder_plainly() -> None:
    reply = programs.finder_intro(
        turn("수출 지원 받을 수 있어요?", "check_eligibility", entities=[program("export_support_center")])
    )
    assert reply.messages == ({"response": "utter_finder_intro"},)


def test_recommendations_remember_the_top_program() -> None:
    reply = programs.recommendations(turn(slots=TOLD_EVERYTHING))
    assert said(reply).startswith("말씀해 주신 상황(")
    first = payloads(reply)[0]
    assert reply.slots["last_topic"] == "recommendations"
    assert first == card_button(reply.slots["last_program"])
    assert f"1. {name(reply.slots['last_program'])}" in said(reply)


def test_why_with_no_program_offers_the_finder() -> None:
    reply = programs.explain_why(turn("왜요?", "ask_why"))
    assert "어떤 지원에 대한 이유가 궁금하신가요?" in said(reply)
    assert payloads(reply) == ["/check_eligibility"]


def test_why_about_the_program_just_shown_explains_it() -> None:
    reply = programs.explain_why(turn("왜요?", "ask_why", slots={**AFTER_RESULTS, "closed": True}))
    assert said(reply).startswith(f"{name(PROGRAM)}을 이렇게 본 이유예요.")
    assert "출처:" in said(reply)


def test_why_about_a_named_program_explains_it() -> None:
    reply = programs.explain_why(turn("재창업자금은 왜 안 돼요?", "ask_why", entities=[program(PROGRAM)]))
    assert said(reply).startswith(f"{name(PROGRAM)}을 이렇게 본 이유예요.")


def test_what_first_after_the_recommendations_gets_one_first_step() -> None:
    reply = programs.explain_why(turn("그중에 제일 먼저 할 건 뭐예요?", "ask_why", slots=AFTER_RESULTS))
    assert said(reply).startswith("먼저 ") and "부터 알아보시길 권해요." in said(reply)
    assert payloads(reply)[-1] == "/ask_center"


def test_the_overview_lists_programs_and_sets_the_topic() -> None:
    reply = programs.list_programs(turn("재창업 지원 뭐 있어요?", "ask_restart_programs"))
    assert said(reply).startswith("폐업 후 다시 시작하실 때 받을 수 있는 대표적인 지원이에요.")
    assert f"· {name(PROGRAM)}:" in said(reply)
    assert payloads(reply)[0] == "/check_eligibility" and card_button(PROGRAM) in payloads(reply)
    assert dict(reply.slots) == {"last_topic": "programs"}


def test_another_place_after_centers_gets_its_centers_not_the_overview() -> None:
    reply = programs.list_programs(
        turn(
            "나주는요?",
            "ask_restart_programs",
            entities=[entity("region", "bitgaram", "나주", 0, 2)],
            slots={"last_topic": "centers:", "region": "busan"},
        )
    )
    assert said(reply).startswith(f"{knowledge().regions['bitgaram'].label} 지역에서 도움받으실 수 있는 곳이에요.")
    assert reply.slots["last_topic"] == "centers:"


def test_the_overview_intent_pointing_at_the_program_shown_answers_for_it() -> None:
    reply = programs.list_programs(turn("그거 어디서 신청해요?", "ask_restart_programs", slots=AFTER_CARD))
    assert said(reply).startswith(f"{name(PROGRAM)} 신청 방법이에요.")
    assert "last_topic" not in reply.slots


def test_program_info_for_the_evaluation_gives_its_card() -> None:
    reply = programs.program_info(
        turn("성실경영평가가 뭐에요?", "ask_program_info", entities=[entity("evaluation", "sincere_evaluation")])
    )
    assert said(reply).startswith(f"[{name(EVALUATION)}]")
    assert dict(reply.slots) == {"last_program": EVALUATION, "last_topic": "program"}


def test_program_info_for_an_unknown_program_gives_the_overview() -> None:
    reply = programs.program_info(turn("그 지원 뭐예요?", "ask_program_info", entities=[program("no_such_program")]))
    assert said(reply).startswith("폐업 후 다시 시작하실 때 받을 수 있는 대표적인 지원이에요.")
    assert not reply.slots


def test_program_info_a_question_with_a_direct_answer_gets_it() -> None:
    faq = knowledge().faqs["yellow_umbrella_tax"]
    reply = programs.program_info(
        turn("노란우산 해지하면 세금 나와요?", "ask_program_info", entities=[program(UMBRELLA)])
    )
    assert said(reply).startswith(faq.answer)
    assert "출처:" in said(reply)
    assert payloads(reply) == [card_button(UMBRELLA)]
    assert dict(reply.slots) == {"last_program": UMBRELLA, "last_topic": "program"}


def test_program_info_a_short_question_after_a_support_card_gets_its_direct_answer() -> None:
    faq = knowledge().faqs["yellow_umbrella_seizure"]
    reply = programs.program_info(
        turn("그거 압류도 되나요?", "ask_program_info", slots={"last_topic": "program", "last_program": UMBRELLA})
    )
    assert said(reply).startswith(faq.answer)


def test_program_info_a_follow_up_after_a_card_is_about_that_program() -> None:
    reply = programs.program_info(turn("신청 마감은요?", "ask_program_info", slots=AFTER_CARD))
    assert said(reply).startswith(f"{name(PROGRAM)}의 신청 마감일은")
    assert not reply.slots


def test_program_info_gives_a_programs_card() -> None:
    reply = programs.program_info(turn("재창업자금 알려주세요", "ask_program_info", entities=[program(PROGRAM)]))
    details = knowledge().programs[PROGRAM]
    assert said(reply).startswith(f"[{details.name}]")
    assert f"· 대상: {details.target}" in said(reply)
    assert "출처:" in said(reply)
    assert payloads(reply) == ["/check_eligibility"]
    assert dict(reply.slots) == {"last_program": PROGRAM, "last_topic": "program"}


def test_program_info_judges_a_support_a_closing_owner_is_owed() -> None:
    reply = programs.program_info(turn("노란우산 알려주세요", "ask_program_info", entities=[program(UMBRELLA)]))
    assert said(reply).startswith(f"[{name(UMBRELLA)}]")
    assert "· 확인할 점:" in said(reply)  # what decides it, asked of the founder


def test_program_info_another_place_after_centers_gets_its_centers() -> None:
    reply = programs.program_info(
        turn(
            "포항은요?",
            "ask_program_info",
            entities=[entity("region", "pohang", "포항", 0, 2)],
            slots={"last_topic": "centers:", "region": "gyeonggi"},
        )
    )
    assert said(reply).startswith(f"{knowledge().regions['pohang'].label} 지역에서")


def test_closure_income_without_a_program_lists_the_money_a_closing_owner_may_get() -> None:
    reply = programs.closure_income(turn("폐업하면 받을 수 있는 돈 있어요?", "ask_closure_income"))
    assert said(reply).startswith("폐업하실 때 챙기실 수 있는 돈이에요.")
    assert card_button(UMBRELLA) in payloads(reply)
    assert dict(reply.slots) == {"last_topic": "closure_income"}


def test_closure_income_for_a_named_support_gives_its_card() -> None:
    benefit = "self_employed_job_seeking_benefit"
    reply = programs.closure_income(turn("실업급여 받을 수 있나요?", "ask_closure_income", entities=[program(benefit)]))
    assert said(reply).startswith(f"[{name(benefit)}]")
    assert dict(reply.slots) == {"last_program": benefit, "last_topic": "program"}


def test_closure_income_after_a_support_card_is_about_that_support() -> None:
    faq = knowledge().faqs["yellow_umbrella_tax"]
    reply = programs.closure_income(
        turn("해지하면 세금 나와요?", "ask_closure_income", slots={"last_topic": "program", "last_program": UMBRELLA})
    )
    assert said(reply).startswith(faq.answer)
    assert dict(reply.slots) == {"last_program": UMBRELLA, "last_topic": "program"}


def test_linked_support_by_intent_gives_that_support() -> None:
    reply = programs.linked_support(turn("수출 지원 받고 싶어요", "ask_export_support"))
    assert said(reply).startswith(f"[{name('export_support_center')}]")
    assert dict(reply.slots) == {"last_topic": "ask_export_support"}


def test_linked_support_of_two_programs_lists_both() -> None:
    reply = programs.linked_support(turn("기술 보호 받고 싶어요", "ask_tech_protection"))
    assert f"· {name('sw_escrow')}:" in said(reply) and f"· {name('tech_leak_mediation')}:" in said(reply)


def test_linked_support_of_another_intent_lists_every_linked_support() -> None:
    # no rule sends another intent today: this is the fallback when an intent's supports are missing
    reply = programs.linked_support(turn("다른 지원도 있어요?", "ask_linked_support"))
    linked = [item for item in knowledge().programs.values() if item.kind == "linked_support"]
    assert len(linked) > 2
    assert all(f"· {item.name}:" in said(reply) for item in linked)
    assert "출처:" in said(reply)
