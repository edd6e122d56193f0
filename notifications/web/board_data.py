"""The board as the plan document reads: objectives, their rows, each row's units, and each
occurrence's state; with the filters a QMR uses and the evidence register beneath.

Two queries whatever the plan's size (occurrences with their rows and plans; evidence
with its files); states are computed in Python from the working-day calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from notifications.web.task_view import cell_state
from scheduler.engine_context import EngineContext
from scheduler.models import (
    DONE,
    OPEN,
    WAIVED,
    Evidence,
    EvidenceFile,
    Occurrence,
    PlanRecord,
    RowRecord,
)

STATES = {
    "done": "Hoàn thành đúng hạn",
    "late": "Hoàn thành trễ",
    "overdue": "Quá hạn",
    "due": "Sắp đến hạn",
    "open": "Chưa đến hạn",
    "waived": "Được miễn",
}
BADGES = {
    "done": "Hoàn thành đúng hạn",
    "due": "Sắp đến hạn",
    "waived": "Được miễn",
    "retired": "Ngừng theo dõi",
}
REGISTER_LIMIT = 300
OCCURRENCE_COLUMNS = (
    Occurrence.id,
    Occurrence.code,
    Occurrence.row_id,
    Occurrence.unit_id,
    Occurrence.label,
    Occurrence.opens_on,
    Occurrence.due_on,
    Occurrence.state,
    Occurrence.closed_at,
)


@dataclass(frozen=True)
class Filters:
    unit: str = ""
    section: str = ""
    state: str = ""
    period: str = ""  # "2024", "2024-q3", "2024-t07"; "" = every year


def period_range(period: str) -> tuple[date, date] | None:
    """ "2024-q3" -> (1/7/2024, 30/9/2024); None for "" or something unreadable."""
    year_text, _, part = period.partition("-")
    if not year_text.isdigit() or len(year_text) != 4:
        return None
    year = int(year_text)
    if not part:
        return date(year, 1, 1), date(year, 12, 31)
    kind, number = part[:1], part[1:]
    if not number.isdigit():
        return None
    n = int(number)
    if kind == "q" and 1 <= n <= 4:
        first, last = 3 * n - 2, 3 * n
    elif kind == "t" and 1 <= n <= 12:
        first = last = n
    else:
        return None
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def default_period(today: date, years: Iterable[int]) -> str:
    known = sorted(set(years))
    if not known or today.year in known:
        return f"{today.year}-q{(today.month - 1) // 3 + 1}"
    return str(known[-1])


def period_choices(years: Iterable[int]) -> list[tuple[str, str]]:
    choices = [("", "Mọi năm")]
    for year in sorted(set(years)):
        choices.append((str(year), f"Cả năm {year}"))
        choices += [
            (f"{year}-q{q}", f"Quý {['I', 'II', 'III', 'IV'][q - 1]}/{year}") for q in range(1, 5)
        ]
        choices += [(f"{year}-t{m:02d}", f"Tháng {m}/{year}") for m in range(1, 13)]
    return choices


@dataclass(frozen=True)
class Cell:
    occurrence_id: int
    code: str
    unit_id: str
    unit: str
    label: str
    due_on: date
    state: str
    days_late: int
    closed: bool

    @property
    def due(self) -> str:
        return f"{self.due_on.day:02d}/{self.due_on.month:02d}/{self.due_on.year}"

    @property
    def css(self) -> str:
        return "late" if self.state == "late" else self.state

    @property
    def badge(self) -> str:
        """The state in words, as the evidence page's badge says it (_macros.html)."""
        if self.state == "late":
            return f"Hoàn thành trễ {self.days_late} ngày làm việc"
        if self.state == "overdue":
            return f"Quá hạn {self.days_late} ngày làm việc"
        return BADGES.get(self.state, "Chưa đến hạn")


@dataclass
class RowBlock:
    row: RowRecord
    plan_key: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class SectionBlock:
    plan: PlanRecord
    section: str
    title: str
    rows: list[RowBlock] = field(default_factory=list)


@dataclass(frozen=True)
class RegisterItem:
    at: datetime
    code: str
    row_ref: str
    unit: str
    person: str
    channel: str
    text: str
    files: tuple[tuple[int, str, int], ...]
    undone: bool


@dataclass
class Board:
    sections: list[SectionBlock]
    counts: dict[str, int]
    register: list[RegisterItem]
    register_total: int
    years: list[int]
    objectives: list[tuple[str, str]]  # every section of the plans, for the filter


