"""Fetching and parsing the two public notice APIs: 기업마당 지원사업정보 and K-Startup 사업공고.

What each source sends, and what was and was not checked against the providers, is in
docs/notices.md. In short:

- **기업마당** (`BIZINFO_URL`, key `crtfcKey` from DASI_BIZINFO_KEY): `{"jsonArray": [...]}`, or
  `{"jsonArray": {"item": [...]}}`, or one record where a list should be; errors come back as
  `{"reqErr": "..."}`. Paged with `pageIndex` (and `searchCnt` = `pageUnit` = the page size) until
  a page brings fewer records than asked, none that were not seen already, or `max_pages`.
- **K-Startup** (`KSTARTUP_URL`, data.go.kr, key `serviceKey` from DASI_KSTARTUP_KEY): a
  `KStartupPage` envelope, only open calls asked for (`cond[rcrt_prgs_yn::EQ]=Y`). Paged until
  page × perPage reaches `matchCount` (the records matching the condition; `totalCount`, the whole
  history, when `matchCount` is missing), a short or empty page, or `max_pages`. No server-side
  filter is relied on: a record still marked closed (`rcrt_prgs_yn=N`) is refused, and region
  matching is done again by `bot.notices.match`.

Records are refused (one reason each in `FetchResult.rejected`, and logged) when they cannot be
shown to a founder honestly: no id, no title, no link, or a link that is not an absolute http(s)
address. A record whose application window cannot be read is **kept** as
`Window.to_be_announced` (no dates) and logged, not refused: it is a real call, and "dates: see
the notice" is true, whereas guessing dates or dropping it would not be. A window with a close
day before its opening day counts as unreadable. The windows understood (`parse_window`):

- "20260101 ~ 20260131", "2026-01-01 ~ 2026-01-31", "2026.01.01~2026.01.31", "2026년 1월 1일 ~ …"
  (a time after the day is ignored) → `Window.dated` with opens and closes;
- "상시", "상시 접수", "연중", "예산 소진시까지" (alone or after an opening day) → `Window.always`;
- "추후 공지", "미정", "별도 공지" (alone or after an opening day) → `Window.to_be_announced`;
- "2026-12-31까지" → dated, closing that day, opening unknown.

Retries: a timeout, a connection error or HTTP 5xx is tried again `retries` times, waiting
`backoff * 2**attempt` seconds before each new attempt. HTTP 4xx, `reqErr`, malformed JSON and
an unexpected envelope are not retried. A source without a key is off: its result says so in
`error` ("off: no DASI_BIZINFO_KEY") and nothing is requested. Keys never reach a log line or an
error text: URLs are logged with `crtfcKey`/`serviceKey` masked (urllib3's own debug lines too).
"""

from __future__ import annotations

import datetime
import html
import json
import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import requests
from pydantic import ValidationError

from bot.notices.models import (
    BIZINFO_SITE,
    KEY_VARIABLES,
    BizinfoItem,
    KStartupItem,
    KStartupPage,
    Notice,
    Window,
    keys_from,
    plain_text,
)

logger = logging.getLogger(__name__)

BIZINFO_URL = "https://www.bizinfo.go.kr/uss/rss/bizinfoApi.do"
KSTARTUP_URL = "https://apis.data.go.kr/B552735/kisedKstartupService01/getAnnouncementInformation01"
KSTARTUP_SITE = "https://www.k-startup.go.kr"
SECRET_PARAMETERS = ("crtfcKey", "serviceKey")
USER_AGENT = "Dasi/1.0 (notice fetcher; +https://www.bizinfo.go.kr, +https://www.k-startup.go.kr)"

# A hashtag list naming this many 시·도 is a nationwide call (기업마당 lists every region for those).
NATIONWIDE_FROM = 10
SIDO: tuple[tuple[str, ...], ...] = (
    ("서울", "서울특별시", "서울시"),
    ("부산", "부산광역시", "부산시"),
    ("대구", "대구광역시", "대구시"),
    ("인천", "인천광역시", "인천시"),
    ("광주", "광주광역시"),
    ("대전", "대전광역시", "대전시"),
    ("울산", "울산광역시", "울산시"),
    ("세종", "세종특별자치시", "세종시"),
    ("경기", "경기도"),
    ("강원", "강원특별자치도", "강원도"),
    ("충북", "충청북도"),
    ("충남", "충청남도"),
    ("전북", "전북특별자치도", "전라북도"),
    ("전남", "전라남도"),
    ("경북", "경상북도"),
    ("경남", "경상남도"),
    ("제주", "제주특별자치도", "제주도"),
)
REGION_OF = {name: names[0] for names in SIDO for name in names}
NATIONWIDE_WORDS = ("전국",)
COMBINED_REGIONS = {"전남광주": ("전남", "광주")}  # K-Startup's word for calls of 광주 and 전남 together

