"""A founder can always reach a person: the hotline, and in the web widget a live chat.

These actions ask the agent console first (in a worker thread: bot/console/client.py), then
hand the answer to the rule with the Turn.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.shell import RuleAction, apply, turn_of
from bot.console import client
from bot.guidance.dialogue import handoff
from bot.guidance.dialogue.turn import Reply, Turn


class ActionOfferHuman(Action):
    def name(self) -> str:
        return "action_offer_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        turn = turn_of(tracker)
        configured = client.console_url() is not None
        online = await client.agents_online() if handoff.live_chat_possible(turn, configured) else 0
        return apply(handoff.offer_human(turn, configured, online), dispatcher)


class ActionStartHandoff(Action):
    """Queues the conversation in the agent console and pauses Dasi."""

    def name(self) -> str:
        return "action_start_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        turn = turn_of(tracker)
        configured = client.console_url() is not None
        possible = handoff.live_chat_possible(turn, configured)
        queued = await client.queue_for_agent(tracker.sender_id) if possible else handoff.Queued.failed
        return apply(handoff.start_handoff(turn, configured, queued), dispatcher)


class ActionHandback(RuleAction):
    """The agent handed the conversation back (the console resumed it first)."""

    def name(self) -> str:
        return "action_handback"

    def reply(self, turn: Turn) -> Reply:
        return handoff.handback(turn)
