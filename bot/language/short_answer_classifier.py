"""Makes a bare answer ("울산이요") `inform` and a center asked for by name `ask_center`."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.cues import ABOUT_SOMETHING_ELSE, CENTER_WORD
from bot.language.dates import parse_korean_date, today
from bot.language.intent_rule import IntentRule, set_intent

# Kiwi tags a bare answer may have outside its entities and date: particles (J*), endings (E*),
# affixes and roots (X*), symbols, Latin, Hanja and numbers (S*), the copulas 이다/아니다,
# emoji and unknown words.
FUNCTION_TAG_PREFIXES = ("J", "E", "X", "S", "VCP", "VCN", "W_EMOJI", "UN")
CENTER_INTENT = "ask_center"
CENTER_NAME_MAX = 40


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ShortAnswerClassifier(IntentRule):
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
                set_intent(message, CENTER_INTENT)
            elif self._is_bare_answer(message):
                set_intent(message, self._intent)
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
