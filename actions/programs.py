"""Program answers: recommendations, '왜요?', the overview, one program, linked supports."""

from __future__ import annotations

from actions.shell import RuleAction
from bot.guidance.dialogue import programs
from bot.guidance.dialogue.turn import Reply, Turn


class ActionFinderIntro(RuleAction):
    reads_notices = True

    def name(self) -> str:
        return "action_finder_intro"

    def reply(self, turn: Turn) -> Reply:
        return programs.finder_intro(turn)


class ActionShowRecommendations(RuleAction):
    reads_notices = True

    def name(self) -> str:
        return "action_show_recommendations"

    def reply(self, turn: Turn) -> Reply:
        return programs.recommendations(turn)


class ActionExplainWhy(RuleAction):
    def name(self) -> str:
        return "action_explain_why"

    def reply(self, turn: Turn) -> Reply:
        return programs.explain_why(turn)


class ActionListPrograms(RuleAction):
    reads_notices = True

    def name(self) -> str:
        return "action_list_programs"

    def reply(self, turn: Turn) -> Reply:
        return programs.list_programs(turn)


class ActionProgramInfo(RuleAction):
    def name(self) -> str:
        return "action_program_info"

    def reply(self, turn: Turn) -> Reply:
        return programs.program_info(turn)


class ActionClosureIncome(RuleAction):
    def name(self) -> str:
        return "action_closure_income"

    def reply(self, turn: Turn) -> Reply:
        return programs.closure_income(turn)


class ActionLinkedSupport(RuleAction):
    def name(self) -> str:
        return "action_linked_support"

    def reply(self, turn: Turn) -> Reply:
        return programs.linked_support(turn)
