"""Personal data never reaches storage or logs in clear text."""

from __future__ import annotations

import logging

import pytest

from bot.privacy.logging_filter import MaskingFilter
from bot.privacy.masking import mask, mask_value


@pytest.mark.parametrize(
    "text, kind, secret",
    [
        ("제 주민번호는 900101-1234567 이에요", "resident_number", "900101-1234567"),
        ("주민등록번호 9001011234567", "resident_number", "9001011234567"),
        ("연락처 010-1234-5678로 주세요", "phone_number", "010-1234-5678"),
        ("01012345678", "phone_number", "01012345678"),
        ("+82 10-1234-5678", "phone_number", "10-1234-5678"),
        ("사무실 02-123-4567", "phone_number", "02-123-4567"),
        ("카드 1234 5678 9012 3456 분실", "card_number", "1234 5678 9012 3456"),
        ("국민 123-45-678901 계좌로", "account_number", "123-45-678901"),
        ("계좌 110123456789 입니다", "account_number", "110123456789"),
        ("메일은 kim.founder@example.co.kr", "email", "kim.founder@example.co.kr"),
    ],
)
def test_each_kind_is_masked_and_named(text: str, kind: str, secret: str) -> None:
    masked = mask(text)
    assert secret not in masked.text
    assert kind in masked.kinds
    assert "[" in masked.text


@pytest.mark.parametrize(
    "text",
    [
        "국세 체납 2천만 원이 있어요",
        "2023년 3월 15일에 폐업했어요",
        "☎ 1357로 전화했어요",
        "1600-5500 신복위",
        "조세특례제한법 제99조의6",
        "3년 전 폐업, 부채 30000000원",
        # a date is not an account number: cards show "기준일 2015-02-02", founders type dates
        "출처: 서울경제 · 기준일 2015-02-02",
        "2023-03-15에 폐업했어요",
    ],
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert mask(text).text == text


def test_nested_event_data_is_masked_without_changing_shape() -> None:
    event = {"event": "user", "text": "010-9876-5432", "parse_data": {"text": "010-9876-5432", "entities": []}}
    masked = mask_value(event)
    assert masked == {"event": "user", "text": "[전화번호]", "parse_data": {"text": "[전화번호]", "entities": []}}


def test_log_records_are_masked() -> None:
    record = logging.LogRecord("rasa", logging.INFO, __file__, 1, "user said %s", ("900101-1234567",), None)
    MaskingFilter().filter(record)
    assert "900101-1234567" not in record.getMessage()
