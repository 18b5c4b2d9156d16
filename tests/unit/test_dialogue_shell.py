"""The bridge to Rasa: a Reply in each channel's shape (turn.answer) and on the dispatcher (shell.apply)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.centers import ActionFindCenter
from actions.shell import apply
from bot.guidance import centers
from bot.guidance.dialogue.turn import Reply, answer, remember, response, text
from bot.knowledge.loader import knowledge
from tests.unit.conversation import entity, turn, user


def test_kakao_gets_the_centers_as_cards() -> None:
    said = centers.center_answer(knowledge(), "busan")
    intro, cards = answer(turn("부산 센터", channel="kakao"), said).messages
    assert intro == {"text": said.card_intro}
    assert [element["title"] for element in cards["elements"]] == [card.title for card in said.cards]
    assert len(cards["elements"]) > 1 and "출처:" in intro["text"]


def test_the_widget_gets_the_same_centers_as_one_text() -> None:
    said = centers.center_answer(knowledge(), "busan")
    assert answer(turn("부산 센터", channel="socketio"), said).messages == ({"text": said.text},)


def test_kakao_gets_an_answer_without_cards_as_text() -> None:
    said = centers.ask_region_answer()
    assert answer(turn("센터", channel="kakao"), said).messages == ({"text": said.text},)


def test_apply_utters_the_messages_in_order_and_returns_the_slots() -> None:
    reply = text("첫째", []) + response("utter_help") + remember(region="busan", last_topic=None)
    dispatcher = CollectingDispatcher()
    events = apply(reply, dispatcher)
    assert [message["text"] for message in dispatcher.messages] == ["첫째", None]
    assert [message["response"] for message in dispatcher.messages] == [None, "utter_help"]
    assert events == [SlotSet("region", "busan"), SlotSet("last_topic", None)]


def test_apply_sends_buttons_with_their_message() -> None:
    from bot.guidance.answers import Button

    dispatcher = CollectingDispatcher()
    apply(text("어느 쪽이세요?", [Button("광주광역시", '/inform{"region": "gwangju"}')]), dispatcher)
    assert dispatcher.messages[0]["buttons"] == [{"title": "광주광역시", "payload": '/inform{"region": "gwangju"}'}]


def test_apply_pauses_the_conversation_after_the_slots() -> None:
    dispatcher = CollectingDispatcher()
    events = apply(
        text("상담사에게 연결을 요청했어요.") + remember(center_pending=False) + Reply(pause=True), dispatcher
    )
    assert events == [SlotSet("center_pending", False), ConversationPaused()]
    assert len(dispatcher.messages) == 1


def test_apply_of_nothing_sends_nothing() -> None:
    dispatcher = CollectingDispatcher()
    assert apply(Reply(), dispatcher) == [] and dispatcher.messages == []


async def test_an_action_reads_the_tracker_and_writes_the_reply() -> None:
    message = user("부산 센터 알려주세요", "ask_center", [entity("region", "busan", "부산", 0, 2)])
    tracker = Tracker("founder", {}, message["parse_data"], [message], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    events = await ActionFindCenter().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"].startswith(f"{knowledge().regions['busan'].label} 지역에서")
    assert SlotSet("region", "busan") in events and SlotSet("last_topic", "centers:") in events


def test_the_rules_read_the_gazetteer_mentions_the_nlu_pipeline_found() -> None:
    from bot.guidance.dialogue.turn import Entity, make_turn
    from bot.language.gazetteer import EXTRACTOR, gazetteer, mentions_of

    text = "부산에서 식당 하다가 폐업했고 세금 체납이 있어요"
    found = gazetteer().find(text)
    entities = [
        {"entity": m.label, "value": m.value, "start": m.start, "end": m.end, "extractor": EXTRACTOR} for m in found
    ]
    # a payload's entity and the masked personal data are no gazetteer mentions
    entities += [
        {"entity": "personal_data", "value": "phone", "start": 0, "end": 2, "extractor": EXTRACTOR},
        {"entity": "region", "value": "daegu", "extractor": "RegexMessageHandler"},
    ]
    assert mentions_of(text, entities) == found
    turn = make_turn(
        text,
        entities=[
            Entity(e["entity"], str(e["value"]), "", e.get("start"), e.get("end"), e["extractor"]) for e in entities
        ],
    )
    assert turn.mentions == found
    assert {m.label for m in found} >= {"region", "closure", "tax"}
