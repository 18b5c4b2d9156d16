"""The same question sent again gets a short note, but only within one session."""

from __future__ import annotations

from bot.guidance.answers import Answer
from bot.guidance.dialogue.turn import LONG_ANSWER, answer, unless_repeated
from tests.unit.conversation import bot, turn

CARD = Answer("[재창업자금]\n" + "재창업하시는 분께 중진공이 빌려주는 정책자금이에요. " * 12)
ASKED = "재창업자금 알려주세요"


def test_the_same_question_again_gets_a_short_note() -> None:
    assert len(CARD.text) >= LONG_ANSWER
    again = unless_repeated(turn(ASKED, earlier=[user_said(ASKED), bot(CARD.text)]), CARD)
    assert again.text.startswith("앞에서 말씀드린 내용과 같아요")


def test_a_third_time_offers_a_person() -> None:
    earlier = [user_said(ASKED), bot(CARD.text), user_said(ASKED), bot("앞에서 말씀드린 내용과 같아요.")]
    again = unless_repeated(turn(ASKED, earlier=earlier), CARD)
    assert "여러 번" in again.text and "1357" in again.text


def test_a_founder_back_in_a_new_session_gets_the_whole_answer() -> None:
    earlier = [user_said(ASKED), bot(CARD.text), {"event": "session_started"}]
    assert unless_repeated(turn(ASKED, earlier=earlier), CARD) == CARD


def test_a_short_answer_is_given_again() -> None:
    short = Answer("☎ 1357")
    assert unless_repeated(turn(ASKED, earlier=[user_said(ASKED), bot(short.text)]), short) == short


def test_cards_go_to_kakao_as_cards_and_to_other_channels_as_text() -> None:
    from bot.guidance.answers import Card

    carded = Answer("센터 안내", cards=[Card("서울센터", "☎ 02-000-0000")], card_intro="가까운 센터예요")
    assert [set(message) for message in answer(turn("센터", channel="kakao"), carded).messages] == [
        {"text"},
        {"elements"},
    ]
    assert [message["text"] for message in answer(turn("센터", channel="socketio"), carded).messages] == ["센터 안내"]


def user_said(text: str) -> dict:
    from tests.unit.conversation import user

    return user(text)
