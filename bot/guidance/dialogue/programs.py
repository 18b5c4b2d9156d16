"""Program answers: recommendations, '왜요?', the overview, one program, and linked supports."""

from __future__ import annotations

from bot.guidance import answers, findings, supports
from bot.guidance.answers import Answer, Button
from bot.guidance.dialogue.centers import find_center
from bot.guidance.dialogue.context import (
    asks_about_another_place,
    faq_followup,
    first_step_asked,
    followup_answer,
    profile_of,
)
from bot.guidance.dialogue.notices import asks_for_open_calls, open_calls, open_calls_after_results
from bot.guidance.dialogue.turn import Reply, Turn, answer, remember, response, text
from bot.guidance.eligibility import EVALUATION_PROGRAM, evaluate, recommend
from bot.knowledge.loader import knowledge
from bot.knowledge.models import Program

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


def about_program(program_id: str) -> Reply:
    return remember(last_program=program_id, last_topic="program")


def finder_intro(turn: Turn) -> Reply:
    """Starts the finder; a question about one named program is answered first, on what is known."""
    # "지금 신청할 수 있는 거 있어요?": the open calls on what is known, then the finder's questions
    if asks_for_open_calls(turn) and not turn.first("program"):
        return open_calls(turn) + response("utter_finder_intro_after_program")
    program = knowledge().programs.get(turn.first("program") or "")
    if program is None or program.kind == "linked_support":
        return response("utter_finder_intro")
    result = evaluate(program, profile_of(turn), turn.today)
    return (
        answer(turn, answers.program_verdict(result, knowledge()))
        + response("utter_finder_intro_after_program")
        + about_program(program.id)
    )


def recommendations(turn: Turn) -> Reply:
    profile = profile_of(turn)
    results = recommend(knowledge(), profile, turn.today)
    top = results[0].program.id if results else None
    said = answer(turn, findings.recommendations(results, profile, knowledge(), turn.today))
    return said + open_calls_after_results(turn) + remember(last_program=top, last_topic="recommendations")


def explain_why(turn: Turn) -> Reply:
    """'왜요?': why a program fits or not; after the recommendations, 'what first?' gets one step."""
    first = first_step_asked(turn)
    if first is not None:
        return answer(turn, first)
    program = knowledge().programs.get(turn.first("program") or turn.slot("last_program") or "")
    if program is None:
        return text(
            "어떤 지원에 대한 이유가 궁금하신가요? 먼저 상황에 맞는 지원을 찾아 드릴게요.",
            [Button("나에게 맞는 지원 찾기", "/check_eligibility")],
        )
    return answer(turn, answers.explain(evaluate(program, profile_of(turn), turn.today)))


def list_programs(turn: Turn) -> Reply:
    """The overview of programs, unless the message follows up on the previous answer."""
    # "나주는요?" right after the centers of another region: that region's centers
    if asks_about_another_place(turn):
        return find_center(turn)
    if asks_for_open_calls(turn):
        return open_calls(turn)
    followup = first_step_asked(turn) or followup_answer(turn, pointer_needed=True)
    if followup is not None:
        return answer(turn, followup)
    return answer(turn, answers.program_overview(knowledge())) + remember(last_topic="programs")


def program_info(turn: Turn) -> Reply:
    """One program's card, a direct answer about it, or a follow-up on the one just shown."""
    base = knowledge()
    # "포항은요?" right after the centers of 성남 reads like "신청 마감은요?" to the model
    if asks_about_another_place(turn):
        return find_center(turn)
    program_id = turn.first("program")
    if program_id is None and turn.first("evaluation"):
        # "성실경영평가가 뭐에요?" names the evaluation (an entity of its own, for the finder's
        # question): its card, not the list of every program.
        program_id = EVALUATION_PROGRAM
    followup = (faq_followup(turn) or followup_answer(turn)) if program_id is None else None
    if followup is not None:
        return answer(turn, followup)
    if program_id is None or program_id not in base.programs:
        return answer(turn, answers.program_overview(base))
    # "새출발기금 신청하면 추심 멈춰요?": a question that is not about eligibility
    faq = supports.find_faq(base, turn.text, turn.values("program"))
    if faq is not None:
        return answer(turn, supports.faq_answer(faq, base)) + about_program(program_id)
    return answer(turn, program_card(base.programs[program_id], turn)) + about_program(program_id)


def program_card(program: Program, turn: Turn) -> Answer:
    """A program's card; a support a closing owner is owed is judged on what they said."""
    if program.kind == "income_support":
        return supports.support_card(evaluate(program, profile_of(turn), turn.today), knowledge(), turn.today)
    return answers.program_detail(program, knowledge(), turn.today)


def closure_income(turn: Turn) -> Reply:
    """ "폐업하면 실업급여 받을 수 있나요?", "노란우산 깨야 하나요?": money a closing owner is owed."""
    named = turn.values("program")
    # "해지하면 세금 나와요?" right after the 노란우산 card is about it
    if not named and turn.topic == "program" and turn.slot("last_program"):
        named = [str(turn.slot("last_program"))]
    said, program_id = supports.support_answer(turn.text, named, profile_of(turn), knowledge(), turn.today)
    if program_id is None:
        return answer(turn, said) + remember(last_topic="closure_income")
    return answer(turn, said) + about_program(program_id)


def linked_support(turn: Turn) -> Reply:
    """Export, prototyping, education and the other supports beside a restart."""
    base = knowledge()
    wanted = LINKED_SUPPORT_BY_INTENT.get(turn.intent, [])
    programs = [base.programs[program] for program in wanted if program in base.programs]
    if not programs:
        programs = [program for program in base.programs.values() if program.kind == "linked_support"]
    return answer(turn, answers.linked_support(programs, base, turn.today)) + remember(last_topic=turn.intent)
