"""Rasa graph components: the Kiwi tokenizer, the knowledge-base gazetteer, and the intent model."""

from __future__ import annotations

import logging
import pickle
import re
import unicodedata
from collections import defaultdict
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge.loader import DEFAULT_DIRECTORY
from bot.language.crisis import ends_only_a_business, shows_crisis
from bot.language.cues import ABOUT_SOMETHING_ELSE, CENTER_WORD, CONSEQUENCE, QUESTION_MOOD, REQUEST, WORRY
from bot.language.dates import parse_korean_date, today
from bot.language.gazetteer import AMBIGUITY_SEPARATOR, Gazetteer, Mention, gazetteer
from bot.language.korean import Span, in_another_language
from bot.privacy.masking import find_personal_data

logger = logging.getLogger(__name__)


def _gazetteer_for(config: dict[str, Any]) -> Gazetteer:
    return gazetteer(str(config.get("knowledge_directory") or DEFAULT_DIRECTORY))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(Tokenizer):
    """Korean tokens as surface spans of the original text (Kiwi morphemes merged)."""

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["ko"]

    @staticmethod
    def required_packages() -> list[str]:
        return ["kiwipiepy"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # names from this knowledge directory join Kiwi's user dictionary
            "knowledge_directory": None,
            # token.lemma: "stem" (the first morpheme: 했 → 하) or "morphemes" (하+었)
            "lemma": "stem",
        }

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._korean = _gazetteer_for(config).korean

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KiwiTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        spans = self._korean.spans(text)
        if not spans:
            # Like Rasa's whitespace tokenizer: featurizers expect at least one token.
            return [Token(text, 0, lemma=text)]
        stems = self._config.get("lemma", "stem") == "stem"
        tokens = [
            Token(span.text, span.start, end=span.end, lemma=span.lemma.split("+")[0] if stems else span.lemma)
            for span in spans
        ]
        for token, span in zip(tokens, spans, strict=False):
            token.set("pos", span.tags[0])
            # Kiwi ids of the content morphemes, for the language model's embeddings
            token.set(
                "content_ids", [i for i, tag in zip(span.ids, span.tags, strict=False) if tag.startswith(CONTENT_TAGS)]
            )
            # every morpheme with its coarse tag (했 → 하/XS 었/EP) for the intent featurizer
            token.set(
                "morphemes", [f"{form}/{tag[:2]}" for form, tag in zip(span.lemma.split("+"), span.tags, strict=False)]
            )
        return self._apply_token_pattern(tokens)


