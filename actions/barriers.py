"""Barrier answers: the rule, its remedies, who handles them and what they affect."""

from __future__ import annotations

from actions.shell import RuleAction
from bot.guidance.dialogue import barriers
from bot.guidance.dialogue.turn import Reply, Turn


class ActionExplainBarrier(RuleAction):
    def name(self) -> str:
        return "action_explain_barrier"

    def reply(self, turn: Turn) -> Reply:
        return barriers.explain_barrier(turn)
