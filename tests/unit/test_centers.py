"""Center answers for every region: websites, only verified phones, need routing, nearest region."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.guidance import centers
from bot.knowledge.loader import KnowledgeBase, knowledge
from bot.knowledge.models import Phone
from bot.language.cues import NATIONWIDE

# Anything that reads as a phone number: 051-316-4050, 1588-7365, 02-123-4567, or '☎ 126'.
DASHED_PHONE = re.compile(r"(?<![\d-])(?:0\d{1,2}-\d{3,4}-\d{4}|1\d{3}-\d{4})(?![\d-])")
PHONE_AFTER_SIGN = re.compile(r"☎\s*(\d[\d-]*\d)")

REGION_IDS = [
    "seoul",
    "busan",
    "daegu",
    "incheon",
    "gwangju",
    "daejeon",
    "ulsan",
    "sejong",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "chungnam",
    "jeonbuk",
    "jeonnam",
    "gyeongbuk",
    "gyeongnam",
    "jeju",
    "pohang",
    "bitgaram",
]
NEEDS: list[str | None] = [None, *centers.CENTER_TYPES_BY_NEED]


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return knowledge()


def phone_numbers_in(text: str) -> list[str]:
    return DASHED_PHONE.findall(text) + PHONE_AFTER_SIGN.findall(text)


def test_phone_finder_sees_every_kind_of_number() -> None:
    text = "☎ 126 / 051-316-4050 / 1544-1120 · 기준일 2024-12-30 · 2012년~2016년"
    assert sorted(phone_numbers_in(text)) == sorted(["126", "051-316-4050", "1544-1120"])


def test_the_region_list_is_the_knowledge_base_regions(base: KnowledgeBase) -> None:
    assert sorted(base.regions) == sorted(REGION_IDS)


@pytest.mark.parametrize("region_id", REGION_IDS)
def test_every_region_gets_an_answer_with_a_website(base: KnowledgeBase, region_id: str) -> None:
    answer = centers.center_answer(base, region_id)
    region = base.regions[region_id]
    assert answer.text.startswith(f"{region.label} 지역에서")
    assert re.search(r"누리집: https://\S+", answer.text)
    assert f"https://ccei.creativekorea.or.kr/{region_id}/" in answer.text  # its own innovation center
    assert re.search(r"기준일 \d{4}-\d{2}-\d{2}", answer.text)
    assert answer.sources


@pytest.mark.parametrize("need", NEEDS)
@pytest.mark.parametrize("region_id", REGION_IDS)
def test_no_answer_shows_a_phone_number_that_is_not_verified(
    base: KnowledgeBase, region_id: str, need: str | None
) -> None:
    text = centers.center_answer(base, region_id, need).text
    numbers = phone_numbers_in(text)
    assert numbers, "every answer gives at least one number to call"
    assert [number for number in numbers if number not in base.verified_numbers] == []


@pytest.mark.parametrize("region_id", REGION_IDS)
def test_1357_is_given_when_no_local_number_is_verified(base: KnowledgeBase, region_id: str) -> None:
    assert not [p for c in base.centers.values() if c.region == region_id for p in c.phones if p.shown]
    assert "☎ 1357 (중소기업 통합콜센터)" in centers.center_answer(base, region_id).text


def with_busan_center_phone(base: KnowledgeBase, phone: Phone) -> KnowledgeBase:
    """The real knowledge base with one phone added to the Busan innovation center."""
    busan = base.centers["ccei_busan"]
    changed = {**base.centers, "ccei_busan": busan.copy(update={"phones": [phone]})}
    return dataclasses.replace(base, centers=changed)


def test_an_unverified_center_phone_is_not_shown(base: KnowledgeBase) -> None:
    changed = with_busan_center_phone(base, Phone(number="051-000-1234", verified=False))
    for need in NEEDS:
        text = centers.center_answer(changed, "busan", need).text
        assert "051-000-1234" not in text
    assert "☎ 1357" in centers.center_answer(changed, "busan").text


def test_a_verified_center_phone_is_shown_instead_of_1357(base: KnowledgeBase) -> None:
    phone = Phone(number="051-000-1234", verified=True, source="https://example.com/busan")
    card = next(c for c in centers.centers_for(with_busan_center_phone(base, phone), "busan") if "창조" in c.title)
    assert "☎ 051-000-1234" in card.text()
    assert "1357" not in card.text()


@pytest.mark.parametrize("region_id", REGION_IDS)
def test_an_export_question_puts_the_export_center_first(base: KnowledgeBase, region_id: str) -> None:
    cards = centers.centers_for(base, region_id, "export")
    assert "수출지원센터" in cards[0].title
    assert cards[0].website and cards[0].website.startswith("https://www.mss.go.kr")


def test_jeju_export_names_its_own_export_center(base: KnowledgeBase) -> None:
    assert centers.centers_for(base, "jeju", "export")[0].title == "제주 수출지원센터"


@pytest.mark.parametrize("region_id", REGION_IDS)
@pytest.mark.parametrize("need", ["credit", "debt"])
def test_a_credit_question_puts_the_credit_recovery_committee_first(
    base: KnowledgeBase, region_id: str, need: str
) -> None:
    cards = centers.centers_for(base, region_id, need)
    assert cards[0].title.startswith("신용회복위원회")
    assert "☎ 1600-5500" in cards[0].text()
    answer = centers.center_answer(base, region_id, need).text
    assert answer.index("신용회복위원회") < answer.index("재도전종합지원센터")


@pytest.mark.parametrize(
    "region_id, title",
    [
        ("busan", "부산지방중소벤처기업청"),
        ("daegu", "대구경북지방중소벤처기업청"),
        ("gwangju", "광주전남지방중소벤처기업청"),
        ("daejeon", "대전세종지방중소벤처기업청"),
        ("chungnam", "충남지방중소벤처기업청"),
    ],
)
def test_export_answers_name_the_regional_sme_office(base: KnowledgeBase, region_id: str, title: str) -> None:
    assert title in centers.center_answer(base, region_id, "export").text


@pytest.mark.parametrize(
    "region_id, center_name",
    [("pohang", "포항창조경제혁신센터"), ("bitgaram", "빛가람창조경제혁신센터"), ("gyeongbuk", "경북창조경제혁신센터")],
)
def test_the_center_cities_have_their_own_innovation_center(
    base: KnowledgeBase, region_id: str, center_name: str
) -> None:
    titles = [card.title for card in centers.centers_for(base, region_id)]
    assert center_name in titles


def test_a_dated_address_is_shown_with_its_date(base: KnowledgeBase) -> None:
    text = centers.center_answer(base, "gangwon").text
    assert "춘천ICT벤처센터 5층" in text and "(2024-12 보도 기준)" in text


@pytest.mark.parametrize("region_id, past_location", [("busan", "센텀"), ("incheon", "미추홀타워"), ("seoul", "목동")])
def test_a_past_location_is_never_given_as_an_address(base: KnowledgeBase, region_id: str, past_location: str) -> None:
    for need in NEEDS:
        assert past_location not in centers.center_answer(base, region_id, need).text


@pytest.mark.parametrize(
    "lat, lon, region_id",
    [
        (35.1798, 129.0750, "busan"),  # 부산시청
        (36.019, 129.343, "pohang"),  # 포항시청
        (33.4996, 126.5312, "jeju"),  # 제주시
        (37.5665, 126.9780, "seoul"),  # 서울시청
        (35.0215, 126.788, "bitgaram"),  # 빛가람혁신도시
        (35.8714, 128.6014, "daegu"),  # 대구시청
        (37.2636, 127.0286, "gyeonggi"),  # 수원
        (35.2280, 128.6811, "gyeongnam"),  # 창원
    ],
)
def test_nearest_regions_start_with_the_region_you_are_in(
    base: KnowledgeBase, lat: float, lon: float, region_id: str
) -> None:
    ranked = centers.nearest_regions(base, lat, lon)
    assert ranked[0][0] == region_id
    assert len(ranked) == 2
    assert ranked[0][1] <= ranked[1][1]


def test_distance_between_seoul_and_busan_city_halls() -> None:
    assert centers.distance_km((37.5665, 126.9780), (35.1798, 129.0750)) == pytest.approx(325, abs=10)


def test_asking_for_the_region_offers_1357(base: KnowledgeBase) -> None:
    assert "1357" in centers.ask_region_answer().text


def test_an_ambiguous_region_offers_one_button_per_candidate(base: KnowledgeBase) -> None:
    answer = centers.ambiguous_region_answer(base, ["gwangju", "gyeonggi"])
    assert [button.title for button in answer.buttons] == ["광주광역시", "경기도"]
    assert answer.buttons[1].payload == '/inform{"region": "gyeonggi"}'


@pytest.mark.parametrize(
    "region_id, title",
    [
        ("gyeongbuk", "대구경북지방중소벤처기업청"),
        ("jeonnam", "광주전남지방중소벤처기업청"),
        ("sejong", "대전세종지방중소벤처기업청"),
    ],
)
def test_export_answers_name_the_joint_regional_sme_office(base: KnowledgeBase, region_id: str, title: str) -> None:
    assert title in centers.center_answer(base, region_id, "export").text


@pytest.mark.parametrize(
    "region_id, office",
    [
        ("chungnam", "충남지방중소벤처기업청"),
        ("daejeon", "대전세종지방중소벤처기업청"),
        ("sejong", "대전세종지방중소벤처기업청"),
    ],
)
def test_daejeon_chungnam_office_split_of_2020(base: KnowledgeBase, region_id: str, office: str) -> None:
    # since 2020-03-31 대전·충남청 is 대전세종청 (대전, 세종) and 충남청 (천안; all of 충남)
    titles = [card.title for card in centers.centers_for(base, region_id, "export")]
    assert office in titles, titles
    for need in NEEDS:
        assert "대전세종충남" not in centers.center_answer(base, region_id, need).text


def test_daejeon_innovation_center_is_at_the_startup_park(base: KnowledgeBase) -> None:
    # moved to 대전스타트업파크 본부 (궁동) in 2025-03; the old KAIST address is a past location
    card = next(c for c in centers.centers_for(base, "daejeon") if c.title == "대전창조경제혁신센터")
    assert card.address == "대전 유성구 궁동 대전스타트업파크 본부 (2025-03 보도 기준)", card.address
    assert "나노종합기술원" not in centers.center_answer(base, "daejeon").text


@pytest.mark.parametrize("region_id", ["seoul", "busan", "daejeon", "gyeongnam"])
def test_a_center_whose_existence_is_unverified_is_not_presented_by_name(base: KnowledgeBase, region_id: str) -> None:
    unverified_names = [c.name for c in base.centers.values() if c.region == region_id and not c.verified]
    assert unverified_names
    titles = [card.title for card in centers.centers_for(base, region_id)]
    assert not set(unverified_names) & set(titles)


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("전화번호 알려주세요", "phone"),
        ("거기 주소는요?", "address"),
        ("가까운 데 한 군데만요", "one"),
        ("부산에 상담받을 데 있어요?", None),
    ],
)
def test_follow_ups_about_the_centers_just_listed(text: str, aspect: str | None) -> None:
    assert centers.center_followup_aspect(text) == aspect


def test_phone_follow_up_gives_only_verified_numbers_not_the_list(base: KnowledgeBase) -> None:
    # QA: "전화번호 알려주세요" after the 부산 centers repeated the whole list
    answer = centers.center_followup_answer(base, "busan", "phone").text
    assert "아직 확인하지 못해서" in answer and "1357" in answer, answer
    assert "누리집" not in answer and "[" not in answer, answer
    assert set(phone_numbers_in(answer)) <= set(base.verified_numbers), answer


def test_address_follow_up_says_plainly_what_is_not_verified(base: KnowledgeBase) -> None:
    busan = centers.center_followup_answer(base, "busan", "address").text
    assert "주소를 아직 확인하지 못했어요" in busan and "1357" in busan, busan
    gangwon = centers.center_followup_answer(base, "gangwon", "address").text
    assert "보도 기준" in gangwon, gangwon  # a dated, shown address is given


def test_one_place_is_one_card(base: KnowledgeBase) -> None:
    answer = centers.center_followup_answer(base, "busan", "one")
    assert answer.text.count("[") == 1, answer.text
    assert [button.title for button in answer.buttons] == ["다른 곳도 보기"]


def test_the_whole_country_is_a_short_answer_with_buttons(base: KnowledgeBase) -> None:
    assert NATIONWIDE.search("전국에 있는 센터 다 알려주세요")
    answer = centers.nationwide_answer(base)
    assert "19곳" in answer.text and "[" not in answer.text, answer.text
    assert len(answer.buttons) == len(centers.OVERVIEW_REGIONS) <= 10
    assert set(phone_numbers_in(answer.text)) <= set(base.verified_numbers)


def test_no_region_known_gets_the_national_hotline(base: KnowledgeBase) -> None:
    assert "1357" in centers.no_region_known_answer(base).text


def test_naju_is_named_the_way_people_there_say_it(base: KnowledgeBase) -> None:
    # "빛가람 지역" alone puzzled a founder from 나주; the innovation city's short name stays a pattern
    answer = centers.center_answer(base, "bitgaram")
    assert answer.text.startswith("나주 빛가람 지역에서"), answer.text


def test_a_card_names_its_agency_once(base: KnowledgeBase) -> None:
    text = centers.center_answer(base, "busan").text
    assert "[신용회복위원회 (부산)]" in text and "☎ 1600-5500" in text, text
    assert "1600-5500 (신용회복위원회)" not in text, text  # QA: the name twice on one card
