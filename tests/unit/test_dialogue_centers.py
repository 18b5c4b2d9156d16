"""Where to call (bot/guidance/dialogue/centers.py): centers by region, a detail about them, an agency's phone."""

from __future__ import annotations

from bot.guidance.dialogue.centers import find_center
from bot.knowledge.loader import knowledge
from tests.unit.conversation import FINDER, entity, payloads, said, turn

PROGRAM = "restart_fund"
AFTER_CENTERS = {"last_topic": "centers:", "region": "busan"}


def region(value: str, name: str) -> dict:
    return entity("region", value, name, 0, len(name))


def label(region_id: str) -> str:
    return knowledge().regions[region_id].label


def test_where_to_apply_after_a_program_card_is_about_that_program() -> None:
    reply = find_center(
        turn("그거 어디서 신청해요?", "ask_center", slots={"last_topic": "program", "last_program": PROGRAM})
    )
    program = knowledge().programs[PROGRAM]
    assert said(reply).startswith(f"{program.name} 신청 방법이에요.")
    assert f"· 신청: {program.how_to_apply}" in said(reply)
    assert f'/ask_program_info{{"program": "{PROGRAM}"}}' in payloads(reply)
    assert not reply.slots


def test_an_agency_named_gets_its_verified_phone() -> None:
    reply = find_center(turn("신용회복위원회 전화번호 알려주세요", "ask_center", entities=[entity("agency", "ccrs")]))
    assert said(reply).splitlines()[0] == f"{knowledge().agencies['ccrs'].name}: ☎ 1600-5500"
    assert "1357" in said(reply)  # whom to ask when unsure
    assert not reply.slots


def test_there_after_a_barrier_answer_points_at_that_barriers_agencies() -> None:
    reply = find_center(turn("거기 전화번호 뭐예요?", "ask_center", slots={"last_topic": "tax_arrears"}))
    assert said(reply).splitlines()[0] == f"{knowledge().agencies['nts'].name}: ☎ 126"


def test_an_agency_without_a_verified_phone_is_said_honestly() -> None:
    reply = find_center(turn("거기 전화번호 뭐예요?", "ask_center", slots={"last_topic": "credit_delinquency"}))
    assert f"{knowledge().agencies['ccrs'].name}: ☎ 1600-5500" in said(reply)
    assert "전화번호는 아직 확인하지 못해서 알려 드리기 어려워요" in said(reply)


def test_a_phone_question_after_the_centers_gives_only_the_phones() -> None:
    reply = find_center(turn("전화번호 알려주세요", "ask_center", slots=AFTER_CENTERS))
    assert "지역에서 도움받으실 수 있는 곳이에요" not in said(reply)  # not the whole list again
    assert "☎ 1357" in said(reply) and "☎ 1600-5500" in said(reply)
    assert not reply.slots


def test_an_address_question_after_the_centers_gives_only_the_addresses() -> None:
    reply = find_center(turn("거기 주소는요?", "ask_center", slots=AFTER_CENTERS))
    assert "주소" in said(reply)
    assert "지역에서 도움받으실 수 있는 곳이에요" not in said(reply)
    assert "https://" in said(reply)  # where to look it up, as no address is verified


def test_one_place_after_the_centers_gives_the_one_to_call_first() -> None:
    reply = find_center(turn("가까운 데 한 군데만요", "ask_center", slots=AFTER_CENTERS))
    assert said(reply).startswith(f"{label('busan')}에서는 먼저 이곳에 연락해 보시길 권해요.")
    assert payloads(reply) == ["/ask_center"]


def test_dont_know_the_region_gets_the_national_hotline_and_stops_waiting() -> None:
    reply = find_center(turn("몰라요", "dont_know"))
    assert said(reply).startswith("괜찮아요.") and "1357" in said(reply)
    assert dict(reply.slots) == {"center_pending": False}


def test_nationwide_gets_a_short_answer_with_region_buttons() -> None:
    reply = find_center(turn("전국 센터 다 알려주세요", "ask_center"))
    assert "한 번에 다 보여 드리면 너무 길어져요" in said(reply)
    assert '/inform{"region": "seoul"}' in payloads(reply) and len(payloads(reply)) > 1
    assert dict(reply.slots) == {"center_pending": True}


def test_no_region_known_asks_for_it_and_waits() -> None:
    reply = find_center(turn("상담 센터 어디 있어요?", "ask_center"))
    assert said(reply).startswith("어느 지역에 계신지 알려 주시면")
    assert dict(reply.slots) == {"center_pending": True}


def test_an_ambiguous_region_asks_which_one() -> None:
    reply = find_center(turn("광주 센터요", "ask_center", entities=[region("gwangju|gyeonggi", "광주")]))
    assert "어느 쪽이세요?" in said(reply)
    assert payloads(reply) == ['/inform{"region": "gwangju"}', '/inform{"region": "gyeonggi"}']
    assert dict(reply.slots) == {"center_pending": True}


def test_a_region_named_gets_its_centers_and_is_remembered() -> None:
    reply = find_center(turn("부산 센터 알려주세요", "ask_center", entities=[region("busan", "부산")]))
    assert said(reply).startswith(f"{label('busan')} 지역에서 도움받으실 수 있는 곳이에요.")
    assert "[" in said(reply) and "출처:" in said(reply)  # center cards and their source
    assert dict(reply.slots) == {"region": "busan", "center_pending": False, "last_topic": "centers:"}


def test_the_region_known_is_used_and_the_topic_keeps_the_need() -> None:
    reply = find_center(turn("센터 알려주세요", "ask_center", slots={"region": "daegu", "last_topic": "tax_arrears"}))
    assert said(reply).startswith(f"{label('daegu')} 지역에서")
    assert reply.slots["last_topic"] == "centers:debt"


def test_in_the_finder_another_place_asked_about_does_not_move_the_founder() -> None:
    asked_in_finder = turn(
        "부산 센터 알려주세요", "ask_center", entities=[region("busan", "부산")], slots={"region": "jeju"}, loop=FINDER
    )
    reply = find_center(asked_in_finder)
    assert said(reply).startswith(f"{label('busan')} 지역에서")
    assert "region" not in reply.slots


def test_in_the_finder_a_first_region_named_is_remembered() -> None:
    reply = find_center(turn("부산 센터 알려주세요", "ask_center", entities=[region("busan", "부산")], loop=FINDER))
    assert reply.slots["region"] == "busan"


def test_a_shared_location_gets_the_nearest_regions_centers() -> None:
    message = turn(
        '/share_location{"latitude": 35.18, "longitude": 129.07}',
        "ask_center",
        entities=[{"entity": "latitude", "value": 35.18}, {"entity": "longitude", "value": 129.07}],
        slots={"location": {"lat": 35.18, "lon": 129.07}},
    )
    reply = find_center(message)
    assert said(reply).startswith(f"{label('busan')} 지역에서")
    assert reply.slots["region"] == "busan"
