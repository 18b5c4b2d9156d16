"""Loads data/knowledge/*.yml into validated pydantic records, once per process."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.models import (
    Agency,
    Barrier,
    Center,
    CenterType,
    District,
    Faq,
    Hotline,
    Lexicon,
    Program,
    Region,
    Relation,
)

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "data" / "knowledge"

# The hotlines every answer may fall back on (records in data/knowledge/hotlines.yml).
NATIONAL_HOTLINE = "1357"  # 중소기업 통합콜센터
CREDIT_HOTLINE = "1600-5500"  # 신용회복위원회
# Phone-like numbers in free text: dashed numbers, and short numbers (126, 1357) after ☎ or 전화.
PHONE_IN_TEXT = re.compile(
    r"(?<![\d-])(\d{2,4}-\d{3,4}-\d{4}|1\d{3}-\d{4})(?![\d-])|(?:☎|전화|번호|콜센터)\s*\(?\s*(\d{3,4})(?![\d-])"
)

ModelT = TypeVar("ModelT", bound=BaseModel)


class KnowledgeError(ValueError):
    """A knowledge file is missing, malformed or inconsistent."""


def _load_list(path: Path, model: type[ModelT]) -> list[ModelT]:
    if not path.exists():
        raise KnowledgeError(f"missing knowledge file {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise KnowledgeError(f"{path.name}: expected a list of records")
    records: list[ModelT] = []
    for index, item in enumerate(raw):
        try:
            records.append(model.parse_obj(item))
        except ValidationError as error:
            label = item.get("id") or item.get("name") if isinstance(item, dict) else index
            raise KnowledgeError(f"{path.name} record {label}: {error}") from error
    return records


def _index(records: Iterable[ModelT], kind: str) -> dict[str, ModelT]:
    indexed: dict[str, ModelT] = {}
    for record in records:
        key: str = record.id  # type: ignore[attr-defined]  # every indexed model has an id
        if key in indexed:
            raise KnowledgeError(f"duplicate {kind} id {key!r}")
        indexed[key] = record
    return indexed


def _index_hotlines(hotlines: Iterable[Hotline]) -> dict[str, Hotline]:
    indexed: dict[str, Hotline] = {}
    for hotline in hotlines:
        if hotline.number in indexed:
            raise KnowledgeError(f"duplicate hotline {hotline.number}")
        indexed[hotline.number] = hotline
    return indexed


@dataclass
class KnowledgeBase:
    programs: dict[str, Program]
    barriers: dict[str, Barrier]
    agencies: dict[str, Agency]
    hotlines: dict[str, Hotline]
    regions: dict[str, Region]
    districts: list[District]
    center_types: dict[str, CenterType]
    centers: dict[str, Center]
    lexicon: Lexicon
    relations: list[Relation] = field(default_factory=list)
    faqs: dict[str, Faq] = field(default_factory=dict)
    directory: Path = field(default=DEFAULT_DIRECTORY)

    @property
    def verified_numbers(self) -> list[str]:
        return [number for number, hotline in self.hotlines.items() if hotline.verified]

    def hotline_label(self, number: str) -> str:
        """'1357 (중소기업 통합콜센터)' for a verified number; raises for an unverified one."""
        hotline = self.hotlines.get(number)
        if hotline is None or not hotline.verified:
            raise KnowledgeError(f"{number} is not a verified hotline")
        return f"☎ {hotline.number} ({hotline.name})"

    def check_references(self) -> None:
        """Raises KnowledgeError on any dangling reference or displayable unverified contact."""
        problems: list[str] = []
        for program in self.programs.values():
            problems += [
                f"program {program.id}: unknown agency {agency}"
                for agency in program.agency_ids
                if agency not in self.agencies
            ]
            if program.hotline and program.hotline not in self.verified_numbers:
                problems.append(f"program {program.id}: hotline {program.hotline} is not verified")
            for condition in program.conditions:
                if condition.remedy_barrier and condition.remedy_barrier not in self.barriers:
                    problems.append(f"program {program.id}: unknown barrier {condition.remedy_barrier}")
            # An old figure must never decide who qualifies: it needs a current source.
            if program.stale:
                problems += [
                    f"program {program.id}: stale source ({program.as_of}) cannot set the condition "
                    f"{condition.field} {condition.op.value} {condition.value}"
                    for condition in program.figure_conditions
                ]
        for barrier in self.barriers.values():
            problems += [
                f"barrier {barrier.id}: unknown program {program_id}"
                for program_id in barrier.affects_programs
                if program_id not in self.programs
            ]
            problems += [
                f"barrier {barrier.id}: hotline {number} is not verified"
                for number in barrier.hotlines
                if number not in self.verified_numbers
            ]
            for remedy in barrier.remedies:
                problems += [
                    f"barrier {barrier.id}: unknown agency {agency}"
                    for agency in remedy.agency_ids
                    if agency not in self.agencies
                ]
        for hotline in self.hotlines.values():
            if hotline.agency_id and hotline.agency_id not in self.agencies:
                problems.append(f"hotline {hotline.number}: unknown agency {hotline.agency_id}")
        for center_type in self.center_types.values():
            if center_type.hotline and center_type.hotline not in self.verified_numbers:
                problems.append(f"center type {center_type.id}: hotline {center_type.hotline} is not verified")
        for center in self.centers.values():
            if center.type not in self.center_types:
                problems.append(f"center {center.id}: unknown type {center.type}")
            if center.region not in self.regions:
                problems.append(f"center {center.id}: unknown region {center.region}")
        for district in self.districts:
            if district.sido not in self.regions:
                problems.append(f"district {district.name}: unknown region {district.sido}")
        for region in self.regions.values():
            if region.parent and region.parent not in self.regions:
                problems.append(f"region {region.id}: unknown parent {region.parent}")
        for relation in self.relations:
            problems += [
                f"relation {relation.kind}: unknown program {program_id}"
                for program_id in relation.programs
                if program_id not in self.programs
            ]
        for faq in self.faqs.values():
            problems += [f"faq {faq.id}: unknown program {p}" for p in faq.programs if p not in self.programs]
            if faq.contact and faq.contact not in self.verified_numbers:
                problems.append(f"faq {faq.id}: contact {faq.contact} is not verified")
        problems += self._phones_agree_with_hotlines()
        problems += self._unverified_numbers_in_text()
        if problems:
            raise KnowledgeError("; ".join(problems))

    def _phones_agree_with_hotlines(self) -> list[str]:
        """A phone marked verified on a center or agency must not be unverified in hotlines.yml."""
        phones = [(f"center {c.id}", phone) for c in self.centers.values() for phone in c.phones]
        phones += [(f"agency {a.id}", phone) for a in self.agencies.values() for phone in a.phones]
        return [
            f"{owner}: phone {phone.number} is verified there but not in hotlines.yml"
            for owner, phone in phones
            if phone.verified and phone.number in self.hotlines and not self.hotlines[phone.number].verified
        ]

    def _unverified_numbers_in_text(self) -> list[str]:
        """Free text (summaries, benefits, remedies) may mention only verified numbers."""
        verified = set(self.verified_numbers)
        texts: list[str] = []
        for program in self.programs.values():
            texts += [program.summary, program.target, program.how_to_apply, *program.benefits, *program.unverified]
        for barrier in self.barriers.values():
            texts += [barrier.summary, barrier.rule, *(remedy.detail for remedy in barrier.remedies)]
            texts += [barrier.no_remedy_note or ""]
        for center_type in self.center_types.values():
            texts.append(center_type.summary)
        texts += [relation.text for relation in self.relations]
        texts += [faq.answer for faq in self.faqs.values()]
        return [
            f"unverified number {number} in text: {text[:40]}…"
            for text in texts
            for groups in PHONE_IN_TEXT.findall(text)
            for number in groups
            if number and number not in verified
        ]


def load_knowledge(directory: Path = DEFAULT_DIRECTORY) -> KnowledgeBase:
    """Loads and cross-checks every knowledge file (raises KnowledgeError)."""
    base = KnowledgeBase(
        programs=_index(_load_list(directory / "programs.yml", Program), "program"),
        barriers=_index(_load_list(directory / "barriers.yml", Barrier), "barrier"),
        agencies=_index(_load_list(directory / "agencies.yml", Agency), "agency"),
        hotlines=_index_hotlines(_load_list(directory / "hotlines.yml", Hotline)),
        regions=_index(_load_list(directory / "regions.yml", Region), "region"),
        districts=_load_list(directory / "districts.yml", District),
        center_types=_index(_load_list(directory / "center_types.yml", CenterType), "center type"),
        centers=_index(_load_list(directory / "centers.yml", Center), "center"),
        lexicon=Lexicon.parse_obj(yaml.safe_load((directory / "lexicon.yml").read_text(encoding="utf-8"))),
        relations=_load_list(directory / "relations.yml", Relation),
        faqs=_index(_load_list(directory / "faqs.yml", Faq), "faq"),
        directory=directory,
    )
    base.check_references()
    return base


@functools.lru_cache(maxsize=4)
def knowledge(directory: str = str(DEFAULT_DIRECTORY)) -> KnowledgeBase:
    """The process-wide knowledge base (loaded once)."""
    return load_knowledge(Path(directory))
