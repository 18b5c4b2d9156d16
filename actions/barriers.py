"""Barrier answers: the rule, its remedies, who handles them and what they affect."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base, first_entity, say
from bot.guidance import answers

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


class ActionExplainBarrier(Action):
    def name(self) -> str:
        return "action_explain_barrier"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        barrier_id = barrier_of_message(intent, tracker) or first_entity(tracker, "barrier") or ""
        barrier = base().barriers.get(barrier_id)
        if barrier is None:
            dispatcher.utter_message(response="utter_help")
            return []
        say(dispatcher, answers.barrier_detail(barrier, base()), tracker)
        return [SlotSet("last_topic", barrier_id)]
