"""The crisis safety net: phrases that must always reach the suicide prevention line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import load_knowledge
from bot.language.crisis import shows_crisis

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    [
        "죽고 싶어요",
        "죽고싶다",
        "가게 망하고 나서 죽고 싶다는 생각만 들어요 ㅠㅠ",
        "빚 때문에 차라리 죽는 게 나을 것 같아요",
        "자살 생각까지 했어요",
        "극단적 선택 할까 봐 무서워요",
        "더 이상 살 자신이 없어요",
        "살고 싶지 않아",
        "유서를 써 놨어요",
        "수면제 모아 두었어요",
        "사라지고 싶어요",
        "옥상에 올라가 봤어요",
        "지금 한강 다리 위에 서 있어요",
        "가족들한테 마지막 인사는 했어요",
        "살아봤자 빚만 늘 텐데요",
        "그냥 자다가 영원히 잠들었으면 좋겠어요",
        "내일 아침이 안 왔으면 좋겠어요",
        "나만 없으면 다들 편할 텐데",
        "저만 없어지면 다 해결될 것 같아요",
        "빚 못 갚으면 목숨으로라도 갚아야죠",
        "제가 죽어야 끝나는 거겠죠",
        "I want to die",
        "thinking about killing myself",
        # indirect warning signs, in words not in the training data
        "이제 더 살아갈 이유가 없네요",
        "사는 데 의미가 하나도 없어요",
        "살아 있는 게 고통이에요 매일",
        "차라리 다 끝내고 싶다",
        "요즘 죽을 생각만 들어요",
        "제가 사라지면 빚 독촉도 끝나겠죠",
        "저 같은 건 사라져야 해요",
        "애들 잘 부탁한다고 동생한테 말해놨어요",
        "약을 한꺼번에 털어 넣을까 생각했어요",
        "다리 난간까지 갔다가 돌아왔어요",
        "오늘 밤이 마지막일 것 같아요",
        "everyone would be better off without me",
        "애들한테 미안하지만 더는 못 버티겠어요",
        "그냥 자다가 다시는 안 깼으면 좋겠어요",
        "또 망하면 저세상 갈 거예요",
        "고속도로에서 핸들을 꺾어버릴까 싶어요",
        "여보 미안해 이제 못 버티겠어",
        # other words for it: extreme thoughts, disappearing, dialect, a note, a rope, gas, a bridge
        "극단적인 생각이 자꾸 들어요",
        "그냥 사라져 버리고 싶어요",
        "마 다 때려치고 죽어삐고 싶다",
        "이제 그만 쉬고 싶어요 영원히",
        "약 한 통 다 먹으면 안 깨어날 수 있나요",
        "찾지 말라고 편지 써 놨어요",
        "철물점에서 밧줄 샀어요",
        "가스 밸브 열어 놓고 잘까 해요",
        "마포대교 위에 와 있어요",
        "I keep thinking about ending my life",
    ],
)
def test_a_sign_of_suicidal_thoughts_is_recognised(text: str) -> None:
    assert shows_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "힘들어 죽겠어요",
        "죽을 맛이에요 요즘",
        "죽을 만큼 노력했는데 망했어요",
        "사업 다 포기하고 싶어요",
        "가게 정리 빨리 끝내고 싶어요",
        "유서 깊은 시장에서 장사했어요",
        "옥상 방수 공사 업체를 했었어요",
        "한강 근처 카페를 접었어요",
        "세금 체납 분납 가능한가요?",
        "목숨 걸고 키운 가게였어요",
        "저만 없으면 가게가 안 돌아가요",
        "먼저 갈게요 수고하세요",
        "내일 아침에 다시 올게요",
        # business words next to the new phrases
        "폐업 절차 다 끝내고 싶어요",
        "사업을 끝낼 생각이에요",
        "보험 수익자 변경은 어디서 해요?",
        "오늘이 마지막 영업일이에요",
        "살 집을 구해야 하는데 보증금이 없어요",
        "이 가게를 계속할 이유가 없는 것 같아요",
        "가게는 더는 못 버티겠어요 폐업하려고요",
        "답장 늦어서 미안해요 이제 봤어요",
        "알람 못 듣고 늦게 깼어요",
        "핸들 커버 납품하는 회사였어요",
        "광안대교 야경 보러 왔어요",
        "캠핑장 하려고 밧줄 사러 가요",
        "가스 밸브 잠갔는지 모르겠네",
        "폐업하고 좀 쉬고 싶어요",
        "매출이 다 사라져 버렸어요",
        "극단적인 다이어트 말고 방법 없나요",
        "",
    ],
)
def test_everyday_hardship_is_not_taken_for_a_crisis(text: str) -> None:
    assert not shows_crisis(text)


@pytest.mark.parametrize("response", ["utter_crisis", "utter_crisis_listen", "utter_crisis_later"])
def test_the_crisis_replies_show_only_verified_hotlines(response: str) -> None:
    responses = yaml.safe_load((ROOT / "domain" / "responses.yml").read_text())["responses"]
    reply = " ".join(variant["text"] for variant in responses[response])
    knowledge = load_knowledge(ROOT / "data" / "knowledge")
    assert "☎ 109" in reply
    for number in re.findall(r"☎\s*([0-9-]+)", reply):
        assert knowledge.hotlines[number].verified, number


def _classified(text: str, ranking: list[tuple[str, float]]) -> dict:
    from rasa.shared.nlu.training_data.message import Message

    from bot.language.crisis_detector import CrisisDetector

    message = Message(data={"text": text})
    message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set("intent_ranking", [{"name": name, "confidence": c} for name, c in ranking])
    CrisisDetector(CrisisDetector.get_default_config()).process([message])
    return message.get("intent")


def test_the_phrase_list_overrides_the_model() -> None:
    assert _classified("솔직히 죽고 싶어요", [("ask_stigma_support", 0.9)])["name"] == "express_crisis"


def test_an_unsure_crisis_guess_without_any_phrase_goes_to_the_next_intent() -> None:
    guess = [("express_crisis", 0.72), ("ask_why", 0.2), ("inform", 0.08)]
    assert _classified("제가 어디 산다고 했죠?", guess)["name"] == "ask_why"
    sure = [("express_crisis", 0.95), ("ask_stigma_support", 0.05)]
    assert _classified("다 놓아버리고 싶어요", sure)["name"] == "express_crisis"


# Ending a business is not ending a life: the model's sure "crisis" guess gives way when every
# "end it" in the message has a business object. Real signs stay caught (the lists above).
BUSINESS_ENDINGS = [
    "가게 폐업 절차 다 끝내고 싶어요",
    "폐업 신고 처리 끝내고 싶어요",
    "사업 정리하고 싶어요",
    "장사 그만두고 싶어요",
    "빚 정리 다 끝내고 싶어요",
    "가게 문 닫고 싶어요",
    "매장 정리를 깔끔하게 마무리하고 싶어요",
    "대출 빨리 다 정리하고 싶어요",
    "회사 계약 다 끝내고 싶습니다",
]
STILL_AMBIGUOUS = [
    "다 끝내고 싶어요",
    "가게 정리하고 다 끝내고 싶어요",
    "이제 그만하고 싶어요",
    "이 일 다 끝내고 싶어요",
    "가게 접고 죽고 싶어요",
    "모든 걸 끝내고 싶어요",
]


@pytest.mark.parametrize("text", BUSINESS_ENDINGS)
def test_ending_a_business_is_not_a_crisis_even_when_the_model_thinks_so(text: str) -> None:
    sure = [("express_crisis", 0.99), ("ask_restart_programs", 0.01)]
    assert _classified(text, sure)["name"] == "ask_restart_programs"


@pytest.mark.parametrize("text", STILL_AMBIGUOUS)
def test_an_ending_without_a_business_object_stays_a_crisis(text: str) -> None:
    sure = [("express_crisis", 0.99), ("ask_restart_programs", 0.01)]
    assert _classified(text, sure)["name"] == "express_crisis"


def test_no_crisis_training_example_reads_as_ending_a_business() -> None:
    from bot.language.crisis import ends_only_a_business

    examples = []
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") == "express_crisis":
                examples += [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
    assert len(examples) > 100
    assert [text for text in examples if ends_only_a_business(text)] == []
