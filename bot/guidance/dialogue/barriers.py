"""Barrier answers: the rule, its remedies, who handles them; and a feeling told, not a request."""

from __future__ import annotations

from bot.guidance import answers, supports
from bot.guidance.answers import BARRIER_BY_INTENT, NARROWER, Answer, Button
from bot.guidance.dialogue.context import faq_followup
from bot.guidance.dialogue.turn import Reply, Turn, answer, remember, response
from bot.guidance.eligibility import BARRIER_BY_CREDIT
from bot.guidance.followups import barrier_again, several_barriers
from bot.guidance.situation import extract_situation
from bot.knowledge.loader import knowledge
from bot.knowledge.models import CreditState
from bot.language.cues import SEEKS_HELP, is_question

# The barriers of one family: a message that names two of them names one problem.
CREDIT_FAMILY = {"credit_delinquency", "bankruptcy", "slow_rehabilitation", "policy_loan_restriction"}
FACT_BARRIERS = {"tax_arrears": "tax_arrears", "insurance_arrears": "social_insurance_arrears"}
# Entities that name a barrier, a debt or a program in the message itself (not only its intent).
FACT_ENTITIES = {"barrier", "tax", "insurance", "credit_state", "program", "agency"}
SHORT_FOLLOW_UP = 20  # characters: "분납 되나요?", "그럼 얼마나 나눠 내요?"
BARE_FEELING = 20  # characters: a longer message tells a story, which the card answers
# A depressed mood is a risk factor: the line is always named, in one gentle sentence.
LISTENING_LINE = "마음이 너무 무거우실 땐 ☎ 109(24시간)에서도 이야기를 들어 드려요."


def barrier_of_message(turn: Turn) -> str | None:
    """The barrier a barrier intent asks about, or the narrower one of its family the message names."""
    barrier_id = BARRIER_BY_INTENT.get(turn.intent)
    if barrier_id is None:
        return None
    for entity in turn.entities:
        narrower = NARROWER.get(barrier_id, {}).get((entity.label, entity.value))
        if narrower:
            return narrower
    return barrier_id


def barriers_named(turn: Turn) -> list[str]:
    """Every barrier a message names, the one its intent asks about first.

    "연대보증도 있고 세금도 밀렸는데 어떻게 해요?" names the joint guarantee (the intent and an
    entity) and tax arrears (a fact the situation reader finds): both are answered.
    """
    found = [barrier_of_message(turn) or turn.first("barrier") or ""]
    found += turn.values("barrier")
    facts = extract_situation(turn.text, None, turn.today, mentions=turn.mentions)
    found += [barrier for fact, barrier in FACT_BARRIERS.items() if facts.get(fact) is True]
    try:
        credit = BARRIER_BY_CREDIT.get(CreditState(facts.get("credit_state")))
    except ValueError:
        credit = None
    if credit:
        found.append(credit)
    known = [barrier for barrier in dict.fromkeys(found) if barrier in knowledge().barriers]
    # one barrier per family: the narrower card already covers its family
    result: list[str] = []
    for barrier in known:
        if barrier in CREDIT_FAMILY and any(other in CREDIT_FAMILY for other in result):
            continue
        result.append(barrier)
    return result


def barrier_answer(barrier_ids: list[str], turn: Turn) -> Answer:
    """One barrier in full, or several briefly (each with a button for its full answer)."""
    base = knowledge()
    if len(barrier_ids) == 1:
        return answers.barrier_detail(base.barriers[barrier_ids[0]], base, turn.today)
    payloads = {barrier: f"/{intent}" for intent, barrier in BARRIER_BY_INTENT.items()}
    payloads["slow_rehabilitation"] = '/ask_bankruptcy{"barrier": "slow_rehabilitation"}'
    return several_barriers([base.barriers[barrier] for barrier in barrier_ids], base, payloads)


def explain_barrier(turn: Turn) -> Reply:
    """The barrier (or barriers) a message asks about, a remedy asked by name, or a follow-up."""
    barrier_ids = barriers_named(turn)
    if not barrier_ids:
        return response("utter_help")
    # "그거 압류도 되나요?" right after the 노란우산 card is about it, not tax seizure
    followup = faq_followup(turn)
    if followup is not None:
        return answer(turn, followup)
    previous = turn.topic
    base = knowledge()
    # "분납 되나요?" right after the 4대보험 card names no barrier of its own: it is about
    # that card, whatever barrier intent the model gave it.
    follow_up = is_question(turn.text) and len(turn.text) <= SHORT_FOLLOW_UP and turn.intent != "ask_stigma_support"
    if follow_up and previous in base.barriers and previous not in barrier_ids and not names_a_barrier(turn):
        barrier_ids = [previous]
    if barrier_ids == ["stigma"] and previous != "stigma" and is_bare_feeling(turn.text):
        return answer(turn, feeling_reply(in_finder=turn.in_finder))
    if barrier_ids == [previous] == ["stigma"]:
        return answer(turn, barrier_again(base.barriers[previous], base))
    # "체납액 징수특례 조건이 어떻게 돼요?": one remedy asked for by name gets its own card
    remedy = base.programs.get(turn.first("program") or "")
    # "새출발기금 신청하면 추심 멈춰요?": a direct answer, not the card
    faq = supports.find_faq(base, turn.text, [remedy.id]) if remedy is not None else None
    if faq is not None:
        return answer(turn, supports.faq_answer(faq, base)) + remember(
            last_topic="program", last_program=faq.programs[0]
        )
    if remedy is not None and remedy.kind == "remedy_program":
        return answer(turn, answers.program_detail(remedy, base, turn.today)) + remember(
            last_topic="program", last_program=remedy.id
        )
    return answer(turn, barrier_answer(barrier_ids, turn)) + remember(last_topic=barrier_ids[0])


def is_bare_feeling(text: str) -> bool:
    """ "너무 힘드네요 솔직히", "자존감 바닥이에요": a feeling told, not a request for programs."""
    return (
        bool(text)
        and not text.startswith("/")
        and len(text) <= BARE_FEELING
        and not (is_question(text) or SEEKS_HELP.search(text))
    )


def feeling_reply(in_finder: bool) -> Answer:
    """A few kind words and a choice, not the whole card (which would read like a leaflet)."""
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


def names_a_barrier(turn: Turn) -> bool:
    """True when the message itself names a barrier, a debt or a program (not only its intent)."""
    if turn.labels() & FACT_ENTITIES:
        return True
    facts = extract_situation(turn.text, None, turn.today, mentions=turn.mentions)
    return any(fact in facts for fact in ("tax_arrears", "insurance_arrears", "credit_state"))
