"""Center finder: by region (asked once, then remembered), by need, or by shared location."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base, latest_entities, say
from bot.guidance import centers
from bot.guidance.profile import UNKNOWN, resolve_regions
from bot.language.gazetteer import Mention


class ActionFindCenter(Action):
    def name(self) -> str:
        return "action_find_center"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        knowledge = base()
        need = centers.NEED_BY_TOPIC.get(tracker.get_slot("last_topic") or "")
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
        return [SlotSet("region", candidates[0]), SlotSet("center_pending", False)]
