"""Barrier answers (bot/guidance/dialogue/barriers.py): the barrier asked, a follow-up, a feeling told."""

from __future__ import annotations

from bot.guidance.dialogue import barriers
from bot.knowledge.loader import knowledge
from tests.unit.conversation import FINDER, entity, payloads, said, turn

UMBRELLA = "yellow_umbrella_payout"


def barrier_name(barrier_id: str) -> str:
    return knowledge().barriers[barrier_id].name


def test_no_barrier_named_gets_the_help_menu() -> None:
    reply = barriers.explain_barrier(turn("음 그냥요", "greet"))
    assert reply.messages == ({"response": "utter_help"},)


def test_a_short_question_after_a_support_card_gets_its_direct_answer() -> None:
    # "그거 압류도 되나요?" after the 노란우산 card: about it, not tax seizure
    reply = barriers.explain_barrier(
        turn("그거 압류도 되나요?", "ask_tax_arrears", slots={"last_topic": "program", "last_program": UMBRELLA})
    )
    assert said(reply).startswith(knowledge().faqs["yellow_umbrella_seizure"].answer)
    assert payloads(reply) == [f'/ask_program_info{{"program": "{UMBRELLA}"}}']


def test_a_short_follow_up_after_a_barrier_card_stays_on_that_barrier() -> None:
    reply = barriers.explain_barrier(
        turn("분납 되나요?", "ask_tax_arrears", slots={"last_topic": "social_insurance_arrears"})
    )
    assert said(reply).startswith(f"[{barrier_name('social_insurance_arrears')}]")
    assert reply.slots["last_topic"] == "social_insurance_arrears"


def test_the_same_follow_up_with_no_barrier_before_gets_the_intents_barrier() -> None:
    reply = barriers.explain_barrier(turn("분납 되나요?", "ask_tax_arrears"))
    assert said(reply).startswith(f"[{barrier_name('tax_arrears')}]")
    assert reply.slots["last_topic"] == "tax_arrears"


def test_a_bare_feeling_gets_kind_words_and_a_choice() -> None:
    reply = barriers.explain_barrier(turn("자존감 바닥이에요", "ask_stigma_support"))
    assert said(reply).startswith("많이 힘드시죠.")
    assert "☎ 109" in said(reply)
    assert payloads(reply) == ['/ask_stigma_support{"barrier": "stigma"}', "/check_eligibility"]
    assert not reply.slots  # the stigma card was not shown


def test_a_bare_feeling_in_the_finder_gets_kind_words_and_no_second_question() -> None:
    reply = barriers.explain_barrier(turn("자존감 바닥이에요", "ask_stigma_support", loop=FINDER))
    assert said(reply) == barriers.feeling_reply(in_finder=True).text
    assert "?" not in said(reply) and "☎ 109" in said(reply)
    assert payloads(reply) == []


def test_stigma_asked_first_gets_its_card() -> None:
    reply = barriers.explain_barrier(turn("마음이 힘들 때 도움받을 곳 있나요?", "ask_stigma_support"))
    assert f"[{barrier_name('stigma')}]" in said(reply)
    assert reply.slots["last_topic"] == "stigma"


def test_stigma_asked_again_gets_a_shorter_answer_not_the_same_card() -> None:
    reply = barriers.explain_barrier(
        turn("마음이 힘들 때 도움받을 곳 있나요?", "ask_stigma_support", slots={"last_topic": "stigma"})
    )
    assert f"[{barrier_name('stigma')}]" not in said(reply)
    assert "☎ 109" in said(reply)
    assert "/check_eligibility" in payloads(reply)


def test_a_remedy_named_gets_its_own_card() -> None:
    remedy = "tax_collection_special_case"
    reply = barriers.explain_barrier(
        turn("체납액 징수특례 조건이 어떻게 돼요?", "ask_tax_arrears", entities=[entity("program", remedy)])
    )
    assert said(reply).startswith(f"[{knowledge().programs[remedy].name}]")
    assert dict(reply.slots) == {"last_topic": "program", "last_program": remedy}


def test_a_remedy_question_with_a_direct_answer_gets_it() -> None:
    fund = "saechulbal_fund"
    reply = barriers.explain_barrier(
        turn("새출발기금 신청하면 추심 멈춰요?", "ask_credit_delinquency", entities=[entity("program", fund)])
    )
    assert said(reply).startswith(knowledge().faqs["saechulbal_collection"].answer)
    assert "출처:" in said(reply)
    assert dict(reply.slots) == {"last_topic": "program", "last_program": fund}


def test_several_barriers_are_answered_briefly_each_with_a_button() -> None:
    reply = barriers.explain_barrier(
        turn(
            "연대보증도 있고 세금도 밀렸는데 어떻게 해요?",
            "ask_joint_guarantee",
            entities=[entity("barrier", "joint_guarantee")],
        )
    )
    assert said(reply).startswith("말씀하신 2가지를 하나씩 짧게 정리해 드릴게요.")
    assert f"1. [{barrier_name('joint_guarantee')}]" in said(reply)
    assert f"2. [{barrier_name('tax_arrears')}]" in said(reply)
    assert payloads(reply)[:2] == ["/ask_joint_guarantee", "/ask_tax_arrears"]
    assert reply.slots["last_topic"] == "joint_guarantee"


def test_one_barrier_gets_its_full_card() -> None:
    reply = barriers.explain_barrier(turn("국세 체납이 있으면 어떻게 돼요?", "ask_tax_arrears"))
    assert said(reply).startswith(f"[{barrier_name('tax_arrears')}]")
    assert "해결 방법:" in said(reply)
    assert reply.slots["last_topic"] == "tax_arrears"


def test_barriers_named_finds_tax_arrears_beside_the_guarantee() -> None:
    message = "연대보증도 있고 세금도 밀렸는데 어떻게 해요?"
    assert barriers.barriers_named(turn(message, "ask_joint_guarantee")) == ["joint_guarantee", "tax_arrears"]


def test_barriers_named_gives_the_narrower_barrier_of_a_family() -> None:
    rehabilitation = turn(
        "개인회생 중인데 재창업자금 되나요?", "ask_bankruptcy", entities=[entity("credit_state", "rehabilitation")]
    )
    assert barriers.barriers_named(rehabilitation) == ["slow_rehabilitation"]


def test_barriers_named_gives_one_barrier_per_credit_family() -> None:
    assert barriers.barriers_named(turn("연체도 있고 파산도 고민이에요", "ask_bankruptcy")) == ["bankruptcy"]
