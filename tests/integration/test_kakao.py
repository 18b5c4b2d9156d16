"""KakaoTalk skill webhook through the running server, with real-format skill payloads."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from tests.conftest import FINDER_STORY, KAKAO_SECRET, Dasi


def skill_request(utterance: str, user: str, **action: Any) -> dict[str, Any]:
    """The shape Kakao i Open Builder posts to a skill server."""
    return {
        "intent": {"id": "intent-id", "name": "폴백 블록"},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "params": {"ignoreMe": "true"},
            "block": {"id": "block-id", "name": "폴백 블록"},
            "utterance": utterance,
            "lang": None,
            "user": {"id": user, "type": "accountId", "properties": {}},
        },
        "bot": {"id": "some-other-bot", "name": "다시"},
        "action": {"name": "dasi", "clientExtra": None, "params": {}, "id": "action-id", "detailParams": {}, **action},
    }


def post(dasi: Dasi, body: Any, secret: str | None = KAKAO_SECRET, raw: bytes | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Dasi-Skill-Secret"] = secret
    if raw is not None:
        return requests.post(f"{dasi.url}/webhooks/kakao/webhook", data=raw, headers=headers, timeout=10)
    return requests.post(f"{dasi.url}/webhooks/kakao/webhook", json=body, headers=headers, timeout=10)


def assert_within_kakao_limits(body: dict[str, Any]) -> None:
    assert body["version"] == "2.0"
    outputs = body["template"]["outputs"]
    assert 1 <= len(outputs) <= 3
    for output in outputs:
        if "carousel" in output:
            assert 1 <= len(output["carousel"]["items"]) <= 10
            continue
        if "listCard" in output:
            card = output["listCard"]
            assert card["header"]["title"] and 1 <= len(card["items"]) <= 5 and len(card.get("buttons", [])) <= 2
            assert all(item["title"] and len(item.get("description", "")) <= 60 for item in card["items"])
            continue
        assert 0 < len(output["simpleText"]["text"]) <= 1000
    replies = body["template"].get("quickReplies", [])
    assert len(replies) <= 10
    for reply in replies:
        assert reply["action"] == "message" and 0 < len(reply["label"]) <= 14 and reply["messageText"]


@pytest.fixture
def kakao_user() -> str:
    return f"kakao-{uuid.uuid4().hex[:10]}"


def text_of(body: dict[str, Any]) -> str:
    return "\n".join(output["simpleText"]["text"] for output in body["template"]["outputs"] if "simpleText" in output)


def test_greeting_is_a_skill_response_with_quick_replies(dasi: Dasi, kakao_user: str) -> None:
    response = post(dasi, skill_request("안녕하세요", kakao_user))
    assert response.status_code == 200
    body = response.json()
    assert_within_kakao_limits(body)
    assert "다시" in text_of(body)
    assert "나에게 맞는 지원 찾기" in [reply["messageText"] for reply in body["template"]["quickReplies"]]


def test_a_quick_reply_label_is_understood_as_its_button(dasi: Dasi, kakao_user: str) -> None:
    post(dasi, skill_request("제가 받을 수 있는 지원 찾아주세요", kakao_user))
    body = post(dasi, skill_request("부산에서 식당 하다가 작년에 폐업했어요", kakao_user)).json()
    labels = [reply["messageText"] for reply in body["template"].get("quickReplies", [])]
    assert "문제 없어요" in labels, text_of(body)
    # the founder taps "문제 없어요": Dasi records a normal credit state and asks the next thing
    after = post(dasi, skill_request("문제 없어요", kakao_user)).json()
    assert "신용" not in text_of(after)
    assert dasi.tracker(kakao_user)["slots"]["credit_state"] == "normal"


def test_a_long_answer_stays_within_kakao_limits(dasi: Dasi, kakao_user: str) -> None:
    body = post(dasi, skill_request("국세 체납이 있는데 재창업할 수 있나요?", kakao_user)).json()
    assert_within_kakao_limits(body)
    assert "조세특례제한법" in text_of(body)


def test_a_shared_location_gets_the_nearest_centers(dasi: Dasi, kakao_user: str) -> None:
    body = post(
        dasi, skill_request("위치 보내기", kakao_user, params={"latitude": "35.1798", "longitude": "129.0750"})
    ).json()
    assert_within_kakao_limits(body)
    assert "부산" in text_of(body)


def test_a_request_without_the_secret_is_refused(dasi: Dasi, kakao_user: str) -> None:
    response = post(dasi, skill_request("안녕하세요", kakao_user), secret=None)
    assert response.status_code == 403
    assert post(dasi, skill_request("안녕하세요", kakao_user), secret="wrong").status_code == 403


def test_an_allow_listed_bot_id_needs_no_secret(dasi: Dasi, kakao_user: str) -> None:
    body = skill_request("안녕하세요", kakao_user)
    body["bot"]["id"] = "dasi-kakao-bot"
    assert post(dasi, body, secret=None).status_code == 200


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"{",
        b"[]",
        b'{"userRequest": {}}',
        b'{"userRequest": {"utterance": 5}}',
        '{"userRequest": "\ud55c"}'.encode(),
    ],
)
def test_malformed_payloads_get_400_with_a_reason(dasi: Dasi, raw: bytes) -> None:
    response = post(dasi, None, raw=raw)
    assert response.status_code == 400
    assert response.json()["error"]
    assert "Traceback" not in response.text


def test_contacts_are_shown_as_cards(dasi: Dasi, kakao_user: str) -> None:
    body = post(dasi, skill_request("대구 혁신센터 연락처 알려주세요", kakao_user)).json()
    assert_within_kakao_limits(body)
    cards = [
        item for output in body["template"]["outputs"] if "carousel" in output for item in output["carousel"]["items"]
    ]
    assert any("대구" in card["title"] for card in cards), body
    links = [
        button["webLinkUrl"] for card in cards for button in card.get("buttons", []) if button["action"] == "webLink"
    ]
    assert "https://ccei.creativekorea.or.kr/daegu/" in links
    assert all(len(card["description"]) <= 230 for card in cards)
    assert "1357" in json.dumps(body, ensure_ascii=False)


def finder_result(dasi: Dasi, user: str) -> dict[str, Any]:
    """Tells the story, answers what the finder still asks with '모르겠어요', returns the result."""
    body = post(dasi, skill_request(FINDER_STORY, user)).json()
    for _ in range(4):
        if any("listCard" in output for output in body["template"]["outputs"]):
            return body
        body = post(dasi, skill_request("모르겠어요", user)).json()
    raise AssertionError(f"no result card: {body}")


def test_the_finder_result_is_list_cards_with_verdicts_remedies_and_a_call_button(dasi: Dasi, kakao_user: str) -> None:
    body = finder_result(dasi, kakao_user)
    assert_within_kakao_limits(body)
    outputs = body["template"]["outputs"]
    assert "살펴봤어요" in outputs[0]["simpleText"]["text"]
    programs, barriers = (output["listCard"] for output in outputs if "listCard" in output)
    assert programs["header"]["title"] == "맞는 지원"
    verdicts = ("신청 가능성이 높아요", "확인이 더 필요해요")
    assert all(item["description"].startswith(verdicts) for item in programs["items"]), programs
    assert barriers["header"]["title"].startswith("먼저 풀면 좋은 걸림돌")
    assert any(item["title"] == "국세 체납" for item in barriers["items"]), barriers
    calls = {button["phoneNumber"] for button in barriers["buttons"] if button["action"] == "phone"}
    assert "1357" in calls, barriers
    # tapping a program in the list asks for that program's card
    first = programs["items"][0]
    detail = post(dasi, skill_request(first["messageText"], kakao_user)).json()
    assert first["title"].rstrip("…") in text_of(detail) + json.dumps(detail, ensure_ascii=False)
    assert "살펴봤어요" not in text_of(detail)
