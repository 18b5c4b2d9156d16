"""Sends a whole message in another language to the fallback, where Dasi says it speaks only Korean."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.intent_rule import IntentRule
from bot.language.korean import in_another_language


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherLanguageDetector(IntentRule):
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
