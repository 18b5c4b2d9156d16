"""Gazetteer entity extraction: a spaCy EntityRuler over Kiwi surface tokens.

Its patterns are generated from the knowledge base (regions, districts, programs,
agencies, barriers and the lexicon), never from hand-copied lists. A name that means two
places (고성: 강원 and 경남; 광주: 광주광역시 and 경기 광주시) gets the value ``a|b`` so
that the caller asks instead of guessing.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.knowledge.loader import DEFAULT_DIRECTORY, KnowledgeBase, knowledge
from bot.language.korean import KoreanAnalyser, Span, analyser

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

AMBIGUITY_SEPARATOR = "|"
# Region names that are also common words, and what follows them when they are the word:
# "경기가 안 좋아서" is the economy, "축구 경기 일정" a match, "경기 수원" the province.
_ECONOMY = ("가", "침체", "불황", "악화", "회복", "부진", "둔화", "탓", "때문", "가 안", "이 안", "도 안", "를")
_MATCH = tuple(
    "일정 결과 중계 생중계 재방송 하이라이트 스코어 티켓 예매 시청 규칙 시작 "
    "보러 보면 보고 보는 보다 봤 봐 끝나 끝났 졌 이겼 이기 지면 지고 뛰".split()
) + ("몇 시",)
COMMON_WORD_CONTEXTS: dict[str, tuple[str, ...]] = {
    "경기": _ECONOMY + _MATCH,
    "구미": ("가 당", "가 당기", "를 당"),
    "세종": ("대왕",),
}
# ... and what precedes them when they are the word: "야구 경기", "오늘 밤 국가대표 경기".
COMMON_WORD_PRECEDING: dict[str, tuple[str, ...]] = {
    "경기": tuple(
        "축구 야구 농구 배구 골프 테니스 탁구 배드민턴 볼링 당구 권투 복싱 격투기 스포츠 e스포츠 "
        "국가대표 대표팀 월드컵 올림픽 리그 프로야구 결승 친선 팀".split()
    ),
}

# A district's short name that is also an ordinary word (구리 copper, 양산 parasol, 수영
# swimming, 고양 in 고양이) is not a pattern of its own: it is found under IN_CONTEXT and counts
# as the place only when what follows says so ("구리 살아요", "양산이었고", "동해 근처"), or when it
# is the whole message (the answer to "어느 지역이세요?").
IN_CONTEXT = "region_in_context"
PLACE_FOLLOWERS = (
    "에서", "에 살", "에살", "에 있", "에있", "에 사", "에사", "에 위치", "에도", "에는", "엔",
    "에 재", "에 센터", "에 상담", "에 가게", "에 매장", "에 공장", "에 사무실", "에 사업장", "에 중진공", "에 소진공",
    "쪽", "근처", "부근", "인근", "지역", "시내", "시청", "사는", "살아", "살고", "살았", "살거", "사람",
    "이나 ", "이랑", "이고", "이었", "였", "이에요", "예요", "이요", "요", "인데",
    "소상공인", "중진공", "소진공", "센터", "혁신", "에 소상공인",
)  # fmt: skip


@dataclass(frozen=True)
class Term:
    label: str  # entity name: region, program, agency, barrier, business_type …
    value: str  # canonical id
    phrase: str


@dataclass(frozen=True)
class Mention:
    label: str
    value: str  # canonical id, or ids joined by '|' when the phrase is ambiguous
    text: str
    start: int
    end: int

    @property
    def candidates(self) -> list[str]:
        return self.value.split(AMBIGUITY_SEPARATOR)

    @property
    def ambiguous(self) -> bool:
        return AMBIGUITY_SEPARATOR in self.value


def terms_from_knowledge(base: KnowledgeBase) -> list[Term]:
    """Every surface form Dasi recognises, generated from the knowledge files."""
    terms: list[Term] = []
    for region in base.regions.values():
        terms += [Term("region", region.id, name) for name in region.names]
    for district in base.districts:
        value = district.center_region or district.sido
        # "경기도 광주" is two mentions (resolve_regions combines them), not one phrase.
        terms += [Term("region", value, name) for name in (district.name, *district.aliases) if " " not in name]
    for program in base.programs.values():
        terms += [Term("program", program.id, name) for name in program.names]
    for agency in base.agencies.values():
        terms += [Term("agency", agency.id, name) for name in agency.names]
    for barrier in base.barriers.values():
        terms += [Term("barrier", barrier.id, name) for name in barrier.names]
    for label, values in base.lexicon.entries.items():
        for value, phrases in values.items():
            terms += [Term(label, value, phrase) for phrase in phrases]
    return terms + _short_names_in_context(base, {term.phrase for term in terms})


def _short_names_in_context(base: KnowledgeBase, phrases: set[str]) -> list[Term]:
    """구리시 → 구리, 수영구 → 수영: the short names districts.yml leaves out because they are words."""
    shorts = []
    for district in base.districts:
        short = district.name[:-1]
        if district.name[-1] in "시군구" and len(short) >= 2 and short not in phrases:
            shorts.append(Term(IN_CONTEXT, district.center_region or district.sido, short))
    return shorts


# When one phrase is listed under several labels, the fact about the founder wins:
# "연체" is a credit state before it is a barrier name, "대위변제" likewise.
LABEL_PRIORITY = ("region", "program", "agency", "barrier")


def _label_rank(label: str) -> int:
    return -1 if label not in LABEL_PRIORITY else LABEL_PRIORITY.index(label) + (0 if label == "region" else 10)


def _merge_ambiguous(terms: Iterable[Term]) -> list[Term]:
    """One term per phrase: one label (facts first), and every value it may mean (a|b)."""
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    for term in terms:
        phrase = " ".join(term.phrase.split())
        if phrase:
            values[(term.label, phrase)].add(term.value)
            labels[phrase].add(term.label)
    merged = []
    for phrase, found_labels in labels.items():
        label = min(found_labels, key=lambda name: (_label_rank(name) if name != "region" else -2, name))
        merged.append(Term(label, AMBIGUITY_SEPARATOR.join(sorted(values[(label, phrase)])), phrase))
    return merged


class Gazetteer:
    """Finds knowledge-base names in text, on the same tokens as Dasi's tokenizer."""

    def __init__(self, terms: Sequence[Term], korean: KoreanAnalyser | None = None) -> None:
        self.terms = _merge_ambiguous(terms)
        self.korean = korean or analyser(tuple(sorted({term.phrase for term in self.terms})))
        self.nlp = self._pipeline()

    def _pipeline(self) -> Language:
        import spacy  # with thinc it pulls TensorFlow: only processes that match text load it

        nlp = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
        self._vocab = nlp.vocab
        nlp.tokenizer = self._make_doc_from_text  # type: ignore[assignment]
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": False})
        ruler.add_patterns(  # type: ignore[attr-defined]
            [{"label": term.label, "pattern": term.phrase, "id": term.value} for term in self.terms]
        )
        return nlp

    def _make_doc_from_text(self, text: str) -> Doc:
        return self.doc_from_spans(text, self.korean.spans(text))

    def doc_from_spans(self, text: str, spans: Sequence[Span]) -> Doc:
        from spacy.tokens import Doc

        words = [span.text for span in spans]
        spaces = [index + 1 < len(spans) and spans[index + 1].start > span.end for index, span in enumerate(spans)]
        return Doc(self._vocab, words=words, spaces=spaces)

    def find(self, text: str, spans: Sequence[Span] | None = None) -> list[Mention]:
        """Mentions in `text`; `spans` are its tokens when the caller already has them."""
        spans = list(spans) if spans is not None else self.korean.spans(text)
        if not spans:
            return []
        doc = self.nlp(self.doc_from_spans(text, spans))
        mentions = [
            Mention(
                label=entity.label_,
                value=entity.ent_id_,
                text=text[spans[entity.start].start : spans[entity.end - 1].end],
                start=spans[entity.start].start,
                end=spans[entity.end - 1].end,
            )
            for entity in doc.ents
        ]
        kept = []
        for mention, after in zip(mentions, [*mentions[1:], None], strict=False):  # after: the next one
            if mention.label == IN_CONTEXT:
                if not _said_as_place(text, mention, after):
                    continue
                mention = Mention("region", mention.value, mention.text, mention.start, mention.end)
            if not _common_word(text, mention):
                kept.append(mention)
        return kept


