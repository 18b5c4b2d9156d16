"""Filling the founder's profile from free Korean, buttons and yes/no answers."""

from __future__ import annotations

import functools
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.barriers import BARRIER_BY_INTENT, barrier_answer, barriers_named
from actions.centers import ActionFindCenter, asks_about_another_place
from actions.common import base, latest_entities, latest_text, names, say
from actions.fallback import DISTRESS, THANKFUL, WORDS, forget_profile
from actions.programs import followup_answer
from bot.guidance.corrections import CORRECTABLE, correction_note, fact_phrase
from bot.guidance.followups import followup_aspect
from bot.guidance.profile import (
    PROCEDURES,
    TAX_NAME,
    UNKNOWN,
    BusinessType,
    CreditState,
    Goal,
    extract_situation,
)
from bot.guidance.scope import (
    JOB_NOTE_MARK,
    finder_help_note,
    is_question,
    job_seeker_again_note,
    job_seeker_answer,
    other_language_note,
    unanswered_question_note,
    wants_job,
    wants_to_start_over,
)
from bot.language.dates import today
from bot.language.gazetteer import Mention
from bot.language.korean import in_another_language, with_topic

BOOLEAN_SLOTS = ("closed", "tax_arrears", "insurance_arrears", "sincere_evaluation_passed")
ALWAYS_ASKED = ("closed", "business_type", "credit_state", "tax_arrears", "insurance_arrears", "goal", "region")


def _payload_mentions(tracker: Tracker) -> list[Mention]:
    """Entities a button payload carries (/inform{"business_type": "corporation"}).

    A payload can be typed by hand, so only values Dasi knows for that entity are taken
    (QA stored `/inform{"credit_state": "<script>…"}` as it came).
    """
    mentions = [
        Mention(str(entity["entity"]), str(entity["value"]), "", 0, 0)
        for entity in tracker.latest_message.get("entities", [])
        if entity.get("value") is not None and entity.get("extractor") in (None, "RegexMessageHandler")
    ]
    return [mention for mention in mentions if _known_value(mention)]


def _known_value(mention: Mention) -> bool:
    if mention.label == "region":
        return all(part in base().regions for part in mention.value.split("|"))
    return mention.value in _known_values().get(mention.label, set())


@functools.lru_cache(maxsize=1)
def _known_values() -> dict[str, set[str]]:
    known: dict[str, set[str]] = {
        "business_type": {v.value for v in BusinessType},
        "credit_state": {v.value for v in CreditState},
        "goal": {v.value for v in Goal},
    }
    for term in names().terms:
        known.setdefault(term.label, set()).update(term.value.split("|"))
    return known


# Short answers that mean "no problem there" to the question asked: "신용은 괜찮아요",
# "안 밀렸어요", "그런 거 없어요", "세금은 없어요", "평가 안 받았는데요".
NOTHING_THERE = re.compile(
    r"없|안\s?밀|안\s?받|안\s?했|괜찮|문제\s?없|깨끗|정상|멀쩡|아뇨|아니|노노|\bno\b|nope|none", re.I
)
SOMETHING_THERE = re.compile(r"있어|있음|있습니다|있긴|밀렸|밀려|밀림|체납|연체|못\s?냈|못\s?내")
# (not "둘 다 없어요": asked about 국세·지방세, "both" are those two)
BOTH_ARREARS = re.compile(r"세금.{0,6}(4대\s?|사대\s?)?보험|(4대\s?|사대\s?)?보험.{0,6}세금")
SHORT_ANSWER = 30  # characters; a longer message is a story, which the extractor reads
NEVER_HEARD = re.compile(r"처음\s?(?:들어|듣|봐|보)|들어\s?본\s?적(?:이|도)?\s?없|뭔지\s?(?:몰|모르)")
EVALUATION_FAILED = re.compile(r"떨어|탈락|불합격|안\s?받|못\s?받|안\s?했|못\s?했|미통과|통과\s?못|통과\s?안")
EVALUATION_PASSED = re.compile(r"통과|붙었|합격|받았")
# "부산이 아니라 대구예요" corrects an earlier answer: its 아니 is no answer to the question asked.
CORRECTION = re.compile(r"아니라|아니고|말고")


