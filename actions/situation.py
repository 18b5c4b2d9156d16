"""Filling the founder's profile from free Korean, buttons and yes/no answers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.barriers import BARRIER_BY_INTENT
from actions.common import base, latest_text, names, say
from bot.guidance import answers
from bot.guidance.profile import UNKNOWN, extract_situation
from bot.language.dates import today
from bot.language.gazetteer import Mention

BOOLEAN_SLOTS = ("closed", "tax_arrears", "insurance_arrears", "sincere_evaluation_passed")
ALWAYS_ASKED = ("closed", "business_type", "credit_state", "tax_arrears", "insurance_arrears", "goal", "region")


def _payload_mentions(tracker: Tracker) -> list[Mention]:
    """Entities a button payload carries (/inform{"business_type": "corporation"})."""
    return [
        Mention(str(entity["entity"]), str(entity["value"]), "", 0, 0)
        for entity in tracker.latest_message.get("entities", [])
        if entity.get("value") is not None and entity.get("extractor") in (None, "RegexMessageHandler")
    ]


def _answer_to_requested_slot(requested: str | None, intent: str | None) -> dict[str, Any]:
    """A bare 네 / 아니요 / 모르겠어요 answers the question that was asked."""
    if not requested:
        return {}
    if intent == "dont_know":
        return {requested: UNKNOWN}
    if requested in BOOLEAN_SLOTS and intent in ("affirm", "deny"):
        return {requested: intent == "affirm"}
    return {}


class ActionExtractSituation(Action):
    """Runs on every message (custom slot mapping): sets every profile fact it states."""

    def name(self) -> str:
        return "action_extract_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = latest_text(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        payload_mentions = _payload_mentions(tracker)
        requested = tracker.get_slot("requested_slot")
        # A bare date answering "폐업은 언제쯤 하셨어요?" is the closure date.
        expecting = "closure" if requested in ("closed", "years_since_closure") else None
        if text.startswith("/") or payload_mentions:
            facts = extract_situation("", names(), today(), mentions=payload_mentions)
        else:
            facts = extract_situation(text, names(), today(), expecting=expecting)
        facts.pop("closure_in_future", None)
        for slot, value in _answer_to_requested_slot(requested, intent).items():
            facts.setdefault(slot, value)
        if requested == "years_since_closure" and intent == "dont_know":
            facts["years_since_closure"] = UNKNOWN
        location = _location(tracker)
        if location:
            facts["location"] = location
        return [SlotSet(slot, value) for slot, value in facts.items() if tracker.get_slot(slot) != value]


def _location(tracker: Tracker) -> dict[str, float] | None:
    values = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])}
    try:
        return {"lat": float(values["latitude"]), "lon": float(values["longitude"])}
    except (KeyError, TypeError, ValueError):
        return None


class ValidateProfileForm(FormValidationAction):
    """Asks only what is still unknown and rejects answers that cannot be right."""

    def name(self) -> str:
        return "validate_profile_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        # "국세 체납이 있는데 재창업할 수 있나요?" while the finder asks something else: the
        # message answers a question of the form (so the form goes on, and no rule runs), but it
        # is also a question. Answer it first; the form then asks its next question.
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        barrier = base().barriers.get(BARRIER_BY_INTENT.get(intent, ""))
        filled = any(
            event.get("event") == "slot" and event.get("name") != "requested_slot" and event.get("value") is not None
            for event in events
        )
        if barrier is not None and filled:
            say(dispatcher, answers.barrier_detail(barrier, base()), tracker)
            events.append(SlotSet("last_topic", barrier.id))
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = list(ALWAYS_ASKED)
        if tracker.get_slot("closed") is True:
            slots.insert(1, "years_since_closure")
        if tracker.get_slot("goal") in ("restart", UNKNOWN, "undecided"):
            slots.append("sincere_evaluation_passed")
        return slots

    def validate_years_since_closure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == UNKNOWN:
            return {"years_since_closure": UNKNOWN}
        try:
            years = float(value)
        except (TypeError, ValueError):
            return {"years_since_closure": None}
        if years < 0:
            dispatcher.utter_message(text="그 날짜는 아직 오지 않았어요. 이미 폐업하신 날짜를 말씀해 주시겠어요?")
            return {"years_since_closure": None}
        if years > 60:
            dispatcher.utter_message(text='날짜를 다시 한번 확인해 주시겠어요? "2년 전"처럼 말씀하셔도 돼요.')
            return {"years_since_closure": None}
        return {"years_since_closure": years}

    def validate_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == UNKNOWN:
            return {"region": UNKNOWN}
        regions = base().regions
        candidates = [c for c in str(value).split("|") if c in regions]
        if len(candidates) == 1:
            return {"region": candidates[0]}
        if candidates:
            dispatcher.utter_message(
                text="같은 이름의 지역이 여러 곳 있어요. 어느 쪽이세요?",
                buttons=[{"title": regions[c].name, "payload": f'/inform{{"region": "{c}"}}'} for c in candidates],
            )
        return {"region": None}
