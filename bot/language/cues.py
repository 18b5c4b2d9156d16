"""What a Korean message does, as opposed to what it states: asks, worries, corrects, answers.

Every cue word the conversation rules and the NLU components look for lives here, so "where
does Dasi decide that this is a question?" has one answer. The facts a founder states (a
region, a debt, a closure date) are read elsewhere, from data/knowledge/lexicon.yml through the
gazetteer and bot/guidance/situation.py; their grammar (negations, date shapes) stays with
those parsers.

Three tests of "is this a question?" exist on purpose, for three different jobs:
- `is_question`: the conversation's test. A question mark, a question word or a question
  ending. "작년 봄이라니까요" insists rather than asks, so a bare 니까요 does not count.
- `asks_about` / `asks_what_if`: a clause-level test for the situation reader. A clause that
  asks how or what ("폐업 신고는 어떻게 해요?") or asks what would happen ("파산하면요?")
  states no fact about the founder, so the reader must not store one from it.
- `QUESTION_MOOD`: a deliberately wide feature for the intent model (with WORRY, REQUEST and
  CONSEQUENCE): "가능", "방법" lean towards wanting an answer even without a question ending.
  It changes what the model learned, so it is not narrowed to `is_question`.
"""

from __future__ import annotations

import re

# --- is this a question? -------------------------------------------------------------------

QUESTION = re.compile(
    r"[?？]|어떻게|어떡|어케|뭐예요|뭐에요|뭔가요|뭐죠|뭔지|무엇|무슨|어디서|어디에|어디로|언제|왜|얼마|"
    r"(?:나요|(?<!니)까요|가요|는지|냐|니)\s*[.!~]*\s*$"
)

# A clause that asks how, what, where or why names its topic, not a fact about the founder.
WH_WORD = re.compile(
    r"어떻게|어떡|어찌|어케|뭐예요|뭐에요|뭔가요|뭐죠|뭔지|무엇|무슨\s?뜻|어디서|어디에|어디로|언제까지|왜|얼마나"
)
QUESTION_END = re.compile(r"(?:[?？]|요|까|죠|나|니|냐)\s*[.!~]*\s*$")
# A question about what would happen ("면책 받으면요?") states no fact either.
CONDITIONAL = re.compile(r"(?:하|되|돼|으|이|리|지|시|나|오|보|내|주)면(?=요|\s|[?？.!~,]|$)")
ASKING_END = re.compile(r"(?:[?？]|나요|까요|가요|래요|죠|나|니|냐|면요)\s*[.!~]*\s*$")

# "왜요?", "이유가 뭐예요?": asks for the reason of an answer.
WHY = re.compile(r"왜|어째서|이유|까닭|근거|why", re.IGNORECASE)


def is_question(text: str) -> bool:
    """True when the message asks something rather than answers."""
    return bool(QUESTION.search(text))


def asks_about(clause: str) -> bool:
    """True for a how / what / where / why question (its topic is not a fact about the founder)."""
    return bool(WH_WORD.search(clause)) and bool(QUESTION_END.search(clause))


def asks_what_if(clause: str) -> bool:
    """True for a question about a condition ("파산하면 다시 창업 못 하나요?")."""
    return bool(CONDITIONAL.search(clause)) and bool(ASKING_END.search(clause))


def asks_why(text: str) -> bool:
    return bool(WHY.search(text))


# --- features for the intent model ------------------------------------------------------------

