"""Console logins and the handoff queue, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console.app import FormFacts, Presence, ScriptRequest, conversation_view, script_payload
from bot.console.auth import MAX_FAILURES, SESSION_SECONDS, Accounts, ConfigurationError, parse_users
from bot.console.handoffs import HandoffConflict, HandoffQueue, Status
from bot.console.rasa_api import Tracker

NOW = 1_800_000_000.0


def test_accounts_come_only_from_the_environment_and_need_long_passwords() -> None:
    assert parse_users("김민지:console-password, lee:another-password") == {
        "김민지": "console-password",
        "lee": "another-password",
    }
    for unsafe in ("", " , ", "kim", "kim:short", ":no-name-password"):
        with pytest.raises(ConfigurationError):
            parse_users(unsafe)


def test_sessions_are_signed_expire_and_name_a_known_agent() -> None:
    accounts = Accounts({"kim": "console-password"})
    session = accounts.session_for("kim", now=NOW)
    assert accounts.user_of(session, now=NOW + 60) == "kim"
    assert accounts.user_of(session, now=NOW + SESSION_SECONDS + 1) is None
    body, signature = session.rsplit(".", 1)
    assert accounts.user_of(f"{body}.{'0' * len(signature)}", now=NOW) is None
    assert accounts.user_of(Accounts({"kim": "console-password"}).session_for("kim", now=NOW), now=NOW) is None
    assert accounts.user_of(None) is None and accounts.user_of("garbage") is None


def test_repeated_failures_lock_the_account_for_a_while() -> None:
    accounts = Accounts({"kim": "console-password"})
    assert not accounts.check("kim", "guess", now=NOW)
    assert accounts.check("kim", "console-password", now=NOW)
    for attempt in range(MAX_FAILURES):
        accounts.check("kim", f"guess-{attempt}", now=NOW + attempt)
    assert accounts.locked("kim", now=NOW + 10)
    assert not accounts.locked("kim", now=NOW + 400)
    assert not accounts.check("nobody", "console-password", now=NOW)


def test_the_queue_keeps_one_place_per_conversation_and_one_agent(tmp_path: Path) -> None:
    queue = HandoffQueue(tmp_path / "console.db")
    first = queue.request("founder-a", now=NOW)
    assert queue.request("founder-a", now=NOW + 30).requested_at == first.requested_at
    queue.request("founder-b", now=NOW + 10)
    assert [h.conversation_id for h in queue.open_handoffs()] == ["founder-a", "founder-b"]

    with pytest.raises(HandoffConflict):
        queue.held_by("founder-a", "kim")  # nobody has claimed it yet
    assert queue.claim("founder-a", "kim").status is Status.active
    assert queue.claim("founder-a", "kim").agent == "kim"  # claiming twice is harmless
    with pytest.raises(HandoffConflict):
        queue.claim("founder-a", "lee")
    with pytest.raises(HandoffConflict):
        queue.held_by("founder-a", "lee")

    queue.close("founder-a")
    assert [h.conversation_id for h in queue.open_handoffs()] == ["founder-b"]
    # a later request is a new place in the queue; the queue survives a console restart
    queue.request("founder-a", now=NOW + 100)
    reopened = HandoffQueue(tmp_path / "console.db")
    assert [(h.conversation_id, h.status) for h in reopened.open_handoffs()] == [
        ("founder-b", Status.waiting),
        ("founder-a", Status.waiting),
    ]


def found(text: str) -> list:
    """The gazetteer's mentions, as Rasa's NLU pipeline gives them to the console."""
    from bot.language.gazetteer import gazetteer

    return gazetteer().find(text)


def test_the_short_form_gives_the_same_script_as_the_chat_engine() -> None:
    typed = script_payload(ScriptRequest(text="부산, 파산했어요"), found("부산, 파산했어요"))
    form = script_payload(ScriptRequest(form=FormFacts(region="busan", credit_state="bankrupt")), [])
    assert "부산" in str(typed["situation"]) and "부산" in str(form["situation"])
    assert typed["remedies"] == form["remedies"]
    # the form wins where it disagrees with the typed text
    mixed = script_payload(ScriptRequest(text="대구에 살아요", form=FormFacts(region="busan")), found("대구에 살아요"))
    assert "부산" in str(mixed["situation"]) and "대구" not in str(mixed["situation"])
    with pytest.raises(ValueError):
        FormFacts(region="atlantis")
    with pytest.raises(ValueError):
        ScriptRequest.parse_obj({"text": "x", "extra": 1})


def test_an_agent_sees_the_founders_words_and_which_replies_were_human(tmp_path: Path) -> None:
    queue = HandoffQueue(tmp_path / "console.db")
    handoff = queue.request("founder-a", now=NOW)
    tracker = Tracker.parse_obj(
        {
            "sender_id": "founder-a",
            "slots": {"region": "daegu", "tax_arrears": True},
            "paused": True,
            "events": [
                {"event": "user", "text": "대구에서 폐업했어요", "timestamp": NOW},
                {"event": "bot", "text": "언제쯤 폐업하셨어요?", "timestamp": NOW + 1},
                {"event": "user", "text": "/live_chat", "timestamp": NOW + 2},
                {"event": "action", "name": "action_listen"},
                {"event": "bot", "text": "안녕하세요", "metadata": {"agent": "kim"}, "timestamp": NOW + 3},
            ],
        }
    )
    view = conversation_view(handoff, tracker)
    assert [m["who"] for m in view["messages"]] == ["founder", "dasi", "agent"]  # button payloads hidden
    assert view["said"] == ["대구에서 폐업했어요"]
    assert "대구" in view["summary"] and "세금 체납" in view["summary"]
    assert view["paused"] is True and view["script"]["remedies"]


def test_a_queued_chat_that_spoke_of_a_crisis_gets_the_safety_first_script() -> None:
    from bot.console.app import spoke_of_crisis
    from bot.console.rasa_api import Tracker

    def tracker(intent: str) -> Tracker:
        return Tracker.parse_obj(
            {
                "sender_id": "founder",
                "events": [
                    {"event": "user", "text": "…", "parse_data": {"intent": {"name": "greet"}}},
                    {"event": "user", "text": "…", "parse_data": {"intent": {"name": intent}}},
                    {"event": "bot", "text": "…"},
                ],
            }
        )

    assert spoke_of_crisis(tracker("express_crisis"))
    assert not spoke_of_crisis(tracker("ask_stigma_support"))


def test_requests_no_agent_took_in_time_expire_and_can_be_requeued(tmp_path: Path) -> None:
    queue = HandoffQueue(tmp_path / "queue.db")
    queue.request("old", now=1000.0)
    queue.request("taken", now=1000.0)
    queue.request("new", now=1250.0)
    queue.claim("taken", "김민지", now=1100.0)
    assert queue.expire(300.0, now=1320.0) == ["old"]  # 320 s waiting; "new" only 70 s
    assert {h.conversation_id for h in queue.open_handoffs()} == {"taken", "new"}
    assert queue.expire(300.0, now=1320.0) == []  # expired once only
    queue.requeue("old")  # handing back failed: it waits again, keeping its place
    waiting = [h for h in queue.open_handoffs() if h.status is Status.waiting]
    assert [h.conversation_id for h in waiting] == ["old", "new"]


def test_dasi_knows_whether_an_agent_spoke_since_the_pause() -> None:
    from rasa_sdk import Tracker

    from actions.shell import turn_of
    from bot.guidance.dialogue.handoff import agent_spoke_since_pause as spoke

    def agent_spoke_since_pause(events: list[dict]) -> bool:
        return spoke(turn_of(Tracker("founder", {}, {}, events, False, None, {}, "")).history)

    paused = [{"event": "bot", "text": "요청했어요"}, {"event": "pause"}, {"event": "user", "text": "여보세요"}]
    assert not agent_spoke_since_pause(paused)
    answered = paused + [{"event": "bot", "text": "안녕하세요", "metadata": {"agent": "김민지"}}]
    assert agent_spoke_since_pause(answered)
    # an agent's words from an earlier live chat do not count for this one
    assert not agent_spoke_since_pause(answered + [{"event": "resume"}, {"event": "pause"}])


def test_an_agent_counts_as_on_duty_while_the_console_calls_in() -> None:
    presence = Presence(window=60)
    assert presence.online(now=1000) == 0
    presence.seen("kim", now=1000)
    presence.seen("lee", now=1030)
    assert presence.online(now=1050) == 2
    assert presence.online(now=1070) == 1  # kim's console has not called in for 70 s
    presence.left("lee")
    assert presence.online(now=1070) == 0
