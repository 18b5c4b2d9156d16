"""Kakao waits 5 seconds: past Dasi's budget it answers at once and offers the rest later."""

from __future__ import annotations

import time
import uuid

from tests.conftest import KAKAO_SECRET, start_dasi, stop_dasi
from tests.integration.test_kakao import assert_within_kakao_limits, post, skill_request, text_of


def test_a_slow_turn_answers_in_time_and_the_result_follows(tmp_path) -> None:
    user = f"kakao-slow-{uuid.uuid4().hex[:8]}"
    # A budget no real turn can meet stands in for a slow moment.
    process, dasi = start_dasi(tmp_path, 16305, 16355, extra_env={"DASI_KAKAO_BUDGET_SECONDS": "0.001"})
    try:
        first = post(dasi, skill_request("국세 체납이 있는데 재창업할 수 있나요?", user), secret=KAKAO_SECRET).json()
        assert_within_kakao_limits(first)
        assert "결과 보기" in [reply["messageText"] for reply in first["template"]["quickReplies"]]
        result = {}
        for _ in range(30):  # the founder taps "결과 보기" until the turn has finished
            time.sleep(0.5)
            result = post(dasi, skill_request("결과 보기", user), secret=KAKAO_SECRET).json()
            if "조세특례제한법" in text_of(result):
                break
        assert "조세특례제한법" in text_of(result), result
        assert_within_kakao_limits(result)
    finally:
        stop_dasi(process)
