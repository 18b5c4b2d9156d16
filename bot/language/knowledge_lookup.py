"""The knowledge-base gazetteer as Dasi's NLU components use it: one per configured directory."""

from __future__ import annotations

from typing import Any

from rasa.nlu.tokenizers.tokenizer import Token

from bot.knowledge.loader import DEFAULT_DIRECTORY
from bot.language.gazetteer import Gazetteer, Mention, gazetteer
from bot.language.korean import Span


def gazetteer_for(config: dict[str, Any]) -> Gazetteer:
    """The gazetteer of the component's `knowledge_directory` (the project's knowledge base if unset)."""
    return gazetteer(str(config.get("knowledge_directory") or DEFAULT_DIRECTORY))


def find_mentions(finder: Gazetteer, text: str, tokens: list[Token]) -> list[Mention]:
    """The gazetteer's mentions in `text`, on the tokenizer's tokens when there are real ones."""
    spans = [Span(token.text, token.start, token.end, token.lemma or token.text, ()) for token in tokens]
    return finder.find(text, spans if tokens and tokens[0].text else None)
