"""The hotline call script: same engine and knowledge as the chat."""

from __future__ import annotations

import datetime
import re

import pytest

from bot.guidance.script import call_script
from bot.knowledge.loader import knowledge
from bot.language.gazetteer import gazetteer

TODAY = datetime.date(2026, 11, 28)
UNVERIFIED = ("1811-3655", "1544-1120", "1588-6565", "051-316-4050")


@pytest.fixture(scope="module")
def script_for():
    return lambda text: call_script(text, knowledge(), gazetteer(), TODAY)


def test_agent_situation_becomes_a_full_script(script_for) -> None:
    script = script_for("대구, 법인 대표, 2년 전 폐업, 신보 대위변제, 국세 체납 2천만 원")
    text = script.text()
    assert "대구" in script.situation and "법인" in script.situation and "세금 체납 약 2,000만 원" in script.situation
    assert script.questions, "the engine's missing information becomes questions"
    assert all(question.endswith("?") for question in script.questions)
    assert any("국세 체납" in remedy for remedy in script.remedies)
    # the agent can say what the remedy rests on
    assert any("국세 체납" in remedy and "조세특례제한법 제99조의6" in remedy for remedy in script.remedies)
    assert any("연체" in remedy or "신용" in remedy for remedy in script.remedies)
    assert any("대구" in line for line in script.referral)
    assert re.search(r"기준일 \d{4}-\d{2}-\d{2}", text)
    assert not any(number in text for number in UNVERIFIED)


def test_questions_never_repeat_what_the_caller_said(script_for) -> None:
    script = script_for("부산, 개인사업자, 작년에 폐업, 연체 없음, 세금 체납 없음")
    asked = " ".join(script.questions)
    assert "폐업하셨나요" not in asked
    assert "개인사업자셨나요" not in asked


def test_no_region_asks_for_it_and_gives_the_national_hotline(script_for) -> None:
    script = script_for("2년 전에 폐업했어요")
    assert "지역" in script.referral[0] and "1357" in script.referral[0]


def test_empty_situation_still_gives_a_usable_script(script_for) -> None:
    text = script_for("").text()
    assert "첫 마디" in text and "더 여쭤볼 것" in text


def test_a_caller_who_speaks_of_wanting_to_die_gets_a_safety_first_script(script_for) -> None:
    script = script_for("부산에서 식당 하다 폐업, 빚 때문에 죽고 싶다고 하심")
    text = script.text()
    assert text.startswith("■ 안전 먼저")
    assert "☎ 109" in script.safety and "112" in script.safety
    assert "지원" not in script.opening  # the first words are about the caller, not programs
    assert "부산" in script.situation  # and nothing the caller said is lost
    assert script.as_dict()["safety"] == script.safety


def test_an_ordinary_call_has_no_safety_section(script_for) -> None:
    script = script_for("부산, 개인사업자, 작년에 폐업, 힘들어 죽겠어요")
    assert script.safety == ""
    assert "안전 먼저" not in script.text()


def test_an_agents_notes_are_read_as_written(script_for) -> None:
    # QA of ./dasi script: 건보료 체납 read as a tax too, 우울감 and 연대보증 had no remedy line,
    # and the amount of a tax nobody mentioned was asked for
    script = script_for("고객 우울감 호소, 폐업 후 가족과 갈등, 서울, 식당, 건보료 체납 있음, 연대보증 섰음")
    assert "4대보험 체납" in script.situation and "세금 체납" not in script.situation
    assert any(remedy.startswith("실패의 낙인과 마음의 어려움") for remedy in script.remedies)
    assert any(remedy.startswith("연대보증") for remedy in script.remedies)
    assert not any("국세는 대략 얼마" in question for question in script.questions)


def test_a_name_of_two_places_is_asked_not_shown_as_ids(script_for) -> None:
    script = script_for("광주 소상공인 폐업 예정, 지방세 체납 800만")
    assert "|" not in script.text() and "광주광역시 또는 경기도" in script.situation
    assert script.questions[0].startswith("광주광역시 또는 경기도")
    assert "세금 체납 약 800만 원" in script.situation
