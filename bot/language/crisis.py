"""Signs that a founder may be thinking of ending their life.

Losing a business is one of the heaviest blows a person can take, and a restart assistant
will meet founders in that state. When a message shows such a sign, Dasi answers with the
suicide prevention line before anything else, whatever the intent model says: the model is
a statistical guess, this is a list of phrases that must never be missed.

The phrases are matched with spaces removed ("죽고 싶어요", "죽고싶어요"). Everyday
exaggerations ("힘들어 죽겠어요", "죽을 맛이에요", "죽을 만큼 노력했는데") are not on the
list: they are how Koreans say "very hard", and answering them with a crisis line would
feel like not being listened to.
"""

from __future__ import annotations

import re

_KOREAN = (
    r"죽고싶|죽고만싶|죽어버리고싶|죽어버릴까|죽어버릴거|죽는게(나을|낫)|그냥죽을까|차라리죽"
    r"|자살(?!골)|극단적(인)?선택|목숨을?끊|스스로목숨|생을마감|삶을(끝내|포기)|인생을?끝내|다끝내버리고싶"
    r"|살고싶지(가)?않|살기싫|살아서뭐하|살아야할이유|살이유가없|살의미가없|더(는|이상)살(자신|이유|힘|수가없|고싶지)"
    r"|사라지고싶|없어지고싶|세상을?떠나고싶|뛰어내리고싶|뛰어내릴까|투신|유서를?(쓰|썼|써)|번개탄|수면제를?(조금씩|몰래|하나씩)?(모으|모아|모았)"
    r"|목을?매(고|달|려|볼)"
    # where and how people in Korea are found in time: roofs, bridges, the Han river, goodbyes
    r"|옥상에?(올라|서있|와있|왔)|다리위에?(서있|와있|왔|올라)|한강(에|다리)?(뛰어|들어가|가려|갈까|왔어|와있)"
    r"|(가족|아내|남편|애들|아이들|부모님|엄마|아빠|친구)[^.?!]{0,6}마지막인사|보험금이라도"
    # the warning signs suicide-prevention training teaches people to hear: wishing not to wake
    # up, being a burden, death as the only way out of a debt
    r"|살아봤자|영원히잠들|눈을?안떴으면|안깨어났으면|깨어나지않았으면|(다시는|영영)?안깼으면|내일(아침)?이?안왔으면"
    r"|저세상(에|으로)?(가|갈|가려|가고)|핸들을?(확|그냥)?꺾어버릴"
    r"|(나|저)만없어지면|(나|저)만없으면(다|모두|가족|애들|식구)|먼저가서미안|목숨으로(라도)?갚|죽어야(끝|해결)|죽는(수|것|길)밖에"
    # no reason to live, life itself as the pain
    r"|살(아갈|아야할|아있을)?(이유|가치|의미)(가|도)?(하나도|전혀|더는|이제|더)?없|사는(게|것이|데)?(의미|이유)(가|도)?(하나도|전혀)?없"
    r"|더있을이유가없|살면서버텨야할이유|살아있는(게|것)(자체가)?(고통|지옥)|사는게(지옥|고통)이라|그만살고싶|그만살까"
    # ending it, said without the word "death"; contiguous, so "폐업 절차 다 끝내고 싶어요" stays out
    r"|(그냥|차라리|이제|모든걸|모든것을|전부)다?끝내고싶|끝내고싶어요?모든걸|생을?끝내|(오늘|오늘밤)끝낼생각|끝낼생각으로(집|나왔)"
    r"|죽을생각|죽는방법|죽을방법|죽으면(이|다|모든|편|고통|끝)|편하게갈수|편하게가고싶|조용히(갔으면|가고싶|사라지)"
    r"|아무도모르게(떠나|사라지|없어지)|(나|저)같은(건|게|사람은|놈은)(없어져야|사라져야|죽어야)|(나|저)하나(없어져|사라져|죽어)도"
    r"|(내|제)가(없어지면|사라지면|죽으면)|(나|저)없는게(더|다|가족|모두|애들|식구)|없는게(다들|모두|가족들?|애들|식구들?)(한테|에게)?더?(편|나을|낫)|아끼던(물건|것)"
    # farewell acts and means
    r"|신변정리|미안하다고(편지|유서)|(애들|아이들|가족)(을|들을|들)?잘부탁한다고|보험수익자를?(애들|아이들|가족|아내|남편)"
    r"|약을?(한꺼번에|한번에|왕창|잔뜩)(먹|삼|털어)|난간(앞|위|에|을|까지)|사고라도(나서|났으면|나면)|차에치였으면"
    r"|(오늘|오늘밤|밤)이마지막일것같|마지막으로누구한테라도"
    # an apology to the family next to "I cannot go on" ("애들한테 미안하지만 더는 못 버티겠어요")
    r"|미안(하지만|한데|해요?|합니다)[^.?!]{0,8}(더는|더이상|이제)(못버티|못살|버틸수가없|버틸힘이없)"
    # said in other words: "extreme thoughts", disappearing, dialect, resting forever, a note saying
    # "don't look for me", a rope bought, gas left on, standing on a bridge
    r"|극단적(인)?(생각|마음)|사라져(버리고|버렸으면|버릴까)|없어져(버리고싶|버렸으면|버릴까)|죽어삐|죽고잡|죽어뿔"
    r"|영원히(쉬고|쉬었으면|잠들고)|쉬고싶어?요?영원히|안깨어날수|영영안깨|찾지말라고(편지|쪽지|문자|메모|적어)"
    r"|밧줄을?(샀|구했|준비했|사왔)|가스(밸브)?를?(열어|틀어)놓고(잘까|자려|잠들)|대교위에?(서있|와있|왔|올라)|다시는안내려올"
)
_ENGLISH = (
    r"kill(ing)?\s*myself|suicid|want(ed)?\s*to\s*die|end(ing)?\s*(my|it)\s*(life|all)|take\s*my\s*(own\s*)?life"
    r"|don'?t\s*want\s*to\s*live"
    r"|don'?t\s*want\s*to\s*be\s*alive|better\s*off\s*without\s*me|no\s*reason\s*to\s*live"
)
_PATTERN = re.compile(f"{_KOREAN}|{_ENGLISH}", re.IGNORECASE)


