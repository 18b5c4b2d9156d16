"""Low confidence and small talk (bot/guidance/dialogue/fallback.py): a short menu, never a guess."""

from __future__ import annotations

import pytest

from bot.guidance.dialogue import fallback
from bot.guidance.profile import PROFILE_SLOTS
from bot.knowledge.loader import knowledge
from tests.unit.conversation import entity, payloads, said, texts, turn

PROGRAM = "restart_fund"


def test_thanks_without_words_get_thanks_back_and_no_menu() -> None:
    reply = fallback.clarify(turn("🙏", "nlu_fallback", ranking=["ask_sales_channel", "request_human"]))
    assert texts(reply) == ["마음 전해 주셔서 고마워요. 더 궁금한 게 생기면 언제든 편하게 말씀해 주세요."]
    assert payloads(reply) == []


@pytest.mark.parametrize(
    ("message", "opening"),
    [
        ("?", "어떤 게 궁금하신지 한두 마디로 적어 주시면"),
        ("123", "숫자만 보내 주셨네요."),
        ("https://example.com", "보내 주신 링크는 제가 열어 볼 수 없어요."),
    ],
)
def test_a_wordless_message_asks_for_a_few_words_with_two_buttons(message: str, opening: str) -> None:
    reply = fallback.clarify(turn(message, "nlu_fallback", ranking=["ask_sales_channel"]))
    assert said(reply).startswith(opening)
    assert payloads(reply) == ["/check_eligibility", "/ask_help"]


def test_another_language_hears_that_dasi_speaks_only_korean() -> None:
    reply = fallback.clarify(turn("Can I get a restart loan?", "nlu_fallback"))
    assert "only Korean" in said(reply) and "한국어만 이해해요" in said(reply)
    assert payloads(reply) == []


def test_another_place_after_centers_gets_its_centers() -> None:
    reply = fallback.clarify(
        turn(
            "나주는요?",
            "nlu_fallback",
            entities=[entity("region", "bitgaram", "나주", 0, 2)],
            slots={"last_topic": "centers:", "region": "busan"},
        )
    )
    assert said(reply).startswith(f"{knowledge().regions['bitgaram'].label} 지역에서 도움받으실 수 있는 곳이에요.")
    assert reply.slots["last_topic"] == "centers:"


def test_a_follow_up_after_a_program_card_is_about_that_program() -> None:
    reply = fallback.clarify(
        turn("신청 마감은요?", "nlu_fallback", slots={"last_topic": "program", "last_program": PROGRAM})
    )
    assert said(reply).startswith(f"{knowledge().programs[PROGRAM].name}의 신청 마감일은")
    assert "제가 정확히 이해했는지" not in said(reply)


def test_personal_data_alone_gets_no_topic_menu() -> None:
    reply = fallback.clarify(
        turn(
            "주민번호 [masked] 입니다",
            "nlu_fallback",
            entities=[{"entity": "personal_data", "value": "resident_number"}],
            ranking=["ask_export_support", "ask_tech_protection"],
        )
    )
    assert said(reply).startswith("개인정보는 여기 남기지 않으셔도 괜찮아요.")
    assert payloads(reply) == ["/check_eligibility", "/request_human"]


def test_distress_gets_warmth_and_the_stigma_option_first() -> None:
    reply = fallback.clarify(
        turn("그냥 답답해서요", "nlu_fallback", ranking=["ask_export_support", "ask_tech_protection", "ask_center"])
    )
    assert said(reply).startswith("많이 답답하고 힘드시죠.")
    # two options (the stigma one first), then the finder
    assert payloads(reply) == ["/ask_stigma_support", "/ask_export_support", "/check_eligibility"]


def test_a_crying_emoji_gets_the_warm_menu() -> None:
    reply = fallback.clarify(turn("😭", "nlu_fallback"))
    assert said(reply).startswith("많이 답답하고 힘드시죠.")
    assert payloads(reply) == ["/ask_stigma_support", "/check_eligibility", "/ask_help"]


def test_the_menu_offers_the_three_likeliest_known_intents() -> None:
    ranking = ["nlu_fallback", "ask_export_support", "greet", "ask_tech_protection", "ask_center", "ask_help"]
    reply = fallback.clarify(turn("재도전 관련해서요", "nlu_fallback", ranking=ranking))
    assert said(reply) == "제가 정확히 이해했는지 모르겠어요. 혹시 이 중에 궁금하신 게 있을까요?"
    assert payloads(reply) == ["/ask_export_support", "/ask_tech_protection", "/ask_center"]
    titles = [button["title"] for button in reply.messages[0]["buttons"]]
    assert titles == ["수출 지원", "기술 보호·분쟁", "가까운 상담 센터"]


def test_a_short_menu_is_filled_with_the_finder_and_the_help_menu() -> None:
    reply = fallback.clarify(turn("재도전 관련해서요", "nlu_fallback", ranking=["ask_center"]))
    assert payloads(reply) == ["/ask_center", "/check_eligibility", "/ask_help"]


def test_help_start_over_clears_everything_told() -> None:
    reply = fallback.help_menu(turn("처음부터 다시 할게요", "ask_help", slots={"region": "busan", "closed": True}))
    assert said(reply).startswith("네, 처음부터 다시 해요.")
    assert set(PROFILE_SLOTS) <= set(reply.slots)
    assert all(value is None for value in reply.slots.values())


def test_help_what_first_after_the_recommendations_gets_one_first_step() -> None:
    reply = fallback.help_menu(
        turn("그중에 제일 먼저 할 건 뭐예요?", "ask_help", slots={"last_topic": "recommendations"})
    )
    assert said(reply).startswith("먼저 ") and "부터 알아보시길 권해요." in said(reply)
    assert payloads(reply)[0].startswith("/ask_program_info")


def test_help_otherwise_gets_the_help_response() -> None:
    assert fallback.help_menu(turn("도와주세요", "ask_help")).messages == ({"response": "utter_help"},)


def test_a_second_greeting_gets_a_short_line_and_the_finder() -> None:
    reply = fallback.greet_again(turn("안녕하세요", "greet"))
    assert texts(reply) == ["네, 안녕하세요. 궁금하신 걸 편하게 말씀해 주세요."]
    assert payloads(reply) == ["/check_eligibility"]
