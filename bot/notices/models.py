"""What the two public notice APIs send, and the one shape Dasi keeps (a `Notice`).

Field names follow public client code of both APIs; docs/notices.md says which were checked
against the providers' documentation. Both envelopes are parsed leniently where clients are
known to differ (기업마당's `jsonArray` as a list or as `{"item": [...]}`), and strictly where
nonsense would mislead a founder: a record without a title or a link is rejected, with a reason.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel, Extra, Field, validator

BIZINFO_SITE = "https://www.bizinfo.go.kr"
# Channels that show a message pushed later (a deadline reminder); REST and KakaoTalk cannot.
PUSH_CHANNELS = frozenset({"socketio", "telegram"})
REMIND_DAYS_BEFORE = 3
SOURCES = ("bizinfo", "kstartup")
# Each source's API key; without it the source is off (nothing is requested, nothing fails).
KEY_VARIABLES = {"bizinfo": "DASI_BIZINFO_KEY", "kstartup": "DASI_KSTARTUP_KEY"}


def keys_from(environ: Mapping[str, str]) -> dict[str, str | None]:
    """Each source's key from the environment (DASI_BIZINFO_KEY, DASI_KSTARTUP_KEY); None when unset."""
    return {source: (environ.get(variable) or "").strip() or None for source, variable in KEY_VARIABLES.items()}


TAG = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")


def plain_text(value: Any) -> str:
    """HTML in a field ("<p>재도전&nbsp;지원</p>") as plain, single-spaced text."""
    text = html.unescape(TAG.sub(" ", str(value or "")))
    return SPACES.sub(" ", text).strip()


class Window(str, Enum):
    dated = "dated"  # opens and closes on known days
    always = "always"  # 상시 접수
    to_be_announced = "to_be_announced"  # 추후 공지


class Notice(BaseModel):
    """One open call, as Dasi stores it (whichever API it came from)."""

    source: str  # "bizinfo" or "kstartup"
    source_id: str = Field(..., min_length=1)
    title: str = Field(..., min_length=2)
    agency: str = ""
    organiser: str = ""  # who runs it, when not the agency
    regions: list[str] = Field(default_factory=list)  # the words the notice uses ("부산", "전국")
    target: str = ""  # who may apply (plain text)
    excluded: str = ""  # who may not (채무불이행, 체납 …)
    business_age: str = ""  # 업력 as the notice says it ("예비창업자", "7년 미만")
    hashtags: list[str] = Field(default_factory=list)
    summary: str = ""
    url: str = Field(..., min_length=8)
    window: Window = Window.dated
    opens: datetime.date | None = None
    closes: datetime.date | None = None
    posted: datetime.date | None = None
    fetched_at: datetime.datetime

    class Config:
        extra = Extra.forbid

    @validator("url")
    def absolute_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("the link is not an absolute http(s) address")
        return value

    @property
    def key(self) -> str:
        """Identity across sources: the same call listed by both APIs is one notice."""
        return f"{SPACES.sub('', self.title)}|{self.closes or self.window.value}"

    @property
    def short_id(self) -> str:
        """A short, stable id for a button payload (/remind_notice{"notice": "…"})."""
        return hashlib.sha1(self.key.encode()).hexdigest()[:12]

    def days_left(self, today: datetime.date) -> int | None:
        return (self.closes - today).days if self.closes else None

    def is_open(self, today: datetime.date) -> bool:
        if self.window is not Window.dated:
            return self.window is Window.always
        return (self.opens is None or self.opens <= today) and (self.closes is None or today <= self.closes)


# --- 기업마당 지원사업정보 API (bizinfoApi.do) ------------------------------------------------


class BizinfoItem(BaseModel):
    pblancId: str
    pblancNm: str
    jrsdInsttNm: str = ""
    excInsttNm: str = ""
    trgetNm: str = ""
    hashtags: str = ""
    creatPnttm: str = ""
    pblancUrl: str = ""
    bsnsSumryCn: str = ""
    reqstBeginEndDe: str = ""

    class Config:
        extra = Extra.ignore


class BizinfoError(BaseModel):
    reqErr: str


# --- K-Startup 사업공고 (data.go.kr B552735 kisedKstartupService01) -----------------------------


class KStartupItem(BaseModel):
    pbanc_sn: str | int | None = None
    biz_pbanc_nm: str
    pbanc_rcpt_bgng_dt: str = ""
    pbanc_rcpt_end_dt: str = ""
    supt_regin: str = ""
    aply_trgt: str = ""
    aply_trgt_ctnt: str = ""
    aply_excl_trgt_ctnt: str = ""
    biz_enyy: str = ""
    detl_pg_url: str = ""
    pbanc_ntrp_nm: str = ""
    sprv_inst: str = ""
    rcrt_prgs_yn: str = ""

    class Config:
        extra = Extra.ignore


class KStartupPage(BaseModel):
    currentCount: int = 0
    page: int = 1
    perPage: int = 0
    totalCount: int = 0
    data: list[dict[str, Any]] = Field(default_factory=list)

    class Config:
        extra = Extra.ignore
