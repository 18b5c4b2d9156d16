"""Where to call: centers by region (asked once, then remembered), by need, or by shared location."""

from __future__ import annotations

from bot.guidance import centers
from bot.guidance.dialogue.context import CENTERS_TOPIC, followup_answer
from bot.guidance.dialogue.turn import Reply, Turn, answer, remember
from bot.guidance.profile import UNKNOWN, resolve_regions
from bot.knowledge.loader import knowledge
from bot.language.cues import NATIONWIDE, PHONE_QUESTION, THAT_PLACE
from bot.language.gazetteer import Mention


def asked_agencies(turn: Turn) -> list[str]:
    """The agencies whose phone number the founder asks for, named or pointed at ("거기 전화번호")."""
    if not PHONE_QUESTION.search(turn.text) or turn.values("region"):
        return []  # "대구 혁신센터 연락처" is about the center in 대구: the region's cards say it
    named = turn.values("agency")
    if named:
        return [value for value in named if "|" not in value] or named[0].split("|")
    base = knowledge()
    barrier = base.barriers.get(turn.topic)
    if barrier is None or not THAT_PLACE.search(turn.text):
        return []
    hotlines = [base.hotlines[number].agency_id for number in barrier.hotlines if number in base.hotlines]
    return [agency for agency in hotlines if agency] + [
        agency for remedy in barrier.remedies for agency in remedy.agency_ids
    ]


def find_center(turn: Turn) -> Reply:
    """The centers for the founder's region and need, or the one detail asked about them."""
    base = knowledge()
    # "그거 어디서 신청해요?" right after a program card asks where to apply for it.
    followup = followup_answer(turn, pointer_needed=True)
    if followup is not None:
        return answer(turn, followup)
    agencies = asked_agencies(turn)
    if agencies:
        return answer(turn, centers.agency_contact_answer(base, agencies))
    # after a center answer the topic keeps the need that list was for
    listed_for = turn.topic.partition(":")[2] if turn.topic.startswith(CENTERS_TOPIC) else ""
    need = centers.NEED_BY_TOPIC.get(turn.topic) or listed_for or None
    # "전화번호 알려주세요" / "거기 주소는요?" right after the centers: that detail only.
    aspect = centers.center_followup_aspect(turn.text)
    known_region = turn.slot("region")
    if turn.topic.startswith(CENTERS_TOPIC) and aspect and not turn.values("region") and known_region in base.regions:
        return answer(turn, centers.center_followup_answer(base, known_region, aspect, need))
    if turn.intent == "dont_know":  # "몰라요" to "어느 지역에 계세요?"
        return answer(turn, centers.no_region_known_answer(base)) + remember(center_pending=False)
    if NATIONWIDE.search(turn.text) and not turn.values("region"):
        return answer(turn, centers.nationwide_answer(base)) + remember(center_pending=True)
    region = _region_asked(turn)
    if not region or region == UNKNOWN:
        return answer(turn, centers.ask_region_answer()) + remember(center_pending=True)
    candidates = [candidate for candidate in region.split("|") if candidate in base.regions]
    if len(candidates) > 1:
        return answer(turn, centers.ambiguous_region_answer(base, candidates)) + remember(center_pending=True)
    if not candidates:
        return answer(turn, centers.ask_region_answer()) + remember(center_pending=True)
    slots: dict[str, object] = {}
    # In the finder the region is where the founder is: the centers of another place asked
    # about on the way ("부산은요?") do not move them there.
    if not (turn.in_finder and turn.values("region") and turn.slot("region") not in (None, UNKNOWN)):
        slots["region"] = candidates[0]
    slots.update(center_pending=False, last_topic=f"{CENTERS_TOPIC}:{need or ''}")
    return answer(turn, centers.center_answer(base, candidates[0], need)) + remember(**slots)


def _region_asked(turn: Turn) -> str | None:
    """The region named in this message, or nearest to a location it shared, or the one known."""
    mentioned = turn.values("region")
    if mentioned:
        return resolve_regions([Mention("region", value, "", 0, 0) for value in mentioned])
    # a location counts only when this very message shared it
    location = turn.slot("location") if turn.values("latitude") else None
    if isinstance(location, dict) and "lat" in location:
        nearest = centers.nearest_regions(knowledge(), float(location["lat"]), float(location["lon"]))
        return nearest[0][0]
    region = turn.slot("region")
    return str(region) if region else None
