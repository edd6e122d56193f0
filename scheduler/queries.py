"""Read-only views of occurrences for people: status lists, the engine's notion of now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scheduler.engine_context import EngineContext
from scheduler.models import DONE, OPEN, Occurrence, PlanRecord, RowRecord
from scheduler.state import load_state

SOON_WORKING_DAYS = 5


def engine_now(db: Engine) -> datetime:
    """The engine's clock: the replayed virtual time when `run --replay-from` drove it, else now."""
    if load_state(db, "clock_mode") == "virtual" and (stored := load_state(db, "clock")):
        return datetime.fromisoformat(stored)
    return datetime.now(UTC)


class Scheduled(Protocol):
    """What a status is read from: an Occurrence, or a row of its columns."""

    @property
    def state(self) -> str: ...
    @property
    def opens_on(self) -> date | None: ...
    @property
    def due_on(self) -> date: ...


def status_of(ctx: EngineContext, occurrence: Scheduled, today: date) -> str:
    """open | due | overdue | done | waived | retired"""
    if occurrence.state != OPEN:
        return occurrence.state
    if today > occurrence.due_on:
        return "overdue"
    opened = occurrence.opens_on is not None and today >= occurrence.opens_on
    soon = ctx.calendar.working_days_between(today, occurrence.due_on) <= SOON_WORKING_DAYS
    return "due" if opened or soon else "open"


@dataclass(frozen=True)
class StatusLine:
    occurrence: Occurrence
    row: RowRecord
    plan: PlanRecord
    status: str
    unit: str
    days_late: int  # working days past due (0 when not late)

    def to_json(self) -> dict[str, object]:
        o = self.occurrence
        return {
            "id": o.id,
            "code": o.code,
            "plan": self.plan.key,
            "row": self.row.ref,
            "task": self.row.task,
            "label": o.label,
            "kind": o.kind,
            "unit": self.unit,
            "unit_id": o.unit_id,
            "opens": o.opens_on.isoformat() if o.opens_on else None,
            "due": o.due_on.isoformat(),
            "status": self.status,
            "level": o.level,
            "days_late": self.days_late,
            "closed_at": o.closed_at.isoformat() if o.closed_at else None,
        }


def status_lines(
    db: Engine,
    ctx: EngineContext,
    today: date,
    *,
    unit: str | None = None,
    overdue_only: bool = False,
    include_closed: bool = True,
) -> list[StatusLine]:
    with Session(db) as session:
        query = (
            select(Occurrence, RowRecord, PlanRecord)
            .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
            .join(PlanRecord, col(RowRecord.plan_id) == col(PlanRecord.id))
            .order_by(col(Occurrence.due_on), col(RowRecord.id), col(Occurrence.id))
        )
        if unit:
            query = query.where(col(Occurrence.unit_id) == unit)
        if overdue_only:
            query = query.where(col(Occurrence.state) == OPEN, col(Occurrence.due_on) < today)
        elif not include_closed:
            query = query.where(col(Occurrence.state) == OPEN)
        else:
            query = query.where(col(Occurrence.state).in_((OPEN, DONE, "waived")))
        lines = []
        for occurrence, row, plan in session.exec(query):
            late = max(0, ctx.calendar.working_days_between(occurrence.due_on, today))
            lines.append(
                StatusLine(
                    occurrence,
                    row,
                    plan,
                    status_of(ctx, occurrence, today),
                    ctx.directory.display_name(occurrence.unit_id) or "?",
                    late if occurrence.state == OPEN else 0,
                )
            )
        return lines
