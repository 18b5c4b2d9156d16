"""The intent model (KoreanTextFeaturizer + LinearIntentClassifier) trained as Rasa graph components."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.kiwi_tokenizer import KiwiTokenizer
from bot.language.korean_text_featurizer import KoreanTextFeaturizer, _mood
from bot.language.linear_intent_classifier import LinearIntentClassifier
from bot.language.morpheme_embeddings import MorphemeEmbeddings

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
        ("건강보험료 체납 있어요", ["<statement>", "<bare>"]),
        ("연대보증은 안 섰어요", ["<statement>", "<bare>"]),
        ("이제 가요", ["<statement>", "<bare>"]),
        ("체납 있으면 재창업 되나요", ["<question>"]),
        ("세금 체납 분납?", ["<question>"]),
        ("부가세 밀림 어떡해요", ["<question>"]),
        ("how do I apply", ["<question>"]),
        ("재창업하고 싶은데 세금이 밀려서 걱정이에요", ["<statement>", "<worry>"]),
        ("체납처분 유예 조건 알려주세요", ["<statement>", "<request>"]),
        ("건보료 밀려서 통장이 묶였어요", ["<statement>", "<consequence>"]),
        ("보증 거절당함 ㅠ 어떡해요", ["<question>", "<consequence>"]),
    ],
)
def test_the_mood_view_tells_a_plain_fact_from_a_question_request_worry_or_consequence(
    text: str, mood: list[str]
) -> None:
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
    moods = {token for texts in EXAMPLES.values() for text in texts for token in _mood(text)}
    assert {"<question>", "<statement>"} <= moods
    assert sizes[True] == sizes[False] + len(moods)  # one column per mood token seen in training


def _tokens(tokenizer: KiwiTokenizer, text: str) -> Message:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message


def _content_ids(tokenizer: KiwiTokenizer, text: str) -> list[int]:
    return [i for token in _tokens(tokenizer, text).get("text_tokens") for i in token.get("content_ids")]


def test_an_unseen_word_lights_up_its_nearest_known_word_in_the_embeddings(pipeline) -> None:
    tokenizer = pipeline[0]
    view = MorphemeEmbeddings(tokenizer._korean, threshold=0.3)
    known = ["세금 체납", "여행 계획", "날씨 좋아요", "커피 한 잔"]
    view.fit([_content_ids(tokenizer, text) for text in known])
    (tax,) = _content_ids(tokenizer, "세금")
    (unseen,) = _content_ids(tokenizer, "조세")
    features = view.transform([[unseen]]).toarray()[0]
    assert features.max() > 0
    assert view.anchors[int(features.argmax())] == tax
    # a message with no content words stays empty rather than matching everything a little
    assert not view.transform([[]]).toarray().any()


def test_the_anchors_can_be_capped_to_the_most_frequent_words(pipeline) -> None:
    # every anchor costs one similarity per unseen word at parse time
    tokenizer = pipeline[0]
    view = MorphemeEmbeddings(tokenizer._korean, threshold=0.5, max_anchors=2)
    view.fit([_content_ids(tokenizer, text) for text in ["세금 체납", "세금 분납", "세금 고지서", "체납 여행", "커피"]])
    assert len(view.anchors) == 2 and view.anchors[0] == _content_ids(tokenizer, "세금")[0]  # 3 of 5
    assert view.transform([_content_ids(tokenizer, "커피 한 잔")]).shape == (1, 2)


def test_words_the_language_model_does_not_know_have_no_embedding(pipeline) -> None:
    korean = pipeline[0]._korean
    (program,) = (span for span in korean.spans("희망리턴패키지") if span.text == "희망리턴패키지")
    assert korean.similarities(program.ids[0], [program.ids[0]]) is None  # a user-dictionary word


def test_the_concept_view_gives_synonyms_from_the_knowledge_base_the_same_concept(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    featurizer = KoreanTextFeaturizer.create(
        {**KoreanTextFeaturizer.get_default_config(), "concepts": True}, storage, Resource("concepts"), context
    )
    tokenizer = KiwiTokenizer.create({**KiwiTokenizer.get_default_config()}, storage, Resource("tokenizer"), context)

    def concepts(text: str) -> list[str]:
        return featurizer._views(_tokens(tokenizer, text))["concepts"]

    assert "<insurance>" in concepts("국민연금 못 냈어요")
    assert "<insurance>" in concepts("건보료 밀렸어요")
    assert "<credit_state:delinquent>" in concepts("신불자인데요")
    assert "<credit_state:delinquent>" in concepts("카드값 연체 중이에요")
    assert "<region>" in concepts("부산에서 식당 했어요")
    assert concepts("안녕하세요") == ["<none>"]


def test_features_with_every_view_survive_saving_and_loading(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**KoreanTextFeaturizer.get_default_config(), "mood": True, "concepts": True, "embeddings": True}
    tokenizer = KiwiTokenizer.create({**KiwiTokenizer.get_default_config()}, storage, Resource("tokenizer"), context)
    featurizer = KoreanTextFeaturizer.create(config, storage, Resource("all_views"), context)
    featurizer.train(_trained_messages(tokenizer))
    loaded = KoreanTextFeaturizer.load(config, storage, Resource("all_views"), context)
    for text in ("국민연금 체납 있어요", "조세 문제로 상담하고 싶어요", "😊"):
        first, second = _tokens(tokenizer, text), _tokens(tokenizer, text)
        featurizer.process([first])
        loaded.process([second])
        a = first.get_sparse_features(TEXT)[1].features.toarray()
        b = second.get_sparse_features(TEXT)[1].features.toarray()
        assert a.shape == b.shape
        assert np.allclose(a, b)
    assert any(name == "embeddings" for name in loaded._vectorizers)
