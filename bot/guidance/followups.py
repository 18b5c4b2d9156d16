"""Short follow-up questions about what was just discussed, and messages naming several barriers.

"신청 마감은요?" or "그거 어디서 신청해요?" right after a program card is about that program;
"연대보증도 있고 세금도 밀렸는데요" names two barriers and gets both answered briefly.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from bot.guidance.answers import NATIONAL_HOTLINE, Answer, Button, hotline_text, source_line
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.models import Barrier, Program
from bot.language.cues import POINTER, PROGRAM_ASPECTS
from bot.language.korean import with_topic

# A date written out in a program's own text (how_to_apply).
DATE_IN_TEXT = re.compile(r"\d{4}년\s?\d{1,2}월\s?\d{1,2}일|\d{4}-\d{2}-\d{2}")


def followup_aspect(text: str) -> str | None:
    """Which part of the last program a short follow-up asks about, if any."""
    return next((aspect for aspect, pattern in PROGRAM_ASPECTS.items() if pattern.search(text)), None)


def points_back(text: str) -> bool:
    return bool(POINTER.search(text))


def _contact(program: Program, base: KnowledgeBase) -> str:
    contact = [hotline_text(base, program.hotline)]
    if program.website:
        contact.append(program.website)
    return "· 문의: " + " / ".join(contact)


def program_followup(program: Program, aspect: str | None, base: KnowledgeBase) -> Answer:
    """The part of one program a follow-up asks about: deadline, how to apply, who, or what."""
    name = program.name
    if aspect == "deadline":
        date = DATE_IN_TEXT.search(program.how_to_apply)
        if date:
            lines = [f"{with_topic(name)} {date.group()}까지 신청하셔야 해요."]
        else:
            lines = [
                f"{name}의 신청 마감일은 제가 가진 자료로는 확인되지 않았어요. "
                "공고마다 기간이 달라서, 신청 전에 아래 창구에서 꼭 확인해 주세요."
            ]
        lines.append(f"· 신청: {program.how_to_apply}")
    elif aspect == "documents":
        # No program in the knowledge base lists its documents: say so rather than answer another question.
        lines = [
            f"{name} 신청에 필요한 서류는 제가 가진 자료로는 확인되지 않았어요. "
            "서류 목록은 공고에 나오니, 신청 전에 아래 창구에서 확인해 주세요.",
            f"· 신청: {program.how_to_apply}",
        ]
    elif aspect == "target":
        # say whose program it is, as "재도전성공패키지 대상이에요." would read like "yes, you qualify"
        lines = [f"{name}의 지원 대상은 다음과 같아요.", f"· 대상: {program.target}"]
    elif aspect == "benefit":
        lines = [f"{name}에서 받으실 수 있는 지원이에요."] + [f"· {benefit}" for benefit in program.benefits[:3]]
    else:
        lines = [f"{name} 신청 방법이에요.", f"· 신청: {program.how_to_apply}"]
    lines.append(_contact(program, base))
    lines.append(source_line(program.source, program.as_of))
    return Answer(
        "\n".join(lines),
        buttons=[
            Button(f"{name} 전체 보기", f'/ask_program_info{{"program": "{program.id}"}}'),
            Button("내가 받을 수 있는지 보기", "/check_eligibility"),
        ],
        sources=list(program.source),
    )


def barrier_deadlines(barrier: Barrier) -> Answer:
    """'신청 마감은요?' after a barrier answer: the deadlines of its remedies, when known."""
    dated = [remedy for remedy in barrier.remedies if remedy.deadline]
    if not dated:
        lines = [f"{barrier.name} 해결 방법 중에 마감일이 확인된 것은 없어요. 신청 전에 담당 기관에 확인해 주세요."]
        sources = list(barrier.source)
    else:
        lines = [f"{barrier.name} 해결 방법의 신청 기한이에요."]
        lines += [f"· {remedy.title}: {remedy.deadline.isoformat()}까지" for remedy in dated if remedy.deadline]
        sources = [url for remedy in dated for url in remedy.source]
    lines.append(_footer([(barrier.source, barrier.as_of)] + [(remedy.source, remedy.as_of) for remedy in dated]))
    return Answer("\n".join(lines), sources=sources)


def several_barriers(barriers: Sequence[Barrier], base: KnowledgeBase, intents: dict[str, str]) -> Answer:
    """Two or more barriers in one message: each briefly, with a button for its full answer.

    `intents` maps a barrier id to the payload that asks about it alone.
    """
    lines = [f"말씀하신 {len(barriers)}가지를 하나씩 짧게 정리해 드릴게요."]
    sources: list[str] = []
    numbers: list[str] = []
    dated: list[tuple[Sequence[str], datetime.date | None]] = []
    for rank, barrier in enumerate(barriers, start=1):
        lines.append(f"{rank}. [{barrier.name}] {barrier.summary}")
        if barrier.remedies:
            remedy = barrier.remedies[0]
            lines.append(f"   → {remedy.title}: {remedy.detail}")
            sources += remedy.source
            dated.append((remedy.source, remedy.as_of))
        elif barrier.no_remedy_note:
            lines.append(f"   → {barrier.no_remedy_note}")
        sources += barrier.source
        dated.append((barrier.source, barrier.as_of))
        numbers += barrier.hotlines
    numbers = list(dict.fromkeys(numbers)) or [NATIONAL_HOTLINE]
    lines.append("도움받을 곳: " + " / ".join(hotline_text(base, number) for number in numbers))
    lines.append("자세한 해결 방법은 아래에서 하나씩 골라 보실 수 있어요.")
    sources = list(dict.fromkeys(sources))
    lines.append(_footer(dated))
    buttons = [Button(f"{barrier.name} 자세히", intents[barrier.id]) for barrier in barriers if barrier.id in intents]
    buttons.append(Button("나에게 맞는 지원 찾기", "/check_eligibility"))
    return Answer("\n".join(lines), buttons=buttons, sources=sources)


def _footer(dated: Sequence[tuple[Sequence[str], datetime.date | None]]) -> str:
    """The source of the newest stated date, '외' when there are more sources ('미확인' without a date)."""
    urls = list(dict.fromkeys(url for sources, _ in dated for url in sources))
    known = [(date, sources) for sources, date in dated if date is not None and sources]
    newest_date, newest_sources = max(known, key=lambda pair: pair[0]) if known else (None, urls[:1])
    first = newest_sources[0].split("://", 1)[-1] if newest_sources else "다시 지식베이스"
    more = " 외" if len(urls) > 1 else ""
    as_of = f"기준일 {newest_date.isoformat()}" if newest_date else "기준일 미확인"
    return f"출처: {first}{more} · {as_of}"


def barrier_again(barrier: Barrier, base: KnowledgeBase) -> Answer:
    """The same barrier asked about again: a short reply instead of the whole card twice.

    "그냥 제가 실패한 사람 같아요" after the stigma card is heard, not met with the same card again.
    """
    numbers = list(barrier.hotlines) or [NATIONAL_HOTLINE]
    help_line = " / ".join(hotline_text(base, number) for number in numbers)
    if barrier.id == "stigma":
        lines = [
            "그런 마음이 드시는 게 당연해요. 사업이 잘되지 않았던 것이지, 실패한 사람이 되신 건 아니에요.",
            "마음이 많이 무거우시면 언제든 이야기를 들어 줄 곳이 있어요: " + help_line,
            "준비되시면 다시 시작할 방법도 천천히 함께 찾아봐요.",
        ]
    else:
        lines = [
            f"{barrier.name}에 대해서는 바로 앞에서 말씀드린 방법이 제가 가진 자료의 전부예요.",
            "더 자세한 건 여기서 안내받으실 수 있어요: " + help_line,
        ]
    return Answer(
        "\n".join(lines),
        buttons=[Button("나에게 맞는 지원 찾기", "/check_eligibility"), Button("상담원 연결", "/request_human")],
    )
