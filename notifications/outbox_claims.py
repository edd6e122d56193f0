"""Claiming outbox rows: the conditional UPDATEs that make every row go out once.

A row is claimed (pending -> sending) by an UPDATE that must change exactly one row, and
its attempt is counted in that same UPDATE, before anything leaves the process. A claimed
row whose outcome is unknown (a crash, a cancel) is requeued: at-least-once delivery.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from scheduler.db import session_scope
from scheduler.models import FAILED, PENDING, SENDING, Notification

log = logging.getLogger("nhacviec.dispatch")

BACKOFF_BASE = timedelta(minutes=2)
BACKOFF_CAP = timedelta(hours=6)


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """How long a transient failure waits: doubling from 2 minutes, at most 6 hours, and
    never less than the server asked for (Telegram's retry_after)."""
    wait = min(BACKOFF_BASE * (1 << max(attempts - 1, 0)), BACKOFF_CAP)
    return max(wait, timedelta(seconds=retry_after or 0))


def due_rows(db: Engine, now: datetime, limit: int) -> dict[str, list[int]]:
    """Channel -> ids of the pending rows due at `now`, oldest first, at most `limit`."""
    with Session(db) as session:
        rows = session.exec(
            select(Notification.id, Notification.channel)
            .where(col(Notification.state) == PENDING, col(Notification.next_attempt_at) <= now)
            .order_by(col(Notification.next_attempt_at), col(Notification.id))
            .limit(limit)
        ).all()
    due: dict[str, list[int]] = {}
    for row_id, channel in rows:
        if row_id is not None:  # always, for a stored row
            due.setdefault(channel, []).append(row_id)
    return due


def claim(db: Engine, row_id: int, now: datetime) -> Notification | None:
    """The row, now 'sending' and its attempt counted; None when another claimed it first."""
    with session_scope(db) as session:
        claimed = session.exec(
            update(Notification)
            .where(col(Notification.id) == row_id, col(Notification.state) == PENDING)
            .values(state=SENDING, attempts=Notification.attempts + 1, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            return None
        return session.get(Notification, row_id)


def stale_claims(db: Engine, claimed_before: datetime) -> list[int]:
    """Rows still 'sending' that were claimed before `claimed_before` (the lease ran out)."""
    with Session(db) as session:
        stale = session.exec(
            select(Notification.id).where(
                col(Notification.state) == SENDING,
                col(Notification.next_attempt_at) < claimed_before,
            )
        ).all()
    return [row_id for row_id in stale if row_id is not None]


def requeue(db: Engine, row_id: int | None, reason: str, now: datetime, max_attempts: int) -> int:
    """A claimed row whose outcome is unknown goes back to pending (or fails, when out
    of attempts): sending it again is the at-least-once half of the bargain."""
    with session_scope(db) as session:
        row = session.get(Notification, row_id)
        if row is None or row.state != SENDING:
            return 0
        exhausted = row.attempts >= max_attempts
        changed = session.exec(
            update(Notification)
            .where(col(Notification.id) == row_id, col(Notification.state) == SENDING)
            .values(state=FAILED if exhausted else PENDING, next_attempt_at=now, last_error=reason)
            .execution_options(synchronize_session=False)
        )
    log.warning(
        "id=%s key=%s attempt=%d outcome=%s reason=%s",
        row.id,
        row.key,
        row.attempts,
        "failed" if exhausted else "requeued",
        reason,
    )
    return int(changed.rowcount)
