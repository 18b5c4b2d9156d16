"""The Kiwi tokenizer and gazetteer as Rasa graph components, offsets asserted."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.gazetteer_entity_extractor import GazetteerEntityExtractor
from bot.language.kiwi_tokenizer import KiwiTokenizer


@pytest.fixture(scope="module")
def components(tmp_path_factory: pytest.TempPathFactory) -> tuple[KiwiTokenizer, GazetteerEntityExtractor]:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("model")))
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = KiwiTokenizer.create({**KiwiTokenizer.get_default_config()}, storage, Resource("tokenizer"), context)
    extractor = GazetteerEntityExtractor.create(
        {**GazetteerEntityExtractor.get_default_config()}, storage, Resource("gazetteer"), context
    )
    return tokenizer, extractor


def tokens_of(tokenizer: KiwiTokenizer, text: str) -> list[tuple[str, int, int]]:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return [(token.text, token.start, token.end) for token in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    "text, expected",
    [
        # 했 is 하/XSV + 었/EP at the same offset: one surface token.
        ("폐업했는데", [("폐업", 0, 2), ("했", 2, 3), ("는데", 3, 5)]),
        ("성남인데 해요?", [("성남", 0, 2), ("인데", 2, 4), ("해요", 5, 7), ("?", 7, 8)]),
        (
            "재창업자금신청하고싶어요",
            [("재창업자금", 0, 5), ("신청", 5, 7), ("하", 7, 8), ("고", 8, 9), ("싶", 9, 10), ("어요", 10, 12)],
        ),
    ],
)
def test_tokens_are_surface_spans(components, text: str, expected: list[tuple[str, int, int]]) -> None:
    assert tokens_of(components[0], text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "부산에서 식당 하다가 작년에 폐업했고 세금 체납이 있어요ㅠㅠ 😢",
        "hello bot이세요? I need help with 재창업",
        "안녕하세여 재창엽 지원 어떻케 받아요",
        "مرحبا 재도전성공패키지\u200f 알려줘",
        "a\x00b\x07 탭\t과 줄바꿈\n",
        "ㅋㅋㅋㅋ!!!",
    ],
)
def test_every_token_is_the_text_at_its_offsets(components, text: str) -> None:
    tokens = tokens_of(components[0], text)
    assert tokens, text
    for token_text, start, end in tokens:
        assert text[start:end] == token_text
        assert token_text.strip() == token_text and token_text
    starts = [start for _, start, _ in tokens]
    assert starts == sorted(starts)
    assert all(prev_end <= start for (_, _, prev_end), (_, start, _) in zip(tokens, tokens[1:], strict=False))


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_messages_get_one_placeholder_token(components, text: str) -> None:
    assert len(tokens_of(components[0], text)) == 1


def test_huge_message_is_tokenized_without_error(components) -> None:
    text = "재창업 지원 " * 20_000
    tokens = tokens_of(components[0], text)
    assert len(tokens) > 0 and tokens[-1][2] <= 2000


def test_gazetteer_component_entities_line_up_with_tokens(components) -> None:
    tokenizer, extractor = components
    text = "부산에서 식당 하다가 폐업했어요. 재창업자금 받을 수 있나요?"
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    extractor.process([message])
    entities = {(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in message.get(ENTITIES)}
    assert ("region", "busan", "부산") in entities
    assert ("program", "restart_fund", "재창업자금") in entities
    token_bounds = {t.start for t in message.get(TOKENS_NAMES[TEXT])} | {t.end for t in message.get(TOKENS_NAMES[TEXT])}
    for entity in message.get(ENTITIES):
        assert entity["start"] in token_bounds and entity["end"] in token_bounds


def test_gazetteer_component_ignores_empty_text(components) -> None:
    tokenizer, extractor = components
    message = Message(data={TEXT: ""})
    tokenizer.process([message])
    extractor.process([message])
    assert not message.get(ENTITIES)


@pytest.mark.parametrize(
    "text, bare",
    [
        ("울산이요", True),
        ("법인이요", True),
        ("작년 봄에요", True),
        ("해운대구요", True),
        ("울산 센터 어디예요?", False),
        ("네", False),
        ("부산에서 재창업 지원 받을 수 있나요?", False),
        ("", False),
    ],
)
def test_a_bare_answer_is_classified_inform(components, text: str, bare: bool) -> None:
    from bot.language.short_answer_classifier import ShortAnswerClassifier

    tokenizer, extractor = components
    message = Message(data={TEXT: text})
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.3})
    tokenizer.process([message])
    extractor.process([message])
    ShortAnswerClassifier({"intent": "inform"}).process([message])
    assert (message.get("intent")["name"] == "inform") is bare


@pytest.mark.parametrize(
    "text, other",
    [
        ("Hello, I closed my company in Seoul", True),
        ("我的公司倒闭了", True),
        ("Tôi muốn khởi nghiệp lại", True),
        ("yes", False),
        ("thanks a lot", False),  # short English is still understood
        ("재창업 support programs 뭐 있어요", False),  # Korean with English mixed in
        ("😭😭😭", False),
        ("", False),
    ],
)
def test_a_whole_message_in_another_language_is_recognised(text: str, other: bool) -> None:
    from bot.language.korean import in_another_language

    assert in_another_language(text) is other
