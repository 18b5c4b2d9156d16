"""Table-driven tests for bot.language.dates (Korean date phrases -> day ranges)."""

from __future__ import annotations

import dataclasses
import random
import time
from datetime import date

import pytest

from bot.language.dates import (
    MAX_INPUT_CHARS,
    ParsedDate,
    find_korean_date,
    parse_korean_date,
    years_since,
)

TODAY = date(2026, 11, 28)  # a Saturday
YEARS_TOLERANCE = 0.1

# (text, expected start or None = not checked, expected end or None, years before TODAY)
PAST_CASES = [
    # year words
    ("작년", date(2025, 1, 1), date(2025, 12, 31), 1.41),
    ("작년에요", date(2025, 1, 1), date(2025, 12, 31), 1.41),
    ("작년쯤 정도", date(2025, 1, 1), date(2025, 12, 31), 1.41),
    ("지난해", date(2025, 1, 1), date(2025, 12, 31), 1.41),
    ("재작년 경에", date(2024, 1, 1), date(2024, 12, 31), 2.41),
    ("올해", date(2026, 1, 1), TODAY, 0.45),
    ("금년이요", date(2026, 1, 1), TODAY, 0.45),
    ("올해 초", date(2026, 1, 1), date(2026, 3, 31), 0.79),
    ("올해초에요", date(2026, 1, 1), date(2026, 3, 31), 0.79),
    ("올해 중순", date(2026, 5, 1), date(2026, 8, 31), 0.41),
    ("올해 말", date(2026, 10, 1), TODAY, 0.08),  # cut at today
    ("작년 초", date(2025, 1, 1), date(2025, 3, 31), 1.79),
    ("작년 말", date(2025, 10, 1), date(2025, 12, 31), 1.03),
    ("작년 이맘때", date(2025, 10, 28), date(2025, 12, 28), 1.0),
    # year + month / season
    ("작년 3월", date(2025, 3, 1), date(2025, 3, 31), 1.70),
    ("작년3월쯤", date(2025, 3, 1), date(2025, 3, 31), 1.70),
    ("작년 봄", date(2025, 3, 1), date(2025, 5, 31), 1.62),
    ("작년 여름에", date(2025, 6, 1), date(2025, 8, 31), 1.37),
    ("작년 가을이요", date(2025, 9, 1), date(2025, 11, 30), 1.12),
    ("작년 겨울", date(2025, 12, 1), date(2026, 2, 28), 0.87),
    ("재작년 겨울", date(2024, 12, 1), date(2025, 2, 28), 1.87),
    ("재작년 12월 말", date(2024, 12, 21), date(2024, 12, 31), 1.92),
    # N years ago: digits, Sino-Korean and native numerals, with and without spaces
    ("3년 전", date(2023, 5, 28), date(2024, 5, 28), 3.0),
    ("3년 전에요", date(2023, 5, 28), date(2024, 5, 28), 3.0),
    ("2년전에 폐업했어요", date(2024, 5, 28), date(2025, 5, 28), 2.0),
    ("삼 년 전", None, None, 3.0),
    ("이년 전에", None, None, 2.0),
    ("일년전", None, None, 1.0),
    ("두 해 전", None, None, 2.0),
    ("다섯 해 전에", None, None, 5.0),
    ("10년 전쯤", None, None, 10.0),
    ("한 3년 전쯤이요", None, None, 3.0),
    ("１년 전", None, None, 1.0),  # full-width digit
    ("2~3년 전", date(2023, 11, 28), date(2024, 11, 28), 2.5),
    # months and weeks ago
    ("6개월 전", None, None, 0.5),
    ("육 개월 전", None, None, 0.5),
    ("한 달 전", None, None, 0.08),
    ("두 달 전에", None, None, 0.17),
    ("석 달 전", None, None, 0.25),
    ("넉 달 전", None, None, 0.33),
    ("두세 달 전", None, None, 0.21),
    ("반년 전", None, None, 0.5),
    ("일 년 반 전", None, None, 1.5),
    ("1년 반 전", date(2025, 2, 28), date(2025, 8, 28), 1.5),
    ("1년 6개월 전", None, None, 1.5),
    ("2주 전", date(2026, 11, 11), date(2026, 11, 17), 0.04),
    ("일주일 전", None, None, 0.02),
    # calendar-relative words
    ("지난달", date(2026, 10, 1), date(2026, 10, 31), 0.12),
    ("지난 달에요", date(2026, 10, 1), date(2026, 10, 31), 0.12),
    ("이번 달", date(2026, 11, 1), TODAY, 0.04),
    ("지난주", date(2026, 11, 16), date(2026, 11, 22), 0.02),
    ("얼마 전", date(2026, 8, 28), TODAY, 0.13),
    ("최근", date(2026, 8, 28), TODAY, 0.13),
    ("최근에 폐업했어요", date(2026, 8, 28), TODAY, 0.13),
    # absolute dates
    ("2023년 3월", date(2023, 3, 1), date(2023, 3, 31), 3.70),
    ("2023년", date(2023, 1, 1), date(2023, 12, 31), 3.41),
    ("23년 3월", date(2023, 3, 1), date(2023, 3, 31), 3.70),
    ("'23년", date(2023, 1, 1), date(2023, 12, 31), 3.41),
    ("23년도에 폐업했어요", date(2023, 1, 1), date(2023, 12, 31), 3.41),
    ("2023.3", date(2023, 3, 1), date(2023, 3, 31), 3.70),
    ("2023-03", date(2023, 3, 1), date(2023, 3, 31), 3.70),
    ("2023/03/15", date(2023, 3, 15), date(2023, 3, 15), 3.71),
    ("2023년 3월 15일", date(2023, 3, 15), date(2023, 3, 15), 3.71),
    ("3월", date(2026, 3, 1), date(2026, 3, 31), 0.70),  # most recent past March
    ("12월에요", date(2025, 12, 1), date(2025, 12, 31), 0.95),  # December 2026 not yet
    # elapsed-time answers
    ("10년도 더 됐어요", date(2011, 11, 28), date(2016, 11, 28), 12.5),
    ("1년 좀 넘었어요", date(2025, 8, 28), date(2025, 11, 28), 1.13),
    ("폐업한 지 3년 됐어요", None, None, 3.0),
    ("1년도 안 됐어요", date(2025, 11, 28), TODAY, 0.5),
    ("거의 2년 다 돼 가요", date(2024, 11, 28), date(2025, 2, 28), 1.87),
    ("2년쯤", date(2024, 5, 28), date(2025, 5, 28), 2.0),
    ("약 2년이요", None, None, 2.0),
    # inside longer sentences
    ("부산에서 식당 하다가 작년 봄에 폐업했어요", date(2025, 3, 1), date(2025, 5, 31), 1.62),
    ("3년 전에 창업해서 작년에 폐업했어요", date(2025, 1, 1), date(2025, 12, 31), 1.41),
    ("대출 2천만 원 남기고 작년 말에 가게 접었어요", date(2025, 10, 1), date(2025, 12, 31), 1.03),
]


