"""Open calls: "지금 신청할 수 있는 거 있어요?" and the calls shown after the finder's results."""

from __future__ import annotations

import datetime

from bot.guidance.answers import Button
from bot.guidance.dialogue.context import profile_of
from bot.guidance.dialogue.turn import NOTHING, Effect, Reply, Turn, answer, remember, text
from bot.knowledge.loader import knowledge
from bot.language.cues import OPEN_CALLS
from bot.notices.answers import LiveNotices, open_calls_answer
from bot.notices.match import NoticeMatch
from bot.notices.models import PUSH_CHANNELS, REMIND_DAYS_BEFORE


def asks_for_open_calls(turn: Turn) -> bool:
    return bool(OPEN_CALLS.search(turn.text)) and not turn.is_payload


def matches(turn: Turn) -> list[NoticeMatch]:
    live = turn.notices
    if live is None or live.index is None:
        return []
    return live.index.match(profile_of(turn), turn.today)


def open_calls(turn: Turn) -> Reply:
    """The open calls that fit what the founder told, or when the restart programs usually open."""
    live = turn.notices or LiveNotices(None)
    found = matches(turn)
    said = open_calls_answer(found, live, knowledge(), turn.today)
    said.buttons.extend(offer_reminder(turn, found))
    return answer(turn, said) + remember(last_topic="open_calls")


def open_calls_after_results(turn: Turn) -> Reply:
    """After the finder's results: the matching open calls, when there are any (else nothing more)."""
    found = matches(turn)
    if not found or turn.notices is None:
        return NOTHING
    said = open_calls_answer(found, turn.notices, knowledge(), turn.today)
    said.buttons.extend(offer_reminder(turn, found))
    return answer(turn, said)


REMIND_PAYLOAD = '/remind_notice{{"notice": "{id}"}}'
CANCEL = Button("알림 취소", "/cancel_reminders")


def offer_reminder(turn: Turn, found: list[NoticeMatch]) -> list[Button]:
    """A reminder button for the nearest dated call, where a later message can reach the founder."""
    if turn.channel not in PUSH_CHANNELS:
        return []
    dated = [item for item in found if item.days_left is not None and item.days_left > REMIND_DAYS_BEFORE]
    if not dated:
        return []
    return [Button(f"마감 {REMIND_DAYS_BEFORE}일 전에 알려 주세요", REMIND_PAYLOAD.format(id=dated[0].notice.short_id))]


def remind(turn: Turn) -> Reply:
    """ "마감 3일 전에 알려 주세요" on a call: kept, and said when; where no message can be pushed, the link."""
    live = turn.notices or LiveNotices(None)
    wanted = turn.first("notice") or ""
    notice = next(
        (item.notice for item in (live.index.items if live.index else []) if item.notice.short_id == wanted), None
    )
    if notice is None:
        return text("알려 드리려던 공고를 지금은 찾지 못했어요. 마감이 지났거나 공고가 바뀌었을 수 있어요.")
    if turn.channel not in PUSH_CHANNELS:
        return text(
            "이 창에서는 나중에 메시지를 먼저 보내 드릴 수가 없어요. "
            f"공고 링크를 저장해 두시고 마감일({_day(notice.closes)})을 달력에 적어 두세요.\n{notice.url}"
        )
    days = notice.days_left(turn.today)
    if notice.closes is None or days is None:
        return text(f"'{notice.title}'은 상시 접수라 마감 알림이 필요 없어요.\n{notice.url}")
    if days <= REMIND_DAYS_BEFORE:
        return text(f"'{notice.title}'은 마감이 {days}일 남았어요. 알림보다 오늘 신청하시는 게 좋겠어요.\n{notice.url}")
    on = notice.closes - datetime.timedelta(days=REMIND_DAYS_BEFORE)
    said = text(
        f"네, '{notice.title}' 마감 {REMIND_DAYS_BEFORE}일 전인 {_day(on)}에 이 창으로 알려 드릴게요. "
        "그만 받으시려면 '알림 취소'를 눌러 주세요.",
        [CANCEL],
    )
    data = {"key": notice.key, "title": notice.title, "url": notice.url, "closes": notice.closes.isoformat()}
    return said + Reply(effects=(Effect("remind", data),))


def cancel_reminders(turn: Turn) -> Reply:
    """ "알림 취소": every reminder this founder waits for is cancelled (the shell says how many)."""
    return Reply(effects=(Effect("cancel_reminders"),))


def reminder_message(turn: Turn) -> Reply:
    """The reminder itself, when it falls due (Rasa's external trigger carries the call's facts)."""
    title, url = turn.first("notice_title") or "신청하시려던 공고", turn.first("notice_url") or ""
    try:
        closes = datetime.date.fromisoformat(turn.first("notice_closes") or "")
    except ValueError:
        return text(f"잊지 않으시도록 알려 드려요. '{title}' 신청 마감이 다가왔어요.\n{url}", [CANCEL])
    left = (closes - turn.today).days
    when = "오늘 마감이에요" if left == 0 else f"{_day(closes)}에 마감돼요(D-{left})"
    return text(
        f"잊지 않으시도록 알려 드려요. '{title}' 신청이 {when}.\n{url}\n신청 전에 공고문의 조건을 한 번 더 확인해 주세요.",
        [CANCEL],
    )


def _day(day: datetime.date | None) -> str:
    return f"{day.month}월 {day.day}일" if day else "공고문에 적힌 날"
