"""Whom to call or visit: center cards by region, need, or distance from a shared location."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.guidance.answers import (
    NATIONAL_HOTLINE,
    Answer,
    Button,
    Card,
    hotline_text,
    newest,
    source_line,
    verified_hotline,
)
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.models import Center, CenterType
from bot.language.cues import ADDRESS_QUESTION, ONE_PLACE, PHONE_QUESTION

# Which center types answer which need, best first.
CENTER_TYPES_BY_NEED = {
    "export": ["export_center", "sme_office"],
    "debt": ["credit_recovery", "rechallenge_center"],
    "credit": ["credit_recovery", "rechallenge_center"],
    "restart_funding": ["rechallenge_center", "innovation_center"],
    "small_business": ["small_business_center", "rechallenge_center"],
    "startup": ["innovation_center", "rechallenge_center"],
}
DEFAULT_TYPES = ["rechallenge_center", "innovation_center", "credit_recovery"]
NEED_BY_TOPIC = {
    "ask_export_support": "export",
    "credit_delinquency": "credit",
    "bankruptcy": "debt",
    "policy_loan_restriction": "debt",
    "tax_arrears": "debt",
    "ask_sales_channel": "startup",
    "ask_accelerator": "startup",
    "ask_prototyping": "startup",
    "ask_startup_education": "startup",
}


@dataclass
class CenterCard:
    title: str
    lines: list[str]
    website: str | None = None
    sources: list[str] = field(default_factory=list)
    as_of: datetime.date | None = None  # the date of the record's source
    phones: list[str] = field(default_factory=list)  # verified numbers of this very center
    address: str | None = None  # a shown address with its date
    hotline: str = ""  # the verified hotline that connects to it
    call: str = ""  # the number to dial: the center's own verified phone, else that hotline
    reach: str = ""  # the card's line that says how to reach it by phone

    def text(self) -> str:
        return "\n".join([f"[{self.title}]", *self.lines])


def _card(center_type: CenterType, center: Center | None, region_name: str, base: KnowledgeBase) -> CenterCard:
    lines: list[str] = []
    shown_phones: list[str] = []
    address_text: str | None = None
    website = (center.website if center else None) or center_type.website
    if center:
        shown_phones = [phone.number for phone in center.phones if phone.shown]
        shown_addresses = [address for address in center.addresses if address.shown]
        reach = (
            "☎ " + ", ".join(shown_phones)
            if shown_phones
            else f"전화: {hotline_text(base, center_type.hotline)} — 지역 번호는 통화 때 확인해 주세요."
        )
        if shown_phones:
            lines.append(reach)
        for address in shown_addresses[:1]:
            # a shown address always has its date (models.Address); the guard is for the type checker
            dated = f" ({address.as_of.strftime('%Y-%m')} 보도 기준)" if address.as_of else ""
            address_text = f"{address.text}{dated}"
            lines.append(f"주소: {address_text}")
        if not shown_phones:
            lines.append(reach)
    else:
        hotline = hotline_text(base, center_type.hotline)
        # the title already names the center: "[신용회복위원회 (부산)] … ☎ 1600-5500 (신용회복위원회)" would say it twice
        hotline = hotline.replace(f" ({center_type.name})", "")
        reach = f"{region_name} 안내: {hotline} — 가까운 창구를 연결해 드려요."
        lines.append(reach)
    if website:
        lines.append(f"누리집: {website}")
    sources = list(center.source if center else center_type.source)
    title = center.name if center else f"{center_type.name} ({region_name})"
    return CenterCard(
        title,
        lines,
        website,
        sources,
        center.as_of if center else center_type.as_of,
        phones=shown_phones,
        address=address_text,
        hotline=hotline_text(base, center_type.hotline),
        call=shown_phones[0] if shown_phones else verified_hotline(base, center_type.hotline),
        reach=reach,
    )


def centers_for(base: KnowledgeBase, region_id: str, need: str | None = None) -> list[CenterCard]:
    """Cards for `region_id`, the center types that fit `need` first."""
    region = base.regions.get(region_id)
    region_name = region.label if region else region_id
    # 포항/빛가람 have their own innovation center; other offices are their 시·도's.
    lookup_regions = [region_id] + ([region.parent] if region and region.parent else [])
    cards: list[CenterCard] = []
    for type_id in CENTER_TYPES_BY_NEED.get(need or "", DEFAULT_TYPES):
        center_type = base.center_types.get(type_id)
        if center_type is None:
            continue
        # Only centers whose existence is verified are named; otherwise the card names the
        # center type and the verified hotline that connects to the nearest office.
        center = next(
            (
                c
                for r in lookup_regions
                for c in base.centers.values()
                if c.type == type_id and c.verified and r in (c.region, *c.covers)
            ),
            None,
        )
        cards.append(_card(center_type, center, region_name, base))
    return cards[:3]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def nearest_regions(base: KnowledgeBase, lat: float, lon: float, limit: int = 2) -> list[tuple[str, float]]:
    """Region ids by distance of their centroid (시·도청 or city hall) from (lat, lon)."""
    ranked = sorted(
        (
            (region.id, distance_km((lat, lon), (region.centroid.lat, region.centroid.lon)))
            for region in base.regions.values()
        ),
        key=lambda item: item[1],
    )
    return ranked[:limit]


def center_answer(base: KnowledgeBase, region_id: str, need: str | None = None) -> Answer:
    cards = centers_for(base, region_id, need)
    region = base.regions.get(region_id)
    lines = [f"{region.label if region else region_id} 지역에서 도움받으실 수 있는 곳이에요."]
    lines += [card.text() for card in cards]
    # The 기준일 of what these cards state, not of every center in the knowledge base.
    dated = next((card for card in cards if card.as_of == newest(c.as_of for c in cards)), None)
    footer = "전화번호는 확인된 번호만 알려 드려요. " + source_line(
        dated.sources if dated else [], dated.as_of if dated else None
    )
    lines.append(footer)
    return Answer(
        "\n\n".join(lines),
        sources=[s for card in cards for s in card.sources],
        cards=[Card(card.title, "\n".join(card.lines), card.website) for card in cards],
        card_intro=f"{lines[0]}\n{footer}",
    )


def ask_region_answer() -> Answer:
    return Answer(
        "어느 지역에 계신지 알려 주시면 가까운 곳을 찾아 드릴게요. (예: 대구, 성남, 해운대)\n"
        f"지역과 상관없이 상담하시려면 중소기업 통합콜센터 ☎ {NATIONAL_HOTLINE}로 연락하셔도 돼요.",
    )


def ambiguous_region_answer(base: KnowledgeBase, candidates: Sequence[str]) -> Answer:
    return Answer(
        "같은 이름의 지역이 여러 곳 있어요. 어느 쪽이세요?",
        buttons=[Button(base.regions[c].name, f'/inform{{"region": "{c}"}}') for c in candidates if c in base.regions],
    )


def agency_contact_answer(base: KnowledgeBase, agency_ids: Sequence[str]) -> Answer:
    """An agency's phone number when it is verified; otherwise where to find it, honestly."""
    lines, sources = [], []
    for agency_id in dict.fromkeys(agency_ids):
        agency = base.agencies.get(agency_id)
        if agency is None:
            continue
        # its verified hotlines first, else the verified phones on its own record
        contacts = [(h.number, h.source) for h in base.hotlines.values() if h.agency_id == agency_id and h.verified]
        contacts = contacts or [(p.number, [p.source] if p.source else []) for p in agency.shown_phones]
        if contacts:
            lines.append(f"{agency.name}: " + ", ".join(f"☎ {number}" for number, _ in contacts))
            sources += [source for _, urls in contacts for source in urls]
        else:
            where = f" 홈페이지({agency.website})에서 확인하실 수 있어요." if agency.website else ""
            lines.append(f"{agency.name}의 전화번호는 아직 확인하지 못해서 알려 드리기 어려워요.{where}")
    if not lines:
        return ask_region_answer()
    lines.append(f"어디로 연락할지 잘 모르시겠으면 {hotline_text(base, NATIONAL_HOTLINE)}로 물어보셔도 돼요.")
    return Answer("\n".join(lines), sources=sources)


