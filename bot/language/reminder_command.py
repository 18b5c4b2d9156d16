"""Reads a short "알림 취소" as the command it is (the reminder buttons' cancel_reminders).

No founder question looks like "마감 알림 꺼 주세요", and the intent model, trained without
such commands, reads them as 'don't know' or falls back; the command is plain enough for a rule.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.cues import REMINDERS_OFF
from bot.language.intent_rule import IntentRule, set_intent

COMMAND_MAX = 20  # characters: a longer message says more than the command


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ReminderCommandDetector(IntentRule):
    """A short message that turns deadline reminders off is `cancel_reminders`."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and len(text) <= COMMAND_MAX and REMINDERS_OFF.search(text):
                set_intent(message, "cancel_reminders")
        return messages
