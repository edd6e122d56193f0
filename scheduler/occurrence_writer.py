"""Creating and updating occurrences: unique short codes, bulk inserts, first steps.

A plan sync creates tens of thousands of occurrences, so new ones are staged as plain rows
and written with one Core executemany per chunk; events (after/adhoc) create theirs one
at a time through the ORM.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from rules.escalation import firing_at, moment
from rules.timing import Deadline
from scheduler.codes import occurrence_code
from scheduler.engine_context import EngineContext
from scheduler.models import CANCELLED, OPEN, PENDING, RETIRED, Notification, Occurrence, RowRecord

STAGED_CHUNK = 5000  # occurrences per bulk INSERT


def first_step_at(
    ctx: EngineContext, kind: str, opens: date | None, due: date, level: int = 0
) -> datetime | None:
    firing = firing_at(ctx.policy_for(kind), level, opens, due, ctx.calendar)
    return moment(firing.day, ctx.work_start, ctx.tz) if firing else None


def retire(session: Session, occurrence: Occurrence, now: datetime) -> None:
    occurrence.state, occurrence.next_step_at, occurrence.closed_at = RETIRED, None, now
    session.add(occurrence)
    cancel_pending(session, occurrence.id)


def cancel_pending(session: Session, occurrence_id: int | None) -> None:
    """Reminders decided but not yet sent for an occurrence are no longer wanted."""
    session.exec(
        update(Notification)
        .where(col(Notification.occurrence_id) == occurrence_id, col(Notification.state) == PENDING)
        .values(state=CANCELLED)
        .execution_options(synchronize_session=False)
    )


class OccurrenceWriter:
    """Creates and updates occurrences, giving each a unique short code."""

    def __init__(self, session: Session, ctx: EngineContext, plan_key: str, now: datetime) -> None:
        self.session, self.ctx, self.plan_key, self.now = session, ctx, plan_key, now
        self._codes = set(session.exec(select(Occurrence.code)).all())
        self._staged: list[dict[str, Any]] = []

    def new_code(self, *parts: str) -> str:
        salt = 0
        while (code := occurrence_code(self.plan_key, *parts, salt=salt)) in self._codes:
            salt += 1
        self._codes.add(code)
        return code

    def stage(self, row: RowRecord, unit_id: str, deadline: Deadline) -> None:
        """Queue a new occurrence as a plain row; `flush` writes the queue in bulk (a plan
        sync creates tens of thousands: one ORM object and INSERT each was most of it)."""
        self._staged.append(
            dict(
                code=self.new_code(row.identity, unit_id, deadline.key),
                row_id=row.id or 0,
                unit_id=unit_id,
                deadline_key=deadline.key,
                kind=deadline.kind,
                label=deadline.label,
                opens_on=deadline.opens,
                due_on=deadline.due,
                state=OPEN,
                level=0,
                created_at=self.now,
                next_step_at=first_step_at(self.ctx, deadline.kind, deadline.opens, deadline.due),
            )
        )
        if len(self._staged) >= STAGED_CHUNK:
            self.flush()

    def flush(self) -> None:
        """Write the staged occurrences: Core executemany, in chunks."""
        if self._staged:
            # On the table, not the ORM entity: one executemany, no primary keys fetched back.
            table = Occurrence.__table__  # type: ignore[attr-defined]  # SQLModel declares it loosely
            self.session.connection().execute(insert(table), self._staged)
            self._staged = []

    def create(self, row: RowRecord, unit_id: str, deadline: Deadline) -> Occurrence:
        occurrence = Occurrence(
            code=self.new_code(row.identity, unit_id, deadline.key),
            row_id=row.id or 0,
            unit_id=unit_id,
            deadline_key=deadline.key,
            kind=deadline.kind,
            label=deadline.label,
            opens_on=deadline.opens,
            due_on=deadline.due,
            created_at=self.now,
            next_step_at=first_step_at(self.ctx, deadline.kind, deadline.opens, deadline.due),
        )
        self.session.add(occurrence)
        return occurrence

    def update(self, occurrence: Occurrence, deadline: Deadline) -> bool:
        if (occurrence.opens_on, occurrence.due_on, occurrence.label) == (
            deadline.opens,
            deadline.due,
            deadline.label,
        ):
            return False
        occurrence.opens_on, occurrence.due_on = deadline.opens, deadline.due
        occurrence.label, occurrence.kind = deadline.label, deadline.kind
        if occurrence.state == OPEN:
            occurrence.next_step_at = first_step_at(
                self.ctx, occurrence.kind, occurrence.opens_on, occurrence.due_on, occurrence.level
            )
        self.session.add(occurrence)
        return True
