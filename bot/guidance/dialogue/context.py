"""What a short message refers to, from what Dasi said just before it.

"신청 마감은요?", "그거 어디서 신청해요?", "나주는요?" name nothing themselves: they are about the
program, the barrier or the centers of the previous answer. Every topic's rules ask here first.
"""

from __future__ import annotations

from bot.guidance import answers, supports
from bot.guidance.answers import Answer
from bot.guidance.dialogue.turn import Turn
from bot.guidance.eligibility import recommend
from bot.guidance.followups import barrier_deadlines, followup_aspect, points_back, program_followup
from bot.guidance.profile import PROFILE_SLOTS, FounderProfile
from bot.guidance.scope import asks_first_step
from bot.knowledge.loader import knowledge
from bot.language.cues import asks_why

CENTERS_TOPIC = "centers"  # last_topic after a center answer: "centers:<need>"
ANOTHER_PLACE = 12  # characters: "나주는요?", "포항 쪽은요?"
SHORT_FOLLOW_UP = 30  # characters: "그거 압류도 되나요?", "해지하면 세금 나와요?"


def profile_of(turn: Turn) -> FounderProfile:
    return FounderProfile.from_slots({name: turn.slot(name) for name in PROFILE_SLOTS})


def asks_about_another_place(turn: Turn) -> bool:
    """A short message naming only a region, right after a center answer ("나주는요?")."""
    return (
        turn.topic.startswith(CENTERS_TOPIC)
        and bool(turn.values("region"))
        and not turn.values("program")
        and len(turn.text) <= ANOTHER_PLACE
    )


def followup_answer(turn: Turn, pointer_needed: bool = False) -> Answer | None:
    """A short follow-up ("신청 마감은요?", "그거 어디서 신청해요?") about what was just discussed.

    After a program card or recommendations it is about that program; "마감" after a barrier
    answer is about its remedies' deadlines. None when the message names something else.
    """
    if turn.first("program"):
        return None
    aspect = followup_aspect(turn.text)
    pointed = points_back(turn.text)
    if pointer_needed and not pointed:
        return None
    base = knowledge()
    program = base.programs.get(turn.slot("last_program") or "")
    if turn.topic in ("program", "recommendations") and program is not None and (aspect or pointed):
        return program_followup(program, aspect, base)
    barrier = base.barriers.get(turn.topic)
    if barrier is not None and aspect == "deadline":
        return barrier_deadlines(barrier)
    return None


def faq_followup(turn: Turn) -> Answer | None:
    """A short question right after a support's card that one of its direct answers covers
    ("그거 압류도 되나요?" after the 노란우산 card), whatever intent the model gave it."""
    program_id = turn.slot("last_program")
    if turn.topic != "program" or not program_id or len(turn.text) > SHORT_FOLLOW_UP:
        return None
    if any(named != program_id for named in turn.values("program")):
        return None  # it names another program
    faq = supports.find_faq(knowledge(), turn.text, [str(program_id)])
    return supports.faq_answer(faq, knowledge()) if faq is not None else None


def first_step_asked(turn: Turn) -> Answer | None:
    """'그중에 제일 먼저 할 건 뭐예요?' right after the recommendations: one first step, whichever
    intent the model gave it (ask_help, ask_why, the program overview)."""
    if turn.topic != "recommendations" or not asks_first_step(turn.text) or asks_why(turn.text):
        return None
    profile = profile_of(turn)
    return answers.first_step(recommend(knowledge(), profile, turn.today), profile, knowledge(), turn.today)
