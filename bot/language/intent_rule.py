"""The frame of Dasi's rule-based intent components, which correct the intent model's guess."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class IntentRule(GraphComponent):
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
    ) -> IntentRule:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def set_intent(message: Message, name: str) -> None:
    """Makes `name` the message's intent with full confidence, keeping the rest of the ranking."""
    intent = {"name": name, "confidence": 1.0}
    ranking = [intent] + [r for r in message.get("intent_ranking", []) if r["name"] != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)
