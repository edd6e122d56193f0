"""Claiming outbox rows: the conditional UPDATEs that make every row go out once.

A row is claimed (pending -> sending) by an UPDATE that must change exactly one row, and
its attempt is counted in that same UPDATE, before anything leaves the process. A claimed
row whose outcome is unknown (a crash, a cancel) is requeued: at-least-once delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, true, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from scheduler.db import session_scope
from scheduler.liveness import database_later, database_now
from scheduler.models import FAILED, PENDING, SENDING, Notification

log = logging.getLogger("nhacviec.dispatch")

BACKOFF_BASE = timedelta(minutes=2)
# Short enough that a server back from an outage gets its backlog within the hour; the
# retry budget (working time), not the backoff, decides when to stop.
BACKOFF_CAP = timedelta(hours=1)
LEASE = timedelta(minutes=15)
ANY_OWNER = "*"


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """How long a transient failure waits: doubling from 2 minutes, at most an hour, and
    never less than the server asked for (Telegram's retry_after)."""
    # The exponent is capped too: a row retried for days has hundreds of attempts.
    wait = min(BACKOFF_BASE * (1 << min(max(attempts - 1, 0), 16)), BACKOFF_CAP)
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


def claim(
    db: Engine,
    row_id: int,
    now: datetime,
    *,
    owner: str | None = None,
    lease: timedelta = LEASE,
) -> Notification | None:
    """The row, now 'sending' and its attempt counted; None when another claimed it first.

    `owner` (the engine's liveness token) and the lease, measured on the database's clock,
    say whose claim it is and until when."""
    with session_scope(db) as session:
        claimed = session.exec(
            update(Notification)
            .where(col(Notification.id) == row_id, col(Notification.state) == PENDING)
            .values(**_claimed(db, now, owner, lease))
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            return None
        return session.get(Notification, row_id)


def _claimed(db: Engine, now: datetime, owner: str | None, lease: timedelta) -> dict[str, Any]:
    """What a claim writes: sending, the attempt counted before anything leaves, whose
    claim it is and until when (on the database's clock)."""
    return {
        "state": SENDING,
        "attempts": Notification.attempts + 1,
        "next_attempt_at": now,
        "claimed_by": owner,
        "lease_until": database_later(db, lease),
    }


def claim_batch(
    db: Engine,
    now: datetime,
    limit: int,
    *,
    owner: str,
    lease: timedelta = LEASE,
    scope: ColumnElement[Any] | None = None,
) -> list[Notification]:
    """Up to `limit` due rows, oldest first, claimed in one statement (PostgreSQL).

    `FOR UPDATE SKIP LOCKED` lets several engines claim at once without waiting on each
    other or taking the same row: each gets the next rows no one else is claiming. The
    order includes the id, so two claims never lock the same rows in different orders.
    `scope` narrows the rows to this engine's share (notifications.fair_share)."""
    due = (
        select(Notification.id)
        .where(col(Notification.state) == PENDING, col(Notification.next_attempt_at) <= now)
        .where(true() if scope is None else scope)
        .order_by(col(Notification.next_attempt_at), col(Notification.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    with session_scope(db) as session:
        claimed = session.exec(
            update(Notification)
            .where(col(Notification.id).in_(due))
            .values(**_claimed(db, now, owner, lease))
            .returning(Notification)
            .execution_options(synchronize_session=False)
        )
        rows = list(claimed.scalars())
    return sorted(rows, key=lambda row: (row.next_attempt_at, row.id or 0))


def reclaim_unrecorded(db: Engine, row_id: int, key: str, owner: str) -> Notification | None:
    """A row the send journal says went out, claimed again to record it; None when it is
    recorded already (or is another row now)."""
    with session_scope(db) as session:
        changed = session.exec(
            update(Notification)
            .where(
                col(Notification.id) == row_id,
                col(Notification.key) == key,
                col(Notification.state).in_([SENDING, PENDING, FAILED]),
            )
            .values(state=SENDING, claimed_by=owner)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            return None
        return session.get(Notification, row_id)


def stale_claims(
    db: Engine,
    claimed_before: datetime,
    is_alive: Callable[[str | None], bool] | None = None,
) -> list[tuple[int, str | None]]:
    """(id, owner) of the rows still 'sending' that no live engine is sending: their owner
    is gone (`is_alive`), or their lease ran out on the database's clock. A row from
    before leases existed counts by its claim instant (`claimed_before`)."""
    with Session(db) as session:
        claims = session.exec(
            select(Notification.id, Notification.claimed_by, Notification.lease_until).where(
                col(Notification.state) == SENDING
            )
        ).all()
        if not claims:
            return []
        expired = set(
            session.exec(
                select(Notification.id).where(
                    col(Notification.state) == SENDING,
                    or_(
                        col(Notification.lease_until) < database_now(db),
                        # Without liveness locks (one-shot commands, tests) the claim
                        # instant on the engine's own clock is the lease, as before.
                        (col(Notification.lease_until).is_(None) | (is_alive is None))
                        & (col(Notification.next_attempt_at) < claimed_before),
                    ),
                )
            ).all()
        )
    owners = {owner for _id, owner, _lease in claims if owner is not None}
    gone = {owner for owner in owners if is_alive is not None and not is_alive(owner)}
    return [
        (row_id, owner)
        for row_id, owner, _lease in claims
        if row_id is not None and (row_id in expired or owner in gone)
    ]


def requeue(
    db: Engine,
    row_id: int | None,
    reason: str,
    now: datetime,
    max_attempts: int,
    *,
    owner: str | None = ANY_OWNER,
) -> int:
    """A claimed row whose outcome is unknown goes back to pending (or fails, when out
    of attempts): sending it again is the at-least-once half of the bargain. With `owner`,
    only while that engine still holds the claim: two engines taking over the same dead
    engine's row requeue it once."""
    with session_scope(db) as session:
        row = session.get(Notification, row_id)
        if row is None or row.state != SENDING:
            return 0
        exhausted = row.attempts >= max_attempts
        mine = col(Notification.claimed_by) == owner if owner != ANY_OWNER else true()
        changed = session.exec(
            update(Notification)
            .where(col(Notification.id) == row_id, col(Notification.state) == SENDING, mine)
            .values(
                state=FAILED if exhausted else PENDING,
                next_attempt_at=now,
                last_error=reason,
                claimed_by=None,
                lease_until=None,
            )
            .execution_options(synchronize_session=False)
        )
    if changed.rowcount != 1:
        return 0
    log.warning(
        "id=%s key=%s attempt=%d outcome=%s reason=%s",
        row.id,
        row.key,
        row.attempts,
        "failed" if exhausted else "requeued",
        reason,
    )
    return int(changed.rowcount)
