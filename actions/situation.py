"""The program finder (profile_form): reading the founder's situation and the form's questions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.shell import RuleAction, apply, turn_of
from bot.guidance.dialogue import finder
from bot.guidance.dialogue.turn import Reply, Turn


class ActionExtractSituation(RuleAction):
    """Runs on every message (the profile slots' custom mapping): sets every fact it states."""

    def name(self) -> str:
        return "action_extract_situation"

    def reply(self, turn: Turn) -> Reply:
        return finder.extract(turn)


class ActionSayWhatChanged(RuleAction):
    """Rasa's slot-mapping validation step, right after the extraction: says what changed."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    def reply(self, turn: Turn) -> Reply:
        return finder.what_changed(turn)


class ValidateProfileForm(FormValidationAction):
    """Asks only what is still unknown and refuses answers that cannot be right."""

    def name(self) -> str:
        return "validate_profile_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        validated = {str(event.get("name")): event.get("value") for event in events if event.get("event") == "slot"}
        return events + apply(finder.after_validation(turn_of(tracker), validated), dispatcher)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return finder.questions(turn_of(tracker))

    def validate_years_since_closure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _validated("years_since_closure", value, dispatcher)

    def validate_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return _validated("region", value, dispatcher)


def _validated(slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    reply = finder.validate(slot, value)
    apply(reply, dispatcher)
    return dict(reply.slots)


class ActionAskRegion(RuleAction):
    def name(self) -> str:
        return "action_ask_region"

    def reply(self, turn: Turn) -> Reply:
        return finder.ask_region(turn)


class ActionExplainQuestion(RuleAction):
    def name(self) -> str:
        return "action_explain_question"

    def reply(self, turn: Turn) -> Reply:
        return finder.explain_question(turn)


class ActionFormAside(RuleAction):
    """A message in the middle of the finder that is not an answer to its question."""

    reads_notices = True

    def name(self) -> str:
        return "action_form_aside"

    def reply(self, turn: Turn) -> Reply:
        return finder.aside(turn)
