"""How current the knowledge base is: the operators' report behind `./dasi facts`.

Pure functions over a loaded KnowledgeBase and a `today`: every sourced record with its
source date and check date, deadlines in the next 60 days, deadlines already passed that a
record still carries, contacts not verified, and records whose newest source is more than
two years old.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Protocol

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.models import STALE_AFTER

SOON = datetime.timedelta(days=60)


class Dated(Protocol):
    """Any sourced record: its source's date and the day it was checked."""

    @property
    def as_of(self) -> datetime.date | None: ...

    @property
    def checked_on(self) -> datetime.date | None: ...


@dataclass
class RecordAge:
    kind: str  # program, barrier, remedy, hotline, agency, center, center_type, region
    id: str
    name: str
    as_of: datetime.date | None
    checked_on: datetime.date | None
    age_days: int | None  # days from the source's date to today; None when it states none
    grade: str | None = None  # H / M / L where the record is graded (docs/research)

    @property
    def old(self) -> bool:
        return self.age_days is None or self.age_days > STALE_AFTER.days


@dataclass
class Deadline:
    owner: str  # "program tax_seizure_deferral", "barrier tax_arrears: remedy …"
    what: str  # "신청 기한", "2026년 공고 마감"
    day: datetime.date
    days_left: int


@dataclass
class Contact:
    owner: str
    number: str
    note: str


