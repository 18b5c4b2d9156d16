"""A founder can always reach a person: the verified hotline, and in the web widget or a
messenger a live chat.

The live chat pauses the conversation and puts it in the agent console's queue; the agent
answers through Rasa's HTTP API and hands back with a resume and the `handback` intent, after
which Dasi continues where it was (an open form asks again). Talking to the console is I/O,
so the shell asks it (bot/console/client.py) and passes the answer in.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from bot.guidance.answers import Button
from bot.guidance.dialogue.turn import Past, Reply, Turn, text
from bot.knowledge.loader import CREDIT_HOTLINE, NATIONAL_HOTLINE, knowledge


class Queued(Enum):
    """What the agent console said when asked to queue a conversation."""

    yes = "yes"
    no_agent = "no_agent"  # the console works, but no agent has it open
    failed = "failed"  # no console, or it could not be reached


# Channels that show messages pushed later (an agent's reply): the web widget and the
# messengers. REST and KakaoTalk (a skill answers only the message it was sent) cannot.
LIVE_CHANNELS = {"socketio", "telegram", "facebook"}
LIVE_CHAT_PAYLOAD = "/live_chat"


def live_chat_possible(turn: Turn, console_configured: bool) -> bool:
    return turn.channel in LIVE_CHANNELS and console_configured


def call_a_person() -> str:
    """Whom to call for a person: the national hotline, and the credit hotline for debts."""
    base = knowledge()
    return (
        f"{base.hotline_label(NATIONAL_HOTLINE)}로 전화하시면 상담사가 도와드려요 (평일 업무시간). "
        f"빚이나 신용 문제라면 {base.hotline_label(CREDIT_HOTLINE)}도 있어요."
    )


def offer_human(turn: Turn, console_configured: bool, agents_online: int) -> Reply:
    """The hotline always; a live-chat button only where one can be answered now."""
    said = f"사람과 직접 이야기 나누고 싶으시군요. {call_a_person()}"
    if not live_chat_possible(turn, console_configured):
        return text(said)
    if agents_online == 0:  # no chat is offered that nobody can take (nights, weekends)
        return text(f"{said}\n지금은 채팅으로 연결할 수 있는 상담사가 없어요.")
    return text(
        said + "\n이 창에서 상담사와 바로 채팅하실 수도 있어요.", [Button("상담사와 채팅하기", LIVE_CHAT_PAYLOAD)]
    )


def start_handoff(turn: Turn, console_configured: bool, queued: Queued) -> Reply:
    """Queued in the console: Dasi pauses until an agent hands back. Otherwise the hotline."""
    if not live_chat_possible(turn, console_configured):
        return text(f"이 창에서는 채팅 상담을 연결할 수 없어요. {call_a_person()}")
    if queued is not Queued.yes:
        reason = "채팅 상담사가 모두 자리를 비웠어요" if queued is Queued.no_agent else "채팅 상담을 연결하지 못했어요"
        return text(f"죄송해요, 지금은 {reason}. {call_a_person()} 그동안 제가 계속 도와드릴게요.")
    return Reply(
        text(
            "상담사에게 연결을 요청했어요. 상담사가 들어오면 이 창에서 바로 답을 드려요.\n"
            "기다리시는 동안 남기실 말씀을 적어 주시면 상담사가 함께 봐요. "
            f"급하시면 {knowledge().hotline_label(NATIONAL_HOTLINE)}로 전화해 주세요."
        ).messages,
        pause=True,
    )


def handback(turn: Turn) -> Reply:
    """The agent handed the conversation back (the console resumed it first)."""
    if not agent_spoke_since_pause(turn.history):
        # the console gave the request back because no agent took it in time
        return text(
            "기다리게 해 드려 죄송해요. 지금은 채팅으로 연결할 수 있는 상담사가 없어요. "
            f"{knowledge().hotline_label(NATIONAL_HOTLINE)}로 전화하시면 상담사와 이야기하실 수 있어요 (평일 업무시간). "
            "그동안 제가 이어서 도와드릴게요."
        )
    if turn.in_finder:
        return text("상담사와의 대화를 마쳤어요. 하던 이야기를 이어서 도와드릴게요.")
    return text("상담사와의 대화를 마쳤어요. 더 궁금한 게 있으시면 언제든 편하게 물어봐 주세요.")


def agent_spoke_since_pause(history: Iterable[Past]) -> bool:
    """True when an agent's message follows the conversation's last pause."""
    for past in reversed(list(history)):
        if past.kind == "pause":
            return False
        if past.kind == "bot" and past.by_agent:
            return True
    return False
