"""A founder who tells a feeling gets a few kind words and a choice; one who asks gets the card."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.barriers import ActionExplainBarrier


def _reply(text: str, in_finder: bool = False) -> list[dict]:
    message = {"text": text, "intent": {"name": "ask_stigma_support", "confidence": 0.95}, "entities": []}
    if text.startswith("/"):
        message["entities"] = [{"entity": "barrier", "value": "stigma"}]
    loop = {"name": "profile_form"} if in_finder else {}
    events = [{"event": "user", "text": text, "parse_data": message}]
    tracker = Tracker("founder", {}, message, events, False, None, loop, "")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionExplainBarrier().run(dispatcher, tracker, {}))
    return dispatcher.messages


@pytest.mark.parametrize("text", ["너무 힘드네요 솔직히", "자존감 바닥이에요", "망하고 나서 사람 만나기가 싫어요 ㅠ"])
def test_a_feeling_gets_kind_words_and_a_choice_not_the_leaflet(text: str) -> None:
    # QA: "너무 힘드네요 솔직히" got the whole card of programs and hotlines
    (reply,) = _reply(text)
    assert reply["text"].startswith("많이 힘드시죠.")
    assert "재도전 응원본부" not in reply["text"]
    assert "☎ 109" in reply["text"]  # named, gently: a depressed mood is a risk factor
    assert [button["payload"] for button in reply["buttons"]] == [
        '/ask_stigma_support{"barrier": "stigma"}',
        "/check_eligibility",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "심리 상담 받을 수 있는 곳 있어요?",
        "망한 사장들 마음 치유 프로그램 알려주세요",
        '/ask_stigma_support{"barrier": "stigma"}',
    ],
)
def test_asking_for_help_with_the_feeling_gets_the_card(text: str) -> None:
    replies = _reply(text)
    assert any("재도전 응원본부" in (reply.get("text") or "") for reply in replies), replies


def test_in_the_finder_a_feeling_gets_kind_words_and_no_second_question() -> None:
    (reply,) = _reply("너무 힘드네요", in_finder=True)
    assert reply["text"].startswith("많이 힘드시죠.") and "?" not in reply["text"] and "☎ 109" in reply["text"]
    assert not reply.get("buttons")


def test_a_story_about_the_feeling_gets_the_card() -> None:
    replies = _reply("폐업하고 나서 너무 창피해서 아무한테도 말 못했어요")
    assert any("부끄러워하실 일이 아니고" in (reply.get("text") or "") for reply in replies), replies