@pytest.mark.parametrize("text,start,end,years", PAST_CASES)
def test_past_phrases(text: str, start: date | None, end: date | None, years: float) -> None:
    parsed = parse_korean_date(text, TODAY)
    assert parsed is not None, text
    if start is not None:
        assert parsed.start == start
    if end is not None:
        assert parsed.end == end
    assert parsed.years_before(TODAY) == pytest.approx(years, abs=YEARS_TOLERANCE)
    # contradiction-free: a past phrase is an ordered range that ends by today
    assert parsed.start <= parsed.midpoint <= parsed.end <= TODAY
    assert years_since(text, TODAY) == parsed.years_before(TODAY)
    # find_korean_date agrees whenever it finds anything
    found = find_korean_date(text, TODAY)
    assert found is None or found == parsed


@pytest.mark.parametrize(
    "text,expected",
    [
        ("부산에서 식당 하다가 작년 봄에 폐업했어요", "작년 봄"),
        ("2년전에 폐업했어요", "2년전"),
        ("폐업한 지 3년 됐어요", "3년 됐"),
        ("2023년 3월 15일에 문 닫았어요", "2023년 3월 15일"),
        ("음… 2년쯤이요", "2년쯤"),
        ("３개월 전에요", "３개월 전"),  # text is taken from the original input
    ],
)
def test_matched_text(text: str, expected: str) -> None:
    parsed = parse_korean_date(text, TODAY)
    assert parsed is not None
    assert parsed.text == expected
    assert parsed.text in text


