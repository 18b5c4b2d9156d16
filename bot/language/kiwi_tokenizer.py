"""Korean tokens for Rasa: Kiwi morphemes merged into surface spans of the original text."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.language.knowledge_lookup import gazetteer_for

# Kiwi tags of morphemes that carry meaning: nouns, verbs, adjectives, roots, adverbs,
# foreign words, interjections and determiners.
CONTENT_TAGS = ("NN", "VV", "VA", "XR", "MAG", "SL", "IC", "MM")


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
        self._korean = gazetteer_for(config).korean

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
