"""The real gazetteer (built from the knowledge base) on sentences founders actually write."""

from __future__ import annotations

import pytest

from bot.guidance.profile import resolve_regions
from bot.language.gazetteer import Gazetteer, Mention, gazetteer


@pytest.fixture(scope="module")
def finder() -> Gazetteer:
    return gazetteer()


def mentions(finder: Gazetteer, text: str, label: str | None = None) -> list[Mention]:
    found = finder.find(text)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text, (text, mention)
    return [mention for mention in found if label is None or mention.label == label]


def region_of(finder: Gazetteer, text: str) -> str:
    regions = mentions(finder, text, "region")
    assert regions, f"no region found in {text!r}"
    return resolve_regions(regions)


SIDO_FORMS = [  # long, short and old forms of all 17 시·도
    ("서울특별시", "seoul"),
    ("서울", "seoul"),
    ("서울시", "seoul"),
    ("부산광역시", "busan"),
    ("부산", "busan"),
    ("대구광역시", "daegu"),
    ("대구", "daegu"),
    ("인천광역시", "incheon"),
    ("인천", "incheon"),
    ("광주광역시", "gwangju"),
    ("대전광역시", "daejeon"),
    ("대전", "daejeon"),
    ("울산광역시", "ulsan"),
    ("울산", "ulsan"),
    ("세종특별자치시", "sejong"),
    ("세종시", "sejong"),
    ("경기도", "gyeonggi"),
    ("강원도", "gangwon"),
    ("강원특별자치도", "gangwon"),
    ("강원", "gangwon"),
    ("충청북도", "chungbuk"),
    ("충북", "chungbuk"),
    ("충청남도", "chungnam"),
    ("충남", "chungnam"),
    ("전라북도", "jeonbuk"),
    ("전북특별자치도", "jeonbuk"),
    ("전북자치도", "jeonbuk"),
    ("전북", "jeonbuk"),
    ("전라남도", "jeonnam"),
    ("전남", "jeonnam"),
    ("경상북도", "gyeongbuk"),
    ("경북", "gyeongbuk"),
    ("경상남도", "gyeongnam"),
    ("경남", "gyeongnam"),
    ("제주도", "jeju"),
    ("제주특별자치도", "jeju"),
    ("제주", "jeju"),
]


@pytest.mark.parametrize("name, region_id", SIDO_FORMS)
@pytest.mark.parametrize(
    "sentence", ["{}에서 식당을 하다가 폐업했어요", "저는 {} 살아요", "{}인데 지원 받을 수 있나요?"]
)
def test_every_sido_name_resolves(finder: Gazetteer, name: str, region_id: str, sentence: str) -> None:
    text = sentence.format(name)
    regions = mentions(finder, text, "region")
    assert [(m.text, m.value) for m in regions] == [(name, region_id)]


@pytest.mark.parametrize(
    "name, region_id",
    [
        ("성남", "gyeonggi"),
        ("분당", "gyeonggi"),
        ("수원", "gyeonggi"),
        ("고양시", "gyeonggi"),
        ("일산", "gyeonggi"),
        ("용인", "gyeonggi"),
        ("부천", "gyeonggi"),
        ("의정부", "gyeonggi"),
        ("해운대", "busan"),
        ("해운대구", "busan"),
        ("기장군", "busan"),
        ("사하구", "busan"),
        ("창원", "gyeongnam"),
        ("마산", "gyeongnam"),
        ("김해", "gyeongnam"),
        ("진주", "gyeongnam"),
        ("통영", "gyeongnam"),
        ("청주", "chungbuk"),
        ("충주", "chungbuk"),
        ("천안", "chungnam"),
        ("아산", "chungnam"),
        ("전주", "jeonbuk"),
        ("군산", "jeonbuk"),
        ("익산", "jeonbuk"),
        ("목포", "jeonnam"),
        ("여수", "jeonnam"),
        ("순천", "jeonnam"),
        ("구미", "gyeongbuk"),
        ("경주", "gyeongbuk"),
        ("안동", "gyeongbuk"),
        ("원주", "gangwon"),
        ("춘천", "gangwon"),
        ("강릉", "gangwon"),
        ("속초", "gangwon"),
        ("강남구", "seoul"),
        ("마포구", "seoul"),
        ("송파구", "seoul"),
        ("수성구", "daegu"),
        ("달서구", "daegu"),
        ("군위", "daegu"),  # moved from 경북 to 대구 on 2023-07-01
        ("군위군", "daegu"),
        ("부평구", "incheon"),
        ("유성구", "daejeon"),
        ("울주", "ulsan"),
        ("서귀포", "jeju"),
        ("광산구", "gwangju"),
    ],
)
def test_districts_resolve_to_their_sido(finder: Gazetteer, name: str, region_id: str) -> None:
    text = f"{name}에서 가게 하다가 작년에 접었어요"
    regions = mentions(finder, text, "region")
    assert [(m.text, m.value) for m in regions] == [(name, region_id)]


