"""Rasa graph components: the Kiwi tokenizer and the knowledge-base gazetteer."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge.loader import DEFAULT_DIRECTORY
from bot.language.dates import parse_korean_date
from bot.language.gazetteer import Gazetteer, gazetteer
from bot.language.korean import Span
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
        return self._apply_token_pattern(tokens)


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
            tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
            spans = [Span(token.text, token.start, token.end, token.lemma or token.text, ()) for token in tokens]
            mentions = self._gazetteer.find(text, spans if tokens and tokens[0].text else None)
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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ShortAnswerClassifier(GraphComponent):
    """A bare answer ("울산이요", "법인이요", "작년 봄에요") is `inform`, whatever else scored.

    Runs after FallbackClassifier. When every content morpheme of a message lies inside a
    gazetteer entity or a date phrase, the message can only be an answer; short answers are
    otherwise the classifier's weakest spot (one word, no context).
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": "inform"}

    def __init__(self, config: dict[str, Any]) -> None:
        self._intent = config["intent"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ShortAnswerClassifier:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self._is_bare_answer(message):
                intent = {"name": self._intent, "confidence": 1.0}
                ranking = [intent] + [r for r in message.get("intent_ranking", []) if r["name"] != self._intent]
                message.set("intent", intent, add_to_output=True)
                message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    @staticmethod
    def _is_bare_answer(message: Message) -> bool:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text.strip() or text.startswith("/"):
            return False
        covered = [(e["start"], e["end"]) for e in message.get(ENTITIES, []) if "start" in e]
        date = parse_korean_date(text, datetime.date.today())
        if date is not None and date.text:
            start = text.find(date.text)
            if start >= 0:
                covered.append((start, start + len(date.text)))
        if not covered:
            return False
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        content = [t for t in tokens if not str(t.get("pos") or "").startswith(FUNCTION_TAG_PREFIXES)]
        return bool(content) and all(any(a <= t.start and t.end <= b for a, b in covered) for t in content)
