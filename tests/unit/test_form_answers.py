"""Short answers in words answer the finder's question (QA: these got 'I did not understand')."""

from __future__ import annotations

import pytest

from bot.guidance.dialogue.finder import ALWAYS_ASKED, WHY_WE_ASK, answer_to_requested_slot


@pytest.mark.parametrize(
    "requested, text, expected",
    [
        ("credit_state", "신용은 괜찮아요", {"credit_state": "normal"}),
        ("credit_state", "그런 거 없어요", {"credit_state": "normal"}),
        ("credit_state", "카드값이 좀 밀렸어요", {"credit_state": "delinquent"}),
        ("tax_arrears", "세금은 없어요", {"tax_arrears": False}),
        ("tax_arrears", "안 밀렸어요", {"tax_arrears": False}),
        ("tax_arrears", "조금 있긴 해요", {"tax_arrears": True}),
        ("insurance_arrears", "건보료 몇 달 못 냈어요", {"insurance_arrears": True}),
        ("sincere_evaluation_passed", "평가 안 받았는데요", {"sincere_evaluation_passed": False}),
        ("business_type", "개인이요", {"business_type": "sole_proprietor"}),
        # QA: "세금 보험 다 없어요" answered only the tax question, and 4대보험 was asked next
        ("tax_arrears", "세금 보험 다 없어요", {"tax_arrears": False, "insurance_arrears": False}),
        ("insurance_arrears", "보험이랑 세금 둘 다 밀렸어요", {"tax_arrears": True, "insurance_arrears": True}),
        ("tax_arrears", "둘 다 없어요", {"tax_arrears": False}),  # 국세·지방세, the question's two
    ],
)
def test_a_short_answer_in_words_fills_the_question_asked(requested: str, text: str, expected: dict) -> None:
    assert answer_to_requested_slot(requested, "inform", text) == expected


@pytest.mark.parametrize(
    "requested, text",
    [
        ("tax_arrears", "세금 없으면 재창업자금 받을 수 있나요?"),  # a question, not an answer
        ("credit_state", "있긴 한데 문제는 없어요"),  # both: the extractor or the founder decides
        ("tax_arrears", "예전에 부산에서 식당을 하다가 여러 가지 사정으로 문을 닫았는데 세금 문제는 없어요"),
        ("region", "없어요"),
        (None, "없어요"),
    ],
)
def test_anything_else_is_left_to_the_extractor_and_the_form(requested: str | None, text: str) -> None:
    assert answer_to_requested_slot(requested, "inform", text) == {}


def test_every_question_of_the_finder_can_say_why_it_is_asked() -> None:
    asked = {*ALWAYS_ASKED, "years_since_closure", "sincere_evaluation_passed"}
    assert asked <= set(WHY_WE_ASK)


def test_an_answer_about_another_topic_does_not_answer_the_question_asked() -> None:
    from bot.guidance.dialogue.finder import with_answer_to_question
    from bot.guidance.situation import extract_situation
    from bot.language.dates import today
    from bot.language.gazetteer import gazetteer

    def answer(requested: str, intent: str, text: str) -> dict:
        return with_answer_to_question(extract_situation(text, gazetteer(), today()), requested, intent, text)

    # QA: asked about 4대보험, "세금은 없어요" was stored as "no 4대보험 arrears"
    assert answer("insurance_arrears", "inform", "세금은 없어요") == {"tax_arrears": False}
    # a bare answer still answers the question asked
    assert answer("insurance_arrears", "deny", "없어요") == {"insurance_arrears": False}
    assert answer("tax_arrears", "inform", "네 있어요") == {"tax_arrears": True}


def test_a_fact_told_instead_of_the_answer_is_acknowledged() -> None:
    # QA: "부산이요" asked when the business closed got the same question again, with no word
    from bot.guidance.dialogue.finder import heard_note

    before = {"requested_slot": "years_since_closure", "closed": True}
    assert heard_note(before, {"region": "busan"}) == "네, 지역은 부산으로 알아 두었어요."
    # the question answered (or nothing new) needs no note
    assert heard_note(before, {"years_since_closure": 1.0, "region": "busan"}) is None
    assert heard_note(before, {}) is None
    assert heard_note({"closed": True}, {"region": "busan"}) is None


def _said_after(events: list[dict], intent: str = "inform") -> list[str]:
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.situation import ActionSayWhatChanged

    # through the action itself: the shell's Turn and the rule together
    latest = next(e for e in reversed(events) if e["event"] == "user")
    tracker = Tracker("founder", {}, {**latest["parse_data"], "text": latest["text"]}, events, False, None, {}, "")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSayWhatChanged().run(dispatcher, tracker, {}))
    return [message.get("text") or "" for message in dispatcher.messages]


def _user(text: str, intent: str = "inform") -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": []},
    }


def test_a_founder_who_says_the_business_closed_hears_a_kind_word_once() -> None:
    # QA: "식당하다가 망했어요" got the finder's next question straight away
    told = [_user("식당하다가 망했어요"), {"event": "slot", "name": "closed", "value": True}]
    assert "그동안 정말 애쓰셨어요." in _said_after(told)
    again = [*told, {"event": "bot", "text": "그동안 정말 애쓰셨어요."}, _user("네 폐업했어요")]
    again.append({"event": "slot", "name": "closed", "value": True})
    assert "그동안 정말 애쓰셨어요." not in _said_after(again)
    # still open, or a crisis (whose own reply comes first): no such line
    assert "그동안 정말 애쓰셨어요." not in _said_after(
        [_user("아직 영업 중이에요"), {"event": "slot", "name": "closed", "value": False}]
    )
    crisis = [_user("가게 망하고 죽고 싶어요", "express_crisis"), {"event": "slot", "name": "closed", "value": True}]
    assert "그동안 정말 애쓰셨어요." not in _said_after(crisis)
    # the stigma answer opens with kind words of its own: not two in a row
    ashamed = [
        _user("폐업하고 너무 창피해요", "ask_stigma_support"),
        {"event": "slot", "name": "closed", "value": True},
    ]
    assert "그동안 정말 애쓰셨어요." not in _said_after(ashamed)


@pytest.mark.parametrize("requested", ["tax_arrears", "insurance_arrears"])
def test_taxes_and_premiums_answered_together_answer_both_questions(requested: str) -> None:
    from bot.guidance.dialogue.finder import with_answer_to_question

    # the extractor reads the tax half itself; the premium half is the short answer's
    for text, value in (("세금 보험 다 없어요", False), ("보험이랑 세금 둘 다 밀렸어요", True)):
        facts = with_answer_to_question({"tax_arrears": value}, requested, "inform", text)
        assert facts == {"tax_arrears": value, "insurance_arrears": value}, text
