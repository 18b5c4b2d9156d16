"""Makes a message with a sign of suicidal thoughts `express_crisis`, whatever the intent model scored."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.crisis import ends_only_a_business, shows_crisis
from bot.language.intent_rule import IntentRule, set_intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisDetector(IntentRule):
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
                set_intent(message, self._intent)
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
