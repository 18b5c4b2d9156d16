"""Low confidence: a short clarifying menu built from the likeliest intents, never a guess."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.centers import CENTERS_TOPIC, ActionFindCenter
from actions.common import base, latest_entities, latest_text, say
from actions.programs import first_step_asked, followup_answer
from bot.guidance import answers
from bot.guidance.profile import PROFILE_SLOTS
from bot.guidance.scope import other_language_note, wants_to_start_over
from bot.language.korean import in_another_language

INTENT_TITLES: dict[str, str] = {
    "ask_restart_programs": "재창업 지원 제도",
    "ask_program_info": "특정 지원 제도 설명",
    "check_eligibility": "나에게 맞는 지원 찾기",
    "ask_joint_guarantee": "연대보증",
    "ask_credit_delinquency": "신용·연체 문제",
    "ask_tax_arrears": "세금 체납",
    "ask_social_insurance_arrears": "4대보험 체납",
    "ask_bankruptcy": "파산·회생·면책",
    "ask_closure_income": "폐업 때 받을 수 있는 돈",
    "ask_policy_loan_restriction": "정책자금 대출 제한",
    "ask_restart_recognition": "재창업의 창업 인정",
    "ask_stigma_support": "마음이 힘들 때",
    "ask_center": "가까운 상담 센터",
    "ask_export_support": "수출 지원",
    "ask_prototyping": "시제품 제작",
    "ask_startup_education": "창업 교육",
    "ask_accelerator": "액셀러레이터",
    "ask_rnd_support": "R&D·기술 지원",
    "ask_tech_protection": "기술 보호·분쟁",
    "ask_sales_channel": "판로 개척",
    "request_human": "상담원 연결",
    "ask_help": "할 수 있는 일 보기",
}


# A sad or weary message Dasi cannot place ("그냥 답답해서요", "😭😭😭") gets warmth first,
# not a menu of export and patent topics.
DISTRESS = re.compile(r"답답|힘들|힘드|괴로|속상|막막|우울|슬퍼|슬프|ㅠ|ㅜ|😭|😢|😥|😞|😔|💔")


# A message with no words at all: emoji, a question mark, digits (QA: "🙏" got a menu of
# 판로 개척 and 상담원 연결). Thanks or a prayer gets thanks back, never a product menu.
WORDS = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣA-Za-z]")
THANKFUL = re.compile(r"🙏|👍|👌|❤|♥|💕|💖|😊|🙂|😀|😄|🥰|🤗|👏")
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
FEW_BUTTONS = [
    {"title": INTENT_TITLES["check_eligibility"], "payload": "/check_eligibility"},
    {"title": INTENT_TITLES["ask_help"], "payload": "/ask_help"},
]


def wordless_reply(text: str) -> tuple[str, list[dict[str, str]]] | None:
    """A short reply for a message without words (emoji, '?', digits) or a bare link; else None."""
    stripped = text.strip()
    if LINK.search(stripped) and len(LINK.sub("", stripped).split()) <= 1:
        return (
            "보내 주신 링크는 제가 열어 볼 수 없어요. 궁금하신 내용을 짧게 적어 주시면 찾아 드릴게요.",
            FEW_BUTTONS,
        )
    if WORDS.search(stripped):
        return None
    if DISTRESS.search(stripped):
        return None  # 😭: the warm reply below
    if THANKFUL.search(stripped):
        return ("마음 전해 주셔서 고마워요. 더 궁금한 게 생기면 언제든 편하게 말씀해 주세요.", [])
    if re.fullmatch(r"[\d\s.,\-]+", stripped):
        return ("숫자만 보내 주셨네요. 어떤 게 궁금하신지 한두 마디로 적어 주시면 찾아 드릴게요.", FEW_BUTTONS)
    return ("어떤 게 궁금하신지 한두 마디로 적어 주시면 찾아 드릴게요. 아래에서 골라 주셔도 돼요.", FEW_BUTTONS)


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        ranking = tracker.latest_message.get("intent_ranking") or []
        options = [r["name"] for r in ranking if r.get("name") in INTENT_TITLES][:3]
        wordless = wordless_reply(text)
        if wordless is not None:
            reply, buttons = wordless
            dispatcher.utter_message(text=reply, buttons=buttons)
            return []
        if in_another_language(text):
            dispatcher.utter_message(text=other_language_note(base()))
            return []
        # "나주는요?" right after the centers of another region: that region's centers.
        topic = str(tracker.get_slot("last_topic") or "")
        if topic.startswith(CENTERS_TOPIC) and latest_entities(tracker, "region"):
            return await ActionFindCenter().run(dispatcher, tracker, domain)
        # "신청 마감은요?" right after a program card is about that program.
        followup = followup_answer(tracker)
        if followup is not None:
            say(dispatcher, followup, tracker)
            return []
        # "주민번호 850101-… 입니다": the channel says the number was masked; no topic menu of
        # export and patents beside it (QA).
        entities = {str(e.get("entity")) for e in tracker.latest_message.get("entities", [])}
        if entities == {"personal_data"}:
            dispatcher.utter_message(
                text="개인정보는 여기 남기지 않으셔도 괜찮아요. 상황을 편하게 말씀해 주시면 받으실 수 있는 지원을 찾아 드릴게요.",
                buttons=[
                    {"title": INTENT_TITLES["check_eligibility"], "payload": "/check_eligibility"},
                    {"title": INTENT_TITLES["request_human"], "payload": "/request_human"},
                ],
            )
            return []
        if DISTRESS.search(text):
            options = ["ask_stigma_support", *[name for name in options if name != "ask_stigma_support"]][:2]
            prompt = "많이 답답하고 힘드시죠. 어떤 점이 가장 마음에 걸리시는지 편하게 말씀해 주세요. 아래에서 골라 주셔도 돼요."
        else:
            prompt = "제가 정확히 이해했는지 모르겠어요. 혹시 이 중에 궁금하신 게 있을까요?"
        for fallback in ("check_eligibility", "ask_help"):
            if len(options) < 3 and fallback not in options:
                options.append(fallback)
        dispatcher.utter_message(
            text=prompt, buttons=[{"title": INTENT_TITLES[name], "payload": f"/{name}"} for name in options]
        )
        return []


def forget_profile() -> list[EventType]:
    """Events that clear everything the founder told (for "처음부터 다시 할게요")."""
    return [SlotSet(field, None) for field in PROFILE_SLOTS] + [
        SlotSet("requested_slot", None),
        SlotSet("last_topic", None),
        SlotSet("last_program", None),
    ]


class ActionHelp(Action):
    """'도와주세요' gets what Dasi does; after the recommendations, 'what first?' gets one step."""

    def name(self) -> str:
        return "action_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = latest_text(tracker)
        # QA: "처음부터 다시 할게요" and "그중에 제일 먼저 할 건 뭐예요?" both got the help menu.
        if wants_to_start_over(text):
            say(dispatcher, answers.start_over_answer(), tracker)
            return forget_profile()
        first = first_step_asked(tracker)
        if first is not None:
            say(dispatcher, first, tracker)
            return []
        dispatcher.utter_message(response="utter_help")
        return []


class ActionGreetAgain(Action):
    """A greeting right after the welcome gets a short line, not the same welcome again (QA)."""

    def name(self) -> str:
        return "action_greet_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(
            text="네, 안녕하세요. 궁금하신 걸 편하게 말씀해 주세요.",
            buttons=[{"title": INTENT_TITLES["check_eligibility"], "payload": "/check_eligibility"}],
        )
        return []
