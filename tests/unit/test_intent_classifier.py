"""The intent model (KoreanTextFeaturizer + LinearIntentClassifier) trained as Rasa graph components."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.components import KiwiTokenizer, KoreanTextFeaturizer, LinearIntentClassifier, _mood

EXAMPLES = {
    "greet": ["안녕하세요", "안녕", "반가워요", "하이", "안녕하십니까", "hello", "hi there", "좋은 아침이에요"],
    "goodbye": ["잘 있어요", "안녕히 계세요", "다음에 또 올게요", "bye", "이만 갈게요", "수고하세요", "굿나잇"],
    "bot_challenge": ["너 봇이야?", "사람이에요?", "챗봇이죠?", "are you a bot?", "AI랑 얘기하는 거예요?", "기계야?"],
    "ask_tax_arrears": [
        "세금 체납이 있는데 재창업 가능한가요?",
        "부가세 못 내고 폐업했어요 어떡하죠",
        "밀린 세금 나눠서 낼 수 있어요?",
        "국세 체납 유예 받을 수 있나요?",
        "체납 세금 있으면 사업자등록 안 돼요?",
        "가산세 면제 받을 수 있나요",
    ],
}
# Short messages the pipeline has trained on, so the first tests can rely on a confident answer.
THRESHOLD = 0.4


def _trained_messages(tokenizer: KiwiTokenizer) -> TrainingData:
    messages = [Message(data={TEXT: text, INTENT: intent}) for intent, texts in EXAMPLES.items() for text in texts]
    training_data = TrainingData(training_examples=messages)
    tokenizer.process_training_data(training_data)
    return training_data


@pytest.fixture(scope="module")
def pipeline(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[KiwiTokenizer, KoreanTextFeaturizer, LinearIntentClassifier]:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("model")))
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = KiwiTokenizer.create({**KiwiTokenizer.get_default_config()}, storage, Resource("tokenizer"), context)
    featurizer = KoreanTextFeaturizer.create(
        {**KoreanTextFeaturizer.get_default_config()}, storage, Resource("featurizer"), context
    )
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), "calibration_folds": 2},
        storage,
        Resource("classifier"),
        context,
    )
    training_data = _trained_messages(tokenizer)
    featurizer.train(training_data)
    featurizer.process_training_data(training_data)
    classifier.train(training_data)
    return tokenizer, featurizer, classifier


def parse(pipeline, text: str) -> Message:
    tokenizer, featurizer, classifier = pipeline
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    featurizer.process([message])
    classifier.process([message])
    return message


@pytest.mark.parametrize(
    "text, intent",
    [
        ("안녕하세요", "greet"),
        ("너 봇이야?", "bot_challenge"),
        ("세금 체납이 있는데 재창업 가능한가요?", "ask_tax_arrears"),
    ],
)
def test_a_known_message_is_classified_with_confidence(pipeline, text: str, intent: str) -> None:
    predicted = parse(pipeline, text).get(INTENT)
    assert predicted["name"] == intent
    assert predicted["confidence"] >= THRESHOLD


@pytest.mark.parametrize("text", ["?", "??", "!!!", "...", "😭😭", "🙏", " ? ", "~~", "ㅡㅡ;", "!?", "-_-"])
def test_a_message_without_letters_or_digits_gets_low_confidence(pipeline, text: str) -> None:
    message = parse(pipeline, text)
    assert message.get(INTENT)["confidence"] < THRESHOLD
    ranking = message.get("intent_ranking")
    assert ranking and all(entry["confidence"] < THRESHOLD for entry in ranking)


@pytest.mark.parametrize("text", ["asdfgh", "qwerty zxcv", "뷁뷁", "Lorem ipsum dolor"])
def test_a_message_of_only_unknown_words_gets_low_confidence(pipeline, text: str) -> None:
    assert parse(pipeline, text).get(INTENT)["confidence"] < THRESHOLD


def test_punctuation_around_known_words_keeps_the_confidence(pipeline) -> None:
    predicted = parse(pipeline, "안녕하세요!! 😊").get(INTENT)
    assert predicted["name"] == "greet"
    assert predicted["confidence"] >= THRESHOLD


def test_one_unknown_word_keeps_the_confidence_but_mostly_unknown_words_lower_it(pipeline) -> None:
    with_typo = parse(pipeline, "안녕하세요 쀍쀍").get(INTENT)
    mostly_unknown = parse(pipeline, "안녕하세요 쀍쀍 블라블라 퀘퀘").get(INTENT)
    assert with_typo["name"] == mostly_unknown["name"] == "greet"
    assert with_typo["confidence"] >= THRESHOLD
    assert mostly_unknown["confidence"] < with_typo["confidence"]


def test_confidences_stay_a_distribution(pipeline) -> None:
    for text in ("?", "안녕하세요", "asdf"):
        ranking = parse(pipeline, text).get("intent_ranking")
        assert len(ranking) == len(EXAMPLES)
        assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)


def test_the_trained_model_loads_and_gives_the_same_answer(pipeline, tmp_path: Path) -> None:
    tokenizer, featurizer, classifier = pipeline
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config()},
        classifier._model_storage,
        classifier._resource,
        ExecutionContext(GraphSchema({}), "test"),
    )
    for text in ("안녕하세요", "?"):
        original = parse(pipeline, text).get(INTENT)
        again = parse((tokenizer, featurizer, loaded), text).get(INTENT)
        assert again == original


@pytest.mark.parametrize(
    "text, mood",
    [
        ("건강보험료 체납 있어요", ["<statement>"]),
        ("연대보증은 안 섰어요", ["<statement>"]),
        ("이제 가요", ["<statement>"]),
        ("체납 있으면 재창업 되나요", ["<question>"]),
        ("세금 체납 분납?", ["<question>"]),
        ("부가세 밀림 어떡해요", ["<question>"]),
        ("how do I apply", ["<question>"]),
        ("재창업하고 싶은데 세금이 밀려서 걱정이에요", ["<statement>", "<worry>"]),
    ],
)
def test_the_mood_view_tells_a_stated_fact_from_a_question_or_a_worry(text: str, mood: list[str]) -> None:
    assert _mood(text) == mood


def test_the_mood_view_is_part_of_the_features_when_configured(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = KiwiTokenizer.create({**KiwiTokenizer.get_default_config()}, storage, Resource("tokenizer"), context)
    sizes = {}
    for mood in (False, True):
        featurizer = KoreanTextFeaturizer.create(
            {**KoreanTextFeaturizer.get_default_config(), "mood": mood}, storage, Resource(f"featurizer{mood}"), context
        )
        training_data = _trained_messages(tokenizer)
        featurizer.train(training_data)
        message = Message(data={TEXT: "세금 체납 있어요"})
        tokenizer.process([message])
        featurizer.process([message])
        sizes[mood] = message.get_sparse_features(TEXT)[1].features.shape[1]
    assert sizes[True] == sizes[False] + 2  # <question> and <statement>; no worry in this data