DATE = re.compile(r"(?<!\d)(\d{4})\s*[-./년]?\s*(\d{1,2})\s*[-./월]?\s*(\d{1,2})(?!\d)")
RANGE = re.compile(r"[~∼〜～]")
ALWAYS_WORDS = ("상시", "연중", "소진")  # 상시 접수, 연중 수시, 예산 소진시까지
LATER_WORDS = ("추후", "미정", "별도", "예정")  # 추후 공지, 일정 미정, 별도 공지, 공고 예정
UNTIL = "까지"
# Inline tags join words ("재도전</strong>을"); plain_text turns every tag into a space, so these go first.
INLINE_TAG = re.compile(r"</?(?:a|b|strong|em|i|u|s|span|font|mark|small|sup|sub)\b[^>]*>", re.IGNORECASE)
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
BARE_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(/|\?|$)")
SECRET_IN_TEXT = re.compile(r"(?i)\b(" + "|".join(SECRET_PARAMETERS) + r")=[^&\s\"'<>]*")


class SourceError(Exception):
    """The source answered, but not with notices: reqErr, HTTP error, malformed JSON, odd envelope."""


class _Transient(Exception):
    """A failure worth another attempt: timeout, connection error, HTTP 5xx."""


@dataclass
class FetchResult:
    source: str  # "bizinfo" | "kstartup"
    notices: list[Notice]
    rejected: list[str]  # one reason per record that was refused
    error: str | None = None  # why the source gave nothing (or not everything: then `notices` is partial)
    pages: int = 0

    @property
    def off(self) -> bool:
        """No key: the source was not asked (not a failure)."""
        return bool(self.error and self.error.startswith("off:"))


class Schedule(NamedTuple):
    window: Window
    opens: datetime.date | None
    closes: datetime.date | None
    readable: bool  # False: the text was not understood (kept as to_be_announced, no dates)


# --- windows -------------------------------------------------------------------------------


def parse_window(text: str) -> Schedule:
    """An application window as the notice writes it ("20260101 ~ 20260131", "상시 접수", …)."""
    value = plain_text(text)
    parts = RANGE.split(value, maxsplit=1)
    if len(parts) == 2:
        return window_between(parts[0], parts[1])
    day = _day(value)
    if day is not None and UNTIL in value:
        return Schedule(Window.dated, None, day, True)
    if day is None and _says(value, ALWAYS_WORDS):
        return Schedule(Window.always, None, None, True)
    if day is None and _says(value, LATER_WORDS):
        return Schedule(Window.to_be_announced, None, None, True)
    return Schedule(Window.to_be_announced, None, None, False)


def window_between(begin: str, end: str) -> Schedule:
    """A window given as its two ends (K-Startup's two fields, or the halves of "a ~ b")."""
    begin, end = plain_text(begin), plain_text(end)
    opens, closes = _day(begin), _day(end)
    if closes is not None:
        if opens is not None and closes < opens:
            return Schedule(Window.to_be_announced, None, None, False)
        return Schedule(Window.dated, opens, closes, True)
    if _says(end, ALWAYS_WORDS) or (not end and _says(begin, ALWAYS_WORDS)):
        return Schedule(Window.always, opens, None, True)
    if _says(end, LATER_WORDS) or (not end and _says(begin, LATER_WORDS)):
        return Schedule(Window.to_be_announced, opens, None, True)
    return Schedule(Window.to_be_announced, opens, None, False)


def _day(text: str) -> datetime.date | None:
    match = DATE.search(text)
    if match is None:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _says(text: str, words: Iterable[str]) -> bool:
    compact = re.sub(r"\s+", "", text)
    return any(word in compact for word in words)


# --- shared record handling -----------------------------------------------------------------


