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
