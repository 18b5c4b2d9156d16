"""Korean morphology with kiwipiepy, as surface spans of the original text.

Kiwi reports normalised morphemes whose offsets can overlap (폐업했는데 → 하/XSV and 었/EP
both at the offset of 했). Dasi's tokens are the *surface* spans: overlapping morphemes are
merged into one span, so every token's text is exactly ``text[start:end]`` and entity
offsets always line up.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

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
    ids: tuple[int, ...] = ()  # Kiwi's morpheme ids, for the embeddings of its language model

    @property
    def is_content(self) -> bool:
        return any(tag.startswith(("NN", "VV", "VA", "XR", "SL", "SN", "MA")) for tag in self.tags)


def blank_control_characters(text: str) -> str:
    """Replaces control and format characters with spaces, keeping every offset."""
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cf") else char for char in text)


class KoreanAnalyser:
    """A Kiwi instance with Dasi's user dictionary (names from the knowledge base)."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        from kiwipiepy import Kiwi  # about 500 MB: loaded only where text is analysed

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
        merged = _merge_overlaps(analysed, [(m.start, m.start + m.len, m.form, m.tag, m.id) for m in morphemes])
        return [span for span in merged if span.text.strip()]

    def similarities(self, morpheme: int, anchors: Sequence[int]) -> np.ndarray | None:
        """Cosine similarities of one morpheme to `anchors` in the embeddings of Kiwi's CoNg
        language model (shipped in kiwipiepy_model), or None when the morpheme has no
        embedding (user-dictionary words, unknown forms)."""
        with self._lock:
            try:
                if not math.isfinite(self._kiwi.morpheme_similarity(morpheme, morpheme)):
                    return None
                values = [self._kiwi.morpheme_similarity(morpheme, anchor) for anchor in anchors]
            except (ValueError, RuntimeError, IndexError):
                return None
        return np.nan_to_num(np.asarray(values, dtype=np.float32))


Morpheme = tuple[int, int, str, str, int]  # start, end, form, tag, Kiwi id


def _merge_overlaps(text: str, morphemes: Sequence[Morpheme]) -> Iterable[Span]:
    group: list[Morpheme] = []
    group_end = -1
    for morpheme in sorted(morphemes, key=lambda m: (m[0], m[1])):
        start, end = morpheme[0], morpheme[1]
        if group and start < group_end:
            group.append(morpheme)
            group_end = max(group_end, end)
            continue
        if group:
            yield _span(text, group)
        group, group_end = [morpheme], end
    if group:
        yield _span(text, group)


def _span(text: str, group: list[Morpheme]) -> Span:
    start = min(m[0] for m in group)
    end = max(m[1] for m in group)
    return Span(
        text=text[start:end],
        start=start,
        end=end,
        lemma="+".join(m[2] for m in group),
        tags=tuple(str(m[3]) for m in group),
        ids=tuple(m[4] for m in group),
    )


@functools.lru_cache(maxsize=2)
def analyser(user_words: tuple[str, ...] = ()) -> KoreanAnalyser:
    """One shared analyser per user dictionary (Kiwi takes about a second to load)."""
    return KoreanAnalyser(user_words)


# A message in another language: no Hangul, and three Latin words or four letters of
# another script. Short English ("yes", "thanks", "ok bye") is still classified.
_HANGUL = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_OTHER_LETTER = re.compile(r"[^\W\dA-Za-z_]")


def final_consonant(word: str) -> int | None:
    """The final consonant of a word's last syllable, which picks its particle (을/를, 은/는,
    로/으로): 0 for none, 8 for ㄹ; None when the word does not end in a Hangul syllable."""
    last = word[-1:]
    return (ord(last) - ord("가")) % 28 if "가" <= last <= "힣" else None


def with_topic(word: str) -> str:
    """'재창업자금은', '희망리턴패키지는': 은 after a final consonant, 는 after a vowel."""
    return f"{word}{'은' if final_consonant(word) else '는'}"


def with_object(word: str) -> str:
    """'성실경영평가를', '재창업자금을': the particle that fits, as '성실경영평가을(를)' reads like a template."""
    final = final_consonant(word)
    if final is None:
        return f"'{word}'을(를)"
    return f"{word}{'을' if final else '를'}"


def with_ro(word: str) -> str:
    """'대구로', '서울로', '법인으로': 로 after a vowel or ㄹ, 으로 after another final consonant."""
    final = final_consonant(word.rstrip("'\" "))
    return f"{word}{'으로' if final not in (None, 0, 8) else '로'}"


def in_another_language(text: str) -> bool:
    """True for a whole message in another language (Dasi answers only in Korean)."""
    if _HANGUL.search(text):
        return False
    return len(_LATIN_WORD.findall(text)) >= 3 or len(_OTHER_LETTER.findall(text)) >= 4
