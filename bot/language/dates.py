"""Korean date phrases -> date ranges ("when did you close your business?").

Founders answer in free Korean: "작년 봄에요", "2년 전쯤", "폐업한 지 1년 좀 넘었어요",
"23년 3월", "2023.03.15" ... This module turns such a phrase into the range of days it
can mean (:class:`ParsedDate`) so the bot can tell how long ago the closure was.

Design notes
------------
* Plain Python, standard library only (no Rasa, no tokenizer): a handful of regular
  expressions, each linear on its input, run over at most :data:`MAX_INPUT_CHARS`
  characters of the text.  Any string is accepted; nothing raises.
* Every recognised phrase becomes a ``[start, end]`` day range.  Vague phrases get a
  range wide enough to be honest ("3년 전" = 2.5 to 3.5 years ago, "최근" = the last
  3 months).  Ranges that reach past ``today`` are cut at ``today``.
* Future phrases ("내년", "다음 달", "3개월 후") are *not* mapped to the past: they
  come back with ``start > today`` so the caller can reject them.
* :func:`find_korean_date` only accepts time points: absolute dates, year/month/week
  words (작년, 지난달, ...) and quantities anchored by 전/후/됐어요/지났어요/"…한 지".
  A bare duration ("3년 동안 운영했어요", "2천만 원") is not a date.
  :func:`parse_korean_date` reads the text as the *answer* to "언제/얼마나 전에
  폐업하셨어요?", so there a bare "2년쯤" or "3년이요" also means "that long ago".
* With several dates in one sentence, the one nearest a closure word
  (폐업, 문 닫았, 접었, ...) wins ("3년 전에 창업해서 작년에 폐업" -> 작년).
* Numerals ("3", "삼", "석", "두세", "몇") are read by :mod:`bot.language.numbers`, the
  same reader money amounts use.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.language.numbers import Range, number_range, sino_number

__all__ = [
    "MAX_INPUT_CHARS",
    "ParsedDate",
    "find_korean_date",
    "parse_korean_date",
    "today",
    "years_since",
]


def today() -> datetime.date:
    """The date answers are computed for (DASI_TODAY pins it in tests)."""
    pinned = os.environ.get("DASI_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


#: Only this many leading characters of an input are looked at.
MAX_INPUT_CHARS = 2000

_Date = datetime.date
_Range = tuple[_Date, _Date]
_ONE_DAY = datetime.timedelta(days=1)
#: Korea time (UTC+9, no daylight saving): the founders' clock.
KST = datetime.timezone(datetime.timedelta(hours=9), "KST")
_DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class ParsedDate:
    """A date phrase found in a text, as the range of days it can mean."""

    start: datetime.date  # earliest day the phrase can mean
    end: datetime.date  # latest day the phrase can mean
    text: str  # the matched substring of the input

    @property
    def midpoint(self) -> datetime.date:
        """The day halfway between ``start`` and ``end`` (rounded down)."""
        return self.start + datetime.timedelta(days=(self.end - self.start).days // 2)

    def years_before(self, today: datetime.date) -> float:
        """How many years before ``today`` the midpoint lies (negative: future)."""
        return (today - self.midpoint).days / 365.25


# --------------------------------------------------------------------------------------
# Date arithmetic


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _add_months(day: _Date, months: int) -> _Date:
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return _Date(year, month, min(day.day, _days_in_month(year, month)))


def _move(today: _Date, amount: float, kind: str) -> _Date:
    """``today`` moved by ``amount`` months (kind "m") or days (kind "d"); may be < 0."""
    if kind == "d":
        return today + datetime.timedelta(days=round(amount))
    sign = -1 if amount < 0 else 1
    whole = int(abs(amount))
    frac = abs(amount) - whole
    moved = _add_months(today, sign * whole)
    return moved + datetime.timedelta(days=sign * round(frac * _DAYS_PER_MONTH))


def _month_span(year: int, month: int) -> _Range:
    return _Date(year, month, 1), _Date(year, month, _days_in_month(year, month))


def _finish(rng: _Range, today: _Date) -> _Range:
    """Order the range and cut a range that runs into the future at ``today``."""
    start, end = rng
    if end < start:
        start, end = end, start
    if start <= today < end:
        end = today
    return start, end


# --------------------------------------------------------------------------------------
# Day and month words (numerals themselves are read by bot.language.numbers)

_DAY_WORDS = {
    "하루": (1, 1),
    "이틀": (2, 2),
    "사흘": (3, 3),
    "나흘": (4, 4),
    "닷새": (5, 5),
    "엿새": (6, 6),
    "이레": (7, 7),
    "열흘": (10, 10),
    "보름": (15, 15),
    "며칠": (2, 7),
}

# "유월", "시월": 육 and 십 change their sound before 월.
_SPOKEN_MONTHS = {"유": 6, "시": 10}


def _month_value(text: str) -> int | None:
    text = text.strip()
    value = int(text) if text.isdigit() else _SPOKEN_MONTHS.get(text) or sino_number(text)
    return value if value is not None and 1 <= value <= 12 else None


# --------------------------------------------------------------------------------------
# Regular expressions (no nested unbounded repetition: every pattern is linear)

_HANGUL_BEFORE = r"(?<![가-힣])"
_DIGITS = r"(?<![0-9.,])[0-9]{1,3}(?:\.[0-9])?(?:\s*(?:~|-|–|,|에서)\s*[0-9]{1,3}(?:\.[0-9])?)?(?![0-9])"
_SINO = (
    _HANGUL_BEFORE
    + r"(?:일이|이삼|삼사|사오|오륙|육칠|칠팔|팔구|[이삼사오육칠팔구]?십[일이삼사오육칠팔구]?|[일이삼사오육칠팔구])"
)
_NATIVE = (
    _HANGUL_BEFORE + r"(?:(?:열|스물|스무|서른)(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉)?"
    r"|한\s?두|두\s?세|두어|서\s?너|너덧|네댓|너댓|대여섯|예닐곱"
    r"|한|두|세|네|다섯|여섯|일곱|여덟|아홉|석|넉)"
)
# A numeral and its unit.  Which numerals go with which unit follows Korean usage:
# "두 달" / "이 개월" / "이 년" / "두 해", but never "이 달" (that is "this month").
_QTY = (
    r"(?:"
    r"(?P<n_dig>" + _DIGITS + r")\s*(?P<u_dig>년|개월|달|주일?|일(?![월요]))"
    r"|" + _HANGUL_BEFORE + r"(?P<n_few>십수|몇|수|여러)\s*(?P<u_few>년|해|개월|달|주일?|일(?![월요]))"
    r"|" + _HANGUL_BEFORE + r"반\s*(?P<u_half>년|해|개월|달)"
    r"|" + _HANGUL_BEFORE + r"(?P<dw>하루|이틀|사흘|나흘|닷새|엿새|이레|열흘|보름|며칠)"
    r"|(?P<n_nat>" + _NATIVE + r")\s*(?P<u_nat>해|개월|달|주일?)"
    r"|(?P<n_sino>" + _SINO + r")\s*(?P<u_sino>년|개월|주일?|일(?![월요]))"
    r")"
    r"(?:\s*(?P<plus_half>반)(?!대|찬|값|품|말|환|짝|드|지|려|면))?"
    r"(?:\s*(?P<n2>[0-9]{1,2}|" + _SINO + r"|" + _NATIVE + r")\s*(?P<u2>개월|달))?"
)
_FILL_TOKEN = (
    r"쯤|정도|가량|남짓|가까이|좀|조금|약간|살짝|더|넘게|이상|거의|다|벌써|이미|꽤|훨씬"
    r"|이나|이|가|도|은|는|채|여(?!름)"
)
_AGO = r"(?P<ago>전(?![통문원세환업국직체기자략혀액달산시용월공담쟁투성설표력개면반선화])|前)"
_FUTURE = r"(?P<fut>후(?![회배반보원식기])|後|뒤|있다가|있으면|지나면)"
_WITHIN = r"(?P<within>안\s*(?:됐|되었|됨|돼|되|지났|넘었)|되지\s*않|넘지\s*않|지나지\s*않)"
_ELAPSED = (
    r"(?P<elapsed>됐|됬|되었|됩니|됨|돼\s*가|되어\s*가|되\s*가|돼요|되요|되네|되죠"
    r"|넘었|넘음|넘습|넘어요|넘네|지났|지남|지납|흘렀)"
)
_RELATIVE_RE = re.compile(
    r"(?:(?P<ji>지)\s*)?"
    r"(?P<core>(?:(?P<pre>약|대략|대충|거의|아마|한)\s*)??" + _QTY + r")"
    r"(?P<fill>(?:\s*(?:" + _FILL_TOKEN + r"))*)"
    r"(?:\s*(?:" + _AGO + r"|" + _FUTURE + r"|" + _WITHIN + r"|" + _ELAPSED + r"))?"
)
_FILL_TOKEN_RE = re.compile(_FILL_TOKEN)

_SEASON = r"(?:초|늦|한)?(?P<season>봄|여름|가을|겨울)"
_MONTH_PART = r"(?P<mpart>초순|초반|초|중순|중반|하순|말일|말경|말|끝)"
_SUB = (
    r"(?:(?P<mon>[0-9]{1,2}|십일|십이|십|시|유|[일이삼사오육칠팔구])\s*월(?!세|급|수|요|간|평균|매출)"
    r"(?:\s*달)?"
    r"(?:\s*(?P<day>[0-9]{1,2})\s*일)?"
    r"(?:\s*" + _MONTH_PART + r")?"
    r"|" + _SEASON + r"|(?P<ypart>연초|초반|초순|초|연중|중순|중반|중(?![국고식])|연말|말경|말(?!씀)|후반|끝무렵|끝"
    r"|상반기|하반기|이\s?맘\s?때))"
)
_YEAR_WORD = r"재재작년|재작년|작년|지난\s?해|올\s?해|금년|내후년|내년|다음\s?해"
_YEAR_RE = re.compile(
    r"(?:"
    r"(?P<yword>" + _YEAR_WORD + r")"
    r"|" + _HANGUL_BEFORE + r"(?P<ol>올)(?=\s*(?:봄|여름|가을|겨울|초|[0-9]{1,2}\s*월|연말|연초|상반기|하반기|말))"
    r"|(?<![0-9])(?P<y4>(?:19|20)[0-9]{2})\s*년"
    # an agent's note or a hurried founder: "2023폐업", "2023 접음" (a bare year right before the closure)
    r"|(?<![0-9.,])(?P<y4b>(?:19|20)[0-9]{2})(?=\s*(?:폐업|접|문\s?닫))"
    r"|['‘’`′](?P<y2a>[0-9]{2})(?![0-9])(?:\s*년)?"
    r"|(?<![0-9.'‘’`′])(?P<y2>[0-9]{2})\s*년(?:\s*도)?(?=\s*(?:[0-9]{1,2}\s*월|(?:초|늦|한)?(?:봄|여름|가을|겨울)"
    r"|초|중순|중반|말|상반기|하반기|연말|연초)|에|쯤에|경|께|였|이었|\s*(?:폐업|접었|문\s?닫))"
    r")"
    r"(?:\s*도)?(?:\s*의)?"
    r"(?:\s*" + _SUB + r")?"
)
_NUMERIC_RE = re.compile(
    r"(?<![0-9./-])(?:(?P<y4>(?:19|20)[0-9]{2})|(?P<y2>[0-9]{2})(?=\s*[./-]\s*[0-9]{1,2}\s*[./-]\s*[0-9]))"
    r"\s*(?P<sep>[./-])\s*(?P<mon>[0-9]{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<day>[0-9]{1,2}))?"
    r"(?![0-9]|[./-][0-9])"
)
_MONTH_WORD_RE = re.compile(
    r"(?:(?P<rel>지지난|지난|저번|이번|다다음|다음|담)\s*달|" + _HANGUL_BEFORE + r"(?P<word>이달|금월|내달|전월|익월))"
    r"(?:\s*" + _MONTH_PART + r")?"
)
_WEEK_WORD_RE = re.compile(
    r"(?P<rel>지지난|지난|저번|이번|다다음|다음|담)\s*주(?:(?P<weekend>\s*말)|(?![문식인차소제요장민택간]))"
)
_BARE_MONTH_RE = re.compile(
    r"(?:(?P<prev>지난|저번)\s*)?"
    r"(?:(?<![0-9])(?P<mon>[0-9]{1,2})|"
    + _HANGUL_BEFORE
    + r"(?P<mword>십일|십이|삼|사|오|유|칠|팔|구|시))\s*월(?!세|급|수|요|간|평균|매출)"
    r"(?:\s*달)?"
    r"(?:\s*(?P<day>[0-9]{1,2})\s*일)?"
    r"(?:\s*" + _MONTH_PART + r")?"
)
_BARE_SEASON_RE = re.compile(_HANGUL_BEFORE + r"(?:(?P<prev>지난|저번)\s*)?" + _SEASON + r"(?!날씨)")
_BARE_YEAR_PART_RE = re.compile(_HANGUL_BEFORE + r"(?P<ypart>연말|연초)")
_RECENT_RE = re.compile(
    _HANGUL_BEFORE
    + r"(?:(?P<recent>최근|근래)(?!\s*(?:[0-9]|몇|수|[한두세네]\s*(?:달|해)|[일이삼사오육칠팔구십]\s*(?:년|개월|주)))"
    r"|(?P<lately>얼마\s*전|얼마\s*안\s*(?:됐|되었|됨|돼|되))"
    r"|(?P<days>며칠\s*전|엊그제|엊그저께)"
    r"|(?P<day>오늘|어제|그제|그저께|그끄저께|내일|모레)"
    r"|(?P<soon>조만간))"
)
_CLOSURE_RE = re.compile(
    r"폐업|폐점|휴업|폐쇄|닫았|닫은|닫고|닫게|닫을|접었|접은|접고|접게|접을"
    r"|정리했|정리한|정리하고|그만뒀|그만둔|그만두|망했|망한|망하고"
)
_ENDINGS_RE = re.compile(r"(?:[^0-9A-Za-z가-힣]|요|이|에|예|입니다|죠|임|쯤|정도|었어|였어|인|것|같아|된|네)*")
_BARE_PREFIX_RE = re.compile(r"(?:[^0-9A-Za-z가-힣]|음|어|그러니까|글쎄요|글쎄|아마도|아마|대략|대충)*")

# Full-width digits and punctuation -> ASCII, one character for one (keeps offsets).
_TRANSLATE = str.maketrans(
    "０１２３４５６７８９～〜．／－　",
    "0123456789~~./- ",
)


# --------------------------------------------------------------------------------------
# Builders: a regex match -> a day range (or None when the match is not a date)

_Builder = Callable[[re.Match[str], _Date], _Range | None]


def _unit(word: str) -> tuple[str, float]:
    """(kind, size) of a unit word: kind "m" counts months, "d" counts days."""
    if word in ("년", "해"):
        return "m", 12.0
    if word in ("개월", "달"):
        return "m", 1.0
    if word.startswith("주"):
        return "d", 7.0
    return "d", 1.0


@dataclass(frozen=True)
class _Quantity:
    lo: float
    hi: float
    kind: str  # "m" (months) or "d" (days)
    step: float  # size of the unit in months/days

    @property
    def halfwidth(self) -> float:
        if self.kind == "m":
            if self.step == 12.0:
                if self.lo < 12:
                    return 1.0
                return 6.0 if self.lo % 12 == 0 else 3.0
            return 0.5
        if self.step == 7.0:
            return 3.0
        return float(max(1, int(self.lo) // 5))


def _quantity(match: re.Match[str]) -> _Quantity | None:
    if match.group("dw"):
        lo_i, hi_i = _DAY_WORDS[match.group("dw")]
        return _Quantity(float(lo_i), float(hi_i), "d", 1.0)
    value: Range | None = None
    unit_word = ""
    if match.group("u_half"):
        value, unit_word = (0.5, 0.5), match.group("u_half")
    else:
        for number_group, unit_group in (
            ("n_dig", "u_dig"),
            ("n_few", "u_few"),
            ("n_nat", "u_nat"),
            ("n_sino", "u_sino"),
        ):
            if match.group(number_group):
                value = number_range(match.group(number_group))
                unit_word = match.group(unit_group)
                break
    if value is None:
        return None
    kind, size = _unit(unit_word)
    lo, hi = value[0] * size, value[1] * size
    if match.group("plus_half"):
        lo, hi = lo + size / 2, hi + size / 2
    if match.group("n2"):
        extra = number_range(match.group("n2"))
        if extra is None or size != 12.0:
            return None
        lo, hi = lo + extra[0], hi + extra[0]
    return _Quantity(lo, hi, kind, size)


def _has_ji_anchor(text: str, match: re.Match[str]) -> bool:
    """True for "폐업한 지 3년": a 지 right after a verb ending in ㄴ (한/둔/닫은/된 ...)."""
    if match.group("ji") is None:
        return False
    index = match.start("ji") - 1
    while index >= 0 and text[index].isspace():
        index -= 1
    if index < 0:
        return False
    code = ord(text[index]) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 4  # final consonant ㄴ


def _relative_range(match: re.Match[str], text: str, today: _Date, allow_bare: bool) -> _Range | None:
    qty = _quantity(match)
    if qty is None:
        return None
    tokens = set(_FILL_TOKEN_RE.findall(match.group("fill") or ""))
    elapsed = match.group("elapsed") or ""
    within = match.group("within") is not None
    future = match.group("fut") is not None
    if not (match.group("ago") or future or within or elapsed or _has_ji_anchor(text, match) or allow_bare):
        return None  # a bare duration ("3년 동안") is not a time point
    almost = match.group("pre") == "거의" or bool(tokens & {"거의", "가까이"}) or elapsed.endswith("가")
    slight = bool(tokens & {"좀", "조금", "약간", "살짝", "남짓", "여"})
    over = bool(tokens & {"더", "넘게", "이상", "훨씬"}) or elapsed.startswith("넘")
    lo, hi, step = qty.lo, qty.hi, qty.step
    if within:
        near = almost or slight
        low, high = (hi - max(hi / 10, step / 4), hi) if near else (0.0, hi)
    elif almost:
        low, high = lo - max(lo / 10, step / 4), hi
    elif slight:
        low, high = lo, hi + max(hi / 4, step / 4)
    elif over:
        low, high = lo, hi + max(hi / 2, step / 2)
    elif lo == hi:
        low, high = lo - qty.halfwidth, lo + qty.halfwidth
    else:
        low, high = lo, hi
    low = max(low, 0.0)
    if future:
        start, end = _move(today, low, qty.kind), _move(today, high, qty.kind)
        start = max(start, today + _ONE_DAY)
        return start, max(end, start)
    return _finish((_move(today, -high, qty.kind), _move(today, -low, qty.kind)), today)


def _month_part_range(year: int, month: int, day: str | None, part: str | None) -> _Range | None:
    if not 1 <= month <= 12:
        return None
    last = _days_in_month(year, month)
    if day is not None:
        day_i = int(day)
        if not 1 <= day_i <= last:
            return None
        return _Date(year, month, day_i), _Date(year, month, day_i)
    first_day, last_day = 1, last
    if part in ("초순", "초반", "초"):
        last_day = 10
    elif part in ("중순", "중반"):
        first_day, last_day = 11, 20
    elif part == "말일":
        first_day = last
    elif part in ("하순", "말경", "말", "끝"):
        first_day = 21
    return _Date(year, month, first_day), _Date(year, month, last_day)


_SEASON_MONTHS = {"봄": 3, "여름": 6, "가을": 9, "겨울": 12}


def _season_range(year: int, season: str) -> _Range:
    """봄 3-5월, 여름 6-8월, 가을 9-11월, 겨울 = December of ``year`` to February."""
    first = _SEASON_MONTHS[season]
    start = _Date(year, first, 1)
    return start, _add_months(start, 3) - _ONE_DAY


def _year_part_range(year: int, part: str, today: _Date) -> _Range | None:
    part = re.sub(r"\s+", "", part)
    if part in ("연초", "초반", "초순", "초"):
        return _Date(year, 1, 1), _Date(year, 3, 31)
    if part in ("중순", "중반"):
        return _Date(year, 5, 1), _Date(year, 8, 31)
    if part in ("연말", "말경", "말", "후반", "끝무렵", "끝"):
        return _Date(year, 10, 1), _Date(year, 12, 31)
    if part == "상반기":
        return _Date(year, 1, 1), _Date(year, 6, 30)
    if part == "하반기":
        return _Date(year, 7, 1), _Date(year, 12, 31)
    if part in ("연중", "중"):
        return _Date(year, 1, 1), _Date(year, 12, 31)
    if part == "이맘때":
        same_day = _Date(year, today.month, min(today.day, _days_in_month(year, today.month)))
        return _add_months(same_day, -1), _add_months(same_day, 1)
    return None


def _most_recent(today: _Date, make: Callable[[int], _Range | None], completed: bool) -> _Range | None:
    """The latest yearly occurrence that has begun (or, if ``completed``, ended)."""
    for year in range(today.year, today.year - 3, -1):
        rng = make(year)
        if rng is None:
            continue  # e.g. 2월 29일 in a common year
        if (rng[1] < today) if completed else (rng[0] <= today):
            return _finish(rng, today)
    return None


_YEAR_OFFSETS = {
    "재재작년": -3,
    "재작년": -2,
    "작년": -1,
    "지난해": -1,
    "올해": 0,
    "금년": 0,
    "내년": 1,
    "다음해": 1,
    "내후년": 2,
}


def _two_digit_year(text: str, today: _Date) -> int:
    year = 2000 + int(text)
    return year if year <= today.year + 10 else year - 100


def _year_range(match: re.Match[str], today: _Date) -> _Range | None:
    if match.group("yword"):
        year = today.year + _YEAR_OFFSETS[re.sub(r"\s+", "", match.group("yword"))]
    elif match.group("ol"):
        year = today.year
    elif match.group("y4") or match.group("y4b"):
        year = int(match.group("y4") or match.group("y4b"))
    else:
        year = _two_digit_year(match.group("y2a") or match.group("y2"), today)
    if match.group("mon"):
        month = _month_value(match.group("mon"))
        if month is None:
            return None
        rng = _month_part_range(year, month, match.group("day"), match.group("mpart"))
    elif match.group("season"):
        season = match.group("season")
        if season == "겨울" and year == today.year and today.month <= 5:
            # "올해 겨울" said in spring: the winter months already behind us.
            rng = _Date(year, 1, 1), _Date(year, 2, _days_in_month(year, 2))
        else:
            rng = _season_range(year, season)
    elif match.group("ypart"):
        rng = _year_part_range(year, match.group("ypart"), today)
    else:
        rng = _Date(year, 1, 1), _Date(year, 12, 31)
    return None if rng is None else _finish(rng, today)


def _numeric_range(match: re.Match[str], today: _Date) -> _Range | None:
    year = int(match.group("y4")) if match.group("y4") else _two_digit_year(match.group("y2"), today)
    month = int(match.group("mon"))
    if not 1 <= month <= 12:
        return None
    rng = _month_part_range(year, month, match.group("day"), None)
    return None if rng is None else _finish(rng, today)


_REL_OFFSETS = {
    "지지난": -2,
    "지난": -1,
    "저번": -1,
    "전월": -1,
    "이번": 0,
    "이달": 0,
    "금월": 0,
    "다음": 1,
    "담": 1,
    "내달": 1,
    "익월": 1,
    "다다음": 2,
}


def _month_word_range(match: re.Match[str], today: _Date) -> _Range | None:
    offset = _REL_OFFSETS[match.group("rel") or match.group("word")]
    first = _add_months(today.replace(day=1), offset)
    rng = _month_part_range(first.year, first.month, None, match.group("mpart"))
    return None if rng is None else _finish(rng, today)


def _week_word_range(match: re.Match[str], today: _Date) -> _Range | None:
    monday = today - datetime.timedelta(days=today.weekday())
    start = monday + datetime.timedelta(weeks=_REL_OFFSETS[match.group("rel")])
    if match.group("weekend"):
        start += datetime.timedelta(days=5)
        return _finish((start, start + _ONE_DAY), today)
    return _finish((start, start + datetime.timedelta(days=6)), today)


def _bare_month_range(match: re.Match[str], today: _Date) -> _Range | None:
    month = _month_value(match.group("mon") or match.group("mword"))
    if month is None:
        return None
    day, part = match.group("day"), match.group("mpart")
    return _most_recent(today, lambda year: _month_part_range(year, month, day, part), match.group("prev") is not None)


def _bare_season_range(match: re.Match[str], today: _Date) -> _Range | None:
    season = match.group("season")
    return _most_recent(today, lambda year: _season_range(year, season), match.group("prev") is not None)


def _bare_year_part_range(match: re.Match[str], today: _Date) -> _Range | None:
    part = match.group("ypart")
    return _most_recent(today, lambda year: _year_part_range(year, part, today), False)


_DAY_OFFSETS = {"오늘": 0, "어제": -1, "그제": -2, "그저께": -2, "그끄저께": -3, "내일": 1, "모레": 2}


def _recent_range(match: re.Match[str], today: _Date) -> _Range | None:
    if match.group("recent") or match.group("lately"):
        return _add_months(today, -3), today
    if match.group("days"):
        return today - datetime.timedelta(days=10), today - _ONE_DAY
    if match.group("soon"):
        return today + _ONE_DAY, today + datetime.timedelta(days=90)
    day = today + datetime.timedelta(days=_DAY_OFFSETS[match.group("day")])
    return day, day


# (regex, builder, tier): tier 0 = explicit dates, tier 1 = weak hints (bare "3월", "최근").
_SIMPLE_PATTERNS: list[tuple[re.Pattern[str], _Builder, int]] = [
    (_YEAR_RE, _year_range, 0),
    (_NUMERIC_RE, _numeric_range, 0),
    (_MONTH_WORD_RE, _month_word_range, 0),
    (_WEEK_WORD_RE, _week_word_range, 0),
    (_BARE_MONTH_RE, _bare_month_range, 1),
    (_BARE_SEASON_RE, _bare_season_range, 1),
    (_BARE_YEAR_PART_RE, _bare_year_part_range, 1),
    (_RECENT_RE, _recent_range, 1),
]


# --------------------------------------------------------------------------------------
# Search


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    tier: int
    order: int
    rng: _Range


_PARTICLES = frozenset({"이", "가", "은", "는", "도", "이나", "채"})


def _relative_span(text: str, match: re.Match[str]) -> tuple[int, int]:
    """Span of a relative phrase without "지" before it or bare particles after it."""
    start = match.start("core")
    if any(match.group(name) for name in ("ago", "fut", "within", "elapsed")):
        return _span(text, start, match.end())
    end = match.end("core")
    fill_start = match.start("fill")
    for token in _FILL_TOKEN_RE.finditer(match.group("fill") or ""):
        if token.group() not in _PARTICLES:
            end = fill_start + token.end()
    return _span(text, start, end)


def _prepare(text: str) -> str:
    return text[:MAX_INPUT_CHARS].translate(_TRANSLATE)


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _candidates(text: str, today: _Date) -> list[_Candidate]:
    found: list[_Candidate] = []
    for order, (pattern, builder, tier) in enumerate(_SIMPLE_PATTERNS):
        for match in pattern.finditer(text):
            try:
                rng = builder(match, today)
            except (ValueError, OverflowError):
                rng = None
            if rng is not None:
                start, end = _span(text, match.start(), match.end())
                found.append(_Candidate(start, end, tier, order, rng))
    order = len(_SIMPLE_PATTERNS)
    for match in _RELATIVE_RE.finditer(text):
        try:
            rng = _relative_range(match, text, today, allow_bare=False)
        except (ValueError, OverflowError):
            rng = None
        if rng is not None:
            start, end = _relative_span(text, match)
            found.append(_Candidate(start, end, 0, order, rng))
    return found


def _choose(text: str, found: list[_Candidate]) -> _Candidate | None:
    # Leftmost-longest: drop matches inside a longer match ("작년 3월" hides "3월").
    kept: list[_Candidate] = []
    for cand in sorted(found, key=lambda c: (c.start, -(c.end - c.start), c.order)):
        if not kept or cand.start >= kept[-1].end:
            kept.append(cand)
    if not kept:
        return None
    closures = [(m.start(), m.end()) for m in _CLOSURE_RE.finditer(text)]

    def distance(cand: _Candidate) -> int:
        gaps = [max(k_start - cand.end, cand.start - k_end, 0) for k_start, k_end in closures]
        return min(gaps) if gaps else 0

    return min(kept, key=lambda c: (c.tier, distance(c), c.start))


def find_korean_date(text: str, today: datetime.date) -> ParsedDate | None:
    """The date phrase inside ``text`` (e.g. "부산에서 식당 하다가 작년 봄에 폐업했어요").

    Only time points count: absolute dates, 작년/지난달-style words and quantities
    anchored by 전/후/됐어요/지났어요/"…한 지".  ``None`` when there is none.
    """
    if not isinstance(text, str):
        return None
    prepared = _prepare(text)
    best = _choose(prepared, _candidates(prepared, today))
    if best is None:
        return None
    return ParsedDate(best.rng[0], best.rng[1], text[best.start : best.end])


def _bare_duration(text: str, today: _Date) -> ParsedDate | None:
    """A whole answer that is just a duration: "2년쯤", "약 3년이요", "반년 정도요"."""
    prepared = _prepare(text)
    prefix = _BARE_PREFIX_RE.match(prepared)
    position = prefix.end() if prefix else 0
    match = _RELATIVE_RE.match(prepared, position)
    if match is None or match.group("ji") is not None:
        return None
    if _ENDINGS_RE.fullmatch(prepared, match.end()) is None:
        return None
    try:
        rng = _relative_range(match, prepared, today, allow_bare=True)
    except (ValueError, OverflowError):
        return None
    if rng is None:
        return None
    start, end = _relative_span(prepared, match)
    return ParsedDate(rng[0], rng[1], text[start:end])


def parse_korean_date(text: str, today: datetime.date) -> ParsedDate | None:
    """Read ``text`` as the answer to "언제 / 얼마나 전에 폐업하셨어요?".

    Like :func:`find_korean_date`, and in addition a reply that is only a duration
    ("2년쯤", "3년이요") is taken to mean that long ago.
    """
    if not isinstance(text, str):
        return None
    found = find_korean_date(text, today)
    if found is not None:
        return found
    return _bare_duration(text, today)


def years_since(text: str, today: datetime.date) -> float | None:
    """Years from the phrase's midpoint to ``today``; negative for a future phrase."""
    parsed = parse_korean_date(text, today)
    return None if parsed is None else parsed.years_before(today)
