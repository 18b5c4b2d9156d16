"""Matching benchmark: 5,000 stored notices against one founder's profile (target ≤ 50 ms).

The notices are generated in the shapes the two APIs send (regions, 업력, exclusions, 상시);
the index is built once, as after a refresh, and each profile's match is timed. Prints numbers;
`python -m tests.benchmarks.notice_benchmark`.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from bot.guidance.profile import FounderProfile
from bot.knowledge.loader import knowledge
from bot.notices.match import NoticeIndex
from bot.notices.models import Notice, Window

TODAY = datetime.date(2026, 12, 3)
REGIONS = ["전국", "부산", "서울", "대구", "경기", "전남", "", "부산, 경남", "강원"]
TITLES = [
    "재도전 지원사업",
    "재창업 사업화",
    "소상공인 재기 지원",
    "수출바우처",
    "R&D 과제",
    "희망리턴패키지 재기교육",
    "창업 아카데미",
]
AGES = ["", "예비창업자", "예비창업자,1년미만", "3년이상,7년미만", "7년미만"]
EXCLUDED = ["", "금융기관 채무불이행자", "국세·지방세 체납자", "4대보험료 체납 사업자"]


def generated(count: int, seed: int = 7) -> list[Notice]:
    rng = random.Random(seed)
    notices = []
    for index in range(count):
        closes = TODAY + datetime.timedelta(days=rng.randint(-30, 90))
        always = rng.random() < 0.1
        notices.append(
            Notice(
                source=rng.choice(["bizinfo", "kstartup"]),
                source_id=str(index),
                title=f"2026년 {rng.choice(REGIONS) or '중기부'} {rng.choice(TITLES)} {index}차 공고",
                regions=[rng.choice(REGIONS)],
                target="재도전 희망 소상공인 및 예비 재창업자",
                excluded=rng.choice(EXCLUDED),
                business_age=rng.choice(AGES),
                summary="폐업 후 재창업을 준비하는 분께 교육과 사업화 자금을 지원합니다. " * 3,
                url=f"https://www.k-startup.go.kr/notice/{index}",
                window=Window.always if always else Window.dated,
                opens=None if always else closes - datetime.timedelta(days=30),
                closes=None if always else closes,
                fetched_at=datetime.datetime(2026, 12, 3, 9, 0),
            )
        )
    return notices


def main() -> None:
    notices = generated(5000)
    started = time.perf_counter()
    index = NoticeIndex(notices, knowledge())
    built = (time.perf_counter() - started) * 1000
    profiles = [
        FounderProfile(region="busan", closed=True),
        FounderProfile(region="seoul", restarted=True, years_since_restart=4.0),
        FounderProfile(closed=True),
    ]
    timings, counts = [], []
    for _ in range(20):
        for profile in profiles:
            started = time.perf_counter()
            counts.append(len(index.match(profile, TODAY)))
            timings.append((time.perf_counter() - started) * 1000)
    print(f"Notice matching: {len(notices)} stored notices, {len(timings)} matches of 3 profiles")
    print(f"  index built once in {built:.0f} ms (after each refresh)")
    print(
        f"  one profile's match: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms (target ≤ 50 ms)"
    )
    print(f"  notices matched per profile: {min(counts)}–{max(counts)}")


if __name__ == "__main__":
    main()
