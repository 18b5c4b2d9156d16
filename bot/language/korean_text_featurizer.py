"""Sentence features for Rasa's intent model: TF-IDF over several views of a short Korean message."""

from __future__ import annotations

import unicodedata
from typing import Any

import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.cues import CONSEQUENCE, QUESTION_MOOD, REQUEST, WORRY
from bot.language.gazetteer import AMBIGUITY_SEPARATOR
from bot.language.knowledge_lookup import find_mentions, gazetteer_for
from bot.language.model_archive import load_pickled, save_pickled
from bot.language.morpheme_embeddings import MorphemeEmbeddings


def _morphemes(tokens: list[Token]) -> list[str]:
    """Lower-cased Kiwi morphemes with coarse tags, in order."""
    return [morpheme.lower() for token in tokens for morpheme in (token.get("morphemes") or [token.text])]


_CUES = (("<worry>", WORRY), ("<request>", REQUEST), ("<consequence>", CONSEQUENCE))


def _mood(text: str) -> list[str]:
    """Mood tokens of a message: <question> or <statement>, and any of <worry>, <request> and
    <consequence>; a statement with none of them is also <bare> (a plain fact)."""
    mood = ["<question>" if QUESTION_MOOD.search(text) else "<statement>"]
    mood += [token for token, cue in _CUES if cue.search(text)]
    return mood + ["<bare>"] if mood == ["<statement>"] else mood


# The trained vectorizers pickle _identity and _jamo by reference to this module, so both stay
# module-level functions under these names; moving or renaming one breaks every trained model.
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
            self._gazetteer = gazetteer_for(config)
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
        for mention in find_mentions(self._gazetteer, text, tokens):
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
