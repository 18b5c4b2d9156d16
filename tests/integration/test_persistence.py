"""Conversations persist in the SQL tracker store: a restart mid-conversation loses nothing."""

from __future__ import annotations

import uuid

from tests.conftest import start_dasi, stop_dasi, texts


def test_a_restart_mid_conversation_continues_where_it_was(tmp_path) -> None:
    founder = f"restart-{uuid.uuid4().hex[:8]}"
    process, dasi = start_dasi(tmp_path, 16005, 16055)
    try:
        first = texts(dasi.send(founder, "부산에서 식당 하다가 작년에 폐업했고 세금 체납이 있어요"))
        assert "신용" in first  # the finder asks its next question
    finally:
        stop_dasi(process)
    process, dasi = start_dasi(tmp_path, 16005, 16055)
    try:
        slots = dasi.tracker(founder)["slots"]
        assert slots["region"] == "busan" and slots["tax_arrears"] is True
        assert slots["requested_slot"] == "credit_state"
        after = texts(dasi.send(founder, '/inform{"credit_state": "normal"}'))
        # the form goes on with the next unanswered question, not from the start
        assert "4대보험" in after, after
        assert "폐업하셨나요" not in after and "어느 지역" not in after
    finally:
        stop_dasi(process)
