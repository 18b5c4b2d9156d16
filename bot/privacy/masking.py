"""Personal data masking: resident registration, phone, card and account numbers, e-mail.

Masking replaces each value with a placeholder that keeps its kind (``[전화번호]``), so
Dasi still knows what was given while the clear text never reaches the tracker store or
the logs. Plain Python; no Rasa import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Order matters: the most specific patterns first, so a card number is not read as an account.
PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "resident_number",
        "[주민등록번호]",
        re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[-–]?\s?[1-8]\d{6}(?!\d)"),
    ),
    ("email", "[이메일]", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("card_number", "[카드번호]", re.compile(r"(?<!\d)(?:\d{4}[\s-]){3}\d{4}(?!\d)")),
    (
        "phone_number",
        "[전화번호]",
        re.compile(r"(?:\+82[\s-]?0?|(?<![\d-])0)(?:1[016789]|2|[3-6][1-5]|70)[\s.-]?\d{3,4}[\s.-]?\d{4}(?![\d-])"),
    ),
    # Korean account numbers have 10 to 14 digits; fewer, as in a date (2015-02-02), is not one.
    (
        "account_number",
        "[계좌번호]",
        re.compile(r"(?<![\d-])(?=(?:\d-?){10})\d{2,6}-\d{2,6}-\d{2,8}(?:-\d{1,4})?(?![\d-])"),
    ),
    ("account_number", "[계좌번호]", re.compile(r"(?<!\d)\d{11,14}(?!\d)")),
]
PLACEHOLDERS = {placeholder for _, placeholder, _ in PATTERNS}


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: tuple[str, ...]  # what was masked, in order of appearance


def mask(text: str) -> Masked:
    """`text` with personal data replaced by placeholders, and the kinds found."""
    if not text:
        return Masked(text, ())
    found: list[tuple[int, str]] = []
    for kind, placeholder, pattern in PATTERNS:

        def replace(match: re.Match[str], kind: str = kind, placeholder: str = placeholder) -> str:
            found.append((match.start(), kind))
            return placeholder

        text = pattern.sub(replace, text)
    return Masked(text, tuple(kind for _, kind in sorted(found)))


KIND_LABELS = {
    "resident_number": "주민등록번호",
    "email": "이메일",
    "card_number": "카드번호",
    "phone_number": "전화번호",
    "account_number": "계좌번호",
}


PLACEHOLDER_KINDS = {placeholder: kind for kind, placeholder, _ in PATTERNS}


def find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each personal value, or placeholder of one, in `text`."""
    found: list[tuple[int, int, str]] = []
    for placeholder, kind in PLACEHOLDER_KINDS.items():
        start = (text or "").find(placeholder)
        while start >= 0:
            found.append((start, start + len(placeholder), kind))
            start = text.find(placeholder, start + 1)
    for kind, _, pattern in PATTERNS:
        for match in pattern.finditer(text or ""):
            if all(match.end() <= start or match.start() >= end for start, end, _ in found):
                found.append((match.start(), match.end(), kind))
    return sorted(found)


def mask_text(text: str) -> str:
    return mask(text).text


def mask_value(value: object) -> object:
    """Masks every string inside JSON-like data (dicts, lists) without changing its shape."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    return value
