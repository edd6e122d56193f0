"""What the tick reads and claims: the due occurrences, as plain records, and the claim.

The tick reads thousands of occurrences a busy morning and needs nine fields of each:
selected as columns into a named tuple, not loaded as ORM objects (identity map,
instrumented attributes), which were a third of a busy tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from rules.escalation import Firing
from scheduler.dbapi import db_value, execute_many, is_sqlite
from scheduler.models import OPEN, Occurrence

OCCURRENCE = Occurrence.__table__  # type: ignore[attr-defined]  # SQLModel declares __table__ loosely


class DueOccurrence(NamedTuple):
    """An open occurrence whose next step is due, as read by the tick: a tuple, made from
    a result row in one call, where a frozen dataclass sets each field by a call."""

    id: int
    code: str
    row_id: int
    unit_id: str
    kind: str
    label: str
    opens_on: date | None
    due_on: date
    level: int


_FIELDS = [OCCURRENCE.c[name] for name in DueOccurrence._fields]

Move = tuple[DueOccurrence, Firing | None, datetime | None]  # (occurrence, step reached, next at)


class Contended(Exception):
    """Some of a batch was moved by another engine between our read and our claim."""


def due_batch(session: Session, now: datetime, limit: int) -> list[DueOccurrence]:
    """The first `limit` open occurrences due at `now`, earliest first."""
    found = session.connection().execute(
        select(*_FIELDS)
        .where(OCCURRENCE.c.state == OPEN, OCCURRENCE.c.next_step_at <= now)
        # id breaks ties: engines read rows in one order.
        .order_by(OCCURRENCE.c.next_step_at, OCCURRENCE.c.id)
        .limit(limit)
    )
    return list(map(DueOccurrence._make, found.all()))


# One conditional UPDATE run for the whole batch (executemany): each occurrence moves to
# its new level only if it is still open at the level it was read at.
_CLAIM = (
    "UPDATE occurrence SET level = ?, next_step_at = ? WHERE id = ? AND state = ? AND level = ?"
)


def claim(session: Session, moves: Sequence[Move]) -> set[int]:
    """Claim moves and return their ids. The summed row count tells whether every claim
    held: a single move that lost is simply not claimed; a batch that lost any raises
    Contended, and the caller redoes it move by move (a double fire is then harmless)."""
    if not moves:
        return set()
    # In id order, so engines claiming side by side lock rows in one order (no deadlock).
    ordered = sorted(moves, key=lambda move: move[0].id)
    sqlite = is_sqlite(session)
    params = [
        (c.level + 1 if c else o.level, db_value(n, sqlite=sqlite), o.id, OPEN, o.level)
        for o, c, n in ordered
    ]
    claimed = execute_many(session, _CLAIM, params)
    if claimed == len(params):
        return {o.id for o, _c, _n in ordered}
    if len(params) == 1:
        return set()
    raise Contended
