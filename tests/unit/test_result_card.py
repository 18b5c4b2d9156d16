"""The finder's result card: what it holds for a founder, and each channel's rendering of it.

Built with the functions the finder calls (bot.guidance.findings) over the real knowledge base.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from bot.channels.kakao import PendingReplies, render
from bot.channels.messengers import telegram_card
from bot.guidance import eligibility, findings
from bot.guidance.dialogue.turn import answer
from bot.guidance.profile import FounderProfile
from bot.guidance.result_card import CARD_KIND, ResultCard, plain_text, shown_text
from bot.knowledge.loader import knowledge
from tests.unit.conversation import turn

TODAY = datetime.date(2026, 12, 4)
BUSAN_TAX = {
    "closed": True,
    "years_since_closure": 1.0,
    "business_type": "sole_proprietor",
    "credit_state": "delinquent",
    "tax_arrears": True,
    "insurance_arrears": False,
    "goal": "restart",
    "region": "busan",
}


def card_for(slots: dict[str, Any]) -> ResultCard:
    profile = FounderProfile.from_slots(slots)
    results = eligibility.recommend(knowledge(), profile, TODAY)
    said = findings.recommendations(results, profile, knowledge(), TODAY)
    assert said.result is not None
    return said.result


@pytest.fixture(scope="module")
def card() -> ResultCard:
    return card_for(BUSAN_TAX)


def test_the_card_holds_programs_with_verdicts_barriers_with_remedies_and_whom_to_call(card: ResultCard) -> None:
    assert card.summary.startswith("말씀해 주신 상황(부산")
    assert 1 <= len(card.programs) <= 4
    assert all(item.verdict in ("eligible", "possible") and item.verdict_label for item in card.programs)
    assert all(item.payload == f'/ask_program_info{{"program": "{item.id}"}}' for item in card.programs)
    barriers = {item.id: item for item in card.barriers}
    assert {"credit_delinquency", "tax_arrears"} <= set(barriers)
    assert barriers["tax_arrears"].payload == "/ask_tax_arrears" and barriers["tax_arrears"].remedy
    # the founder's own region first, then the national hotline; only verified numbers
    assert "부산" in card.contacts[0].name
    assert card.contacts[-1].phone == "1357"
    verified = set(knowledge().verified_numbers)
    for contact in card.contacts:
        assert contact.phone in verified or contact.phone in contact.detail, contact


def test_a_narrower_barrier_is_asked_through_its_family() -> None:
    rehabilitating = card_for({**BUSAN_TAX, "credit_state": "rehabilitation"})
    item = next(item for item in rehabilitating.barriers if item.id == "slow_rehabilitation")
    assert item.payload == '/ask_bankruptcy{"barrier": "slow_rehabilitation"}'


def test_a_center_reached_through_1357_is_not_followed_by_1357_again() -> None:
    restart = card_for({"closed": True, "region": "seoul", "goal": "restart", "credit_state": "normal"})
    assert [contact.phone for contact in restart.contacts] == ["1357"]
    assert "서울" in restart.contacts[0].name


def test_without_a_region_only_the_national_hotline_is_named() -> None:
    nowhere = card_for({key: value for key, value in BUSAN_TAX.items() if key != "region"})
    assert [contact.phone for contact in nowhere.contacts] == ["1357"]


def test_the_plain_text_has_the_three_sections_in_order(card: ResultCard) -> None:
    text = plain_text(card)
    sections = [text.index(f"■ {heading}") for heading in ("맞는 지원", "먼저 풀면 좋은 걸림돌", "문의할 곳")]
    assert sections == sorted(sections)
    assert f"1. {card.programs[0].name} — {card.programs[0].verdict_label}" in text
    assert "· 국세 체납: " in text and "☎ 1357" in text and "출처:" in text


def test_web_kakao_and_telegram_get_the_card_and_other_channels_its_text(card: ResultCard) -> None:
    profile = FounderProfile.from_slots(BUSAN_TAX)
    said = findings.recommendations(eligibility.recommend(knowledge(), profile, TODAY), profile, knowledge(), TODAY)
    for channel in ("socketio", "kakao", "telegram"):
        (message,) = answer(turn("모르겠어요", channel=channel), said).messages
        payload = message["json_message"]
        assert ResultCard.parse_obj(payload[CARD_KIND]) == said.result
        assert payload["plain"] == said.text
    for channel in ("rest", "facebook", None):
        (message,) = answer(turn("모르겠어요", channel=channel), said).messages
        assert message["text"] == said.text and message["buttons"]


def test_history_reads_a_card_as_its_plain_text(card: ResultCard) -> None:
    assert shown_text(None, {"custom": card.payload()}) == plain_text(card)
    assert shown_text("안녕하세요", {"custom": card.payload()}) == "안녕하세요"
    assert shown_text(None, {"custom": "not a card"}) == ""


def test_kakao_draws_the_card_as_two_list_cards_with_call_buttons(card: ResultCard) -> None:
    body = render([{"custom": card.payload()}])
    outputs = body["template"]["outputs"]
    assert len(outputs) == 3 and "살펴봤어요" in outputs[0]["simpleText"]["text"]
    programs, rest = outputs[1]["listCard"], outputs[2]["listCard"]
    assert programs["header"]["title"] == "맞는 지원"
    assert [item["title"] for item in programs["items"]] == [item.name for item in card.programs]
    assert programs["items"][0]["description"].startswith(card.programs[0].verdict_label)
    assert rest["header"]["title"] == "먼저 풀면 좋은 걸림돌 · 문의할 곳"
    assert len(rest["items"]) <= 5 and len(rest["buttons"]) <= 2
    assert {"action": "phone", "label": "☎ 1357", "phoneNumber": "1357"} in rest["buttons"]
    for item in [*programs["items"], *rest["items"]]:
        assert len(item["title"]) <= 40 and len(item["description"]) <= 60
    quick = [reply["messageText"] for reply in body["template"]["quickReplies"]]
    assert quick == [button.title for button in card.buttons]


def test_kakao_maps_a_tapped_list_item_back_to_its_payload(card: ResultCard) -> None:
    pending = PendingReplies()
    pending.remember_buttons("founder", [{"custom": card.payload()}])
    first = card.programs[0]
    assert pending.payload_for("founder", f"{first.name} 자세히") == first.payload
    assert pending.payload_for("founder", "국세 체납 자세히") == "/ask_tax_arrears"


def test_kakao_keeps_three_outputs_when_text_comes_with_the_card(card: ResultCard) -> None:
    body = render([{"text": "자세히 말씀해 주셔서 고마워요."}, {"custom": card.payload()}, {"text": "지금 열린 공고"}])
    outputs = body["template"]["outputs"]
    assert len(outputs) == 3 and "listCard" in outputs[1] and "listCard" in outputs[2]
    said = outputs[0]["simpleText"]["text"]
    assert "고마워요" in said and "지금 열린 공고" in said and "살펴봤어요" in said


def test_a_card_that_does_not_parse_is_not_drawn_and_kakao_still_answers() -> None:
    body = render([{"custom": {CARD_KIND: {"programs": "broken"}, "plain": "x"}}])
    assert body["template"]["outputs"][0]["simpleText"]["text"]


def test_telegram_draws_bold_headings_escaped_text_and_a_keyboard(card: ResultCard) -> None:
    text, keyboard = telegram_card(card)
    assert text.startswith("<b>말씀해 주신 상황(")
    assert "<b>■ 맞는 지원</b>" in text and "<b>■ 문의할 곳</b>" in text
    assert f"1. <b>{card.programs[0].name}</b>" in text
    rows = json.loads(keyboard.as_json())["inline_keyboard"]
    buttons = [button for row in rows for button in row]
    assert [b["callback_data"] for b in buttons if "callback_data" in b] == [b.payload for b in card.buttons]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons if "callback_data" in b)
    assert any(b.get("url") == card.programs[0].url for b in buttons)


def test_telegram_escapes_what_could_read_as_html(card: ResultCard) -> None:
    tricky = card.copy(update={"summary": "<script>x</script> & 살펴봤어요"})
    text, _ = telegram_card(tricky)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp;" in text
