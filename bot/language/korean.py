"""Korean morphology with kiwipiepy, as surface spans of the original text.

Kiwi reports normalised morphemes whose offsets can overlap (폐업했는데 → 하/XSV and 었/EP
both at the offset of 했). Dasi's tokens are the *surface* spans: overlapping morphemes are
merged into one span, so every token's text is exactly ``text[start:end]`` and entity
offsets always line up.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiwipiepy import Kiwi

# Kiwi is fast after warm-up but slow on its first calls; longer inputs are cut here
# because a founder's message is never this long and Kiwi's cost grows with length.
MAX_ANALYSED_CHARACTERS = 2000
_WARM_UP_SENTENCES = ("재창업 지원 받을 수 있나요?", "부산에서 식당 하다가 작년에 폐업했어요", "hello 😊")


@dataclass(frozen=True)
class Span:
    """One surface token: text[start:end], with the morphemes Kiwi found inside it."""

    text: str
    start: int
    end: int
    lemma: str  # morpheme forms joined by '+', e.g. 하+었 for 했
    tags: tuple[str, ...]

    @property
    def is_content(self) -> bool:
        return any(tag.startswith(("NN", "VV", "VA", "XR", "SL", "SN", "MA")) for tag in self.tags)


def blank_control_characters(text: str) -> str:
    """Replaces control and format characters with spaces, keeping every offset."""
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cf") else char for char in text)


class KoreanAnalyser:
    """A Kiwi instance with Dasi's user dictionary (names from the knowledge base)."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self._kiwi = Kiwi(num_workers=0)
        for word in sorted(set(user_words)):
            # Single-token names keep gazetteer matches stable in any context.
            if 2 <= len(word) <= 20 and " " not in word:
                self._kiwi.add_user_word(word, "NNP", 0.0)
        self._lock = threading.Lock()
        for sentence in _WARM_UP_SENTENCES:
            self.spans(sentence)

    def spans(self, text: str) -> list[Span]:
        """Surface tokens of `text` (offsets into `text` itself)."""
        if not text or not text.strip():
            return []
        analysed = blank_control_characters(text[:MAX_ANALYSED_CHARACTERS])
        with self._lock:  # Kiwi objects are not documented as thread-safe
            morphemes = self._kiwi.tokenize(analysed)
        merged = _merge_overlaps(analysed, [(m.start, m.start + m.len, m.form, m.tag) for m in morphemes])
        return [span for span in merged if span.text.strip()]


def _merge_overlaps(text: str, morphemes: Sequence[tuple[int, int, str, str]]) -> Iterable[Span]:
    group: list[tuple[int, int, str, str]] = []
    group_end = -1
    for start, end, form, tag in sorted(morphemes, key=lambda m: (m[0], m[1])):
        if group and start < group_end:
            group.append((start, end, form, tag))
            group_end = max(group_end, end)
            continue
        if group:
            yield _span(text, group)
        group, group_end = [(start, end, form, tag)], end
    if group:
        yield _span(text, group)


def _span(text: str, group: list[tuple[int, int, str, str]]) -> Span:
    start = min(m[0] for m in group)
    end = max(m[1] for m in group)
    return Span(
        text=text[start:end],
        start=start,
        end=end,
        lemma="+".join(m[2] for m in group),
        tags=tuple(str(m[3]) for m in group),
    )


@functools.lru_cache(maxsize=2)
def analyser(user_words: tuple[str, ...] = ()) -> KoreanAnalyser:
    """One shared analyser per user dictionary (Kiwi takes about a second to load)."""
    return KoreanAnalyser(user_words)
