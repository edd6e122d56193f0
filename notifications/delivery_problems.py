"""What a permanent failure leaves behind: a DeliveryProblem row for the QMR's digest
(resolved by the next success on that channel) and, for Telegram, an email instead."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import or_, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from notifications.base import DeliveryError
from scheduler.models import CANCELLED, PENDING, DeliveryProblem, Notification


def flag_problem(session: Session, row: Notification, error: DeliveryError, now: datetime) -> None:
    """Open (or refresh) the person's problem on this channel. In a savepoint: an engine
    that inserts the same (person, channel, problem) at the same moment loses only this."""
    try:
        with session.begin_nested():
            _flag(session, row, error, now)
    except IntegrityError:
        with session.begin_nested():
            _flag(session, row, error, now)


def pull_forward(session: Session, channel: str, now: datetime) -> None:
    """The channel works again: every row waiting on a retry goes now, oldest first,
    instead of each at its own backoff (so the backlog arrives in the order it was due)."""
    session.exec(
        update(Notification)
        .where(
            col(Notification.channel) == channel,
            col(Notification.state) == PENDING,
            col(Notification.attempts) > 0,
            col(Notification.next_attempt_at) > now,
        )
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )


def align_retries(session: Session, channel: str, retry_at: object) -> None:
    """The server failed again: every row already waiting on it retries at `retry_at`, so
    when it is back they go in the order they were due (oldest id first), not in the
    scattered order of their own backoffs."""
    session.exec(
        update(Notification)
        .where(
            col(Notification.channel) == channel,
            col(Notification.state) == PENDING,
            col(Notification.attempts) > 0,
        )
        .values(next_attempt_at=retry_at)
        .execution_options(synchronize_session=False)
    )


def _flag(session: Session, row: Notification, error: DeliveryError, now: datetime) -> None:
    problem = session.exec(
        select(DeliveryProblem).where(
            col(DeliveryProblem.person_id) == row.person_id,
            col(DeliveryProblem.channel) == row.channel,
            col(DeliveryProblem.problem) == error.problem,
        )
    ).first()
    if problem is None:
        session.add(
            DeliveryProblem(
                person_id=row.person_id,
                channel=row.channel,
                problem=error.problem or "",
                detail=str(error),
                first_seen=now,
                last_seen=now,
            )
        )
    else:
        problem.detail, problem.last_seen, problem.resolved_at = str(error), now, None
        session.add(problem)
    session.flush()


def resolve_problems(
    session: Session, row: Notification, now: datetime, problem: str | None = None
) -> None:
    """Close the person's open problems on this channel (only `problem`, when given)."""
    which = col(DeliveryProblem.problem) == problem if problem is not None else true()
    session.exec(
        update(DeliveryProblem)
        .where(
            col(DeliveryProblem.person_id) == row.person_id,
            col(DeliveryProblem.channel) == row.channel,
            col(DeliveryProblem.resolved_at).is_(None),
            which,
        )
        .values(resolved_at=now)
        .execution_options(synchronize_session=False)
    )


def add_email_fallback(session: Session, row: Notification, now: datetime) -> bool:
    """The Telegram `row` again by email, unless this firing already sends the person an
    email (the engine's sibling row: same key ending /email, or same occurrence, step,
    person and creation instant) or the fallback exists. True when one was added."""
    key = fallback_key(row.key)
    sibling = row.key.removesuffix("/telegram") + "/email"
    exists = session.exec(
        select(Notification.id).where(
            or_(
                col(Notification.key) == key,
                (col(Notification.state) != CANCELLED)
                & or_(
                    col(Notification.key) == sibling,
                    (col(Notification.occurrence_id) == row.occurrence_id)
                    & (col(Notification.step) == row.step)
                    & (col(Notification.person_id) == row.person_id)
                    & (col(Notification.channel) == "email")
                    & (col(Notification.created_at) == row.created_at),
                ),
            )
        )
    ).first()
    if exists is not None:
        return False
    session.add(
        Notification(
            key=key,
            occurrence_id=row.occurrence_id,
            step=row.step,
            person_id=row.person_id,
            channel="email",
            template=row.template,
            context_json=row.context_json,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return True


def fallback_key(key: str) -> str:
    suffix = "/email-fallback"
    if len(key) + len(suffix) <= 200:
        return key + suffix
    return key[:150] + "~" + hashlib.sha256(key.encode()).hexdigest()[:16] + suffix
