"""The board as the plan document reads: objectives, their rows, each row's units, and each
occurrence's state; with the filters a QMR uses and the evidence register beneath.

Two queries whatever the plan's size (occurrences with their rows and plans; evidence
with its files); states are computed in Python from the working-day calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.web.task_view import cell_state
from scheduler.context import EngineContext
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
REGISTER_LIMIT = 300


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


def _query(filters: Filters, scope: frozenset[str] | None):  # type: ignore[no-untyped-def]
    query = (
        select(Occurrence, RowRecord, PlanRecord)
        .join(RowRecord, Occurrence.row_id == RowRecord.id)
        .join(PlanRecord, RowRecord.plan_id == PlanRecord.id)
        .where(Occurrence.state.in_((OPEN, DONE, WAIVED)))  # type: ignore[attr-defined]
    )
    if scope is not None:
        query = query.where(Occurrence.unit_id.in_(sorted(scope)))  # type: ignore[attr-defined]
    if filters.unit:
        query = query.where(Occurrence.unit_id == filters.unit)
    if filters.section:
        query = query.where(RowRecord.section == filters.section)
    span = period_range(filters.period)
    if span is not None:
        query = query.where(Occurrence.due_on >= span[0], Occurrence.due_on <= span[1])
    return query


def load_board(
    db: Engine, ctx: EngineContext, filters: Filters, today: date, scope: frozenset[str] | None
) -> Board:
    """`scope` None: every unit (QMR, Thư ký ISO); else only those units (a unit head)."""
    name = ctx.directory.display_name
    sections: dict[tuple[int, str], SectionBlock] = {}
    blocks: dict[int, RowBlock] = {}
    counts = dict.fromkeys(STATES, 0)
    shown: list[int] = []
    with Session(db) as session:
        years = sorted(set(session.exec(select(PlanRecord.year)).all()))
        query = _query(filters, scope).order_by(PlanRecord.id, RowRecord.id, Occurrence.due_on)
        for occurrence, row, plan in session.exec(query):
            state, late = cell_state(ctx, occurrence, today)
            counts[state] += 1
            if filters.state and state != filters.state:
                continue
            section = sections.get((plan.id or 0, row.section))
            if section is None:
                section = SectionBlock(plan, row.section, row.section_title)
                sections[(plan.id or 0, row.section)] = section
            block = blocks.get(row.id or 0)
            if block is None:
                block = blocks[row.id or 0] = RowBlock(row, plan.key)
                section.rows.append(block)
            unit = name(occurrence.unit_id) if occurrence.unit_id else row.lead_text
            block.cells.append(
                Cell(
                    occurrence.id or 0,
                    occurrence.code,
                    occurrence.unit_id,
                    unit,
                    occurrence.label,
                    occurrence.due_on,
                    state,
                    late,
                    occurrence.state != OPEN,
                )
            )
            shown.append(occurrence.id or 0)
        register, total = _register(session, ctx, filters, scope)
    return Board(list(sections.values()), counts, register, total, years)


def _register(
    session: Session, ctx: EngineContext, filters: Filters, scope: frozenset[str] | None
) -> tuple[list[RegisterItem], int]:
    """The evidence submitted for the occurrences the filters select, newest first."""
    name = ctx.directory.display_name
    sub = _query(filters, scope).with_only_columns(Occurrence.id)  # type: ignore[arg-type]
    query = (
        select(Evidence, Occurrence, RowRecord)
        .join(Occurrence, Evidence.occurrence_id == Occurrence.id)
        .join(RowRecord, Occurrence.row_id == RowRecord.id)
        .where(Evidence.occurrence_id.in_(sub))  # type: ignore[attr-defined]
        .order_by(Evidence.recorded_at.desc(), Evidence.id.desc())  # type: ignore[attr-defined, union-attr]
    )
    found = session.exec(query).all()
    chosen = found[:REGISTER_LIMIT]
    ids = [e.id for e, _o, _r in chosen]
    files: dict[int, list[tuple[int, str, int]]] = {}
    if ids:
        for f in session.exec(select(EvidenceFile).where(EvidenceFile.evidence_id.in_(ids))):  # type: ignore[attr-defined]
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
    return items, len(found)
