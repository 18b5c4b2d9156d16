"""Center finder: by region (asked once, then remembered), by need, or by shared location."""

from __future__ import annotations

from actions.shell import RuleAction
from bot.guidance.dialogue import centers
from bot.guidance.dialogue.turn import Reply, Turn


class ActionFindCenter(RuleAction):
    def name(self) -> str:
        return "action_find_center"

    def reply(self, turn: Turn) -> Reply:
        return centers.find_center(turn)
