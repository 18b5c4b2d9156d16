"""Center finder: by region (asked once, then remembered), by need, or by shared location."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base, latest_entities, latest_text, say
from actions.programs import followup_answer
from bot.guidance import centers
from bot.guidance.profile import UNKNOWN, resolve_regions
from bot.language.gazetteer import Mention

PHONE_QUESTION = re.compile(r"전화|번호|연락처|연락|콜센터|phone|call", re.IGNORECASE)
# "거기 전화번호 뭐예요?" right after an answer about a barrier: the agencies of that answer.
CENTERS_TOPIC = "centers"  # last_topic after a center answer: "centers:<need>"
ANOTHER_PLACE = 12  # characters: "나주는요?", "포항 쪽은요?"


def asks_about_another_place(tracker: Tracker) -> bool:
    """A short message naming only a region, right after a center answer ("나주는요?")."""
    topic = str(tracker.get_slot("last_topic") or "")
    return (
        topic.startswith(CENTERS_TOPIC)
        and bool(latest_entities(tracker, "region"))
        and not latest_entities(tracker, "program")
        and len(latest_text(tracker)) <= ANOTHER_PLACE
    )


THAT_PLACE = re.compile(r"거기|그곳|그쪽|그\s?기관|그\s?센터|그\s?위원회|그\s?공단")


def asked_agencies(tracker: Tracker) -> list[str]:
    """The agencies whose phone number the founder asks for, named or pointed at."""
    text = latest_text(tracker)
    if not PHONE_QUESTION.search(text) or latest_entities(tracker, "region"):
        return []  # "대구 혁신센터 연락처" is about the center in 대구: the region's cards say it
    named = latest_entities(tracker, "agency")
    if named:
        return [value for value in named if "|" not in value] or named[0].split("|")
    knowledge = base()
    barrier = knowledge.barriers.get(tracker.get_slot("last_topic") or "")
    if barrier is None or not THAT_PLACE.search(text):
        return []
    hotlines = [knowledge.hotlines[number].agency_id for number in barrier.hotlines if number in knowledge.hotlines]
    return [a for a in hotlines if a] + [agency for remedy in barrier.remedies for agency in remedy.agency_ids]


class ActionFindCenter(Action):
    def name(self) -> str:
        return "action_find_center"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        knowledge = base()
        # "그거 어디서 신청해요?" right after a program card asks where to apply for it.
        followup = followup_answer(tracker, pointer_needed=True)
        if followup is not None:
            say(dispatcher, followup, tracker)
            return []
        agencies = asked_agencies(tracker)
        if agencies:
            say(dispatcher, centers.agency_contact_answer(knowledge, agencies), tracker)
            return []
        topic = str(tracker.get_slot("last_topic") or "")
        # after a center answer the topic keeps the need that list was for
        listed_for = topic.partition(":")[2] if topic.startswith(CENTERS_TOPIC) else ""
        need = centers.NEED_BY_TOPIC.get(topic) or listed_for or None
        # "전화번호 알려주세요" / "거기 주소는요?" right after the centers: that detail only.
        aspect = centers.center_followup_aspect(latest_text(tracker))
        known_region = tracker.get_slot("region")
        if (
            topic.startswith(CENTERS_TOPIC)
            and aspect
            and not latest_entities(tracker, "region")
            and known_region in knowledge.regions
        ):
            answer = centers.center_followup_answer(knowledge, known_region, aspect, need)
            say(dispatcher, answer, tracker)
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "dont_know":  # "몰라요" to "어느 지역에 계세요?"
            say(dispatcher, centers.no_region_known_answer(knowledge), tracker)
            return [SlotSet("center_pending", False)]
        if centers.NATIONWIDE.search(latest_text(tracker)) and not latest_entities(tracker, "region"):
            say(dispatcher, centers.nationwide_answer(knowledge), tracker)
            return [SlotSet("center_pending", True)]
        # A location counts only when this very message shared it.
        location = tracker.get_slot("location") if latest_entities(tracker, "latitude") else None
        mentioned = latest_entities(tracker, "region")
        region: str | None = None
        if mentioned:
            region = resolve_regions([Mention("region", value, "", 0, 0) for value in mentioned])
        elif isinstance(location, dict) and "lat" in location:
            nearest = centers.nearest_regions(knowledge, float(location["lat"]), float(location["lon"]))
            region = nearest[0][0]
        else:
            region = tracker.get_slot("region")
        if not region or region == UNKNOWN:
            say(dispatcher, centers.ask_region_answer(), tracker)
            return [SlotSet("center_pending", True)]
        candidates = [c for c in region.split("|") if c in knowledge.regions]
        if len(candidates) > 1:
            say(dispatcher, centers.ambiguous_region_answer(knowledge, candidates), tracker)
            return [SlotSet("center_pending", True)]
        if not candidates:
            say(dispatcher, centers.ask_region_answer(), tracker)
            return [SlotSet("center_pending", True)]
        say(dispatcher, centers.center_answer(knowledge, candidates[0], need), tracker)
        events: list[EventType] = [
            SlotSet("center_pending", False),
            SlotSet("last_topic", f"{CENTERS_TOPIC}:{need or ''}"),
        ]
        # In the finder the region is where the founder is: the centers of another place
        # asked about on the way ("부산은요?") do not move them there.
        if not (tracker.active_loop_name and mentioned and tracker.get_slot("region") not in (None, UNKNOWN)):
            events.insert(0, SlotSet("region", candidates[0]))
        return events