# A barrier stated as a fact ("국세 체납 있어요") is an answer (inform); asked about or worried
# over ("체납 있으면 안 되나요", "체납 때문에 걱정이에요") it wants an answer about the barrier.
QUESTION_MOOD = re.compile(
    r"[?？]|어떻게|어떡|어케|어쩌|왜|뭐|무엇|언제|얼마|어디|누가|누구|몇|방법|가능|되나|될까|할까|있나|없나"
    r"|나요|까요|ㄹ까|인가|는지|냐|니\b|죠\b|\b(how|what|why|when|where|can|is|are|do|does)\b",
    re.IGNORECASE,
)
WORRY = re.compile(r"걱정|불안|무서|겁나|막막|미치|스트레스|답답|힘들|괴로|worr|scared|afraid")
# A request without a question word ("체납처분 유예 조건 알려주세요") and a consequence that needs
# an answer ("건보료 밀려서 통장이 묶였어요") also make a barrier message more than a fact, by
# the labelling rule in data/nlu/inform.yml.
REQUEST = re.compile(
    r"알려|궁금|주세요|줘요|해줘|줘\b|줄래|정리해|여부|조건|차이|뜻|방법|절차|기준|요건|문의|어떻"
    r"|면요\b|나여|까여|가여|고민|모르겠|해야|하는지|되는지|인지\b"
)
CONSEQUENCE = re.compile(
    r"안 ?돼|안 ?된|안 ?나와|거절|부결|반려|떨어|탈락|압류|묶였|묶여|막혀|막혔|못 ?하|제한|독촉|추심|날아"
    r"|고지서|통지|연락 ?왔|멈췄|불리|억울|안 ?올라|안 ?해줘"
)
# A place asked for by name ("나주 빛가람 혁신센터"), unless it asks about a program there.
CENTER_WORD = re.compile(r"센터|중소벤처기업청|중기청|지방청|사무소|캠퍼스|창업\s?지원단")
ABOUT_SOMETHING_ELSE = re.compile(r"신청|자격|대상|조건|체납|연체|파산|회생|패키지|자금|보증|대출")

# --- answers to the finder's questions -------------------------------------------------------

# Short answers that mean "no problem there": "신용은 괜찮아요", "안 밀렸어요", "그런 거 없어요".
NOTHING_THERE = re.compile(
    r"없|안\s?밀|안\s?받|안\s?했|괜찮|문제\s?없|깨끗|정상|멀쩡|아뇨|아니|노노|\bno\b|nope|none", re.I
)
SOMETHING_THERE = re.compile(r"있어|있음|있습니다|있긴|밀렸|밀려|밀림|체납|연체|못\s?냈|못\s?내")
# "세금이랑 보험 다 없어요" answers both arrears questions (not "둘 다": that is 국세·지방세).
BOTH_ARREARS = re.compile(r"세금.{0,6}(4대\s?|사대\s?)?보험|(4대\s?|사대\s?)?보험.{0,6}세금")
NEVER_HEARD = re.compile(r"처음\s?(?:들어|듣|봐|보)|들어\s?본\s?적(?:이|도)?\s?없|뭔지\s?(?:몰|모르)")
EVALUATION_FAILED = re.compile(r"떨어|탈락|불합격|안\s?받|못\s?받|안\s?했|못\s?했|미통과|통과\s?못|통과\s?안")
EVALUATION_PASSED = re.compile(r"통과|붙었|합격|받았")
# "부산이 아니라 대구예요" corrects an earlier answer: its 아니 is no answer to the question asked.
CORRECTION = re.compile(r"아니라|아니고|말고")
# A negation word right before a verb ("안 밀렸어요"): removed before looking for "밀렸".
NEGATED_WORD = re.compile(r"안\s?\S+")

# --- what the founder wants next -------------------------------------------------------------

# "처음부터 다시 할게요" (a bare "다시 시작" is wanting to restart a business).
START_OVER = re.compile(r"처음부터|처음으로|리셋|초기화")
# "그중에 제일 먼저 할 건 뭐예요?" after the recommendations.
FIRST_STEP = re.compile(r"먼저|우선|제일|가장|첫\s?번째|뭐부터|어디서부터|무엇부터")
# Looking for a job in words the gazetteer's goal names may lack ("구직 중이에요").
JOB_SEEKING = re.compile(r"취업|취직|구직|일자리|재취업|직장\s?(?:구|찾|알아)")
# Programs that help a founder who is looking for a job (전직장려수당, 취업한 분의 체납 특례).
JOB_WORDS = re.compile(r"전직|취업")
# A feeling told ("자존감 바닥이에요") seeks help only with words like these.
SEEKS_HELP = re.compile(
    r"상담|프로그램|도움|도와|지원|어디|알려|방법|치료|병원|센터|캠프|받을|받고|있나|있을까|추천|소개|연결|하고\s?싶|뭐"
)

