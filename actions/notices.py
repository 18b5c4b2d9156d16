"""Open calls' deadline reminders: kept when asked, cancelled on '알림 취소', said when due."""

from __future__ import annotations

from actions.shell import RuleAction
from bot.guidance.dialogue import notices
from bot.guidance.dialogue.turn import Reply, Turn


class ActionRemindNotice(RuleAction):
    reads_notices = True

    def name(self) -> str:
        return "action_remind_notice"

    def reply(self, turn: Turn) -> Reply:
        return notices.remind(turn)


class ActionCancelReminders(RuleAction):
    def name(self) -> str:
        return "action_cancel_reminders"

    def reply(self, turn: Turn) -> Reply:
        return notices.cancel_reminders(turn)


class ActionNoticeReminder(RuleAction):
    """Run by Rasa's external trigger (EXTERNAL_notice_reminder) when a reminder falls due."""

    def name(self) -> str:
        return "action_notice_reminder"

    def reply(self, turn: Turn) -> Reply:
        return notices.reminder_message(turn)