@dataclass
class FreshnessReport:
    today: datetime.date
    records: list[RecordAge] = field(default_factory=list)
    upcoming: list[Deadline] = field(default_factory=list)
    expired: list[Deadline] = field(default_factory=list)
    unverified_contacts: list[Contact] = field(default_factory=list)

    @property
    def old_records(self) -> list[RecordAge]:
        return [record for record in self.records if record.old]

    @property
    def weakly_sourced(self) -> list[RecordAge]:
        """Graded records resting on one report or a copy (M) or on blogs (L), or on no source."""
        return [record for record in self.records if record.grade in ("M", "L", "-")]

    @property
    def unchecked(self) -> list[RecordAge]:
        return [record for record in self.records if record.checked_on is None]

    def summary(self) -> dict[str, int]:
        return {
            "records": len(self.records),
            "older_than_two_years": len(self.old_records),
            "not_checked": len(self.unchecked),
            "resting_on_m_or_l_sources": len(self.weakly_sourced),
            "deadlines_within_60_days": len(self.upcoming),
            "expired_deadlines_in_use": len(self.expired),
            "unverified_contacts": len(self.unverified_contacts),
        }

    def as_dict(self) -> dict[str, object]:
        def plain(value: object) -> object:
            if isinstance(value, datetime.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return {
            "today": self.today.isoformat(),
            "summary": self.summary(),
            "records": [plain({**asdict(r), "older_than_two_years": r.old}) for r in self.records],
            "deadlines_within_60_days": [plain(asdict(d)) for d in self.upcoming],
            "expired_deadlines_in_use": [plain(asdict(d)) for d in self.expired],
            "unverified_contacts": [asdict(c) for c in self.unverified_contacts],
        }


def _age(as_of: datetime.date | None, today: datetime.date) -> int | None:
    return (today - as_of).days if as_of else None


def freshness(base: KnowledgeBase, today: datetime.date) -> FreshnessReport:
    """The whole report for `today`."""
    report = FreshnessReport(today=today)

    def add(kind: str, key: str, name: str, dated: Dated, grade: str | None = None) -> None:
        age = _age(dated.as_of, today)
        report.records.append(RecordAge(kind, key, name, dated.as_of, dated.checked_on, age, grade))

    for program in base.programs.values():
        add("program", program.id, program.name, program, program.grade)
    for barrier in base.barriers.values():
        add("barrier", barrier.id, barrier.name, barrier)
        for remedy in barrier.remedies:
            add("remedy", barrier.id, remedy.title, remedy)
    for hotline in base.hotlines.values():
        add("hotline", hotline.number, hotline.name, hotline)
    for agency in base.agencies.values():
        add("agency", agency.id, agency.name, agency, agency.grade)
    for relation in base.relations:
        add("relation", "+".join(relation.programs), relation.kind, relation, relation.grade or "-")
    for faq in base.faqs.values():
        add("faq", faq.id, faq.question, faq, faq.grade)
    for center in base.centers.values():
        add("center", center.id, center.name, center)
    for center_type in base.center_types.values():
        add("center_type", center_type.id, center_type.name, center_type)
    for region in base.regions.values():
        add("region", region.id, region.name, region)
    _deadlines(base, today, report)
    _contacts(base, report)
    return report


def _deadlines(base: KnowledgeBase, today: datetime.date, report: FreshnessReport) -> None:
    found: list[Deadline] = []
    for program in base.programs.values():
        schedule = program.schedule
        if schedule and schedule.deadline:
            found.append(Deadline(f"program {program.id}", "신청 기한", schedule.deadline, 0))
        if schedule and schedule.calls and schedule.calls[-1].closes:
            call = schedule.calls[-1]
            found.append(Deadline(f"program {program.id}", f"{call.label} 마감", call.closes, 0))  # type: ignore[arg-type]
    for barrier in base.barriers.values():
        for remedy in barrier.remedies:
            if remedy.deadline:
                found.append(Deadline(f"barrier {barrier.id}: {remedy.title}", "신청 기한", remedy.deadline, 0))
    for deadline in found:
        deadline.days_left = (deadline.day - today).days
        if 0 <= deadline.days_left <= SOON.days:
            report.upcoming.append(deadline)
        # a yearly call that closed is waiting for the next one; a passed deadline is a fact to update
        elif deadline.days_left < 0 and deadline.what == "신청 기한":
            report.expired.append(deadline)
    report.upcoming.sort(key=lambda d: d.day)
    report.expired.sort(key=lambda d: d.day)


def _contacts(base: KnowledgeBase, report: FreshnessReport) -> None:
    add = report.unverified_contacts.append
    for hotline in base.hotlines.values():
        if not hotline.verified:
            add(Contact(f"hotline {hotline.name}", hotline.number, "hotlines.yml: verified false"))
    for agency in base.agencies.values():
        for phone in agency.phones:
            if not phone.verified:
                add(Contact(f"agency {agency.id}", phone.number, phone.note or ""))
    for center in base.centers.values():
        for phone in center.phones:
            if not phone.verified:
                add(Contact(f"center {center.id}", phone.number, phone.note or ""))
        for address in center.addresses:
            if not address.shown:
                add(
                    Contact(
                        f"center {center.id}",
                        address.text,
                        "address: past" if address.past else "address: not verified",
                    )
                )


def table(report: FreshnessReport) -> str:
    """The report as plain text for a terminal."""
    lines = [f"Dasi knowledge freshness on {report.today.isoformat()}", ""]
    lines += [f"  {key.replace('_', ' ')}: {value}" for key, value in report.summary().items()]

    def section(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
        lines.extend(["", f"## {title} ({len(rows)})"])
        if not rows:
            lines.append("  (none)")
            return
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            lines.append("  " + "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))

    section(
        "Deadlines within 60 days",
        [(d.day.isoformat(), str(d.days_left), d.what, d.owner) for d in report.upcoming],
        ("day", "days left", "what", "record"),
    )
    section(
        "Expired deadlines still in the data",
        [(d.day.isoformat(), str(-d.days_left), d.what, d.owner) for d in report.expired],
        ("day", "days ago", "what", "record"),
    )
    section(
        "Unverified contacts (never shown to founders)",
        [(c.number, c.owner, c.note) for c in report.unverified_contacts],
        ("number / address", "record", "note"),
    )
    section(
        "Graded records resting on M or L sources only (- : no source found)",
        [
            (r.kind, r.id, r.name[:24], r.grade or "", r.as_of.isoformat() if r.as_of else "undated")
            for r in report.weakly_sourced
        ],
        ("kind", "id", "name", "grade", "source date"),
    )
    section(
        "Records whose newest source is older than two years (or undated)",
        [
            (r.kind, r.id, r.name[:24], r.as_of.isoformat() if r.as_of else "undated", str(r.checked_on or "never"))
            for r in report.old_records
        ],
        ("kind", "id", "name", "source date", "checked on"),
    )
    section(
        "Every record",
        [
            (
                r.kind,
                r.id,
                r.name[:24],
                r.as_of.isoformat() if r.as_of else "undated",
                str(r.age_days) if r.age_days is not None else "-",
                str(r.checked_on or "never"),
            )
            for r in report.records
        ],
        ("kind", "id", "name", "source date", "age (days)", "checked on"),
    )
    return "\n".join(lines)
