"""Creating and updating occurrences: unique short codes, bulk inserts, first steps.

A plan sync creates tens of thousands of occurrences, so new ones are staged as plain rows
and written with one Core executemany per chunk; events (after/adhoc) create theirs one
at a time through the ORM.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from rules.escalation import firing_at, moment
from rules.timing import Deadline
from scheduler.codes import occurrence_code
from scheduler.dbapi import db_value, insert_many, mark
from scheduler.engine_context import EngineContext
from scheduler.models import CANCELLED, OPEN, PENDING, RETIRED, Notification, Occurrence, RowRecord

STAGED_CHUNK = 5000  # occurrences per bulk INSERT
STAGED_COLUMNS = (
    "code",
    "row_id",
    "unit_id",
    "deadline_key",
    "kind",
    "label",
    "opens_on",
    "due_on",
    "state",
    "level",
    "created_at",
    "next_step_at",
)
CODES_PER_QUERY = 500


def _taken(session: Session, codes: list[str]) -> set[str]:
    """Which of `codes` the database already holds (indexed look-ups, a chunk at a time)."""
    connection = session.connection()
    cursor = connection.connection.cursor()
    found: set[str] = set()
    try:
        for start in range(0, len(codes), CODES_PER_QUERY):
            chunk = codes[start : start + CODES_PER_QUERY]
            marks = ", ".join([mark(connection)] * len(chunk))
            cursor.execute(f"SELECT code FROM occurrence WHERE code IN ({marks})", chunk)
            found.update(r[0] for r in cursor.fetchall())
    finally:
        cursor.close()
    return found


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
        # Only the codes this writer gave out: the database answers for the others, so a
        # writer made for one event does not load every code of a million-row database.
        self._codes: set[str] = set()
        self._staged: list[list[Any]] = []
        self._staged_parts: list[tuple[str, ...]] = []
        self._firsts: dict[tuple[str, date | None, date], Any] = {}
        self._sqlite = session.get_bind().dialect.name == "sqlite"
        self._now = self._db(now)

    def _code(self, parts: tuple[str, ...]) -> str:
        """A code unique among this writer's; `flush` checks the database's in bulk."""
        salt = 0
        while (code := occurrence_code(self.plan_key, *parts, salt=salt)) in self._codes:
            salt += 1
        return code

    def new_code(self, *parts: str) -> str:
        salt = 0
        while True:
            code = occurrence_code(self.plan_key, *parts, salt=salt)
            if code not in self._codes and not _taken(self.session, [code]):
                self._codes.add(code)
                return code
            salt += 1

    def stage(self, row: RowRecord, unit_id: str, deadline: Deadline) -> None:
        """Queue a new occurrence as a plain row already in the database's form; `flush`
        writes the queue in bulk (a plan sync creates tens of thousands: one ORM object and
        INSERT each, then SQLAlchemy's per-value conversion, were most of it)."""
        parts = (row.identity, unit_id, deadline.key)
        code = self._code(parts)
        self._codes.add(code)
        opens, due, first = self._first(deadline)
        identity = [code, row.id or 0, unit_id, deadline.key, deadline.kind, deadline.label]
        self._staged.append([*identity, opens, due, OPEN, 0, self._now, first])
        self._staged_parts.append(parts)
        if len(self._staged) >= STAGED_CHUNK:
            self.flush()

    def _first(self, deadline: Deadline) -> tuple[Any, Any, Any]:
        """(opens, due, first step) in database form, once per distinct deadline: a group's
        members share their deadlines, so 150 units cost one ladder walk, not 150."""
        key = (deadline.kind, deadline.opens, deadline.due)
        found = self._firsts.get(key)
        if found is None:
            first = first_step_at(self.ctx, deadline.kind, deadline.opens, deadline.due)
            found = (self._db(deadline.opens), self._db(deadline.due), self._db(first))
            self._firsts[key] = found
        return found

    def _db(self, value: date | datetime | None) -> Any:
        return db_value(value, sqlite=self._sqlite)

    def flush(self) -> None:
        """Write the staged occurrences: one DBAPI executemany per chunk, on the session's
        own connection and transaction, after moving any code the database already holds."""
        if not self._staged:
            return
        taken = _taken(self.session, [r[0] for r in self._staged])
        for staged, parts in zip(self._staged, self._staged_parts, strict=True):
            if staged[0] in taken:  # rare: a code from another plan or an event
                self._codes.discard(staged[0])
                staged[0] = self.new_code(*parts)
        insert_many(self.session, "occurrence", STAGED_COLUMNS, [tuple(r) for r in self._staged])
        self._staged, self._staged_parts = [], []

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