def _said_as_place(text: str, mention: Mention, after: Mention | None) -> bool:
    following = text[mention.end :].lstrip()
    if not following.strip(" .?!~…ㅎㅋㅠ"):
        return True  # the whole answer, or the end of the message ("사업장은 양산")
    # a place within the place right after it: "고양 덕양구", "고양 일산"
    if after and after.label in ("region", IN_CONTEXT) and not text[mention.end : after.start].strip():
        return True
    return following.startswith(PLACE_FOLLOWERS)


def _common_word(text: str, mention: Mention) -> bool:
    """True when a region name is used as an ordinary word here ("경기가 어려워서")."""
    if mention.label != "region" or mention.text not in COMMON_WORD_CONTEXTS:
        return False
    following = text[mention.end : mention.end + 6].lstrip()
    preceding = text[max(0, mention.start - 8) : mention.start].rstrip()
    return following.startswith(COMMON_WORD_CONTEXTS[mention.text]) or preceding.endswith(
        COMMON_WORD_PRECEDING.get(mention.text, ())
    )


@functools.lru_cache(maxsize=2)
def known_terms(directory: str = str(DEFAULT_DIRECTORY)) -> list[Term]:
    """The gazetteer's terms (one per phrase), without loading Kiwi or spaCy to match them."""
    return _merge_ambiguous(terms_from_knowledge(knowledge(directory)))


def mentions_of(text: str, entities: Iterable[dict[str, object]]) -> list[Mention]:
    """The gazetteer's mentions as the NLU pipeline found them (GazetteerEntityExtractor's entities).

    The Rasa server matches every message once; the action server and the console read its
    entities instead of loading Kiwi and spaCy (about 1 GB) to match the same text again.
    """
    found = []
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if entity.get("extractor") != EXTRACTOR or not isinstance(start, int) or not isinstance(end, int):
            continue
        if entity.get("entity") == "personal_data":
            continue
        found.append(Mention(str(entity.get("entity")), str(entity.get("value")), text[start:end], start, end))
    return found


EXTRACTOR = "GazetteerEntityExtractor"


@functools.lru_cache(maxsize=2)
def gazetteer(directory: str = str(DEFAULT_DIRECTORY)) -> Gazetteer:
    """The process-wide gazetteer over the knowledge base in `directory`."""
    return Gazetteer(terms_from_knowledge(knowledge(directory)))
