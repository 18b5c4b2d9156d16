"""Program answers: recommendations, '왜요?', the overview and one program's details."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base, first_entity, profile_of, say
from bot.guidance import answers
from bot.guidance.eligibility import evaluate, recommend

# Which linked support each intent asks about (program ids in data/knowledge/programs.yml).
LINKED_SUPPORT_BY_INTENT = {
    "ask_export_support": ["export_support_center"],
    "ask_prototyping": ["prototype_workshop"],
    "ask_startup_education": ["startup_academy"],
    "ask_accelerator": ["accelerator"],
    "ask_rnd_support": ["rnd_commercialisation"],
    "ask_tech_protection": ["sw_escrow", "tech_leak_mediation"],
    "ask_sales_channel": ["sales_channels"],
}


class ActionShowRecommendations(Action):
    def name(self) -> str:
        return "action_show_recommendations"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        profile = profile_of(tracker)
        results = recommend(base(), profile)
        say(dispatcher, answers.recommendations(results, profile, base()), tracker)
        top = results[0].program.id if results else None
        return [SlotSet("last_program", top), SlotSet("last_topic", "recommendations")]


class ActionExplainWhy(Action):
    def name(self) -> str:
        return "action_explain_why"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        program_id = first_entity(tracker, "program") or tracker.get_slot("last_program")
        program = base().programs.get(program_id or "")
        if program is None:
            dispatcher.utter_message(
                text="어떤 지원에 대한 이유가 궁금하신가요? 먼저 상황에 맞는 지원을 찾아 드릴게요.",
                buttons=[{"title": "나에게 맞는 지원 찾기", "payload": "/check_eligibility"}],
            )
            return []
        say(dispatcher, answers.explain(evaluate(program, profile_of(tracker))), tracker)
        return []


class ActionListPrograms(Action):
    def name(self) -> str:
        return "action_list_programs"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(dispatcher, answers.program_overview(base()), tracker)
        return [SlotSet("last_topic", "programs")]


class ActionProgramInfo(Action):
    def name(self) -> str:
        return "action_program_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        program_id: str | None = first_entity(tracker, "program")
        if program_id is None or program_id not in base().programs:
            say(dispatcher, answers.program_overview(base()), tracker)
            return []
        say(dispatcher, answers.program_detail(base().programs[program_id], base()), tracker)
        return [SlotSet("last_program", program_id), SlotSet("last_topic", "program")]


class ActionLinkedSupport(Action):
    def name(self) -> str:
        return "action_linked_support"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        wanted = LINKED_SUPPORT_BY_INTENT.get(intent, [])
        programs = [base().programs[p] for p in wanted if p in base().programs]
        if not programs:
            programs = [p for p in base().programs.values() if p.kind == "linked_support"]
        say(dispatcher, answers.linked_support(programs, base()), tracker)
        return [SlotSet("last_topic", intent)]