@pytest.mark.parametrize(
    "text, region_id",
    [
        ("포항에서 공장을 했어요", "pohang"),
        ("포항시 남구에 살아요", "pohang"),
        ("나주에서 식당 했어요", "bitgaram"),
        ("나주시인데요", "bitgaram"),
        ("빛가람혁신도시에 있어요", "bitgaram"),
    ],
)
def test_the_two_extra_center_cities_are_their_own_regions(finder: Gazetteer, text: str, region_id: str) -> None:
    assert region_of(finder, text) == region_id


@pytest.mark.parametrize(
    "text, candidates",
    [
        ("고성에서 펜션을 했어요", ["gangwon", "gyeongnam"]),
        ("광주에서 카페를 했어요", ["gwangju", "gyeonggi"]),
        ("중구에서 장사했어요", ["busan", "daegu", "daejeon", "seoul", "ulsan"]),
    ],
)
def test_an_ambiguous_place_name_keeps_every_candidate(finder: Gazetteer, text: str, candidates: list[str]) -> None:
    (mention,) = mentions(finder, text, "region")
    assert mention.ambiguous
    assert sorted(mention.candidates) == candidates
    assert resolve_regions([mention]) == "|".join(candidates)


@pytest.mark.parametrize(
    "text, region_id",
    [
        ("경기도 광주에서 카페를 했어요", "gyeonggi"),
        ("경기 광주에서 카페를 했어요", "gyeonggi"),
        ("광주광역시에서 카페를 했어요", "gwangju"),
        ("광주 광산구에서 카페를 했어요", "gwangju"),
        ("강원도 고성에서 펜션을 했어요", "gangwon"),
        ("경남 고성에서 펜션을 했어요", "gyeongnam"),
        ("서울 중구에서 장사했어요", "seoul"),
        ("대구 중구에서 장사했어요", "daegu"),
    ],
)
def test_naming_the_sido_settles_an_ambiguous_place(finder: Gazetteer, text: str, region_id: str) -> None:
    assert region_of(finder, text) == region_id


@pytest.mark.parametrize(
    "text",
    [
        "경기가 안 좋아서 폐업했어요",  # 경기 = the economy, not 경기도
        "코로나로 경기가 나빠져서 문 닫았어요",
        "고양이 카페를 했어요",  # 고양 is left out of the aliases for this reason
        "서울대 나왔는데 사업은 망했어요",
        "축구 경기 일정 알려줘",  # 경기 = a match
        "야구 경기 결과 어떻게 됐어?",
        "어제 농구 경기 봤어요?",
        "경기 중계 어디서 봐요",
        "오늘 밤 국가대표 경기 몇 시야",
        "경기 끝나고 다시 물어볼게요",
        "이강인 요즘 경기 뛰어?",
        "세종대왕 때 만든 거 뭐 있어요",
    ],
)
def test_ordinary_words_are_not_places(finder: Gazetteer, text: str) -> None:
    assert mentions(finder, text, "region") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("부산에서 식당 했어요", [("부산", "busan")]),
        ("성남인데 폐업했어요", [("성남", "gyeonggi")]),
        ("부산에서식당했는데망했어요", [("부산", "busan")]),
        ("성남인데요ㅠㅠ", [("성남", "gyeonggi")]),
        ("😭😭 해운대에서 폐업했어요", [("해운대", "busan")]),
        ("👨\u200d👩\u200d👧 가족이랑 창원으로 이사했어요", [("창원", "gyeongnam")]),
        ("🙏대구🙏", [("대구", "daegu")]),
        ("부산\n해운대구", [("부산", "busan"), ("해운대구", "busan")]),
        ("  전라북도   전주시에서요  ", [("전라북도", "jeonbuk"), ("전주시", "jeonbuk")]),
        ("경기도,성남시,분당구", [("경기도", "gyeonggi"), ("성남시", "gyeonggi"), ("분당구", "gyeonggi")]),
    ],
)
def test_offsets_point_at_the_name_in_messy_text(finder: Gazetteer, text: str, expected: list[tuple]) -> None:
    regions = mentions(finder, text, "region")  # asserts text[start:end] == mention.text
    assert [(m.text, m.value) for m in regions] == expected


