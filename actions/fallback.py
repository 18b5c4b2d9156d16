"""Low confidence and small talk: a clarifying menu, the help menu, a second greeting."""

from __future__ import annotations

from actions.shell import RuleAction
from bot.guidance.dialogue import fallback
from bot.guidance.dialogue.turn import Reply, Turn


class ActionClarify(RuleAction):
    reads_notices = True

    def name(self) -> str:
        return "action_clarify"

    def reply(self, turn: Turn) -> Reply:
        return fallback.clarify(turn)


class ActionHelp(RuleAction):
    def name(self) -> str:
        return "action_help"

    def reply(self, turn: Turn) -> Reply:
        return fallback.help_menu(turn)


class ActionGreetAgain(RuleAction):
    def name(self) -> str:
        return "action_greet_again"

    def reply(self, turn: Turn) -> Reply:
        return fallback.greet_again(turn)