# Ending a business is not ending a life: "가게 폐업 절차 다 끝내고 싶어요", "사업 정리하고 싶어요",
# "장사 그만두고 싶어요". The ending verb has a business object right before it.
_BUSINESS = (
    r"(?:가게|매장|점포|사업|장사|폐업|절차|회사|법인|계약|대출|빚|채무|영업|업소|식당|카페|가맹|프랜차이즈"
    r"|세금|체납|서류|신고|정리|처리|거래|임대|상가|재고|사업자|문)"
)
_ENDING = r"(?:끝내|끝마치|마무리|정리|그만두|그만하|접|닫|마치|처리)"
_BUSINESS_ENDING = re.compile(
    rf"(?:{_BUSINESS}(?:을|를|은|는|도|이|가|의)?)+(?:다|모두|전부|깔끔하게|잘|빨리|얼른|제대로|완전히|싹)*{_ENDING}+"
)
# An ending said with no object left once the business ones are taken out ("…하고 다 끝내고 싶어요")
_BARE_ENDING = re.compile(rf"{_ENDING}(?:고싶|버리고|버릴|버렸으면|자|려고|을까|ㄹ까)")


def ends_only_a_business(text: str) -> bool:
    """True when every "end it" in `text` has a business object, and no crisis phrase is there.

    The intent model learned indirect crisis phrasings such as "다 끝내고 싶어요"; a founder who
    wants the closure paperwork over with must not be answered with the crisis line.
    """
    squeezed = re.sub(r"\s+", "", text)
    if shows_crisis(text) or not _BUSINESS_ENDING.search(squeezed):
        return False
    rest = _BUSINESS_ENDING.sub("", squeezed)
    return not _BARE_ENDING.search(rest)


def shows_crisis(text: str) -> bool:
    """True when `text` says, in any of the listed ways, that the writer may want to die."""
    # every pattern allows missing spaces, so one search of the spaceless text finds them all
    return bool(_PATTERN.search(re.sub(r"\s+", "", text)))