def _mentions(finder: Gazetteer, text: str, tokens: list[Token]) -> list[Mention]:
    """The gazetteer's mentions in `text`, on the tokenizer's tokens when there are real ones."""
    spans = [Span(token.text, token.start, token.end, token.lemma or token.text, ()) for token in tokens]
    return finder.find(text, spans if tokens and tokens[0].text else None)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Regions, programs, agencies, barriers and founder facts from the knowledge base."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"knowledge_directory": None}

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy", "kiwipiepy"]

    def __init__(self, config: dict[str, Any]) -> None:
        self._gazetteer = _gazetteer_for(config)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GazetteerEntityExtractor:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip():
                continue
            mentions = _mentions(self._gazetteer, text, message.get(TOKENS_NAMES[TEXT]) or [])
            entities = [
                {
                    "entity": mention.label,
                    "value": mention.value,
                    "start": mention.start,
                    "end": mention.end,
                    "confidence": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for mention in mentions
            ]
            # Dasi knows that personal data was given, by kind; the value itself is never kept.
            entities += [
                {
                    "entity": "personal_data",
                    "value": kind,
                    "start": start,
                    "end": end,
                    "confidence": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for start, end, kind in find_personal_data(text)
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages


FUNCTION_TAG_PREFIXES = ("J", "E", "X", "S", "VCP", "VCN", "W_EMOJI", "UN")
# Kiwi tags of morphemes that carry meaning: nouns, verbs, adjectives, roots, adverbs,
# foreign words, interjections and determiners.
CONTENT_TAGS = ("NN", "VV", "VA", "XR", "MAG", "SL", "IC", "MM")


class _IntentRule(GraphComponent):
    """Shared frame of Dasi's rule-based intent components: nothing to train, one config."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _IntentRule:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherLanguageDetector(_IntentRule):
    """A whole message in another language falls back (Dasi then says it speaks only Korean).

    Dasi's answers are Korean; answering an English question with a Korean form question
    helps nobody. The model's ranking is kept, so the benchmark still sees its guess.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and not text.startswith("/") and in_another_language(text):
                message.set(INTENT, {"name": "nlu_fallback", "confidence": 1.0}, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisDetector(_IntentRule):
    """A message with a sign of suicidal thoughts is `express_crisis`, whatever else scored.

    Runs last. The intent model learns the intent from examples too, but a statistical
    model can miss a phrasing; the phrase list in `bot.language.crisis` cannot.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Below this confidence, the model's own guess of a crisis without any of the
        # phrases goes to its next intent ("제가 어디 산다고 했죠?" is not a crisis).
        return {"intent": "express_crisis", "model_threshold": 0.8}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._intent = config["intent"]
        self._threshold = config["model_threshold"]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            if shows_crisis(text):
                _set_intent(message, self._intent)
                continue
            intent = message.get(INTENT) or {}
            if intent.get("name") == self._intent and (
                intent.get("confidence", 0.0) < self._threshold or ends_only_a_business(text)
            ):
                others = [
                    r for r in message.get("intent_ranking", []) if r["name"] not in (self._intent, "nlu_fallback")
                ]
                if others:
                    message.set(INTENT, others[0], add_to_output=True)
                    message.set("intent_ranking", others, add_to_output=True)
        return messages


def _set_intent(message: Message, name: str) -> None:
    """Makes `name` the message's intent with full confidence, keeping the rest of the ranking."""
    intent = {"name": name, "confidence": 1.0}
    ranking = [intent] + [r for r in message.get("intent_ranking", []) if r["name"] != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ShortAnswerClassifier(_IntentRule):
    """A bare answer ("울산이요", "법인이요", "작년 봄에요") is `inform`, whatever else scored.

    Runs after FallbackClassifier. When every content morpheme of a message lies inside a
    gazetteer entity or a date phrase, the message can only be an answer; short answers are
    otherwise the classifier's weakest spot (one word, no context).
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": "inform"}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._intent = config["intent"]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self._names_a_center(message):
                _set_intent(message, CENTER_INTENT)
            elif self._is_bare_answer(message):
                _set_intent(message, self._intent)
        return messages

    @staticmethod
    def _names_a_center(message: Message) -> bool:
        """ "나주 빛가람 혁신센터", "충남 아산 창업센터": a place asked for by name, not an answer."""
        text = message.get(TEXT)
        if not isinstance(text, str) or text.startswith("/") or len(text) > CENTER_NAME_MAX:
            return False
        regions = [e for e in message.get(ENTITIES, []) if e.get("entity") == "region"]
        return bool(regions) and bool(CENTER_WORD.search(text)) and not ABOUT_SOMETHING_ELSE.search(text)

    @staticmethod
    def _is_bare_answer(message: Message) -> bool:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text.strip() or text.startswith("/"):
            return False
        covered = [(e["start"], e["end"]) for e in message.get(ENTITIES, []) if "start" in e]
        date = parse_korean_date(text, today())
        if date is not None and date.text:
            start = text.find(date.text)
            if start >= 0:
                covered.append((start, start + len(date.text)))
        if not covered:
            return False
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        content = [t for t in tokens if not str(t.get("pos") or "").startswith(FUNCTION_TAG_PREFIXES)]
        return bool(content) and all(any(a <= t.start and t.end <= b for a, b in covered) for t in content)


CENTER_INTENT = "ask_center"
CENTER_NAME_MAX = 40


def _morphemes(tokens: list[Token]) -> list[str]:
    """Lower-cased Kiwi morphemes with coarse tags, in order (module level: vectorizers pickle it)."""
    return [morpheme.lower() for token in tokens for morpheme in (token.get("morphemes") or [token.text])]


_CUES = (("<worry>", WORRY), ("<request>", REQUEST), ("<consequence>", CONSEQUENCE))


def _mood(text: str) -> list[str]:
    """Mood tokens of a message: <question> or <statement>, and any of <worry>, <request> and
    <consequence>; a statement with none of them is also <bare> (a plain fact)."""
    mood = ["<question>" if QUESTION_MOOD.search(text) else "<statement>"]
    mood += [token for token, cue in _CUES if cue.search(text)]
    return mood + ["<bare>"] if mood == ["<statement>"] else mood


def _identity(items: list[str]) -> list[str]:
    return items


def _jamo(text: str) -> str:
    """Hangul split into letters (안녕 → ㅇㅏㄴㄴㅕㅇ) so that typos and variants share n-grams."""
    return unicodedata.normalize("NFD", text.lower())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class KoreanTextFeaturizer(SparseFeaturizer, GraphComponent):
    """Sentence features for short Korean messages: TF-IDF over three views of the text.

    Kiwi morphemes (uni- and bigrams) carry the content words and endings; character
    n-grams survive missing spaces and tokenizer mistakes; letter (jamo) n-grams match typos
    and informal spellings (안냐세요, 감솨, 시재품) to the words they stand for. Each view is
    L2-normalised separately with sublinear term frequency, so a long message does not
    outweigh a short one and no view drowns the others. With `mood`, a fourth view says
    whether the message asks, worries or only states, which the words alone do not.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **SparseFeaturizer.get_default_config(),
            "morpheme_ngrams": [1, 2],
            "character_ngrams": [1, 4],
            "letter_ngrams": [2, 6],
            # a fourth view: does the message ask, or worry, or only state a fact?
            "mood": False,
            # the knowledge base's concepts the gazetteer finds (국민연금 and 건보료 are both
            # <insurance>, 신불자 and 연체 both <credit_state:delinquent>), so that a word the
            # training data lacks still counts when the knowledge base knows it
            "concepts": False,
            # soft matches of the message's words to the training vocabulary in the embeddings
            # of Kiwi's language model, so that unseen synonyms count (노고 ~ 수고, 조세 ~ 세금)
            "embeddings": False,
            "embedding_threshold": 0.3,
            # at most this many anchors (the most frequent content morphemes); None keeps all
            "embedding_anchors": None,
            # the weight of each view (each is L2-normalised first); views not listed weigh 1
            "weights": {"concepts": 0.5},
            "knowledge_directory": None,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        for key in ("morpheme_ngrams", "character_ngrams", "letter_ngrams"):
            low, high = config[key]
            if not 1 <= low <= high:
                raise ValueError(f"{key} must be [low, high] with 1 <= low <= high, not {config[key]}")

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    def __init__(
        self,
        config: dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
        vectorizers: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizers = vectorizers or {}
        if config.get("concepts") or config.get("embeddings"):
            self._gazetteer = _gazetteer_for(config)
        for vectorizer in self._vectorizers.values():
            if isinstance(vectorizer, MorphemeEmbeddings):
                vectorizer.korean = self._gazetteer.korean

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KoreanTextFeaturizer:
        return cls(config, execution_context.node_name, model_storage, resource)

    def _new_vectorizers(self) -> dict[str, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizers = {
            "morphemes": TfidfVectorizer(
                analyzer=_identity, ngram_range=tuple(self._config["morpheme_ngrams"]), sublinear_tf=True
            ),
            "characters": TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(self._config["character_ngrams"]), sublinear_tf=True
            ),
            "letters": TfidfVectorizer(
                analyzer="char_wb",
                preprocessor=_jamo,
                ngram_range=tuple(self._config["letter_ngrams"]),
                sublinear_tf=True,
            ),
        }
        if self._config.get("mood"):
            vectorizers["mood"] = TfidfVectorizer(analyzer=_identity, use_idf=False)
        if self._config.get("concepts"):
            vectorizers["concepts"] = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        if self._config.get("embeddings"):
            vectorizers["embeddings"] = MorphemeEmbeddings(
                self._gazetteer.korean, self._config["embedding_threshold"], self._config["embedding_anchors"]
            )
        return vectorizers

    def _views(self, message: Message) -> dict[str, Any]:
        text = message.get(TEXT) or ""
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        views = {"morphemes": _morphemes(tokens) or ["<empty>"], "characters": text.lower(), "letters": text}
        if self._config.get("mood"):
            views["mood"] = _mood(text)
        if self._config.get("concepts"):
            views["concepts"] = self._concepts(text, tokens)
        if self._config.get("embeddings"):
            views["embeddings"] = [i for token in tokens for i in token.get("content_ids") or []]
        return views

    def _concepts(self, text: str, tokens: list[Token]) -> list[str]:
        """<label> and <label:value> for every knowledge-base mention (regions by label only)."""
        concepts = []
        for mention in _mentions(self._gazetteer, text, tokens):
            concepts.append(f"<{mention.label}>")
            if mention.label != "region":
                concepts += [f"<{mention.label}:{value}>" for value in mention.value.split(AMBIGUITY_SEPARATOR)]
        return concepts or ["<none>"]

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.training_examples if m.get(TEXT)]
        self._vectorizers = self._new_vectorizers()
        views = [self._views(m) for m in examples]
        for name, vectorizer in self._vectorizers.items():
            vectorizer.fit([view[name] for view in views])
        save_pickled(self._model_storage, self._resource, "vectorizers.pkl", self._vectorizers)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KoreanTextFeaturizer:
        vectorizers = load_pickled(model_storage, resource, "vectorizers.pkl")
        return cls(config, execution_context.node_name, model_storage, resource, vectorizers)

    def _featurize(self, messages: list[Message]) -> None:
        if not self._vectorizers:
            return
        for message in messages:
            if not message.get(TEXT):
                continue
            view = self._views(message)
            weights = self._config.get("weights") or {}
            blocks = [
                vectorizer.transform([view[name]]) * weights.get(name, 1.0)
                for name, vectorizer in self._vectorizers.items()
            ]
            self.add_features_to_message(None, scipy.sparse.hstack(blocks).tocoo(), TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages


class MorphemeEmbeddings:
    """A sentence view from the morpheme embeddings of Kiwi's CoNg language model.

    The anchors are the content morphemes of the training data. A message is described by
    how similar its content morphemes are to each anchor: per anchor, the best similarity
    above `threshold` (max-pooled, L2-normalised). A word never seen in training but close
    to one that was (노고 ~ 수고, 조세 ~ 세금) then lights up the same features. Similarities
    are cached per morpheme; the analyser is not pickled and is set again on load.
    """

    CACHE_SIZE = 20_000

    def __init__(self, korean: Any, threshold: float, max_anchors: int | None = None) -> None:
        self.korean = korean
        self.threshold = threshold
        self.max_anchors = max_anchors
        self.anchors: list[int] = []
        self._cache: dict[int, np.ndarray | None] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "max_anchors": self.max_anchors, "anchors": self.anchors}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.max_anchors = None  # models trained before the cap kept no such setting
        self.__dict__.update(state)
        self.korean = None
        self._cache = {}

    def _similarities(self, morpheme: int) -> np.ndarray | None:
        if morpheme not in self._cache:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[morpheme] = self.korean.similarities(morpheme, self.anchors)
        return self._cache[morpheme]

    def fit(self, messages: list[list[int]]) -> MorphemeEmbeddings:
        counts: dict[int, int] = defaultdict(int)
        for morphemes in messages:
            for morpheme in set(morphemes):
                counts[morpheme] += 1
        candidates = sorted(counts, key=lambda m: (-counts[m], m))
        self.anchors = [m for m in candidates if self.korean.similarities(m, [m]) is not None][: self.max_anchors]
        self._cache = {}
        return self

    def transform(self, messages: list[list[int]]) -> scipy.sparse.csr_matrix:
        rows = np.zeros((len(messages), len(self.anchors)), dtype=np.float32)
        for row, morphemes in enumerate(messages):
            vectors = [v for v in (self._similarities(m) for m in morphemes) if v is not None]
            if not vectors:
                continue
            pooled = np.maximum(np.max(vectors, axis=0) - self.threshold, 0.0)
            norm = float(np.linalg.norm(pooled))
            if norm:
                rows[row] = pooled / norm
        return scipy.sparse.csr_matrix(rows)


def save_pickled(model_storage: ModelStorage, resource: Resource, name: str, value: Any) -> None:
    """Stores a trained object of one of Dasi's components in the model archive."""
    with model_storage.write_to(resource) as directory:
        (directory / name).write_bytes(pickle.dumps(value))


def load_pickled(model_storage: ModelStorage, resource: Resource, name: str) -> Any:
    """The object `save_pickled` stored, or None when the component was not trained."""
    try:
        with model_storage.read_from(resource) as directory:
            return pickle.loads((directory / name).read_bytes())  # noqa: S301 (our own model archive)
    except (ValueError, FileNotFoundError):
        logger.debug("No trained %s in %s", name, resource.name)
        return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """A linear SVM over sentence features, with confidences from temperature-scaled scores.

    On Dasi's many short, sparse messages the hinge loss generalises better than logistic
    regression (held-out macro-F1 in the NLU benchmark). SVM scores are not probabilities, so
    one temperature is fitted on out-of-fold scores of the training data; the softmax of the
    scaled scores is then calibrated well enough for the FallbackClassifier threshold.

    The softmax is confident about anything, even "?" or "asdf", because a few character
    n-grams always fire. So confidences are pulled towards uniform when fewer than
    `known_share_for_full_confidence` of the message's words occur in the training data: a
    message with no letters or digits, or only unknown words, gets 1/intents and falls back
    to the clarifying menu; one typo among known words changes nothing.
    """

    @classmethod
    def required_components(cls) -> list[type]:
        return [KoreanTextFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 1.0,
            "calibration_folds": 3,
            "ranking_length": 10,
            "random_state": 42,
            "known_share_for_full_confidence": 0.5,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: dict[str, Any] | None
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource, None)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource, load_pickled(model_storage, resource, "classifier.pkl"))

    @staticmethod
    def _features(message: Message) -> scipy.sparse.csr_matrix | None:
        _, sentence = message.get_sparse_features(TEXT)
        return None if sentence is None else scipy.sparse.csr_matrix(sentence.features)

    def _svm(self) -> Any:
        from sklearn.svm import LinearSVC

        return LinearSVC(C=self._config["C"], class_weight="balanced", random_state=self._config["random_state"])

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.model_selection import StratifiedKFold

        pairs = [(self._features(m), m.get(INTENT)) for m in training_data.intent_examples if m.get(TEXT)]
        pairs = [(x, intent) for x, intent in pairs if x is not None]
        if len({intent for _, intent in pairs}) < 2:
            logger.debug("%s needs at least two intents to train", self.__class__.__name__)
            return self._resource
        features = scipy.sparse.vstack([x for x, _ in pairs]).tocsr()
        labels = np.array([intent for _, intent in pairs])
        svm = self._svm().fit(features, labels)
        # Out-of-fold scores, so that the temperature reflects messages the SVM has not seen.
        folds = StratifiedKFold(
            n_splits=self._config["calibration_folds"], shuffle=True, random_state=self._config["random_state"]
        )
        scores = np.zeros((len(labels), len(svm.classes_)))
        for fit_rows, score_rows in folds.split(features, labels):
            fold_svm = self._svm().fit(features[fit_rows], labels[fit_rows])
            columns = np.searchsorted(svm.classes_, fold_svm.classes_)
            scores[np.ix_(score_rows, columns)] = fold_svm.decision_function(features[score_rows])
        truth = np.searchsorted(svm.classes_, labels)
        temperature = min(np.geomspace(0.5, 50, 60), key=lambda t: _negative_log_likelihood(scores * t, truth))
        vocabulary = {
            word
            for message in training_data.intent_examples
            for token in message.get(TOKENS_NAMES[TEXT]) or []
            for word in _word_keys(token)
        }
        self._model = {"svm": svm, "temperature": float(temperature), "vocabulary": vocabulary}
        save_pickled(self._model_storage, self._resource, "classifier.pkl", self._model)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            features = self._features(message)
            if self._model is None or features is None:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
                continue
            svm = self._model["svm"]
            probabilities = _softmax(svm.decision_function(features)[0] * self._model["temperature"])
            known = _known_share(message.get(TOKENS_NAMES[TEXT]) or [], self._model.get("vocabulary"))
            trust = min(1.0, known / self._config["known_share_for_full_confidence"])
            confidences = trust * probabilities + (1.0 - trust) / len(probabilities)
            ranking = [  # ordered by the model's own scores, which stay informative when trust is low
                {"name": str(svm.classes_[index]), "confidence": float(confidences[index])}
                for index in np.argsort(-probabilities, kind="stable")
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking[: self._config["ranking_length"]], add_to_output=True)
        return messages


# A word is Hangul (syllables or letters), Latin or a digit; anything else (punctuation, emoji,
# symbols) says nothing about the intent.
_WORD_CHARACTER = re.compile(r"[0-9A-Za-z\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_DIGITS = re.compile(r"[0-9]+")


def _word_keys(token: Token) -> set[str]:
    """How a token may be found in the vocabulary: its text and its stem, digits generalised."""
    keys = {token.text, token.lemma or token.text}
    return {_DIGITS.sub("0", key.lower()) for key in keys if _WORD_CHARACTER.search(key)}


def _known_share(tokens: list[Token], vocabulary: set[str] | None) -> float:
    """Share of the message's word tokens seen in training (0.0 when it has no word at all)."""
    if vocabulary is None:  # a model trained before the vocabulary was kept
        return 1.0
    words = [keys for keys in (_word_keys(token) for token in tokens) if keys]
    if not words:
        return 0.0
    return sum(bool(keys & vocabulary) for keys in words) / len(words)


def _softmax(scores: np.ndarray) -> np.ndarray:
    exponentials = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def _negative_log_likelihood(scores: np.ndarray, truth: np.ndarray) -> float:
    probabilities = _softmax(scores)
    return float(-np.log(probabilities[np.arange(len(truth)), truth] + 1e-12).mean())
