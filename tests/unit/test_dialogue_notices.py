"""Open calls in the conversation: asked for, after the finder's results, and when nothing is open."""

from __future__ import annotations

import datetime
from dataclasses import replace

from bot.guidance.dialogue import fallback, notices, programs
from bot.knowledge.loader import knowledge
from bot.notices.answers import LiveNotices
from bot.notices.match import NoticeIndex
from bot.notices.models import Notice
from tests.unit.conversation import TODAY, said, slot, turn

CHECKED = datetime.datetime(2026, 12, 3, 9, 30)


def call(title: str, regions: list[str], **fields: object) -> Notice:
    values: dict = {
        "source": "kstartup",
        "source_id": title,
        "title": title,
        "regions": regions,
        "url": f"https://www.k-startup.go.kr/notice/{len(title)}",
        "opens": datetime.date(2026, 11, 20),
        "closes": datetime.date(2026, 12, 13),
        "agency": "창업진흥원",
        "fetched_at": CHECKED,
    }
    values.update(fields)
    return Notice(**values)


BUSAN = call("부산 소상공인 재기 지원사업 모집", ["부산"])
NATIONWIDE = call(
    "재창업 사업화 지원 추가 모집",
    ["전국"],
    excluded="금융기관 채무불이행자는 신청할 수 없습니다",
)
SEOUL = call("서울 재창업 아카데미 모집", ["서울"])


def live(*stored: Notice) -> LiveNotices:
    return LiveNotices(NoticeIndex(stored, knowledge()), {"bizinfo": False, "kstartup": True}, CHECKED)


def in_busan(text: str, intent: str = "ask_restart_programs", stored: LiveNotices | None = None):
    asked = turn(text, intent, earlier=[slot("region", "busan"), slot("closed", True)])
    return replace(asked, notices=stored if stored is not None else live(BUSAN, NATIONWIDE, SEOUL))


def test_a_founder_in_busan_sees_busan_and_nationwide_calls_with_d_day_and_link() -> None:
    reply = programs.list_programs(in_busan("요즘 모집 중인 지원사업 있나요?"))
    text = said(reply)
    assert BUSAN.title in text and NATIONWIDE.title in text and SEOUL.title not in text
    assert "D-10 (12월 13일 마감)" in text and "창업진흥원" in text and BUSAN.url in text
    assert "공고 출처: K-Startup · 마지막 확인 2026-12-03 09:30" in text
    assert reply.slots["last_topic"] == "open_calls"


def test_an_exclusion_of_defaulters_shows_the_credit_barrier_and_its_remedy() -> None:
    text = said(programs.list_programs(in_busan("지금 신청할 수 있는 공고 있어요?")))
    barrier = knowledge().barriers["credit_delinquency"]
    assert f"'{barrier.name}'" in text and barrier.remedies[0].title in text


def test_nothing_open_says_so_and_when_the_restart_programs_usually_open() -> None:
    text = said(programs.list_programs(in_busan("지금 신청 가능한 공고 있어요?", stored=live(SEOUL))))
    assert "찾지 못했어요" in text
    assert "재도전성공패키지" in text and "마감됐어요" in text
    assert "마지막 확인" in text


def test_without_stored_notices_the_founder_is_told_where_to_look() -> None:
    reply = programs.list_programs(in_busan("지금 열린 공고 있어요?", stored=LiveNotices(None)))
    assert "bizinfo.go.kr" in said(reply) and "k-startup.go.kr" in said(reply)


def test_the_overview_is_unchanged_when_open_calls_are_not_asked_for() -> None:
    reply = programs.list_programs(in_busan("재창업 지원 뭐 있어요?"))
    assert BUSAN.title not in said(reply) and reply.slots["last_topic"] == "programs"


def test_a_low_confidence_question_about_open_calls_gets_them_not_a_menu() -> None:
    reply = fallback.clarify(in_busan("요즘 모집 중인 지원사업 있나요?", "nlu_fallback"))
    assert BUSAN.title in said(reply)
    assert not any(message.get("buttons") for message in reply.messages)


def test_the_finder_results_are_followed_by_the_matching_open_calls() -> None:
    finished = replace(in_busan("없어요", "inform"), today=TODAY)
    reply = programs.recommendations(finished)
    assert len(reply.messages) >= 2 and BUSAN.title in said(reply)
    assert reply.slots["last_topic"] == "recommendations"
    alone = programs.recommendations(replace(finished, notices=live(SEOUL)))
    assert SEOUL.title not in said(alone) and "찾지 못했어요" not in said(alone)


def test_a_button_payload_is_never_read_as_a_question_about_open_calls() -> None:
    assert not notices.asks_for_open_calls(in_busan('/inform{"region": "busan"}'))
