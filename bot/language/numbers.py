"""Korean numerals -> numbers: digits, Sino-Korean (삼, 이십삼, 천오백만) and native (석, 열한, 두세).

Founders write numbers every way at once: "3천5백만원", "석 달", "이삼 년", "1억 5천".
Dates and money both read them here, so "삼" is 3 for a date and for an amount alike.

* :func:`korean_number` reads an amount with its units (만, 억), leniently.
* :func:`sino_number` and :func:`native_number` read one numeral word, strictly: None for
  anything that is not that kind of numeral.
* :func:`number_range` reads a numeral that may be vague ("두세" = 2 to 3, "몇" = 2 to 5)
  as the range it can mean.
"""

from __future__ import annotations

import re

SINO_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6, "칠": 7, "팔": 8, "구": 9}
SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
LARGE_UNITS = {"만": 10_000, "억": 100_000_000}
# Two neighbouring digits said together mean "one or the other": "이삼 년" is 2 or 3 years.
SINO_PAIRS = {
    "일이": (1, 2),
    "이삼": (2, 3),
    "삼사": (3, 4),
    "사오": (4, 5),
    "오륙": (5, 6),
    "육칠": (6, 7),
    "칠팔": (7, 8),
    "팔구": (8, 9),
}
NATIVE_UNITS = {
    "한": 1,
    "두": 2,
    "세": 3,
    "석": 3,
    "네": 4,
    "넉": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
}
NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30}
NATIVE_PAIRS = {
    "한두": (1, 2),
    "두세": (2, 3),
    "두어": (2, 3),
    "서너": (3, 4),
    "너덧": (4, 5),
    "네댓": (4, 5),
    "너댓": (4, 5),
    "대여섯": (5, 6),
    "예닐곱": (6, 7),
}
# "몇 년", "수 개월", "여러 해": a few, which a founder means as two to five.
FEW = {"몇": (2, 5), "수": (2, 5), "여러": (2, 5), "십수": (11, 19)}

_SINO_CHARACTERS = "".join([*SINO_DIGITS, *SMALL_UNITS, *LARGE_UNITS])
_AMOUNT_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{_SINO_CHARACTERS}]")
_SINO_WORD = re.compile(rf"[{_SINO_CHARACTERS}]+")

Range = tuple[float, float]


def korean_number(expression: str) -> int:
    """Reads mixed Arabic and Korean numerals with units: '천오백만' → 15000000, '1억 5천만' → 150000000.

    Anything that is not a numeral is skipped, so '3천5백만원' reads as 35000000.
    """
    total = section = number = 0.0
    for token in _AMOUNT_TOKEN.findall(expression.replace(",", "")):
        if token[0].isdigit():
            number = float(token)
        elif token in SINO_DIGITS:
            number = SINO_DIGITS[token]
        elif token in SMALL_UNITS:
            section += (number or 1) * SMALL_UNITS[token]
            number = 0
        else:
            total += ((section + number) or 1) * LARGE_UNITS[token]
            section = number = 0
    return int(total + section + number)


def sino_number(word: str) -> int | None:
    """A Sino-Korean numeral said alone ("삼" → 3, "십이" → 12); None for anything else."""
    return korean_number(word) if _SINO_WORD.fullmatch(word) else None


def native_number(word: str) -> int | None:
    """A native Korean count said alone ("석" → 3, "열" → 10); None for anything else."""
    value = _native_range(word)
    return int(value[0]) if value is not None and value[0] == value[1] else None


def number_range(text: str) -> Range | None:
    """The numbers a numeral can mean: "3" → (3, 3), "3~4" → (3, 4), "두세" → (2, 3), "몇" → (2, 5)."""
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return None
    if compact[0].isdigit():
        return _digit_range(compact)
    if compact in FEW:
        low, high = FEW[compact]
        return float(low), float(high)
    sino = _sino_range(compact)
    return sino if sino is not None else _native_range(compact)


def _digit_range(text: str) -> Range | None:
    numbers = [float(n) for n in re.findall(r"[0-9]+(?:\.[0-9])?", text)]
    if not numbers or len(numbers) > 2:
        return None
    low, high = numbers[0], numbers[-1]
    return (low, high) if low <= high else (high, low)


def _sino_range(text: str) -> Range | None:
    if text in SINO_PAIRS:
        low, high = SINO_PAIRS[text]
        return float(low), float(high)
    value = sino_number(text)
    return None if value is None else (float(value), float(value))


def _native_range(text: str) -> Range | None:
    if text in NATIVE_PAIRS:
        low, high = NATIVE_PAIRS[text]
        return float(low), float(high)
    for tens_word, tens in NATIVE_TENS.items():
        if text.startswith(tens_word):
            rest = text[len(tens_word) :]
            if rest == "":
                return float(tens), float(tens)
            ones = NATIVE_UNITS.get(rest)
            return None if ones is None else (float(tens + ones), float(tens + ones))
    single = NATIVE_UNITS.get(text)
    return None if single is None else (float(single), float(single))