# What a follow-up asks about, in the order they are tried ("언제까지 어디서 신청해요?" is a deadline).
PROGRAM_ASPECTS: dict[str, re.Pattern[str]] = {
    "deadline": re.compile(r"마감|기한|언제까지|까지\s?신청|접수\s?기간|신청\s?기간|모집\s?기간"),
    "documents": re.compile(r"서류|준비물|구비|제출\s?(?:할|해야|하는)|뭐가\s?필요|무엇이\s?필요|뭘\s?준비|뭐\s?준비"),
    "apply": re.compile(r"어디서|어디에서|어디로|어디에|어떻게\s?신청|신청\s?방법|신청은|신청하|신청해|접수"),
    "target": re.compile(r"대상|자격|조건|누가|누구"),
    "benefit": re.compile(r"얼마|금액|한도|뭘\s?받|무엇을\s?받|지원\s?내용|혜택"),
}

# "지금 신청할 수 있는 거 있어요?", "모집 중인 공고 있나요?": the calls open now.
OPEN_CALLS = re.compile(
    r"지금\s?신청|신청\s?(?:가능|할\s?수)|모집\s?중|접수\s?중|열려\s?있|열린\s?(?:공고|사업|지원)|공고|마감\s?(?:임박|앞둔|가까)"
)

# "알림 취소", "마감 알림 꺼 주세요": no more deadline reminders.
REMINDERS_OFF = re.compile(r"알림\s?(?:을\s?|은\s?|도\s?)?(?:취소|끄|꺼|끊|그만|해제|중지|안\s?받|필요\s?없)")

# --- pointing back at what was just said ------------------------------------------------------

# "그거 어디서 신청해요?": about the program or place of the previous answer.
POINTER = re.compile(r"그거|그것|그건|그게|거기|그곳|그\s?지원|그\s?제도|그\s?사업|그\s?자금|이거|이건")
THAT_PLACE = re.compile(r"거기|그곳|그쪽|그\s?기관|그\s?센터|그\s?위원회|그\s?공단")
# "부산은요?": a short question about another place.
ANOTHER_PLACE_QUESTION = re.compile(r"(?:은|는)\s?요\s*[?？]*\s*$|[?？]\s*$")
PHONE_QUESTION = re.compile(r"전화|번호|연락처|연락|콜센터|phone|call", re.IGNORECASE)
ADDRESS_QUESTION = re.compile(r"주소|어디에\s?있|어디\s?있|위치|찾아가|가는\s?길|방문")
ONE_PLACE = re.compile(r"한\s?(?:군데|곳|개)|하나만|제일\s?가까|가장\s?가까|젤\s?가까|딱\s?한")
NATIONWIDE = re.compile(r"전국|전체\s?(?:지역|센터|목록)|모든\s?(?:지역|센터)|지역\s?별")

# --- messages with few or no words ------------------------------------------------------------

WORDS = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣA-Za-z]")
# Sadness or weariness Dasi cannot place ("그냥 답답해서요", "😭😭😭") gets warmth, not a menu.
DISTRESS = re.compile(r"답답|힘들|힘드|괴로|속상|막막|우울|슬퍼|슬프|ㅠ|ㅜ|😭|😢|😥|😞|😔|💔")
THANKFUL = re.compile(r"🙏|👍|👌|❤|♥|💕|💖|😊|🙂|😀|😄|🥰|🤗|👏")
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
ONLY_DIGITS = re.compile(r"[\d\s.,\-]+")
