"""Amounts of money in Korean text: "3천만원", "1억 5천", "20,000,000원", "체납 5천"."""

from __future__ import annotations

import re

from bot.language.numbers import korean_number

MONEY = re.compile(r"[\d일이삼사오육칠팔구십백천][\d,.일이삼사오육칠팔구십백천만억\s]*(?:만|억|원)")
# "5천", "3백" with no 만, 억 or 원 after them: amounts owed are said in 만 원.
MONEY_SHORTHAND = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s?[천백](?!\s?[만억원년개명번회살%])")


def parse_money(text: str) -> int | None:
    """'2천만 원' → 20000000, '3천5백만원' → 35000000, '1억 5천만원', '20,000,000원', and the
    spoken shorthand in 만 원 ('체납 5천' → 50000000, '3백 정도' → 3000000)."""
    for match in MONEY.finditer(text):
        expression = match.group(0)
        # 원 counts only after digits: "구원", "이원" are words, not amounts
        if not re.search(r"[만억]|\d원$|\d\s*원$", expression.strip()):
            continue
        value = korean_number(expression)
        if value:
            return value
    shorthand = MONEY_SHORTHAND.search(text)
    return korean_number(shorthand.group(0)) * 10_000 if shorthand else None
