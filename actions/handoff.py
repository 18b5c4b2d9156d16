"""A founder can always reach a person: the verified hotline first."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import base


class ActionOfferHuman(Action):
    def name(self) -> str:
        return "action_offer_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        hotline = base().hotline_label("1357")
        dispatcher.utter_message(
            text=(
                f"사람과 직접 이야기 나누고 싶으시군요. {hotline}로 전화하시면 상담사가 도와드려요"
                " (평일 업무시간). 빚이나 신용 문제라면 신용회복위원회 "
                f"{base().hotline_label('1600-5500')}도 있어요."
            )
        )
        return []