@pytest.mark.parametrize(
    "text", ["경기요", "경기 쪽이에요", "경기에서 식당 했어요", "경기 지역 센터 어디예요", "경기 지원사업 있어요?"]
)
def test_gyeonggi_alone_is_still_the_province(finder: Gazetteer, text: str) -> None:
    assert [(m.text, m.value) for m in mentions(finder, text, "region")] == [("경기", "gyeonggi")]


def test_offsets_after_an_emoji_are_python_string_offsets(finder: Gazetteer) -> None:
    text = "😭 부산에서 폐업"
    (mention,) = mentions(finder, text, "region")
    assert (mention.start, mention.end) == (2, 4)


@pytest.mark.parametrize(
    "text, label, value, surface",
    [
        ("중진공에 물어봤어요", "agency", "kosmes", "중진공"),
        ("소진공 철거비 받을 수 있나요", "agency", "semas", "소진공"),
        ("신복위에서 채무조정 중이에요", "agency", "ccrs", "신복위"),
        ("기보 보증 사고가 났어요", "agency", "kibo", "기보"),
        ("신보에서 대위변제 했어요", "agency", "kodit", "신보"),
        ("재창업자금 받고 싶어요", "program", "restart_fund", "재창업자금"),
        ("재창업 자금 받고 싶어요", "program", "restart_fund", "재창업 자금"),
        ("재도전성공패키지 알려 주세요", "program", "rechallenge_success_package", "재도전성공패키지"),
        ("재성패 신청하려고요", "program", "rechallenge_success_package", "재성패"),
        ("희망리턴패키지 대상인가요", "program", "hope_return_package", "희망리턴패키지"),
        ("힐링캠프 가고 싶어요", "program", "jaegi_healing_camp", "힐링캠프"),
        ("99조의10 대상인가요", "program", "tax_collection_special_case", "99조의10"),
    ],
)
def test_programs_and_agencies_by_abbreviation(
    finder: Gazetteer, text: str, label: str, value: str, surface: str
) -> None:
    found = [(m.label, m.value, m.text) for m in mentions(finder, text)]
    assert (label, value, surface) in found


def test_several_agencies_in_one_sentence(finder: Gazetteer) -> None:
    text = "중진공이랑 소진공, 신복위, 기보, 신보에 다 물어봤어요"
    agencies = [m.value for m in mentions(finder, text, "agency")]
    assert agencies == ["kosmes", "semas", "ccrs", "kibo", "kodit"]


def test_empty_and_blank_text_have_no_mentions(finder: Gazetteer) -> None:
    assert finder.find("") == []
    assert finder.find("   \n ") == []
    assert finder.find("😀😀") == []


def test_a_word_keeps_its_label_whatever_else_is_said(finder: Gazetteer) -> None:
    alone = mentions(finder, "연체는 없어요")
    in_context = [m for m in mentions(finder, "폐업했고 연체는 없어요") if m.text == "연체"]
    assert [m.label for m in alone] == [m.label for m in in_context]


@pytest.mark.parametrize(
    "text, name, region_id",
    [
        ("구리 살아요 남양주 바로 옆이요", "구리", "gyeonggi"),
        ("고양에 재도전종합지원센터 있다던데 아직 있나요", "고양", "gyeonggi"),
        ("거창이나 함양 쪽에 상담 창구 있어요?", "함양", "gyeongnam"),
        ("사업장은 양산이었고 집은 부산이에요", "양산", "gyeongnam"),
        ("전라남도 무안에서 양파즙 팔았어요", "무안", "jeonnam"),
        ("동해 근처 소진공 센터 알려주세요", "동해", "gangwon"),
        ("수영 쪽에 살아요", "수영", "busan"),
        ("이천", "이천", "gyeonggi"),  # the whole answer to "어느 지역이세요?"
        ("고양 덕양구에서 가까운 센터요", "고양", "gyeonggi"),  # a place within the place follows
        ("상주 소상공인지원센터 전화번호요", "상주", "gyeongbuk"),
    ],
)
def test_a_short_district_name_that_is_also_a_word_counts_where_it_is_said_as_a_place(
    finder: Gazetteer, text: str, name: str, region_id: str
) -> None:
    assert (name, region_id) in [(m.text, m.value) for m in mentions(finder, text, "region")]


@pytest.mark.parametrize(
    "text",
    ["고양이 키워요", "구리 가격이 올랐어요", "거창한 계획은 없어요", "양산 쓰고 나갔어요", "동해 바다 보러 가요",
     "수영 배우고 싶어요", "음성 메시지 남겼어요", "예산이 부족해요", "이천만원 빚이 있어요", "수지 맞는 장사"],
)  # fmt: skip
def test_the_same_words_said_as_words_are_not_places(finder: Gazetteer, text: str) -> None:
    assert mentions(finder, text, "region") == []
