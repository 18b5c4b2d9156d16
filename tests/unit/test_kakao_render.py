"""Kakao skill response rendering keeps Kakao's limits (a reply that breaks them is rejected)."""

from __future__ import annotations

from bot.channels.kakao import SkillRequest, render


def test_texts_become_simple_texts_and_buttons_quick_replies() -> None:
    body = render(
        [{"text": "안녕하세요", "buttons": [{"title": "나에게 맞는 지원 찾기", "payload": "/check_eligibility"}]}]
    )
    assert body["version"] == "2.0"
    assert body["template"]["outputs"] == [{"simpleText": {"text": "안녕하세요"}}]
    reply = body["template"]["quickReplies"][0]
    assert reply == {"label": "나에게 맞는 지원 찾기", "action": "message", "messageText": "나에게 맞는 지원 찾기"}


def test_more_than_three_messages_are_merged_into_three_outputs() -> None:
    body = render([{"text": f"메시지 {i}"} for i in range(7)])
    outputs = body["template"]["outputs"]
    assert len(outputs) == 3
    joined = "\n".join(output["simpleText"]["text"] for output in outputs)
    assert all(f"메시지 {i}" in joined for i in range(7))


def test_long_text_is_split_at_line_breaks_within_1000_characters() -> None:
    text = "\n".join("가" * 300 for _ in range(8))
    outputs = render([{"text": text}])["template"]["outputs"]
    assert len(outputs) <= 3
    assert all(len(output["simpleText"]["text"]) <= 1000 for output in outputs)


def test_quick_replies_are_capped_at_ten_with_short_labels() -> None:
    buttons = [{"title": f"아주 긴 버튼 제목 번호 {i} 입니다", "payload": f"/x{i}"} for i in range(15)]
    replies = render([{"text": "고르세요", "buttons": buttons}])["template"]["quickReplies"]
    assert len(replies) == 10
    assert all(len(reply["label"]) <= 14 for reply in replies)


def test_no_text_still_answers_politely() -> None:
    outputs = render([])["template"]["outputs"]
    assert "1357" in outputs[0]["simpleText"]["text"]


def test_location_is_read_from_params_or_client_extra() -> None:
    base = {"userRequest": {"utterance": "위치", "user": {"id": "u"}}}
    assert SkillRequest.parse_obj(
        {**base, "action": {"params": {"latitude": "35.1", "longitude": "129.0"}}}
    ).location() == (35.1, 129.0)
    assert SkillRequest.parse_obj(
        {**base, "action": {"clientExtra": {"latitude": 37.5, "longitude": 127.0}}}
    ).location() == (37.5, 127.0)
    assert SkillRequest.parse_obj(base).location() is None


def test_cards_become_a_carousel_of_basic_cards_within_limits() -> None:
    elements = [
        {"title": f"센터 {i}", "subtitle": "가" * 400, "default_action": {"type": "web_url", "url": "https://x.kr"}}
        for i in range(12)
    ]
    body = render([{"text": "대구 지역에서 도움받으실 수 있는 곳이에요."}, {"elements": elements}])
    outputs = body["template"]["outputs"]
    assert outputs[0] == {"simpleText": {"text": "대구 지역에서 도움받으실 수 있는 곳이에요."}}
    carousel = outputs[1]["carousel"]
    assert carousel["type"] == "basicCard" and len(carousel["items"]) == 10
    for card in carousel["items"]:
        assert len(card["description"]) <= 230
        assert card["buttons"] == [{"action": "webLink", "label": "누리집", "webLinkUrl": "https://x.kr"}]


def test_text_and_cards_share_the_three_outputs() -> None:
    body = render([{"text": f"메시지 {i}"} for i in range(5)] + [{"elements": [{"title": "카드", "subtitle": "내용"}]}])
    outputs = body["template"]["outputs"]
    assert len(outputs) == 3 and "carousel" in outputs[-1]