def _conditions(filters: Filters, scope: frozenset[str] | None) -> list[Any]:
    conditions: list[Any] = [col(Occurrence.state).in_((OPEN, DONE, WAIVED))]
    if scope is not None:
        conditions.append(col(Occurrence.unit_id).in_(sorted(scope)))
    if filters.unit:
        conditions.append(Occurrence.unit_id == filters.unit)
    if filters.section:
        conditions.append(RowRecord.section == filters.section)
    span = period_range(filters.period)
    if span is not None:
        conditions += [Occurrence.due_on >= span[0], Occurrence.due_on <= span[1]]
    return conditions


def plan_years(db: Engine) -> list[int]:
    with Session(db) as session:
        return sorted(set(session.exec(select(PlanRecord.year)).all()))


def load_board(
    db: Engine, ctx: EngineContext, filters: Filters, today: date, scope: frozenset[str] | None
) -> Board:
    """`scope` None: every unit (QMR, Thư ký ISO); else only those units (a unit head).

    Occurrences are read as plain columns, not ORM objects: a province's quarter is
    thousands of them, and building objects was most of the page's time.
    """
    name = ctx.directory.display_name
    sections: dict[tuple[int, str], SectionBlock] = {}
    blocks: dict[int, RowBlock] = {}
    counts = dict.fromkeys(STATES, 0)
    with Session(db) as session:
        rows = {r.id: r for r in session.exec(select(RowRecord).order_by(col(RowRecord.id)))}
        plans = {p.id: p for p in session.exec(select(PlanRecord))}
        query = (
            select(*OCCURRENCE_COLUMNS)  # type: ignore[call-overload]  # sqlmodel's select() overloads stop at four columns
            .join(RowRecord, Occurrence.row_id == RowRecord.id)
            .where(*_conditions(filters, scope))
            .order_by(RowRecord.plan_id, Occurrence.row_id, Occurrence.due_on)
        )
        for o in session.execute(query):
            state, late = cell_state(ctx, o, today)
            counts[state] += 1
            if filters.state and state != filters.state:
                continue
            block = blocks.get(o.row_id)
            if block is None:
                row = rows[o.row_id]
                plan = plans[row.plan_id]
                section = sections.get((row.plan_id, row.section))
                if section is None:
                    section = SectionBlock(plan, row.section, row.section_title)
                    sections[(row.plan_id, row.section)] = section
                block = blocks[o.row_id] = RowBlock(row, plan.key)
                section.rows.append(block)
            block.cells.append(
                Cell(
                    o.id,
                    o.code,
                    o.unit_id,
                    name(o.unit_id) if o.unit_id else block.row.lead_text,
                    o.label,
                    o.due_on,
                    state,
                    late,
                    o.state != OPEN,
                )
            )
        register, total = _register(session, ctx, filters, scope)
    years = sorted({p.year for p in plans.values()})
    objectives = list(
        dict.fromkeys((r.section, r.section_title) for r in rows.values() if r.active)
    )
    return Board(list(sections.values()), counts, register, total, years, objectives)


def _register(
    session: Session, ctx: EngineContext, filters: Filters, scope: frozenset[str] | None
) -> tuple[list[RegisterItem], int]:
    """The evidence submitted for the occurrences the filters select, newest first."""
    name = ctx.directory.display_name
    conditions = _conditions(filters, scope)
    total = session.exec(
        select(func.count())
        .select_from(Evidence)
        .join(Occurrence, col(Evidence.occurrence_id) == col(Occurrence.id))
        .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
        .where(*conditions)
    ).one()
    query = (
        select(Evidence, Occurrence, RowRecord)
        .join(Occurrence, col(Evidence.occurrence_id) == col(Occurrence.id))
        .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
        .where(*conditions)
        .order_by(col(Evidence.recorded_at).desc(), col(Evidence.id).desc())
        .limit(REGISTER_LIMIT)
    )
    chosen = session.exec(query).all()
    ids = [e.id for e, _o, _r in chosen]
    files: dict[int, list[tuple[int, str, int]]] = {}
    if ids:
        for f in session.exec(select(EvidenceFile).where(col(EvidenceFile.evidence_id).in_(ids))):
            files.setdefault(f.evidence_id, []).append((f.id or 0, f.original_name, f.size))
    items = [
        RegisterItem(
            e.recorded_at,
            o.code,
            r.ref,
            name(o.unit_id) if o.unit_id else r.lead_text,
            name(e.person_id),
            e.channel,
            e.text,
            tuple(files.get(e.id or 0, [])),
            e.undone_at is not None,
        )
        for e, o, r in chosen
    ]
    return items, total
