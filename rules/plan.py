"""The plan as the office wrote it: objectives and rows, with where each came from.

These are the types every importer produces and everything downstream consumes.
They are frozen and hold plain text: names are resolved against the directory and
timing phrases compiled later, so a plan can be checked without any configuration.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class SourceLocation:
    """Where a row was read: file, table (1-based), row (1-based, in that table or sheet)."""

    file: str
    table: int = 1
    row: int = 0

    def describe(self) -> str:
        return f"{self.file}, bảng {self.table}, dòng {self.row}"


@dataclass(frozen=True)
class Target:
    """A KPI target an objective states, e.g. "55,7 triệu đồng" or "trên 98%"."""

    text: str
    value: float | None = None
    unit: str = ""
    label: str = ""  # what is measured, as written: "Thu nhập bình quân đầu người"


@dataclass(frozen=True)
class Objective:
    """A numbered quality objective (MTCL) of the plan."""

    number: str
    text: str
    targets: tuple[Target, ...] = ()
    kpi: str = ""  # the "Chỉ tiêu" the plan table gives the objective's section row, as written


@dataclass(frozen=True)
class Heading:
    """A section row of the plan table (an objective, or a part above the objectives)."""

    key: str  # "I", "1", "1.2", "A": what rows under it use as their section
    title: str
    kpi: str = ""
    targets: tuple[Target, ...] = ()
    source: SourceLocation | None = None
    level: int = 0  # 0 for the sections rows belong to; 1, 2... for the parts above them


@dataclass(frozen=True)
class PlanRow:
    """One measure of the implementation table."""

    section: str  # Roman numeral (or letter) of the section: "I", "II", ... "A"
    section_title: str  # the objective text on the section row
    number: str  # "1", "2"... may be empty
    task: str
    lead: str  # Chủ trì, as written
    coordinating: str  # Phối hợp, as written
    timing: str  # Thời gian thực hiện, as written
    monitors: str  # Trách nhiệm theo dõi, as written
    evidence: tuple[str, ...]  # Cách thức theo dõi và kết quả, one item per bullet
    source: SourceLocation = field(default_factory=lambda: SourceLocation(""))
    kpi: str = ""  # Chỉ tiêu / Chỉ số / Mục tiêu cần đạt, as written
    targets: tuple[Target, ...] = ()  # the number and unit the KPI states, when it does
    # The cells the timing was composed from when the plan splits it ("frequency",
    # "deadline", "start", "end", "timing"); empty when one cell holds the whole phrase.
    timing_parts: tuple[tuple[str, str], ...] = ()
    remarks: str = ""  # Ghi chú

    @property
    def ref(self) -> str:
        """The short reference people use: "I.3" (section.number), or the section alone."""
        return f"{self.section}.{self.number}" if self.number else self.section

    @property
    def identity(self) -> str:
        """A stable key for matching this row across re-imports of an edited plan.

        Built from section and task text (normalised), not position, so renumbering
        or inserting rows elsewhere keeps the identity of the rows that did not change.
        """
        basis = f"{self.section}|{normalise_key(self.task)}"
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = list(self.evidence)
        data["ref"] = self.ref
        data["timing_parts"] = dict(self.timing_parts)
        first = self.targets[0] if self.targets else None
        data["kpi_value"] = first.value if first else None
        data["kpi_unit"] = first.unit if first else ""
        return data


@dataclass(frozen=True)
class Plan:
    """A quality-objective implementation plan (Kế hoạch thực hiện MTCL)."""

    organisation: str  # "UBND huyện Nam Đông"; empty when the document does not say
    year: int
    objectives: tuple[Objective, ...]
    rows: tuple[PlanRow, ...]
    source: str  # the file it was read from
    title: str = ""
    # "year" (NĂM 2025), "school-year" (NĂM HỌC 2025 – 2026), "period" (GIAI ĐOẠN 2025-2030)
    kind: str = "year"
    start: dt.date | None = None  # the span the plan covers; None means the calendar year
    end: dt.date | None = None
    headings: tuple[Heading, ...] = ()  # the section rows as read, with their source
    # What the importer saw but could not place (rows, missing columns), said once each.
    import_problems: tuple[PlanProblem, ...] = ()
    missing_columns: tuple[str, ...] = ()  # roles the plan table has no column for

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day the plan covers: its year, school year or period."""
        return (
            self.start or dt.date(self.year, 1, 1),
            self.end or dt.date(self.year, 12, 31),
        )

    @property
    def years(self) -> range:
        """The calendar years the plan's span touches (2025, 2026 for a 2025–2026 school year)."""
        first, last = self.span
        return range(first.year, last.year + 1)

    def sections(self) -> list[tuple[str, str]]:
        """The (section, title) pairs in document order, without repeats."""
        seen: dict[str, str] = {}
        for heading in self.headings:
            if heading.level == 0:
                seen.setdefault(heading.key, heading.title)
        for row in self.rows:
            seen.setdefault(row.section, row.section_title)
        return list(seen.items())

    def row(self, ref: str) -> PlanRow:
        for row in self.rows:
            if row.ref == ref:
                return row
        raise KeyError(ref)


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class PlanProblem:
    """Something a person should fix in the plan, with where it is and a hint."""

    severity: Severity
    code: str  # machine-readable: "no-lead", "unreadable-timing", "stale-year", ...
    message: str  # Vietnamese, for people
    source: SourceLocation | None = None
    row_ref: str = ""
    text: str = ""  # the offending text, quoted back
    hint: str = ""


class PlanImportError(Exception):
    """The file could not be read as a plan. The message names the file and what was expected."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.detail = message


def normalise_key(text: str) -> str:
    """NFC, lower case, single spaces: the form used to compare names and tasks."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(text.split())
