"""Entities for Rasa from the knowledge-base gazetteer, plus the kinds of personal data given."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.knowledge_lookup import find_mentions, gazetteer_for
from bot.privacy.masking import find_personal_data


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
        self._gazetteer = gazetteer_for(config)

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
            mentions = find_mentions(self._gazetteer, text, message.get(TOKENS_NAMES[TEXT]) or [])
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