def _plain(value: Any) -> str:
    """HTML in a field as plain text, inline tags (<b>, <strong>, <span> …) dropped without a space."""
    return plain_text(INLINE_TAG.sub("", _text(value)))


def _text(value: Any) -> str:
    """A field as a string: null is "", a number its digits, a list its items joined by commas."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ",".join(part for part in (_text(item).strip() for item in value) if part)
    return str(value)


def _fields(row: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    return {name: _text(row[name]) for name in names if name in row}


def _link(value: str, site: str) -> str:
    """An absolute address for a link as the API sends it (relative, &amp;-escaped, markdown, bare host)."""
    text = html.unescape(value or "").strip()
    wrapped = MARKDOWN_LINK.fullmatch(text)
    if wrapped:
        text = wrapped[1]
    if not text:
        return ""
    if text.startswith("//"):
        return "https:" + text
    if urllib.parse.urlsplit(text).scheme:
        return text  # http(s) stays; anything else (javascript:, mailto:) is refused by Notice
    if text.startswith("/"):
        return site + text
    if BARE_HOST.match(text):
        return "https://" + text
    return urllib.parse.urljoin(site + "/", text)


def _split_words(value: str) -> list[str]:
    words: list[str] = []
    for word in re.split(r"[,，/·ㆍ]+", _plain(value)):
        word = word.strip().lstrip("#").strip()
        if word and word not in words:
            words.append(word)
    return words


def _regions(words: Iterable[str]) -> list[str]:
    """The region words among `words` (as written), one per 시·도; "전국" when they name most of them."""
    found: dict[str, str] = {}
    nationwide = False
    for word in words:
        compact = word.replace(" ", "")
        if compact in NATIONWIDE_WORDS:
            nationwide = True
        elif compact in COMBINED_REGIONS:
            found.setdefault(compact, compact)
        elif compact in REGION_OF:
            found.setdefault(REGION_OF[compact], compact)
    named = {REGION_OF.get(word, word) for word in found}
    for combined, parts in COMBINED_REGIONS.items():
        if combined in named:
            named.update(parts)
    if nationwide or len(named) >= NATIONWIDE_FROM:
        return ["전국"]
    return list(found.values())


def _reasons(error: ValidationError) -> str:
    reasons = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        reasons.append(problem["msg"] if where == "url" else f"{where}: {problem['msg']}")
    return "; ".join(reasons)


def _refuse(source: str, rejected: list[str], reason: str) -> None:
    rejected.append(reason)
    logger.warning("%s record refused: %s", source, reason)


def _date_of(value: str) -> datetime.date | None:
    return _day(value) if value else None


# --- 기업마당 -------------------------------------------------------------------------------


def parse_bizinfo(payload: Any, fetched_at: datetime.datetime) -> tuple[list[Notice], list[str]]:
    """The notices in one 기업마당 answer, and a reason for each record refused.

    Raises SourceError on `{"reqErr": ...}` or an envelope that is not `jsonArray` (a list, a
    single record, or `{"item": list | record}`; null, "" or {} there mean no records).
    """
    notices: list[Notice] = []
    rejected: list[str] = []
    for index, row in enumerate(_bizinfo_rows(payload), start=1):
        notice = _bizinfo_notice(index, row, fetched_at, rejected)
        if notice is not None:
            notices.append(notice)
    return notices, rejected


def _bizinfo_rows(payload: Any) -> list[Any]:
    if not isinstance(payload, dict):
        raise SourceError(f"unexpected 기업마당 answer: a JSON {type(payload).__name__}, not an object")
    if "reqErr" in payload:
        raise SourceError(f"reqErr: {plain_text(payload['reqErr']) or '(empty)'}")
    if "jsonArray" not in payload:
        raise SourceError(f"unexpected 기업마당 answer: no jsonArray (keys: {', '.join(sorted(payload)) or 'none'})")
    rows = payload["jsonArray"]
    if isinstance(rows, dict) and "item" in rows:
        rows = rows["item"]
    if rows in (None, "", {}):
        return []
    if isinstance(rows, dict):
        return [rows]
    if isinstance(rows, list):
        return rows
    raise SourceError(f"unexpected 기업마당 answer: jsonArray is a {type(rows).__name__}")


def _bizinfo_notice(index: int, row: Any, fetched_at: datetime.datetime, rejected: list[str]) -> Notice | None:
    if not isinstance(row, dict):
        _refuse("bizinfo", rejected, f"record {index}: not an object")
        return None
    fields = _fields(row, BizinfoItem.__fields__)
    if not fields.get("hashtags") and "hashTags" in row:  # the documented spelling; live answers use hashtags
        fields["hashtags"] = _text(row["hashTags"])
    item = BizinfoItem.parse_obj({"pblancId": "", "pblancNm": "", **fields})
    source_id = item.pblancId.strip()
    title = _plain(item.pblancNm)
    if not source_id:
        _refuse("bizinfo", rejected, f"record {index}{f' ({title})' if title else ''}: no pblancId")
        return None
    if not title:
        _refuse("bizinfo", rejected, f"pblancId {source_id}: no title (pblancNm)")
        return None
    url = _link(item.pblancUrl, BIZINFO_SITE)
    if not url:
        _refuse("bizinfo", rejected, f"pblancId {source_id}: no link (pblancUrl)")
        return None
    schedule = parse_window(item.reqstBeginEndDe)
    if not schedule.readable:
        logger.info("bizinfo %s: window %r not understood, kept as to be announced", source_id, item.reqstBeginEndDe)
    hashtags = _split_words(item.hashtags)
    agency = _plain(item.jrsdInsttNm)
    organiser = _plain(item.excInsttNm)
    try:
        return Notice(
            source="bizinfo",
            source_id=source_id,
            title=title,
            agency=agency,
            organiser="" if organiser == agency else organiser,
            regions=_regions([*hashtags, agency]),
            target=_plain(item.trgetNm),
            hashtags=hashtags,
            summary=_plain(item.bsnsSumryCn),
            url=url,
            window=schedule.window,
            opens=schedule.opens,
            closes=schedule.closes,
            posted=_date_of(item.creatPnttm),
            fetched_at=fetched_at,
        )
    except ValidationError as error:
        _refuse("bizinfo", rejected, f"pblancId {source_id}: {_reasons(error)}")
        return None


def fetch_bizinfo(
    key: str | None,
    *,
    url: str = BIZINFO_URL,
    page_size: int = 100,
    max_pages: int = 20,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 1.0,
    session: requests.Session | None = None,
    now: datetime.datetime | None = None,
    category: str | None = None,
    hashtags: str | None = None,
) -> FetchResult:
    """Every notice 기업마당 lists (`category`: its searchLclasId code; `hashtags`: its hashtag filter)."""
    extra = {"searchLclasId": category, "hashtags": hashtags}

    def params(page: int) -> dict[str, Any]:
        return {
            "crtfcKey": key,
            "dataType": "json",
            "searchCnt": page_size,
            "pageUnit": page_size,
            "pageIndex": page,
            **{name: value for name, value in extra.items() if value},
        }

    def more(page: int, payload: Any, rows: int, new: int) -> bool:
        if new == 0 and rows:
            logger.warning("bizinfo page %d brought no record not seen already; stopping", page)
        return rows >= page_size and new > 0

    return _fetch(
        "bizinfo", key, url, params, _parse_bizinfo_page, more, max_pages, timeout, retries, backoff, session, now
    )


def _parse_bizinfo_page(payload: Any, fetched_at: datetime.datetime) -> tuple[list[Notice], list[str], int]:
    notices, rejected = parse_bizinfo(payload, fetched_at)
    return notices, rejected, len(notices) + len(rejected)


# --- K-Startup ------------------------------------------------------------------------------


def parse_kstartup(payload: Any, fetched_at: datetime.datetime) -> tuple[list[Notice], list[str], KStartupPage]:
    """The notices in one K-Startup page, a reason for each record refused, and the page's counts.

    Raises SourceError when the answer is not a page (data.go.kr's `{"code", "msg"}` or
    `resultMsg` errors, or no `data` list).
    """
    if not isinstance(payload, dict):
        raise SourceError(f"unexpected K-Startup answer: a JSON {type(payload).__name__}, not an object")
    rows = payload.get("data")
    if not isinstance(rows, list):
        said = next(
            (_plain(payload[name]) for name in ("msg", "resultMsg", "errMsg", "message") if payload.get(name)), ""
        )
        code = next((_text(payload[name]) for name in ("code", "resultCode") if name in payload), "")
        if said or code:
            raise SourceError(f"K-Startup error{f' {code}' if code else ''}: {said or '(no message)'}")
        raise SourceError(f"unexpected K-Startup answer: no data list (keys: {', '.join(sorted(payload)) or 'none'})")
    try:
        page = KStartupPage.parse_obj({**payload, "data": [row for row in rows if isinstance(row, dict)]})
    except ValidationError as error:
        raise SourceError(f"unexpected K-Startup page: {_reasons(error)}") from error
    notices: list[Notice] = []
    rejected: list[str] = []
    for index, row in enumerate(rows, start=1):
        notice = _kstartup_notice(index, row, fetched_at, rejected)
        if notice is not None:
            notices.append(notice)
    return notices, rejected, page


def _kstartup_notice(index: int, row: Any, fetched_at: datetime.datetime, rejected: list[str]) -> Notice | None:
    if not isinstance(row, dict):
        _refuse("kstartup", rejected, f"record {index}: not an object")
        return None
    fields: dict[str, Any] = _fields(row, KStartupItem.__fields__)
    item = KStartupItem.parse_obj({**fields, "biz_pbanc_nm": fields.get("biz_pbanc_nm", "")})
    source_id = _text(item.pbanc_sn).strip()
    title = _plain(item.biz_pbanc_nm)
    if not source_id:
        _refuse("kstartup", rejected, f"record {index}{f' ({title})' if title else ''}: no pbanc_sn")
        return None
    if not title:
        _refuse("kstartup", rejected, f"pbanc_sn {source_id}: no title (biz_pbanc_nm)")
        return None
    if item.rcrt_prgs_yn.strip().upper() == "N":
        _refuse("kstartup", rejected, f"pbanc_sn {source_id}: recruitment closed (rcrt_prgs_yn=N)")
        return None
    url = _link(item.detl_pg_url, KSTARTUP_SITE)
    if not url:
        _refuse("kstartup", rejected, f"pbanc_sn {source_id}: no link (detl_pg_url)")
        return None
    schedule = window_between(item.pbanc_rcpt_bgng_dt, item.pbanc_rcpt_end_dt)
    if not schedule.readable:
        logger.info(
            "kstartup %s: window %r ~ %r not understood, kept as to be announced",
            source_id,
            item.pbanc_rcpt_bgng_dt,
            item.pbanc_rcpt_end_dt,
        )
    target = [part for part in (_plain(item.aply_trgt), _plain(item.aply_trgt_ctnt)) if part]
    try:
        return Notice(
            source="kstartup",
            source_id=source_id,
            title=title,
            agency=_plain(item.pbanc_ntrp_nm) or _plain(item.sprv_inst),
            regions=_split_words(item.supt_regin),
            target=" / ".join(dict.fromkeys(target)),
            excluded=_plain(item.aply_excl_trgt_ctnt),
            business_age=", ".join(_split_words(item.biz_enyy)),
            summary=_plain(_text(row.get("pbanc_ctnt"))),
            url=url,
            window=schedule.window,
            opens=schedule.opens,
            closes=schedule.closes,
            fetched_at=fetched_at,
        )
    except ValidationError as error:
        _refuse("kstartup", rejected, f"pbanc_sn {source_id}: {_reasons(error)}")
        return None


def fetch_kstartup(
    key: str | None,
    *,
    url: str = KSTARTUP_URL,
    page_size: int = 100,
    max_pages: int = 20,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 1.0,
    session: requests.Session | None = None,
    now: datetime.datetime | None = None,
) -> FetchResult:
    """Every open call K-Startup lists (asked with cond[rcrt_prgs_yn::EQ]=Y, checked again here)."""
    # A key copied as data.go.kr's "Encoding" key is already percent-encoded: requests would
    # encode it a second time and the gateway would not know it.
    service_key = urllib.parse.unquote(key) if key and "%" in key else key

    def params(page: int) -> dict[str, Any]:
        return {
            "serviceKey": service_key,
            "page": page,
            "perPage": page_size,
            "returnType": "json",
            "cond[rcrt_prgs_yn::EQ]": "Y",
        }

    def more(page: int, payload: Any, rows: int, new: int) -> bool:
        per_page = _count(payload.get("perPage")) or page_size
        matching = _count(payload.get("matchCount"))
        total = matching if matching is not None else _count(payload.get("totalCount"))
        if rows == 0 or rows < per_page or new == 0:
            return False
        return total is None or page * per_page < total

    return _fetch(
        "kstartup", key, url, params, _parse_kstartup_page, more, max_pages, timeout, retries, backoff, session, now
    )


def _parse_kstartup_page(payload: Any, fetched_at: datetime.datetime) -> tuple[list[Notice], list[str], int]:
    notices, rejected, page = parse_kstartup(payload, fetched_at)
    return notices, rejected, len(notices) + len(rejected)


def _count(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- fetching -------------------------------------------------------------------------------

PageParser = Callable[[Any, datetime.datetime], tuple[list[Notice], list[str], int]]


def _fetch(
    source: str,
    key: str | None,
    url: str,
    params: Callable[[int], dict[str, Any]],
    parse: PageParser,
    more: Callable[[int, Any, int, int], bool],
    max_pages: int,
    timeout: float,
    retries: int,
    backoff: float,
    session: requests.Session | None,
    now: datetime.datetime | None,
) -> FetchResult:
    if not (key or "").strip():
        logger.info("%s is off: no %s", source, KEY_VARIABLES[source])
        return FetchResult(source, [], [], error=f"off: no {KEY_VARIABLES[source]}")
    secret = (key or "").strip()
    fetched_at = now or datetime.datetime.now(datetime.timezone.utc)
    result = FetchResult(source, [], [])
    seen: set[str] = set()  # source ids already listed (a page repeated by the server adds nothing)
    seen_reasons: set[str] = set()
    own_session = session is None
    http = session or requests.Session()
    try:
        for page in range(1, max_pages + 1):
            try:
                payload = _get_json(http, source, url, params(page), timeout, retries, backoff)
                notices, rejected, rows = parse(payload, fetched_at)
            except SourceError as error:
                result.error = _scrub(f"page {page}: {error}" if page > 1 else str(error), secret)
                logger.warning("%s gave %s: %s", source, "no more" if result.notices else "nothing", result.error)
                break
            result.pages = page
            new = [notice for notice in notices if notice.source_id not in seen]
            seen.update(notice.source_id for notice in new)
            result.notices.extend(new)
            refused = [reason for reason in rejected if reason not in seen_reasons]
            seen_reasons.update(refused)
            result.rejected.extend(refused)
            if not more(page, payload, rows, len(new) + len(refused)):
                break
        else:
            logger.warning("%s: stopped after max_pages=%d; there may be more notices", source, max_pages)
    finally:
        if own_session:
            http.close()
    logger.info(
        "%s: %d notices, %d refused, %d pages%s",
        source,
        len(result.notices),
        len(result.rejected),
        result.pages,
        f", error: {result.error}" if result.error else "",
    )
    return result


def _get_json(
    http: requests.Session,
    source: str,
    url: str,
    params: dict[str, Any],
    timeout: float,
    retries: int,
    backoff: float,
) -> Any:
    """The JSON one GET answers, after retries for transient failures (SourceError otherwise)."""
    shown = masked_url(url, params)
    problem = "no attempt"
    attempts = max(0, retries) + 1
    for attempt in range(attempts):
        try:
            logger.debug("%s GET %s (attempt %d/%d)", source, shown, attempt + 1, attempts)
            return _answer(http, url, params, timeout)
        except _Transient as error:
            problem = str(error)
        if attempt + 1 < attempts:
            delay = backoff * 2**attempt
            logger.warning("%s: %s from %s; trying again in %.2f s", source, problem, shown, delay)
            time.sleep(delay)
    raise SourceError(f"{problem} after {attempts} attempt{'s' if attempts > 1 else ''}")


def _answer(http: requests.Session, url: str, params: dict[str, Any], timeout: float) -> Any:
    try:
        response = http.get(
            url, params=params, timeout=timeout, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
    except requests.Timeout as error:
        raise _Transient(f"timeout ({timeout:g} s)") from error
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
        raise _Transient(f"connection error ({type(error).__name__})") from error
    except requests.RequestException as error:  # the message may hold the URL, and so the key
        raise SourceError(f"request failed ({type(error).__name__})") from error
    if response.status_code >= 500:
        raise _Transient(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise SourceError(f"HTTP {response.status_code}")
    return _decode(response)


def _decode(response: requests.Response) -> Any:
    try:
        text = response.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = response.text
    try:
        return json.loads(text)
    except ValueError as error:
        said = _gateway_error(text)
        if said:
            raise SourceError(f"not JSON: {said}") from error
        kind = response.headers.get("Content-Type", "unknown type").split(";")[0]
        raise SourceError(f"malformed JSON ({kind}): {error}") from error


def _gateway_error(text: str) -> str:
    """data.go.kr's XML error (`returnAuthMsg`, `errMsg`) when that is what came instead of JSON."""
    found = [
        plain_text(match[1])
        for tag in ("returnAuthMsg", "errMsg", "returnReasonCode")
        for match in [re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S)]
        if match
    ]
    return " / ".join(part for part in found if part)