def _answer_to_requested_slot(requested: str | None, intent: str | None, text: str = "") -> dict[str, Any]:
    """A bare 네 / 아니요 / 모르겠어요, or a short answer in words, answers the question asked."""
    if not requested:
        return {}
    if intent == "dont_know":
        return {requested: UNKNOWN}
    if CORRECTION.search(text):
        return {}
    if requested in BOOLEAN_SLOTS and intent in ("affirm", "deny"):
        return {requested: intent == "affirm"}
    if len(text) > SHORT_ANSWER or "?" in text:
        return {}
    if requested == "sincere_evaluation_passed":
        # the buttons' own words typed ("통과했어요"), and "처음 들어봐요", which the question
        # itself says to answer with '모르겠어요' (QA: neither was understood)
        if NEVER_HEARD.search(text):
            return {requested: UNKNOWN}
        if EVALUATION_FAILED.search(text):
            return {requested: False}
        if EVALUATION_PASSED.search(text):
            return {requested: True}
    if requested == "business_type" and "개인" in text:
        return {"business_type": "sole_proprietor"}
    nothing = bool(NOTHING_THERE.search(text))
    something = bool(SOMETHING_THERE.search(re.sub(r"안\s?\S+", "", text)))  # "안 밀렸어요" is a no
    if nothing == something:
        return {}
    # "세금 보험 다 없어요" asked about either: one answer for both (QA: 4대보험 was asked next)
    if requested in ("tax_arrears", "insurance_arrears") and BOTH_ARREARS.search(text):
        return {"tax_arrears": something, "insurance_arrears": something}
    if requested in ("tax_arrears", "insurance_arrears"):
        return {requested: something}
    if requested == "sincere_evaluation_passed" and nothing:
        return {requested: False}
    if requested == "credit_state":
        return {"credit_state": "normal" if nothing else "delinquent"}
    return {}


def _with_answer_to_question(
    facts: dict[str, Any], requested: str | None, intent: str | None, text: str
) -> dict[str, Any]:
    """Adds what a short answer says about the question asked, unless the message is about
    something else: "세금은 없어요" asked about 4대보험 answers the tax question, not that one."""
    # "체납 없어요" to the 4대보험 question: a bare 체납 names no tax, so it is that question's
    # answer (it was taken as the tax answer, and the same question came back again and again)
    if requested == "insurance_arrears" and "tax_arrears" in facts and not TAX_NAME.search(text):
        facts = {key: value for key, value in facts.items() if not key.startswith("tax_arrears")}
        facts.setdefault("insurance_arrears", _said_arrears(text))
    both = requested in ("tax_arrears", "insurance_arrears") and BOTH_ARREARS.search(text)
    if set(facts) - {requested} and not both:
        return facts
    return {**_answer_to_requested_slot(requested, intent, text), **facts}


def _said_arrears(text: str) -> bool:
    """Whether a short arrears answer says there are some ("체납 있어요") or none ("체납 없어요")."""
    return bool(SOMETHING_THERE.search(re.sub(r"안\s?\S+", "", text))) and not NOTHING_THERE.search(text)


ANOTHER_PLACE_QUESTION = re.compile(r"(?:은|는)\s?요\s*[?？]*\s*$|[?？]\s*$")


def _asks_for_centers_elsewhere(tracker: Tracker, text: str) -> bool:
    """ "부산은요?" right after the centers of 제주: 부산's centers, not a move to 부산."""
    return asks_about_another_place(tracker) and bool(ANOTHER_PLACE_QUESTION.search(text))


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
        facts = _with_answer_to_question(facts, requested, intent, text)
        # "정책자금 제한 풀 수 있어요?" from a founder in 채무조정: the question's "delinquent"
        # says less than the procedure already told (QA: "신용 상황은 '연체'로 고쳐 두었어요").
        if (
            facts.get("credit_state") == CreditState.delinquent.value
            and tracker.get_slot("credit_state") in PROCEDURES
            and requested != "credit_state"
            and not CORRECTION.search(text)
        ):
            del facts["credit_state"]
        if requested == "years_since_closure" and intent == "dont_know":
            facts["years_since_closure"] = UNKNOWN
        location = _location(tracker)
        if location:
            facts["location"] = location
        # "부산은요?" right after the centers of 제주 asks for 부산's centers; the founder still
        # lives in 제주 (QA, in the finder: "지역은 부산으로 고쳐 두었어요" and no centers)
        if "region" in facts and _asks_for_centers_elsewhere(tracker, text):
            del facts["region"]
        return [SlotSet(slot, value) for slot, value in facts.items() if tracker.get_slot(slot) != value]


