"""Low confidence and small talk: a short clarifying menu built from the likeliest intents, never a guess."""

from __future__ import annotations

from bot.guidance import answers
from bot.guidance.answers import Button
from bot.guidance.dialogue.centers import find_center
from bot.guidance.dialogue.context import CENTERS_TOPIC, first_step_asked, followup_answer
from bot.guidance.dialogue.notices import asks_for_open_calls, open_calls
from bot.guidance.dialogue.turn import Reply, Turn, answer, remember, response, text
from bot.guidance.profile import PROFILE_SLOTS
from bot.guidance.scope import other_language_note, wants_to_start_over
from bot.knowledge.loader import knowledge
from bot.language.cues import DISTRESS, LINK, ONLY_DIGITS, THANKFUL, WORDS
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


def menu_button(intent: str) -> Button:
    return Button(INTENT_TITLES[intent], f"/{intent}")


FEW_BUTTONS = (menu_button("check_eligibility"), menu_button("ask_help"))


def wordless_reply(message: str) -> Reply | None:
    """A short reply for a message without words (emoji, '?', digits) or a bare link; else None.

    Thanks or a prayer ("🙏") gets thanks back, never a menu of 판로 개척 and 상담원 연결.
    """
    stripped = message.strip()
    if LINK.search(stripped) and len(LINK.sub("", stripped).split()) <= 1:
        return text(
            "보내 주신 링크는 제가 열어 볼 수 없어요. 궁금하신 내용을 짧게 적어 주시면 찾아 드릴게요.", FEW_BUTTONS
        )
    if WORDS.search(stripped) or DISTRESS.search(stripped):
        return None  # words are read by the rules below; 😭 gets the warm reply
    if THANKFUL.search(stripped):
        return text("마음 전해 주셔서 고마워요. 더 궁금한 게 생기면 언제든 편하게 말씀해 주세요.")
    if ONLY_DIGITS.fullmatch(stripped):
        return text("숫자만 보내 주셨네요. 어떤 게 궁금하신지 한두 마디로 적어 주시면 찾아 드릴게요.", FEW_BUTTONS)
    return text("어떤 게 궁금하신지 한두 마디로 적어 주시면 찾아 드릴게요. 아래에서 골라 주셔도 돼요.", FEW_BUTTONS)


def clarify(turn: Turn) -> Reply:
    """What to say when the model is unsure: a follow-up it missed, or a menu of its best guesses."""
    wordless = wordless_reply(turn.text)
    if wordless is not None:
        return wordless
    if in_another_language(turn.text):
        return text(other_language_note(knowledge()))
    # "나주는요?" right after the centers of another region: that region's centers.
    if turn.topic.startswith(CENTERS_TOPIC) and turn.values("region"):
        return find_center(turn)
    # "신청 마감은요?" right after a program card is about that program.
    followup = followup_answer(turn)
    if followup is not None:
        return answer(turn, followup)
    # "요즘 모집 중인 지원사업 있나요?": the open calls, not a menu
    if asks_for_open_calls(turn):
        return open_calls(turn)
    # "주민번호 850101-… 입니다": the channel says the number was masked; no topic menu beside it.
    if turn.labels() == {"personal_data"}:
        return text(
            "개인정보는 여기 남기지 않으셔도 괜찮아요. 상황을 편하게 말씀해 주시면 받으실 수 있는 지원을 찾아 드릴게요.",
            [menu_button("check_eligibility"), menu_button("request_human")],
        )
    options = [name for name in turn.ranking if name in INTENT_TITLES][:3]
    if DISTRESS.search(turn.text):
        # sadness Dasi cannot place gets warmth first, not a menu of export and patent topics
        options = ["ask_stigma_support", *[name for name in options if name != "ask_stigma_support"]][:2]
        prompt = (
            "많이 답답하고 힘드시죠. 어떤 점이 가장 마음에 걸리시는지 편하게 말씀해 주세요. 아래에서 골라 주셔도 돼요."
        )
    else:
        prompt = "제가 정확히 이해했는지 모르겠어요. 혹시 이 중에 궁금하신 게 있을까요?"
    for fallback in ("check_eligibility", "ask_help"):
        if len(options) < 3 and fallback not in options:
            options.append(fallback)
    return text(prompt, [menu_button(name) for name in options])


def forget_profile() -> Reply:
    """Clears everything the founder told (for "처음부터 다시 할게요")."""
    cleared = dict.fromkeys((*PROFILE_SLOTS, "requested_slot", "last_topic", "last_program"))
    return remember(**cleared)


def help_menu(turn: Turn) -> Reply:
    """'도와주세요' gets what Dasi does; "처음부터 다시" starts afresh; after results, one first step."""
    if wants_to_start_over(turn.text):
        return answer(turn, answers.start_over_answer()) + forget_profile()
    first = first_step_asked(turn)
    if first is not None:
        return answer(turn, first)
    return response("utter_help")


def greet_again(turn: Turn) -> Reply:
    """A greeting right after the welcome gets a short line, not the same welcome again."""
    return text("네, 안녕하세요. 궁금하신 걸 편하게 말씀해 주세요.", [menu_button("check_eligibility")])
