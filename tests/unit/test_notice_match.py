"""Which open calls fit a founder: region, restart topic, 업력, exclusions, the curated program."""

from __future__ import annotations

import datetime

from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import knowledge
from bot.notices.match import NoticeIndex
from bot.notices.models import Notice, Window

TODAY = datetime.date(2026, 12, 3)
FETCHED = datetime.datetime(2026, 12, 3, 9, 0)


def notice(title: str, **fields: object) -> Notice:
    values: dict = {
        "source": "kstartup",
        "source_id": title,
        "title": title,
        "url": "https://www.k-startup.go.kr/notice/1",
        "opens": datetime.date(2026, 11, 20),
        "closes": datetime.date(2026, 12, 20),
        "fetched_at": FETCHED,
    }
    values.update(fields)
    return Notice(**values)


BUSAN = notice("2026년 부산 소상공인 재기 지원사업", regions=["부산"])
NATIONWIDE = notice("2026년 재도전성공패키지 예비재창업자 추가 모집", regions=["전국"], business_age="예비창업자")
SEOUL = notice("서울 재창업 아카데미 참가자 모집", regions=["서울"])
EXPORT = notice("2026년 수출바우처 사업 모집", regions=["전국"])  # not about a restart
CLOSED = notice("부산 재창업 컨설팅", regions=["부산"], closes=datetime.date(2026, 11, 30))
ALWAYS = notice("재기 소상공인 상담 (상시)", regions=["전국"], window=Window.always, opens=None, closes=None)
EXCLUDING = notice(
    "재창업 사업화 자금 지원",
    regions=["전국"],
    excluded="금융기관 채무불이행자, 국세·지방세 체납자는 신청할 수 없습니다",
)
OLD_COMPANIES = notice("재도약 성장 지원 (업력 3년 이상)", regions=["전국"], business_age="3년이상,7년미만")


def matched(profile: FounderProfile, *notices: Notice) -> list[str]:
    return [found.notice.title for found in NoticeIndex(notices, knowledge()).match(profile, TODAY)]


def test_a_founder_from_busan_sees_busan_and_nationwide_calls_not_seoul_ones() -> None:
    founder = FounderProfile(region="busan", closed=True)
    assert matched(founder, BUSAN, NATIONWIDE, SEOUL) == [BUSAN.title, NATIONWIDE.title]


def test_a_founder_whose_region_is_not_known_sees_every_region_marked() -> None:
    found = NoticeIndex([BUSAN, SEOUL], knowledge()).match(FounderProfile(closed=True), TODAY)
    assert {item.notice.title for item in found} == {BUSAN.title, SEOUL.title}
    assert not any(item.region_known for item in found)


def test_only_open_calls_about_a_restart_are_kept_nearest_deadline_first() -> None:
    founder = FounderProfile(region="busan", closed=True)
    soon = notice("부산 재기 지원 마감 임박", regions=["부산"], closes=datetime.date(2026, 12, 5))
    assert matched(founder, BUSAN, EXPORT, CLOSED, ALWAYS, soon) == [soon.title, BUSAN.title, ALWAYS.title]
    days = {
        item.notice.title: item.days_left for item in NoticeIndex([soon, ALWAYS], knowledge()).match(founder, TODAY)
    }
    assert days == {soon.title: 2, ALWAYS.title: None}


def test_a_call_not_yet_open_is_not_listed() -> None:
    later = notice(
        "2027년 재도전성공패키지", regions=["전국"], opens=datetime.date(2027, 2, 1), closes=datetime.date(2027, 3, 4)
    )
    assert matched(FounderProfile(closed=True), later) == []


def test_business_age_decides_between_pre_founders_and_restarted_companies() -> None:
    closed = FounderProfile(region="busan", closed=True)
    restarted_five_years = FounderProfile(region="busan", restarted=True, years_since_restart=5.0)
    restarted_one_year = FounderProfile(region="busan", restarted=True, years_since_restart=1.0)
    assert matched(closed, NATIONWIDE, OLD_COMPANIES) == [NATIONWIDE.title]
    assert matched(restarted_five_years, NATIONWIDE, OLD_COMPANIES) == [OLD_COMPANIES.title]
    assert matched(restarted_one_year, NATIONWIDE, OLD_COMPANIES) == []


def test_an_exclusion_names_the_barriers_to_show_with_their_remedies() -> None:
    (found,) = NoticeIndex([EXCLUDING], knowledge()).match(FounderProfile(closed=True), TODAY)
    assert found.barriers == ("credit_delinquency", "tax_arrears")
    assert all(barrier in knowledge().barriers for barrier in found.barriers)


def test_a_notice_is_linked_to_the_curated_program_its_title_names() -> None:
    base = knowledge()
    program = next(p for p in base.programs.values() if any(len(name) >= 4 for name in p.names))
    name = max(program.names, key=len)
    linked = notice(f"2026년 {name} 추가 모집 공고 (재도전)", regions=["전국"])
    (found,) = NoticeIndex([linked], base).match(FounderProfile(closed=True), TODAY)
    assert found.program_id == program.id
    assert NoticeIndex([BUSAN], base).match(FounderProfile(closed=True), TODAY)[0].program_id is None