def masked_url(url: str, params: Mapping[str, Any]) -> str:
    """`url` with its query as sent, the keys shown as ***."""
    query = "&".join(
        f"{name}=***" if name in SECRET_PARAMETERS else urllib.parse.urlencode({name: value}, safe="[]:")
        for name, value in params.items()
        if value is not None
    )
    return f"{url}?{query}"


def _scrub(text: str, secret: str) -> str:
    """`text` without the key in any spelling (as given, decoded, percent-encoded) nor a key= value."""
    text = SECRET_IN_TEXT.sub(lambda match: f"{match[1]}=***", text)
    plain = urllib.parse.unquote(secret)
    forms = {secret, plain, urllib.parse.quote(plain, safe=""), urllib.parse.quote_plus(plain)}
    for form in sorted(forms, key=len, reverse=True):
        if len(form) >= 4:  # a one-letter test key must not blank out every "a"
            text = text.replace(form, "***")
    return text


class _MaskKeys(logging.Filter):
    """Masks crtfcKey/serviceKey in urllib3's own log lines (it logs each request line at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = SECRET_IN_TEXT.sub(lambda match: f"{match[1]}=***", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def _mask_urllib3_logs() -> None:
    pool = logging.getLogger("urllib3.connectionpool")
    if not any(isinstance(existing, _MaskKeys) for existing in pool.filters):
        pool.addFilter(_MaskKeys())


_mask_urllib3_logs()


# --- all sources ----------------------------------------------------------------------------

COMMON_OPTIONS = ("page_size", "max_pages", "timeout", "retries", "backoff", "session", "now")


def fetch_all(
    keys: Mapping[str, str | None], *, urls: Mapping[str, str] | None = None, **options: Any
) -> list[FetchResult]:
    """Both sources, one result each (bizinfo first); one source failing never stops the other.

    `keys` maps a source to its key (None or missing: the source is off); `urls` may point a
    source elsewhere (tests, a proxy); `options` are the fetch options both take.
    """
    unknown = sorted(set(options) - set(COMMON_OPTIONS))
    if unknown:
        raise TypeError(f"fetch_all got options no source takes: {', '.join(unknown)}")
    fetchers: dict[str, Callable[..., FetchResult]] = {"bizinfo": fetch_bizinfo, "kstartup": fetch_kstartup}
    results = []
    for source, fetch in fetchers.items():
        key = keys.get(source)
        chosen = dict(options)
        if urls and source in urls:
            chosen["url"] = urls[source]
        try:
            results.append(fetch(key, **chosen))
        except Exception as error:  # a bug in one source must not cost the other its notices
            logger.exception("%s fetch failed", source)
            text = _scrub(f"{type(error).__name__}: {error}", (key or "").strip())
            results.append(FetchResult(source, [], [], error=text))
    return results


def sources_status(environ: Mapping[str, str]) -> dict[str, bool]:
    """Which sources are on (have a key)."""
    return {source: key is not None for source, key in keys_from(environ).items()}


__all__ = [
    "BIZINFO_URL",
    "KSTARTUP_URL",
    "KEY_VARIABLES",
    "FetchResult",
    "Schedule",
    "SourceError",
    "fetch_all",
    "fetch_bizinfo",
    "fetch_kstartup",
    "keys_from",
    "masked_url",
    "parse_bizinfo",
    "parse_kstartup",
    "parse_window",
    "sources_status",
    "window_between",
]
