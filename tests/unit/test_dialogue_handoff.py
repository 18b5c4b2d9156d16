"""Reaching a person (bot/guidance/dialogue/handoff.py): the hotline always, a live chat where it can be answered."""

from __future__ import annotations

from bot.guidance.dialogue import handoff
from bot.guidance.dialogue.handoff import Queued
from tests.unit.conversation import FINDER, bot, payloads, said, turn

PAUSE = {"event": "pause"}
RESUME = {"event": "resume"}


def asks_for_a_person(channel: str) -> object:
    return turn("상담원 연결해 주세요", "request_human", channel=channel)


def live_chat(channel: str = "socketio") -> object:
    return turn("/live_chat", "live_chat", channel=channel)


def test_offer_on_rest_gives_the_hotlines_and_no_chat_button() -> None:
    reply = handoff.offer_human(asks_for_a_person("rest"), True, 3)
    assert said(reply).startswith("사람과 직접 이야기 나누고 싶으시군요.")
    assert "1357" in said(reply) and "1600-5500" in said(reply)
    assert payloads(reply) == []
    assert "채팅" not in said(reply)


def test_offer_in_the_widget_without_a_console_gives_no_chat() -> None:
    reply = handoff.offer_human(asks_for_a_person("socketio"), False, 3)
    assert payloads(reply) == [] and "채팅" not in said(reply)


def test_offer_in_the_widget_with_no_agent_online_says_no_chat_now() -> None:
    reply = handoff.offer_human(asks_for_a_person("socketio"), True, 0)
    assert said(reply).endswith("지금은 채팅으로 연결할 수 있는 상담사가 없어요.")
    assert "1357" in said(reply)
    assert payloads(reply) == []


def test_offer_in_the_widget_with_agents_online_offers_a_chat_button() -> None:
    reply = handoff.offer_human(asks_for_a_person("socketio"), True, 2)
    assert "이 창에서 상담사와 바로 채팅하실 수도 있어요." in said(reply)
    assert payloads(reply) == [handoff.LIVE_CHAT_PAYLOAD] == ["/live_chat"]


def test_start_where_no_chat_is_possible_gives_the_hotline_and_no_pause() -> None:
    reply = handoff.start_handoff(live_chat("rest"), True, Queued.yes)
    assert said(reply).startswith("이 창에서는 채팅 상담을 연결할 수 없어요.")
    assert "1357" in said(reply)
    assert not reply.pause


def test_start_with_no_agent_apologises_and_keeps_helping() -> None:
    reply = handoff.start_handoff(live_chat(), True, Queued.no_agent)
    assert "채팅 상담사가 모두 자리를 비웠어요" in said(reply)
    assert said(reply).endswith("그동안 제가 계속 도와드릴게요.")
    assert not reply.pause


def test_start_that_failed_apologises_and_keeps_helping() -> None:
    reply = handoff.start_handoff(live_chat(), True, Queued.failed)
    assert "채팅 상담을 연결하지 못했어요" in said(reply)
    assert "1357" in said(reply)
    assert not reply.pause


def test_start_queued_pauses_dasi_for_the_agent() -> None:
    reply = handoff.start_handoff(live_chat(), True, Queued.yes)
    assert said(reply).startswith("상담사에게 연결을 요청했어요.")
    assert "1357" in said(reply)
    assert reply.pause
    assert not reply.slots


def test_handback_without_an_agent_message_apologises_for_the_wait() -> None:
    # an agent spoke in an earlier chat, before this pause: no one answered this time
    earlier = [PAUSE, bot("안녕하세요, 상담사입니다.", agent=True), RESUME, PAUSE, RESUME]
    reply = handoff.handback(turn("/handback", "handback", earlier=earlier))
    assert said(reply).startswith("기다리게 해 드려 죄송해요.")
    assert "1357" in said(reply)


def test_handback_in_the_finder_goes_on_where_it_was() -> None:
    earlier = [PAUSE, bot("안녕하세요, 상담사입니다.", agent=True), RESUME]
    reply = handoff.handback(turn("/handback", "handback", earlier=earlier, loop=FINDER))
    assert said(reply) == "상담사와의 대화를 마쳤어요. 하던 이야기를 이어서 도와드릴게요."


def test_handback_after_a_chat_invites_more_questions() -> None:
    earlier = [PAUSE, bot("안녕하세요, 상담사입니다.", agent=True), RESUME]
    reply = handoff.handback(turn("/handback", "handback", earlier=earlier))
    assert said(reply) == "상담사와의 대화를 마쳤어요. 더 궁금한 게 있으시면 언제든 편하게 물어봐 주세요."


def test_a_bot_message_is_not_an_agents() -> None:
    earlier = [PAUSE, bot("상담사를 기다리는 중이에요."), RESUME]
    assert said(handoff.handback(turn("/handback", "handback", earlier=earlier))).startswith(
        "기다리게 해 드려 죄송해요."
    )
