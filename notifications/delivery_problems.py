"""What a permanent failure leaves behind: a DeliveryProblem row for the QMR's digest
(resolved by the next success on that channel) and, for Telegram, an email instead."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from notifications.base import DeliveryError
from scheduler.models import CANCELLED, DeliveryProblem, Notification


def flag_problem(session: Session, row: Notification, error: DeliveryError, now: datetime) -> None:
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


def resolve_problems(session: Session, row: Notification, now: datetime) -> None:
    session.exec(
        update(DeliveryProblem)
        .where(
            col(DeliveryProblem.person_id) == row.person_id,
            col(DeliveryProblem.channel) == row.channel,
            col(DeliveryProblem.resolved_at).is_(None),
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
