"""What Dasi says about its own scope: other languages, job seeking, questions it cannot answer.

Plain functions over the knowledge base (no Rasa import), shared by the chat's actions.
"""

from __future__ import annotations

import datetime

from bot.guidance.answers import Answer, Button, source_line
from bot.knowledge.loader import NATIONAL_HOTLINE, KnowledgeBase
from bot.knowledge.models import Program
from bot.language.cues import FIRST_STEP, JOB_SEEKING, JOB_WORDS, START_OVER, is_question


def wants_to_start_over(text: str) -> bool:
    return bool(START_OVER.search(text))


def asks_first_step(text: str) -> bool:
    return bool(FIRST_STEP.search(text)) and is_question(text)


def wants_job(text: str) -> bool:
    return bool(JOB_SEEKING.search(text))


def other_language_note(base: KnowledgeBase) -> str:
    """For a whole message in another language: English first, then the same in Korean."""
    return (
        "Sorry, Dasi understands only Korean for now. 죄송해요, 다시는 아직 한국어만 이해해요. "
        f"한국어로 말씀해 주시거나 {base.hotline_label(NATIONAL_HOTLINE)}로 전화해 주세요."
    )


def unanswered_question_note(base: KnowledgeBase) -> str:
    """A question in the middle of the finder that Dasi has no verified answer for."""
    return (
        "좋은 질문이에요. 다만 그 부분은 제가 확인된 자료가 없어서 정확히 답해 드리기 어려워요. "
        f"{base.hotline_label(NATIONAL_HOTLINE)}로 물어보시면 안내받으실 수 있어요. "
        "하던 질문은 이어서 여쭤볼게요."
    )


def job_programs(base: KnowledgeBase) -> list[Program]:
    """Programs in the knowledge base that speak to founders who look for a job."""
    return [
        program
        for program in base.programs.values()
        if any(JOB_WORDS.search(text) for text in [program.summary, program.target, *program.benefits])
    ]


def job_seeker_answer(base: KnowledgeBase, finder_follows: bool = False) -> Answer:
    """For a founder looking for a job: what Dasi does, and what it can still find for them.

    No employment-service number is given: none is verified in the knowledge base.
    `finder_follows` says the finder asks its questions right after this answer.
    """
    programs = job_programs(base)
    lines = [
        "일자리를 알아보고 계시는군요. 새 길을 찾는 것도 충분히 용기 있는 결정이에요.",
        "저는 재창업·재도전을 돕는 챗봇이라 일자리를 직접 찾아 드리지는 못해요.",
    ]
    if programs:
        lines.append("다만 폐업하고 취업을 준비하시는 분께 도움이 되는 지원은 안내해 드릴 수 있어요.")
        lines += [f"· {program.name}: {program.summary}" for program in programs]
    if finder_follows:
        lines.append("몇 가지 여쭤보고 받으실 수 있는 지원을 찾아 드릴게요. 다른 게 궁금하시면 언제든 물어봐 주세요.")
    else:
        lines.append("빚·세금 같은 걸림돌이나, 나중에 다시 창업하실 때 받을 지원도 언제든 물어봐 주세요.")
    if programs:
        newest = max(programs, key=lambda program: program.as_of or datetime.date.min)
        lines.append(source_line(newest.source, newest.as_of) + (" 외" if len(programs) > 1 else ""))
    buttons = [
        Button(f"{program.name} 자세히", f'/ask_program_info{{"program": "{program.id}"}}') for program in programs
    ]
    buttons.append(Button("할 수 있는 일 보기", "/ask_help"))
    return Answer("\n".join(lines), buttons=buttons, sources=[program.source[0] for program in programs])


# A line only the full job-seeker note says: a conversation that already read it gets the short one.
JOB_NOTE_MARK = "일자리를 직접 찾아 드리지는 못해요"


def job_seeker_again_note() -> str:
    """A job seeker who says it again: a short line; the whole note a second time would only repeat itself."""
    return "네, 일자리를 알아보고 계신 것 잘 알고 있어요. 그 상황에 맞춰 지원을 찾아 드릴게요."


def finder_help_note() -> str:
    """'뭘 도와주세요?' in the middle of the finder: what Dasi does, then the question again."""
    return (
        "다시는 재창업·재도전 지원 찾기, 빚·세금 같은 걸림돌 해결 방법, 가까운 센터 안내를 도와드려요. "
        "지금은 받으실 수 있는 지원을 찾으려고 몇 가지 여쭤보는 중이에요."
    )
