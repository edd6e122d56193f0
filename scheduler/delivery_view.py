"""Read-only: who cannot be reached right now, per person and channel, and how many
messages wait for them (for `nhacviec status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from scheduler.models import PENDING, DeliveryProblem, Notification


@dataclass(frozen=True)
class DeliveryTrouble:
    person_id: str
    channel: str
    problem: str  # bounced | blocked | delayed | gave-up | ...
    detail: str
    since: datetime
    waiting: int  # rows of this person and channel still pending after a failed attempt

    def to_json(self) -> dict[str, object]:
        return {
            "person": self.person_id,
            "channel": self.channel,
            "problem": self.problem,
            "detail": self.detail,
            "since": self.since.isoformat(),
            "waiting": self.waiting,
        }


def delivery_troubles(db: Engine) -> list[DeliveryTrouble]:
    with Session(db) as session:
        problems = session.exec(
            select(DeliveryProblem)
            .where(col(DeliveryProblem.resolved_at).is_(None))
            .order_by(col(DeliveryProblem.first_seen), col(DeliveryProblem.id))
        ).all()
        waiting = {
            (person, channel): count
            for person, channel, count in session.exec(
                select(Notification.person_id, Notification.channel, func.count())
                .where(col(Notification.state) == PENDING, col(Notification.attempts) > 0)
                .group_by(col(Notification.person_id), col(Notification.channel))
            ).all()
        }
    return [
        DeliveryTrouble(
            p.person_id,
            p.channel,
            p.problem,
            p.detail,
            p.first_seen,
            waiting.get((p.person_id, p.channel), 0),
        )
        for p in problems
    ]
