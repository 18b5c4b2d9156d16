"""A conversation full of personal data leaves none of it in the database or the log."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import texts

SECRETS = {
    "주민등록번호": "900101-1234567",
    "전화번호": "010-2345-6789",
    "카드번호": "1234-5678-9012-3456",
    "계좌번호": "123-45-678901",
    "이메일": "founder.kim@example.com",
}


def test_personal_data_is_masked_in_storage_and_logs_but_understood(dasi, talk, founder) -> None:
    replies = []
    replies.append(texts(talk(f"제 주민번호는 {SECRETS['주민등록번호']}이고 연락처는 {SECRETS['전화번호']}예요")))
    replies.append(texts(talk(f"카드 {SECRETS['카드번호']}, 계좌 {SECRETS['계좌번호']}로 받을 수 있나요?")))
    replies.append(texts(talk(f"메일은 {SECRETS['이메일']} 입니다")))
    # Dasi understood what kind of data was given, and says it is not kept
    assert "주민등록번호" in replies[0] and "전화번호" in replies[0]
    assert "카드번호" in replies[1] and "계좌번호" in replies[1]
    assert "이메일" in replies[2]
    with sqlite3.connect(dasi.database) as connection:
        rows = "\n".join(
            json.dumps(json.loads(data), ensure_ascii=False)
            for (data,) in connection.execute("SELECT data FROM events WHERE sender_id = ?", (founder,))
        )
    assert rows, "the conversation was stored"
    assert "[전화번호]" in rows
    log = dasi.log.read_text(encoding="utf-8", errors="replace")
    for secret in SECRETS.values():
        assert secret not in rows, secret
        assert secret not in log, secret
    tracker = dasi.tracker(founder)
    assert all(secret not in str(tracker) for secret in SECRETS.values())
