"""Program answers: recommendations, '왜요?', the overview and one program's details."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base, first_entity, latest_entities, latest_text, profile_of, say
from bot.guidance import answers, supports
from bot.guidance.answers import Answer
from bot.guidance.eligibility import EVALUATION_PROGRAM, evaluate, recommend
from bot.guidance.followups import barrier_deadlines, followup_aspect, points_back, program_followup
from bot.guidance.scope import asks_first_step
from bot.knowledge.models import Program
from bot.language.dates import today

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


def followup_answer(tracker: Tracker, pointer_needed: bool = False) -> Answer | None:
    """A short follow-up ("신청 마감은요?", "그거 어디서 신청해요?") about what was just discussed.

    After a program card or recommendations it is about that program; "마감" after a barrier
    answer is about its remedies' deadlines. None when the message names something else.
    """
    if first_entity(tracker, "program"):
        return None
    text = latest_text(tracker)
    aspect = followup_aspect(text)
    pointed = points_back(text)
    if pointer_needed and not pointed:
        return None
    knowledge = base()
    topic = tracker.get_slot("last_topic")
    program = knowledge.programs.get(tracker.get_slot("last_program") or "")
    if topic in ("program", "recommendations") and program is not None and (aspect or pointed):
        return program_followup(program, aspect, knowledge)
    barrier = knowledge.barriers.get(topic or "")
    if barrier is not None and aspect == "deadline":
        return barrier_deadlines(barrier)
    return None


SHORT_FOLLOW_UP = 30  # characters: "그거 압류도 되나요?", "해지하면 세금 나와요?"


def faq_followup(tracker: Tracker) -> Answer | None:
    """A short question right after a support's card that one of its direct answers covers
    ("그거 압류도 되나요?" after the 노란우산 card), whatever intent the model gave it."""
    text = latest_text(tracker)
    program_id = tracker.get_slot("last_program")
    if tracker.get_slot("last_topic") != "program" or not program_id or len(text) > SHORT_FOLLOW_UP:
        return None
    if any(p != program_id for p in latest_entities(tracker, "program")):
        return None  # it names another program
    faq = supports.find_faq(base(), text, [str(program_id)])
    return supports.faq_answer(faq, base()) if faq is not None else None


class ActionFinderIntro(Action):
    """Starts the finder; a question about one named program is answered first, on what is known."""

    def name(self) -> str:
        return "action_finder_intro"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        program = base().programs.get(first_entity(tracker, "program") or "")
        if program is None or program.kind == "linked_support":
            dispatcher.utter_message(response="utter_finder_intro")
            return []
        result = evaluate(program, profile_of(tracker), today())
        say(dispatcher, answers.program_verdict(result, base()), tracker)
        dispatcher.utter_message(response="utter_finder_intro_after_program")
        return [SlotSet("last_program", program.id), SlotSet("last_topic", "program")]


class ActionShowRecommendations(Action):
    def name(self) -> str:
        return "action_show_recommendations"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        profile = profile_of(tracker)
        results = recommend(base(), profile, today())
        say(dispatcher, answers.recommendations(results, profile, base(), today()), tracker)
        top = results[0].program.id if results else None
        return [SlotSet("last_program", top), SlotSet("last_topic", "recommendations")]


WHY = re.compile(r"왜|어째서|이유|까닭|근거|why", re.IGNORECASE)


def first_step_asked(tracker: Tracker) -> Answer | None:
    """'그중에 제일 먼저 할 건 뭐예요?' right after the recommendations: one first step, whichever
    intent the model gave it (ask_help, ask_why, the program overview)."""
    text = latest_text(tracker)
    if tracker.get_slot("last_topic") != "recommendations" or not asks_first_step(text) or WHY.search(text):
        return None
    profile = profile_of(tracker)
    return answers.first_step(recommend(base(), profile, today()), profile, base(), today())


class ActionExplainWhy(Action):
    def name(self) -> str:
        return "action_explain_why"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        first = first_step_asked(tracker)
        if first is not None:
            say(dispatcher, first, tracker)
            return []
        program_id = first_entity(tracker, "program") or tracker.get_slot("last_program")
        program = base().programs.get(program_id or "")
        if program is None:
            dispatcher.utter_message(
                text="어떤 지원에 대한 이유가 궁금하신가요? 먼저 상황에 맞는 지원을 찾아 드릴게요.",
                buttons=[{"title": "나에게 맞는 지원 찾기", "payload": "/check_eligibility"}],
            )
            return []
        say(dispatcher, answers.explain(evaluate(program, profile_of(tracker), today())), tracker)
        return []


class ActionListPrograms(Action):
    def name(self) -> str:
        return "action_list_programs"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        from actions.centers import ActionFindCenter, asks_about_another_place  # centers imports this module

        # "나주는요?" right after the centers of another region: that region's centers (QA)
        if asks_about_another_place(tracker):
            return await ActionFindCenter().run(dispatcher, tracker, domain)
        first = first_step_asked(tracker)
        followup = first or followup_answer(tracker, pointer_needed=True)
        if followup is not None:
            say(dispatcher, followup, tracker)
            return []
        say(dispatcher, answers.program_overview(base()), tracker)
        return [SlotSet("last_topic", "programs")]


class ActionProgramInfo(Action):
    def name(self) -> str:
        return "action_program_info"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        from actions.centers import ActionFindCenter, asks_about_another_place  # centers imports this module

        # "포항은요?" right after the centers of 성남 reads like "신청 마감은요?" to the model
        if asks_about_another_place(tracker):
            return await ActionFindCenter().run(dispatcher, tracker, domain)
        program_id: str | None = first_entity(tracker, "program")
        if program_id is None and first_entity(tracker, "evaluation"):
            # "성실경영평가가 뭐에요?" names the evaluation (an entity of its own, for the
            # finder's question): its card, not the list of every program (QA).
            program_id = EVALUATION_PROGRAM
        followup = (faq_followup(tracker) or followup_answer(tracker)) if program_id is None else None
        if followup is not None:
            say(dispatcher, followup, tracker)
            return []
        if program_id is None or program_id not in base().programs:
            say(dispatcher, answers.program_overview(base()), tracker)
            return []
        # "새출발기금 신청하면 추심 멈춰요?": a question that is not about eligibility
        faq = supports.find_faq(base(), latest_text(tracker), latest_entities(tracker, "program"))
        if faq is not None:
            say(dispatcher, supports.faq_answer(faq, base()), tracker)
            return [SlotSet("last_program", program_id), SlotSet("last_topic", "program")]
        say(dispatcher, program_card(base().programs[program_id], tracker), tracker)
        return [SlotSet("last_program", program_id), SlotSet("last_topic", "program")]


def program_card(program: Program, tracker: Tracker) -> Answer:
    """A program's card; a support a closing owner is owed is judged on what they said."""
    if program.kind == "income_support":
        return supports.support_card(evaluate(program, profile_of(tracker), today()), base(), today())
    return answers.program_detail(program, base(), today())


class ActionClosureIncome(Action):
    """ "폐업하면 실업급여 받을 수 있나요?", "노란우산 깨야 하나요?": money a closing owner is owed."""

    def name(self) -> str:
        return "action_closure_income"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        named = latest_entities(tracker, "program")
        # "해지하면 세금 나와요?" right after the 노란우산 card is about it
        if not named and tracker.get_slot("last_topic") == "program" and tracker.get_slot("last_program"):
            named = [str(tracker.get_slot("last_program"))]
        answer, program_id = supports.support_answer(latest_text(tracker), named, profile_of(tracker), base(), today())
        say(dispatcher, answer, tracker)
        if program_id is None:
            return [SlotSet("last_topic", "closure_income")]
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
        say(dispatcher, answers.linked_support(programs, base(), today()), tracker)
        return [SlotSet("last_topic", intent)]