class ActionSayWhatChanged(Action):
    """Rasa's slot-mapping validation step: says what this message changed, before any answer.

    Messages of action_extract_situation itself are dropped by Rasa (a custom slot mapping may
    only set slots); this action runs right after it on every message and its messages are sent.
    It sets nothing: every extracted slot stays as extracted.
    """

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        before, after = _slots_before_and_after_latest_message(tracker.events)
        if _first_told_closure(tracker, before, after):
            dispatcher.utter_message(text=EMPATHY)
        # "아 부산이 아니라 대구예요": the change is made and said, briefly.
        note = correction_note(before, after, base())
        # "포항은요?" after the centers of 성남 asks about another place; it corrects nothing
        # (QA: "지역은 포항으로 고쳐 두었어요." before the 포항 centers).
        if note and _asks_about_another_place(tracker, before, after):
            note = None
        if note:
            dispatcher.utter_message(text=note)
        elif len(newly_told(before, after)) >= WHOLE_STORY:
            # QA: a founder who told their whole story at once got only the next question.
            dispatcher.utter_message(text="자세히 말씀해 주셔서 고마워요. 말씀하신 상황으로 찾아볼게요.")
        elif tracker.active_loop_name:
            # "부산이요" when asked when the business closed: kept, and said so, before the
            # same question comes again (QA: it came again with no word, as if unheard).
            heard = heard_note(before, after)
            if heard:
                dispatcher.utter_message(text=heard)
        # "일자리 알아보고 있어요" (not the finder's own question about plans): Dasi says what it
        # does and what it can still find for someone looking for a job.
        text = latest_text(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        # "누가 받을 수 있어요?" right after a program card starts the finder (check_eligibility);
        # the program's target is said first, so the question is answered (QA: it was not).
        if intent == "check_eligibility" and not tracker.active_loop_name and is_question(text):
            followup = followup_answer(tracker)
            if followup is not None and followup_aspect(text) == "target":
                say(dispatcher, followup, tracker)
        job = after.get("goal") == "job" or ("goal" not in after and wants_job(text) and not text.startswith("/"))
        if job and before.get("goal") != "job" and before.get("requested_slot") != "goal":
            say(dispatcher, job_seeker_answer(base(), finder_follows=intent == "inform"), tracker)
        return []


# One kind word when a founder first says the business closed (QA: "식당하다가 망했어요" got the
# next question straight away, as if losing a business were a form field).
EMPATHY = "그동안 정말 애쓰셨어요."


def _first_told_closure(tracker: Tracker, before: dict[str, Any], after: dict[str, Any]) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return (
        after.get("closed") is True
        and before.get("closed") is None
        and intent not in ("express_crisis", "ask_stigma_support")  # their replies open with kind words
        and not any(event.get("event") == "bot" and event.get("text") == EMPATHY for event in tracker.events)
    )


def _asks_about_another_place(tracker: Tracker, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """True for a new region named right after a center answer, outside the finder, and nothing else changed."""
    changed = [field for field in CORRECTABLE if field in after and after[field] != before.get(field)]
    topic = str(before.get("last_topic") or "")
    return changed == ["region"] and not tracker.active_loop_name and topic.startswith("centers")


WHOLE_STORY = 3  # facts told in one message that make it a story worth thanking for


def heard_note(before: dict[str, Any], after: dict[str, Any]) -> str | None:
    """'네, 지역은 부산으로 알아 두었어요.' for new facts that leave the finder's question unanswered."""
    requested = before.get("requested_slot")
    told = newly_told(before, after)
    if not requested or requested in after or not told or after.get("goal") == "job":
        return None
    phrases = [phrase for field in told for phrase in [fact_phrase(field, after[field], base())] if phrase]
    return f"네, {', '.join(phrases)} 알아 두었어요." if phrases else None


def newly_told(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The founder's facts this message told for the first time (not a correction)."""
    return [field for field in CORRECTABLE if after.get(field) not in (None, UNKNOWN) and before.get(field) is None]


def _slots_before_and_after_latest_message(events: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Slot values before the founder's latest message, and the slots set since it."""
    latest_user = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=-1)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for index, event in enumerate(events):
        if event.get("event") == "slot":
            (after if index > latest_user else before)[str(event.get("name"))] = event.get("value")
        elif event.get("event") == "restart":
            before.clear()
    return before, after


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
        events += _skip_a_third_asking(dispatcher, tracker, events)
        # "국세 체납이 있는데 재창업할 수 있나요?" while the finder asks something else: the
        # message answers a question of the form (so the form goes on, and no rule runs), but it
        # is also a question. Answer it first; the form then asks its next question.
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        barrier_ids = barriers_named(intent, tracker) if intent in BARRIER_BY_INTENT else []
        filled = any(
            event.get("event") == "slot" and event.get("name") != "requested_slot" and event.get("value") is not None
            for event in events
        )
        if barrier_ids and filled:
            say(dispatcher, barrier_answer(barrier_ids), tracker)
            events.append(SlotSet("last_topic", barrier_ids[0]))
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
        skipped = set_aside(tracker, slots)
        return [slot for slot in slots if slot not in skipped]

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
        # An ambiguous name ("광주") is asked about when the finder comes to the region
        # (action_ask_region), not beside another question (QA: two questions at once).
        return {"region": None}


MAX_ASKED = 2  # no question of the finder is asked a third time after two unusable answers


# Messages that try to answer the question asked (a question or request in the middle of the
# finder is answered on its own and does not count against it)
ANSWER_ATTEMPTS = ("inform", "affirm", "deny", "nlu_fallback", "out_of_scope")


def failed_answers(events: list[dict[str, Any]], slot: str) -> int:
    """How many answers in a row to the question for `slot` could not be used."""
    requested, count = None, 0
    for event in events:
        kind = event.get("event")
        if kind == "active_loop" and event.get("name") == "profile_form":
            count = 0  # the finder (re)started
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "slot" and event.get("name") == slot and event.get("value") is not None:
            count = 0
        elif kind == "user" and requested == slot:
            text = str(event.get("text") or "")
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in ANSWER_ATTEMPTS and not text.startswith("/") and not is_question(text):
                count += 1
    return count


def set_aside(tracker: Tracker, slots: list[str]) -> list[str]:
    """The finder's questions answered twice in a way that could not be used: never asked again."""
    return [
        slot for slot in slots if tracker.get_slot(slot) is None and failed_answers(tracker.events, slot) >= MAX_ASKED
    ]


def _skip_a_third_asking(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType]
) -> list[EventType]:
    """After two askings that got no usable answer, the question is set aside ("unknown") with a
    way on, instead of a third asking: the result is given with what is known."""
    requested = tracker.get_slot("requested_slot")
    if not requested or tracker.get_slot(requested) is not None:
        return []
    filled = any(
        event.get("event") == "slot" and event.get("name") == requested and event.get("value") is not None
        for event in events
    )
    if filled or failed_answers(tracker.events, requested) < MAX_ASKED:
        return []
    dispatcher.utter_message(
        text="이 질문은 넘어갈게요. 몰라도 괜찮아요, 나중에 상담에서 확인하셔도 돼요.",
    )
    return [SlotSet(requested, UNKNOWN)]


def _latest_ambiguous_region(tracker: Tracker) -> tuple[str, list[str]] | None:
    """The name and candidates of the founder's latest region mention, if it was ambiguous."""
    regions = base().regions
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        mentions = [e for e in (event.get("parse_data") or {}).get("entities", []) if e.get("entity") == "region"]
        if not mentions:
            continue
        mention = mentions[-1]
        candidates = [c for c in str(mention.get("value")).split("|") if c in regions]
        if len(candidates) < 2:
            return None
        said = str(event.get("text") or "")
        start, end = mention.get("start"), mention.get("end")
        name = said[start:end] if isinstance(start, int) and isinstance(end, int) else ""
        return str(mention.get("text") or name), candidates
    return None


class ActionAskRegion(Action):
    """The finder's region question; after a name that means two places, which one."""

    def name(self) -> str:
        return "action_ask_region"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        ambiguous = _latest_ambiguous_region(tracker)
        if ambiguous is None:
            dispatcher.utter_message(response="utter_ask_region")
            return []
        name, candidates = ambiguous
        regions = base().regions
        places = "두 곳" if len(candidates) == 2 else "여러 곳"
        said = f"{with_topic(name)} {places}이 있어요." if name else f"같은 이름의 지역이 {places} 있어요."
        dispatcher.utter_message(
            text=f"{said} 어느 쪽이세요?",
            buttons=[{"title": regions[c].name, "payload": f'/inform{{"region": "{c}"}}'} for c in candidates],
        )
        return []


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


class ActionExplainQuestion(Action):
    """'왜요?' while the finder waits for an answer: why this question, then the form asks again."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        reason = WHY_WE_ASK.get(str(requested), "받으실 수 있는 지원을 정확히 찾아 드리려고 여쭤봐요.")
        dispatcher.utter_message(text=reason)
        return []


# Entities that state a fact about the founder (the rest name programs, agencies, barriers).
SITUATION_ENTITIES = {"region", "business_type", "credit_state", "closure", "tax", "insurance", "goal", "evaluation"}


def wordless_aside(text: str) -> str | None:
    """A sad or thankful emoji in the middle of the finder: a kind line before the question again
    (QA: "😭" got "제가 답을 잘 알아듣지 못했어요")."""
    if WORDS.search(text):
        return None
    if DISTRESS.search(text):
        return "많이 힘드시죠. 천천히 답해 주셔도 괜찮아요. 힘드시면 잠시 쉬었다 오셔도 돼요."
    if THANKFUL.search(text):
        return "마음 전해 주셔서 고마워요."
    return None


def _already_said(tracker: Tracker, words: str) -> bool:
    """True when Dasi already said `words` in this conversation."""
    return any(event.get("event") == "bot" and words in (event.get("text") or "") for event in tracker.events)


class ActionFormAside(Action):
    """A message in the middle of the finder that is not an answer to its question.

    Said before the finder asks its question again: a question Dasi has no answer for is
    acknowledged (never stored as an answer), another language hears that Dasi speaks Korean,
    a job seeker hears what Dasi can do, and anything else gets a gentle note.
    """

    def name(self) -> str:
        return "action_form_aside"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = latest_text(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name", "")
        before, after = _slots_before_and_after_latest_message(tracker.events)
        requested = before.get("requested_slot")
        if requested and requested in after and after[requested] != before.get(requested) and not is_question(text):
            return []  # it answered the question after all ("처음 들어봐요" read as a help request)
        # "얼마 받아요?" after a program card: that program's answer, not "no verified data".
        followup = followup_answer(tracker) if is_question(text) else None
        if wants_to_start_over(text):
            # "처음부터 다시 할게요" in the middle: everything is cleared, the finder starts again
            dispatcher.utter_message(text="네, 처음부터 다시 여쭤볼게요. 말씀해 주신 내용은 지웠어요.")
            return forget_profile()
        wordless = wordless_aside(text)
        if _asks_for_centers_elsewhere(tracker, text):
            # "부산은요?" after the centers of 제주, mid-finder: 부산's centers, then the question
            return await ActionFindCenter().run(dispatcher, tracker, domain)
        if wordless:
            dispatcher.utter_message(text=wordless)
        elif in_another_language(text):
            dispatcher.utter_message(text=other_language_note(base()))
        elif followup is not None:
            say(dispatcher, followup, tracker)
        elif "job" in latest_entities(tracker, "goal") or wants_job(text):
            if _already_said(tracker, JOB_NOTE_MARK):
                dispatcher.utter_message(text=job_seeker_again_note())
            else:
                say(dispatcher, job_seeker_answer(base()), tracker)
        elif intent == "ask_help" and not tracker.latest_message.get("entities"):
            dispatcher.utter_message(text=finder_help_note())
        elif intent == "check_eligibility":
            # "지원 찾아주세요" while the finder is asking: that is what it is doing (QA: it got
            # "제가 답을 잘 알아듣지 못했어요")
            dispatcher.utter_message(text="네, 지금 맞는 지원을 찾고 있어요. 몇 가지만 더 여쭤볼게요.")
        elif is_question(text):
            dispatcher.utter_message(text=unanswered_question_note(base()))
        elif intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
        elif any(e.get("entity") in SITUATION_ENTITIES for e in tracker.latest_message.get("entities", [])):
            # "소상공인이에요" asked about credit: understood (and kept), only not this answer
            dispatcher.utter_message(text="네, 말씀하신 내용은 잘 알아 두었어요.")
        else:
            dispatcher.utter_message(response="utter_form_rephrase")
        return []
