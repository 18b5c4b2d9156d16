"""Barrier answers: the rule, its remedies, who handles them and what they affect."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base, first_entity, latest_text, names, say
from actions.programs import faq_followup
from bot.guidance import answers, supports
from bot.guidance.answers import Answer, Button
from bot.guidance.eligibility import BARRIER_BY_CREDIT
from bot.guidance.followups import barrier_again, several_barriers
from bot.guidance.profile import extract_situation
from bot.guidance.scope import is_question
from bot.knowledge.models import CreditState
from bot.language.dates import today

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


def barrier_of_message(intent: str, tracker: Tracker) -> str | None:
    """The barrier a barrier intent asks about, or the narrower one of its family the message names."""
    barrier_id = BARRIER_BY_INTENT.get(intent)
    if barrier_id is None:
        return None
    for entity in tracker.latest_message.get("entities", []):
        narrower = NARROWER.get(barrier_id, {}).get((str(entity.get("entity")), str(entity.get("value"))))
        if narrower:
            return narrower
    return barrier_id


# The barriers of one family: a message that names two of them names one problem.
CREDIT_FAMILY = {"credit_delinquency", "bankruptcy", "slow_rehabilitation", "policy_loan_restriction"}
FACT_BARRIERS = {"tax_arrears": "tax_arrears", "insurance_arrears": "social_insurance_arrears"}


def barriers_named(intent: str, tracker: Tracker) -> list[str]:
    """Every barrier a message names, the one its intent asks about first.

    "연대보증도 있고 세금도 밀렸는데 어떻게 해요?" names the joint guarantee (the intent and an
    entity) and tax arrears (a fact the situation reader finds): both are answered.
    """
    found = [barrier_of_message(intent, tracker) or first_entity(tracker, "barrier") or ""]
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "barrier":
            found.append(str(entity.get("value")))
    facts = extract_situation(latest_text(tracker), names(), today())
    found += [barrier for fact, barrier in FACT_BARRIERS.items() if facts.get(fact) is True]
    try:
        credit = BARRIER_BY_CREDIT.get(CreditState(facts.get("credit_state")))
    except ValueError:
        credit = None
    if credit:
        found.append(credit)
    known = [b for b in dict.fromkeys(found) if b in base().barriers]
    # one barrier per family: the narrower card already covers its family
    result: list[str] = []
    for barrier in known:
        if barrier in CREDIT_FAMILY and any(other in CREDIT_FAMILY for other in result):
            continue
        result.append(barrier)
    return result


def barrier_answer(barrier_ids: list[str]) -> Answer:
    """One barrier in full, or several briefly (each with a button for its full answer)."""
    knowledge = base()
    if len(barrier_ids) == 1:
        return answers.barrier_detail(knowledge.barriers[barrier_ids[0]], knowledge, today())
    payloads = {barrier: f"/{intent}" for intent, barrier in BARRIER_BY_INTENT.items()}
    payloads["slow_rehabilitation"] = '/ask_bankruptcy{"barrier": "slow_rehabilitation"}'
    return several_barriers([knowledge.barriers[b] for b in barrier_ids], knowledge, payloads)


class ActionExplainBarrier(Action):
    def name(self) -> str:
        return "action_explain_barrier"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        barrier_ids = barriers_named(intent, tracker)
        if not barrier_ids:
            dispatcher.utter_message(response="utter_help")
            return []
        # "그거 압류도 되나요?" right after the 노란우산 card is about it, not tax seizure
        answer = faq_followup(tracker)
        if answer is not None:
            say(dispatcher, answer, tracker)
            return []
        previous = tracker.get_slot("last_topic")
        knowledge = base()
        # "분납 되나요?" right after the 4대보험 card names no barrier of its own: it is about
        # that card, whatever barrier intent it was given (QA: it got the 국세 card).
        text = latest_text(tracker)
        follow_up = is_question(text) and len(text) <= SHORT_FOLLOW_UP and intent != "ask_stigma_support"
        if (
            follow_up
            and previous in knowledge.barriers
            and previous not in barrier_ids
            and not _names_a_barrier(tracker)
        ):
            barrier_ids = [previous]
        if barrier_ids == ["stigma"] and previous != "stigma" and is_bare_feeling(text):
            say(dispatcher, feeling_reply(in_finder=bool(tracker.active_loop_name)), tracker)
            return []
        if barrier_ids == [previous] == ["stigma"]:
            say(dispatcher, barrier_again(knowledge.barriers[previous], knowledge), tracker)
            return []
        # "체납액 징수특례 조건이 어떻게 돼요?": one remedy asked for by name gets its own card
        remedy = knowledge.programs.get(first_entity(tracker, "program") or "")
        # "새출발기금 신청하면 추심 멈춰요?": a direct answer, not the card
        faq = supports.find_faq(knowledge, text, [remedy.id]) if remedy is not None else None
        if faq is not None:
            say(dispatcher, supports.faq_answer(faq, knowledge), tracker)
            return [SlotSet("last_topic", "program"), SlotSet("last_program", faq.programs[0])]
        if remedy is not None and remedy.kind == "remedy_program":
            say(dispatcher, answers.program_detail(remedy, knowledge, today()), tracker)
            return [SlotSet("last_topic", "program"), SlotSet("last_program", remedy.id)]
        say(dispatcher, barrier_answer(barrier_ids), tracker)
        return [SlotSet("last_topic", barrier_ids[0])]


SHORT_FOLLOW_UP = 20  # characters: "분납 되나요?", "그럼 얼마나 나눠 내요?"
# "너무 힘드네요 솔직히", "자존감 바닥이에요": a feeling, told, not a request for programs. It
# gets a few kind words and a choice, not the whole card (QA: the card felt like a leaflet).
SEEKS_HELP = re.compile(
    r"상담|프로그램|도움|도와|지원|어디|알려|방법|치료|병원|센터|캠프|받을|받고|있나|있을까|추천|소개|연결|하고\s?싶|뭐"
)
BARE_FEELING = 20  # characters: a longer message tells a story, which the card answers


def is_bare_feeling(text: str) -> bool:
    return (
        bool(text)
        and not text.startswith("/")
        and len(text) <= BARE_FEELING
        and not (is_question(text) or SEEKS_HELP.search(text))
    )


# a depressed mood is a risk factor: the line is always named, in one gentle sentence
LISTENING_LINE = "마음이 너무 무거우실 땐 ☎ 109(24시간)에서도 이야기를 들어 드려요."


def feeling_reply(in_finder: bool) -> Answer:
    if in_finder:  # the finder's next question follows; no second question before it
        return Answer(f"많이 힘드시죠. 천천히 하셔도 괜찮아요. {LISTENING_LINE}")
    return Answer(
        "많이 힘드시죠. 그런 마음이 드는 게 당연해요. 여기서는 천천히 말씀하셔도 괜찮아요.\n"
        "마음을 돌보는 프로그램을 알려 드릴까요, 아니면 다시 시작할 방법부터 같이 찾아볼까요?\n"
        f"{LISTENING_LINE}",
        buttons=[
            Button("마음 돌보는 프로그램", '/ask_stigma_support{"barrier": "stigma"}'),
            Button("나에게 맞는 지원 찾기", "/check_eligibility"),
        ],
    )


FACT_ENTITIES = {"barrier", "tax", "insurance", "credit_state", "program", "agency"}


def _names_a_barrier(tracker: Tracker) -> bool:
    """True when the message itself names a barrier, a debt or a program (not only its intent)."""
    if any(entity.get("entity") in FACT_ENTITIES for entity in tracker.latest_message.get("entities", [])):
        return True
    facts = extract_situation(latest_text(tracker), names(), today())
    return any(fact in facts for fact in ("tax_arrears", "insurance_arrears", "credit_state"))
