"""What a final failure leaves behind: a DeliveryProblem row for the QMR's digest
(resolved by the next success on that channel) and the message again on the person's
other channel: Telegram falls back to email, email to the person's linked Telegram."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from notifications.base import BLOCKED, BOUNCED, NO_CHANNEL, REJECTED, DeliveryError
from rules.directory import Person
from scheduler.models import CANCELLED, PENDING, DeliveryProblem, Notification
from scheduler.people import linked_chat

# Permanent failures after which the person is tried on the other channel.
TELEGRAM_FALLBACK_PROBLEMS = (BLOCKED, REJECTED, NO_CHANNEL)
EMAIL_FALLBACK_PROBLEMS = (BOUNCED, NO_CHANNEL)
FALLBACK_SUFFIXES = ("/email-fallback", "/telegram-fallback")


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


def fallback_channel(
    session: Session,
    row: Notification,
    error: DeliveryError | None,
    person: Person | None,
    channels: Collection[str],
) -> str | None:
    """The channel that carries a finally failed `row` instead, or None.

    A row fails finally when the error is permanent or the retry budget is spent (a
    transient error, given up). A fallback row never falls back again."""
    if error is None or person is None or row.key.endswith(FALLBACK_SUFFIXES):
        return None
    gave_up = not error.permanent
    if row.channel == "telegram" and (gave_up or error.problem in TELEGRAM_FALLBACK_PROBLEMS):
        return "email" if person.email and "email" in channels else None
    if row.channel == "email" and (gave_up or error.problem in EMAIL_FALLBACK_PROBLEMS):
        linked = linked_chat(session, person.id) or person.telegram_chat_id
        return "telegram" if linked is not None and "telegram" in channels else None
    return None


def add_fallback(session: Session, row: Notification, now: datetime, channel: str) -> bool:
    """The `row` again on `channel`, unless this firing already reaches the person there
    (the engine's sibling row: same key ending /<channel>, or same occurrence, step,
    person and creation instant) or the fallback exists. True when one was added."""
    key = fallback_key(row.key, channel)
    sibling = row.key.removesuffix(f"/{row.channel}") + f"/{channel}"
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
                    & (col(Notification.channel) == channel)
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
            channel=channel,
            template=row.template,
            context_json=row.context_json,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return True


def fallback_key(key: str, channel: str = "email") -> str:
    suffix = f"/{channel}-fallback"
    if len(key) + len(suffix) <= 200:
        return key + suffix
    return key[:150] + "~" + hashlib.sha256(key.encode()).hexdigest()[:16] + suffix