# What a founder asks about the centers just listed ("전화번호 알려주세요", "거기 주소는요?",
# "가까운 데 한 군데만요") gets that detail only, not the whole list again.


def center_followup_aspect(text: str) -> str | None:
    """'phone', 'address' or 'one' for a follow-up about the centers just listed, else None."""
    if ONE_PLACE.search(text):
        return "one"
    if PHONE_QUESTION.search(text):
        return "phone"
    if ADDRESS_QUESTION.search(text):
        return "address"
    return None


def center_followup_answer(base: KnowledgeBase, region_id: str, aspect: str, need: str | None = None) -> Answer:
    """The phones, the addresses, or the one place to start with, for the centers of `region_id`."""
    cards = centers_for(base, region_id, need)
    region = base.regions.get(region_id)
    name = region.label if region else region_id
    if aspect == "phone":
        known = [f"{card.title}: ☎ {', '.join(card.phones)}" for card in cards if card.phones]
        hotlines = list(dict.fromkeys(card.hotline for card in cards if not card.phones))
        lines = known[:]
        if hotlines:
            lines.insert(
                0,
                f"{name} 센터들의 지역 전화번호는 아직 확인하지 못해서 알려 드리기 어려워요. "
                "대신 확인된 번호로 전화하시면 가까운 창구로 연결해 드려요."
                if not known
                else "나머지 센터의 지역 번호는 아직 확인하지 못했어요. 이 번호로 연결받으실 수 있어요.",
            )
            lines += [f"· {hotline}" for hotline in hotlines]
        return Answer("\n".join(lines))
    if aspect == "address":
        addressed = [f"· {card.title}: {card.address}" for card in cards if card.address]
        websites = [f"· {card.title}: {card.website}" for card in cards if not card.address and card.website]
        lines = [f"{name}에서 확인된 주소예요.", *addressed] if addressed else []
        if websites:
            lines.append(
                ("나머지 센터는" if addressed else f"{name} 센터들의")
                + " 지금 주소를 아직 확인하지 못했어요. 찾아가시기 전에 누리집이나 "
                f"{base.hotline_label(NATIONAL_HOTLINE)}로 확인해 주세요."
            )
            lines += websites
        return Answer("\n".join(lines))
    first = cards[0]
    return Answer(
        f"{name}에서는 먼저 이곳에 연락해 보시길 권해요.\n{first.text()}",
        buttons=[Button("다른 곳도 보기", "/ask_center")],
        sources=first.sources,
    )