@pytest.mark.parametrize(
    "text",
    [
        "내년",
        "내년 3월에 폐업할 예정이에요",
        "다음 달",
        "다음 주에 정리해요",
        "3개월 후",
        "1년 뒤에",
        "올해 12월",  # December 2026 has not started on 2026-11-28
        "올해 겨울",  # the coming winter
    ],
)
def test_future_phrases_start_after_today(text: str) -> None:
    parsed = parse_korean_date(text, TODAY)
    assert parsed is not None
    assert parsed.start > TODAY
    assert parsed.start <= parsed.end
    value = years_since(text, TODAY)
    assert value is not None and value < 0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "폐업 안 했어요",
        "모르겠어요",
        "🙂😭🙏",
        "2천만 원 빚이 있어요",
        "월 300만 원 적자였어요",
        "3년 동안 운영했어요",
        "10년 넘게 장사했어요",
        "창업 2년 만에 폐업했어요",
        "30년 전통의 식당을 했어요",
        "2년 전세 계약이 남았어요",
        "최근 3년 동안 적자였어요",
        "아이 돌봄 때문에 폐업했어요",
        "010-2023-0312로 연락 주세요",
    ],
)
def test_no_date(text: str) -> None:
    assert parse_korean_date(text, TODAY) is None
    assert find_korean_date(text, TODAY) is None
    assert years_since(text, TODAY) is None


@pytest.mark.parametrize("text", ["2년쯤", "3년이요", "2년 정도 된 것 같아요", "반년 정도요"])
def test_bare_duration_is_an_answer_but_not_a_date_in_a_sentence(text: str) -> None:
    assert find_korean_date(text, TODAY) is None
    parsed = parse_korean_date(text, TODAY)
    assert parsed is not None and parsed.end <= TODAY


def test_huge_input_is_fast_and_capped() -> None:
    began = time.perf_counter()
    assert parse_korean_date("가" * 100_000, TODAY) is None
    assert parse_korean_date("1년 " * 30_000, TODAY) is None
    found = find_korean_date("작년에 폐업했어요 " + "가" * 100_000, TODAY)
    assert found is not None and found.start == date(2025, 1, 1)
    # only the first MAX_INPUT_CHARS characters are looked at
    assert find_korean_date("가" * MAX_INPUT_CHARS + "작년", TODAY) is None
    assert time.perf_counter() - began < 2.0


def test_never_raises_on_random_text() -> None:
    rng = random.Random(20261128)
    alphabet = list(
        "작년올해재지난달주전후됐넘었이가도은는쯤정도약한두세석넉반일삼월 0123456789.-/~'"
        "년개월봄여름가을겨울초중말😀\n"
    ) + ["\x00", "\ud7a3", "\ufdfd"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for today in (TODAY, date.min, date.max, date(2024, 2, 29)):
            parsed = parse_korean_date(text, today)
            if parsed is not None:
                assert parsed.start <= parsed.end
                assert parsed.start > today or parsed.end <= today
                parsed.years_before(today)


def test_parsed_date_is_frozen_and_midpoint() -> None:
    parsed = ParsedDate(date(2025, 1, 1), date(2025, 1, 31), "2025년 1월")
    assert parsed.midpoint == date(2025, 1, 16)
    assert parsed.years_before(date(2026, 1, 16)) == pytest.approx(1.0, abs=0.01)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.start = date(2020, 1, 1)  # type: ignore[misc]
