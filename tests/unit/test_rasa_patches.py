"""Rasa's check of action server responses, with its validator built once: the same verdicts."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import bot.privacy.tracker_store  # noqa: F401  (applies the patch, as a Dasi Rasa server does)


def validate(result: dict) -> bool:
    return RemoteAction("action_find_center", None)._validate_action_result(result)


def test_the_patch_is_applied_where_dasi_s_rasa_server_starts() -> None:
    assert RemoteAction._validate_action_result.__module__ == "bot.rasa_patches"


def test_a_well_formed_response_passes() -> None:
    events = [{"event": "slot", "name": "region", "value": "busan"}, {"event": "pause"}]
    assert validate({"events": events, "responses": [{"text": "부산의 센터예요"}]})


@pytest.mark.parametrize(
    "result",
    [
        {"events": "not a list"},
        {"events": [{"event": "slot"}]},  # a slot event needs its name
        {"events": [], "responses": ["text, not an object"]},
    ],
)
def test_a_malformed_response_is_refused_with_rasa_s_own_message(result: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate(result)


def test_every_event_type_resolves_to_the_class_rasa_s_own_lookup_finds() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    from bot.rasa_patches import _rasa_resolve_by_type

    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is _rasa_resolve_by_type(name), name
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_a_conversation_read_back_from_its_events_is_the_same() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        {"event": "user", "text": "부산이요", "parse_data": {"intent": {"name": "inform", "confidence": 0.9}}},
        {"event": "slot", "name": "region", "value": "busan"},
        {"event": "bot", "text": "네, 부산이요."},
    ]
    tracker = DialogueStateTracker.from_dict("founder", events)
    assert [event.type_name for event in tracker.events] == ["action", "session_started", "user", "slot", "bot"]
    assert tracker.latest_message.text == "부산이요"