# "전국 센터 다 알려주세요": the whole country's centers would be a very long list.
OVERVIEW_REGIONS = ["seoul", "gyeonggi", "busan", "daegu", "incheon", "daejeon", "gwangju", "ulsan"]


def nationwide_answer(base: KnowledgeBase) -> Answer:
    """A short answer with region buttons instead of every region's centers at once."""
    innovation = base.center_types.get("innovation_center")
    lines = ["센터는 지역마다 있어서 한 번에 다 보여 드리면 너무 길어져요."]
    if innovation:
        lines.append(f"예를 들어 {innovation.name}는 17개 시·도와 포항, 빛가람(나주)에 한 곳씩 모두 19곳이 있어요.")
    lines.append("계신 지역을 눌러 주시거나 말씀해 주시면 그 지역 센터를 알려 드릴게요. (예: 성남, 해운대)")
    lines.append(f"지역과 상관없이 {base.hotline_label(NATIONAL_HOTLINE)}로 전화하셔도 가까운 창구로 연결해 드려요.")
    buttons = [
        Button(base.regions[region].label, f'/inform{{"region": "{region}"}}')
        for region in OVERVIEW_REGIONS
        if region in base.regions
    ]
    sources = list(innovation.source) if innovation else []
    return Answer("\n".join(lines), buttons=buttons, sources=sources)


def no_region_known_answer(base: KnowledgeBase) -> Answer:
    """'몰라요' to the center finder's region question: the national hotline, no pressure."""
    return Answer(
        f"괜찮아요. 지역과 상관없이 {base.hotline_label(NATIONAL_HOTLINE)}로 전화하시면 가까운 창구로 "
        "연결해 드려요. 나중에 지역을 말씀해 주시면 그때 찾아 드릴게요."
    )
