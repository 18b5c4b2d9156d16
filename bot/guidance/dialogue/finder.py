"""The program finder: filling the founder's profile from free Korean, buttons and yes/no answers.

The finder is Rasa's `profile_form`. Every message first goes through `extract_situation`
(the slots' custom mapping), then `what_changed` says what the message changed; while the form
asks, `questions` decides what is still asked, `validate` checks an answer, and a message that
is not an answer gets `aside` before the question comes again.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from bot.guidance.answers import BARRIER_BY_INTENT, Button
from bot.guidance.corrections import CORRECTABLE, correction_note, fact_phrase
from bot.guidance.dialogue.barriers import barrier_answer, barriers_named
from bot.guidance.dialogue.centers import find_center
from bot.guidance.dialogue.context import asks_about_another_place, followup_answer
from bot.guidance.dialogue.fallback import forget_profile
from bot.guidance.dialogue.notices import asks_for_open_calls, open_calls
from bot.guidance.dialogue.turn import NOTHING, Past, Reply, Turn, answer, remember, response, text
from bot.guidance.followups import followup_aspect
from bot.guidance.profile import PROCEDURES, UNKNOWN
from bot.guidance.scope import (
    JOB_NOTE_MARK,
    finder_help_note,
    job_seeker_again_note,
    job_seeker_answer,
    other_language_note,
    unanswered_question_note,
    wants_job,
    wants_to_start_over,
)
from bot.guidance.situation import TAX_NAME, extract_situation
from bot.knowledge.loader import knowledge
from bot.knowledge.models import BusinessType, CreditState, Goal
from bot.language.cues import (
    ANOTHER_PLACE_QUESTION,
    BOTH_ARREARS,
    CORRECTION,
    DISTRESS,
    EVALUATION_FAILED,
    EVALUATION_PASSED,
    NEGATED_WORD,
    NEVER_HEARD,
    NOTHING_THERE,
    SOMETHING_THERE,
    THANKFUL,
    WORDS,
    is_question,
)
from bot.language.gazetteer import Mention, known_terms
from bot.language.korean import in_another_language, with_topic

BOOLEAN_SLOTS = ("closed", "tax_arrears", "insurance_arrears", "sincere_evaluation_passed")
ALWAYS_ASKED = ("closed", "business_type", "credit_state", "tax_arrears", "insurance_arrears", "goal", "region")
SHORT_ANSWER = 30  # characters; a longer message is a story, which the situation reader reads
WHOLE_STORY = 3  # facts told in one message that make it a story worth thanking for
MAX_ASKED = 2  # no question of the finder is asked a third time after two unusable answers
# Messages that try to answer the question asked (a question or request in the middle of the
# finder is answered on its own and does not count against it).
ANSWER_ATTEMPTS = ("inform", "affirm", "deny", "nlu_fallback", "out_of_scope")
# Entities that state a fact about the founder (the rest name programs, agencies, barriers).
SITUATION_ENTITIES = {"region", "business_type", "credit_state", "closure", "tax", "insurance", "goal", "evaluation"}
# One kind word when a founder first says the business closed: losing a business is not a
# form field, so the next question does not come straight away.
EMPATHY = "그동안 정말 애쓰셨어요."

# Why the finder asks each question, for a founder who asks "왜요?" in the middle of it.
WHY_WE_ASK = {
    "closed": "재창업 지원은 대부분 폐업한 분을 대상으로 해서, 폐업 여부에 따라 받으실 수 있는 지원이 달라져요.",
    "years_since_closure": "지원마다 '폐업 후 몇 년 이내'처럼 기간 조건이 있어서 여쭤봐요. 대략적인 시기만 알려 주셔도 돼요.",
    "business_type": "개인사업자, 법인, 소상공인에 따라 신청할 수 있는 기관과 지원이 달라서 여쭤봐요.",
    "credit_state": "연체나 채무조정, 회생 중인지에 따라 받을 수 있는 자금과 먼저 풀어야 할 일이 달라져요. "
    "말씀하기 어려우시면 '모르겠어요'라고 하셔도 괜찮아요.",
    "tax_arrears": "세금이 밀려 있으면 정책자금을 받기 어려운 경우가 많아서, 먼저 풀 방법까지 함께 안내해 드리려고 여쭤봐요.",
    "insurance_arrears": "4대보험료가 밀려 있으면 일부 지원에서 제한이 있어서, 풀 방법과 함께 안내해 드리려고 여쭤봐요.",
    "goal": "다시 창업하실지, 취업을 원하시는지에 따라 맞는 지원이 완전히 달라서 여쭤봐요.",
    "region": "가까운 센터와 지역 지원을 안내해 드리려고 여쭤봐요.",
    "sincere_evaluation_passed": "성실경영평가는 중진공이 실패가 고의나 부정 때문이 아니었는지 보는 평가예요. "
    "통과하면 재창업자금 같은 지원을 받기 쉬워져요. 처음 들어 보셨으면 '모르겠어요'라고 하셔도 돼요.",
}
WHY_IN_GENERAL = "받으실 수 있는 지원을 정확히 찾아 드리려고 여쭤봐요."


# --- reading the founder's situation from every message ----------------------------------------


def extract(turn: Turn) -> Reply:
    """The profile facts this message states (the slots' custom mapping: it only sets slots)."""
    payload_mentions = _payload_mentions(turn)
    requested = turn.requested
    # A bare date answering "폐업은 언제쯤 하셨어요?" is the closure date.
    expecting = "closure" if requested in ("closed", "years_since_closure") else None
    if turn.is_payload or payload_mentions:
        facts = extract_situation("", None, turn.today, mentions=payload_mentions)
    else:
        facts = extract_situation(turn.text, None, turn.today, mentions=turn.mentions, expecting=expecting)
    facts.pop("closure_in_future", None)
    facts = with_answer_to_question(facts, requested, turn.intent, turn.text)
    # "정책자금 제한 풀 수 있어요?" from a founder in 채무조정: the question's "delinquent" says
    # less than the procedure already told, so the procedure stays.
    if (
        facts.get("credit_state") == CreditState.delinquent.value
        and turn.slot("credit_state") in PROCEDURES
        and requested != "credit_state"
        and not CORRECTION.search(turn.text)
    ):
        del facts["credit_state"]
    if requested == "years_since_closure" and turn.intent == "dont_know":
        facts["years_since_closure"] = UNKNOWN
    location = shared_location(turn)
    if location:
        facts["location"] = location
    # "부산은요?" right after the centers of 제주 asks for 부산's centers; the founder still
    # lives in 제주, so the region is not changed.
    if "region" in facts and asks_for_centers_elsewhere(turn):
        del facts["region"]
    return remember(**{slot: value for slot, value in facts.items() if turn.slot(slot) != value})


def _payload_mentions(turn: Turn) -> list[Mention]:
    """Entities a button payload carries (/inform{"business_type": "corporation"}).

    A payload can be typed by hand, so only values Dasi knows for that entity are taken: a
    typed `/inform{"credit_state": "<script>…"}` stores nothing.
    """
    mentions = [
        Mention(entity.label, entity.value, "", 0, 0)
        for entity in turn.entities
        if entity.extractor in (None, "RegexMessageHandler")
    ]
    return [mention for mention in mentions if _known_value(mention)]


def _known_value(mention: Mention) -> bool:
    if mention.label == "region":
        return all(part in knowledge().regions for part in mention.value.split("|"))
    return mention.value in _known_values().get(mention.label, set())


@functools.lru_cache(maxsize=1)
def _known_values() -> dict[str, set[str]]:
    known: dict[str, set[str]] = {
        "business_type": {value.value for value in BusinessType},
        "credit_state": {value.value for value in CreditState},
        "goal": {value.value for value in Goal},
    }
    for term in known_terms():
        known.setdefault(term.label, set()).update(term.value.split("|"))
    return known


def shared_location(turn: Turn) -> dict[str, float] | None:
    """The location a messenger shared with this message (latitude and longitude entities)."""
    try:
        return {"lat": float(turn.first("latitude") or ""), "lon": float(turn.first("longitude") or "")}
    except ValueError:
        return None


def asks_for_centers_elsewhere(turn: Turn) -> bool:
    """ "부산은요?" right after the centers of 제주: 부산's centers, not a move to 부산."""
    return asks_about_another_place(turn) and bool(ANOTHER_PLACE_QUESTION.search(turn.text))


def answer_to_requested_slot(requested: str | None, intent: str | None, message: str = "") -> dict[str, Any]:
    """A bare 네 / 아니요 / 모르겠어요, or a short answer in words, answers the question asked."""
    if not requested:
        return {}
    if intent == "dont_know":
        return {requested: UNKNOWN}
    if CORRECTION.search(message):
        return {}
    if requested in BOOLEAN_SLOTS and intent in ("affirm", "deny"):
        return {requested: intent == "affirm"}
    if len(message) > SHORT_ANSWER or "?" in message:
        return {}
    if requested == "sincere_evaluation_passed":
        # the buttons' own words typed ("통과했어요"), and "처음 들어봐요", which the question
        # itself says to answer with '모르겠어요'
        if NEVER_HEARD.search(message):
            return {requested: UNKNOWN}
        if EVALUATION_FAILED.search(message):
            return {requested: False}
        if EVALUATION_PASSED.search(message):
            return {requested: True}
    if requested == "business_type" and "개인" in message:
        return {"business_type": "sole_proprietor"}
    nothing = bool(NOTHING_THERE.search(message))
    something = bool(SOMETHING_THERE.search(NEGATED_WORD.sub("", message)))  # "안 밀렸어요" is a no
    if nothing == something:
        return {}
    # "세금 보험 다 없어요" asked about either is one answer for both, so neither is asked again
    if requested in ("tax_arrears", "insurance_arrears") and BOTH_ARREARS.search(message):
        return {"tax_arrears": something, "insurance_arrears": something}
    if requested in ("tax_arrears", "insurance_arrears"):
        return {requested: something}
    if requested == "sincere_evaluation_passed" and nothing:
        return {requested: False}
    if requested == "credit_state":
        return {"credit_state": "normal" if nothing else "delinquent"}
    return {}


def with_answer_to_question(
    facts: dict[str, Any], requested: str | None, intent: str | None, message: str
) -> dict[str, Any]:
    """Adds what a short answer says about the question asked, unless the message is about
    something else: "세금은 없어요" asked about 4대보험 answers the tax question, not that one."""
    # "체납 없어요" to the 4대보험 question: a bare 체납 names no tax, so it answers that
    # question (read as the tax answer, the same question would come back again and again)
    if requested == "insurance_arrears" and "tax_arrears" in facts and not TAX_NAME.search(message):
        facts = {key: value for key, value in facts.items() if not key.startswith("tax_arrears")}
        facts.setdefault("insurance_arrears", said_arrears(message))
    both = requested in ("tax_arrears", "insurance_arrears") and BOTH_ARREARS.search(message)
    if set(facts) - {requested} and not both:
        return facts
    return {**answer_to_requested_slot(requested, intent, message), **facts}


def said_arrears(message: str) -> bool:
    """Whether a short arrears answer says there are some ("체납 있어요") or none ("체납 없어요")."""
    return bool(SOMETHING_THERE.search(NEGATED_WORD.sub("", message))) and not NOTHING_THERE.search(message)


# --- saying what a message changed ------------------------------------------------------------


def what_changed(turn: Turn) -> Reply:
    """Said before any answer: a kind word, a correction made, thanks for a story, or facts heard.

    Runs right after the extraction on every message (as Rasa's slot-mapping validation step,
    whose messages are sent, unlike the extraction's) and sets nothing.
    """
    before, after = turn.before, turn.after
    reply = text(EMPATHY) if _first_told_closure(turn) else NOTHING
    # "아 부산이 아니라 대구예요": the change is made and said, briefly.
    note = correction_note(dict(before), dict(after), knowledge())
    # "포항은요?" after the centers of 성남 asks about another place; it corrects nothing.
    if note and _asks_about_another_place(turn):
        note = None
    if note:
        reply += text(note)
    elif len(newly_told(before, after)) >= WHOLE_STORY:
        # a whole story told at once is thanked for, not met with only the next question
        reply += text("자세히 말씀해 주셔서 고마워요. 말씀하신 상황으로 찾아볼게요.")
    elif turn.in_finder:
        # "부산이요" when asked when the business closed: kept, and said so, before the same
        # question comes again (with no word it would read as if unheard)
        heard = heard_note(before, after)
        if heard:
            reply += text(heard)
    # "누가 받을 수 있어요?" right after a program card starts the finder (check_eligibility);
    # the program's target is said first, so the question is answered.
    if turn.intent == "check_eligibility" and not turn.in_finder and is_question(turn.text):
        followup = followup_answer(turn)
        if followup is not None and followup_aspect(turn.text) == "target":
            reply += answer(turn, followup)
    # "일자리 알아보고 있어요" (not the finder's own question about plans): what Dasi does and
    # what it can still find for someone looking for a job.
    job = after.get("goal") == "job" or ("goal" not in after and wants_job(turn.text) and not turn.is_payload)
    if job and before.get("goal") != "job" and before.get("requested_slot") != "goal":
        reply += answer(turn, job_seeker_answer(knowledge(), finder_follows=turn.intent == "inform"))
    return reply


def _first_told_closure(turn: Turn) -> bool:
    return (
        turn.after.get("closed") is True
        and turn.before.get("closed") is None
        and turn.intent not in ("express_crisis", "ask_stigma_support")  # their replies open with kind words
        and not any(past.kind == "bot" and past.text == EMPATHY for past in turn.history)
    )


def _asks_about_another_place(turn: Turn) -> bool:
    """True for a new region named right after a center answer, outside the finder, and nothing else changed."""
    before, after = turn.before, turn.after
    changed = [field for field in CORRECTABLE if field in after and after[field] != before.get(field)]
    topic = str(before.get("last_topic") or "")
    return changed == ["region"] and not turn.in_finder and topic.startswith("centers")


def heard_note(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """'네, 지역은 부산으로 알아 두었어요.' for new facts that leave the finder's question unanswered."""
    requested = before.get("requested_slot")
    told = newly_told(before, after)
    if not requested or requested in after or not told or after.get("goal") == "job":
        return None
    phrases = [phrase for field in told for phrase in [fact_phrase(field, after[field], knowledge())] if phrase]
    return f"네, {', '.join(phrases)} 알아 두었어요." if phrases else None


def newly_told(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The founder's facts this message told for the first time (not a correction)."""
    return [field for field in CORRECTABLE if after.get(field) not in (None, UNKNOWN) and before.get(field) is None]


# --- the form: what is asked, and what an answer may be ---------------------------------------


def questions(turn: Turn) -> list[str]:
    """The finder's questions for this founder, minus those set aside after two unusable answers."""
    slots = list(ALWAYS_ASKED)
    if turn.slot("closed") is True:
        slots.insert(1, "years_since_closure")
    if turn.slot("goal") in ("restart", UNKNOWN, "undecided"):
        slots.append("sincere_evaluation_passed")
    skipped = set_aside(turn, slots)
    return [slot for slot in slots if slot not in skipped]


def validate(slot: str, value: Any) -> Reply:
    """An answer that cannot be right is refused (set to None) with a word on why."""
    if slot == "years_since_closure":
        return _validate_years_since_closure(value)
    if slot == "region":
        return _validate_region(value)
    return remember(**{slot: value})


def _validate_years_since_closure(value: Any) -> Reply:
    if value == UNKNOWN:
        return remember(years_since_closure=UNKNOWN)
    try:
        years = float(value)
    except (TypeError, ValueError):
        return remember(years_since_closure=None)
    if years < 0:
        return text("그 날짜는 아직 오지 않았어요. 이미 폐업하신 날짜를 말씀해 주시겠어요?") + remember(
            years_since_closure=None
        )
    if years > 60:
        return text('날짜를 다시 한번 확인해 주시겠어요? "2년 전"처럼 말씀하셔도 돼요.') + remember(
            years_since_closure=None
        )
    return remember(years_since_closure=years)


def _validate_region(value: Any) -> Reply:
    if value == UNKNOWN:
        return remember(region=UNKNOWN)
    candidates = [candidate for candidate in str(value).split("|") if candidate in knowledge().regions]
    if len(candidates) == 1:
        return remember(region=candidates[0])
    # An ambiguous name ("광주") is asked about when the finder comes to the region
    # (ask_region), not beside another question: never two questions at once.
    return remember(region=None)


def after_validation(turn: Turn, validated: Mapping[str, Any]) -> Reply:
    """After the form took this message's answers (`validated`): a third asking is skipped, and a
    barrier question that also answered the form ("국세 체납이 있는데 재창업할 수 있나요?") is
    answered before the form asks its next question (no rule runs while the form goes on)."""
    reply = _skip_a_third_asking(turn, validated)
    barrier_ids = barriers_named(turn) if turn.intent in BARRIER_BY_INTENT else []
    # a question set aside just now counts as answered: the form goes on, so no rule runs
    answered = {**validated, **reply.slots}
    filled = any(name != "requested_slot" and value is not None for name, value in answered.items())
    if barrier_ids and filled:
        reply += answer(turn, barrier_answer(barrier_ids, turn)) + remember(last_topic=barrier_ids[0])
    return reply


def failed_answers(history: tuple[Past, ...], slot: str) -> int:
    """How many answers in a row to the question for `slot` could not be used."""
    requested, count = None, 0
    for past in history:
        if past.kind == "active_loop" and past.name == "profile_form":
            count = 0  # the finder (re)started
        elif past.kind == "slot" and past.name == "requested_slot":
            requested = past.value
        elif past.kind == "slot" and past.name == slot and past.value is not None:
            count = 0
        elif past.kind == "user" and requested == slot and _tries_to_answer(past):
            count += 1
    return count


def _tries_to_answer(past: Past) -> bool:
    return past.intent in ANSWER_ATTEMPTS and not past.text.startswith("/") and not is_question(past.text)


def set_aside(turn: Turn, slots: list[str]) -> list[str]:
    """The finder's questions answered twice in a way that could not be used: never asked again."""
    return [slot for slot in slots if turn.slot(slot) is None and failed_answers(turn.history, slot) >= MAX_ASKED]


def _skip_a_third_asking(turn: Turn, validated: Mapping[str, Any]) -> Reply:
    """After two askings with no usable answer the question is set aside ("unknown") with a way
    on, instead of a third asking: the result is given with what is known."""
    requested = turn.requested
    if not requested or turn.slot(requested) is not None:
        return NOTHING
    if validated.get(requested) is not None or failed_answers(turn.history, requested) < MAX_ASKED:
        return NOTHING
    return text("이 질문은 넘어갈게요. 몰라도 괜찮아요, 나중에 상담에서 확인하셔도 돼요.") + remember(
        **{requested: UNKNOWN}
    )


# --- the form's own questions -------------------------------------------------------------------


def ask_region(turn: Turn) -> Reply:
    """The finder's region question; after a name that means two places, which one."""
    ambiguous = latest_ambiguous_region(turn)
    if ambiguous is None:
        return response("utter_ask_region")
    name, candidates = ambiguous
    regions = knowledge().regions
    places = "두 곳" if len(candidates) == 2 else "여러 곳"
    said = f"{with_topic(name)} {places}이 있어요." if name else f"같은 이름의 지역이 {places} 있어요."
    return text(
        f"{said} 어느 쪽이세요?",
        [Button(regions[candidate].name, f'/inform{{"region": "{candidate}"}}') for candidate in candidates],
    )


def latest_ambiguous_region(turn: Turn) -> tuple[str, list[str]] | None:
    """The name and candidates of the founder's latest region mention, if it was ambiguous."""
    regions = knowledge().regions
    for past in reversed(turn.history):
        if past.kind != "user":
            continue
        mentions = [entity for entity in past.entities if entity.label == "region"]
        if not mentions:
            continue
        mention = mentions[-1]
        candidates = [candidate for candidate in mention.value.split("|") if candidate in regions]
        if len(candidates) < 2:
            return None
        start, end = mention.start, mention.end
        name = past.text[start:end] if start is not None and end is not None else ""
        return mention.text or name, candidates
    return None


def explain_question(turn: Turn) -> Reply:
    """'왜요?' while the finder waits for an answer: why this question (the form then asks again)."""
    return text(WHY_WE_ASK.get(str(turn.requested), WHY_IN_GENERAL))


# --- a message in the middle of the finder that is not an answer --------------------------------


def wordless_aside(message: str) -> str | None:
    """A sad or thankful emoji in the middle of the finder: a kind line before the question again."""
    if WORDS.search(message):
        return None
    if DISTRESS.search(message):
        return "많이 힘드시죠. 천천히 답해 주셔도 괜찮아요. 힘드시면 잠시 쉬었다 오셔도 돼요."
    if THANKFUL.search(message):
        return "마음 전해 주셔서 고마워요."
    return None


def aside(turn: Turn) -> Reply:
    """Said before the finder asks its question again, for a message that did not answer it.

    A question Dasi has no answer for is acknowledged (never stored as an answer), another
    language hears that Dasi speaks Korean, a job seeker hears what Dasi can do, and anything
    else gets a gentle note.
    """
    message = turn.text
    requested = turn.before.get("requested_slot")
    if (
        requested
        and requested in turn.after
        and turn.after[requested] != turn.before.get(requested)
        and not is_question(message)
    ):
        return NOTHING  # it answered the question after all ("처음 들어봐요" read as a help request)
    if wants_to_start_over(message):
        # "처음부터 다시 할게요" in the middle: everything is cleared, the finder starts again
        return text("네, 처음부터 다시 여쭤볼게요. 말씀해 주신 내용은 지웠어요.") + forget_profile()
    if asks_for_centers_elsewhere(turn):
        # "부산은요?" after the centers of 제주, mid-finder: 부산's centers, then the question
        return find_center(turn)
    wordless = wordless_aside(message)
    if wordless:
        return text(wordless)
    if asks_for_open_calls(turn):
        return open_calls(turn)  # on what is known so far; the question comes again after
    if in_another_language(message):
        return text(other_language_note(knowledge()))
    # "얼마 받아요?" after a program card: that program's answer, not "no verified data".
    followup = followup_answer(turn) if is_question(message) else None
    if followup is not None:
        return answer(turn, followup)
    if "job" in turn.values("goal") or wants_job(message):
        if turn.said(JOB_NOTE_MARK):
            return text(job_seeker_again_note())
        return answer(turn, job_seeker_answer(knowledge()))
    if turn.intent == "ask_help" and not turn.entities:
        return text(finder_help_note())
    if turn.intent == "check_eligibility":
        # "지원 찾아주세요" while the finder is asking: that is what it is doing
        return text("네, 지금 맞는 지원을 찾고 있어요. 몇 가지만 더 여쭤볼게요.")
    if is_question(message):
        return text(unanswered_question_note(knowledge()))
    if turn.intent == "out_of_scope":
        return response("utter_out_of_scope")
    if turn.labels() & SITUATION_ENTITIES:
        # "소상공인이에요" asked about credit: understood (and kept), only not this answer
        return text("네, 말씀하신 내용은 잘 알아 두었어요.")
    return response("utter_form_rephrase")
