"""Read-only views the bot needs: lists, one occurrence with its history, reply lookups."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from notifications.bot.deps import Actor
from scheduler.engine_context import EngineContext
from scheduler.models import (
    OPEN,
    SENT,
    BundleItem,
    Evidence,
    EvidenceFile,
    Notification,
    Occurrence,
    PlanRecord,
    ReminderFact,
    RowRecord,
)
from scheduler.queries import StatusLine, status_lines, status_of
from scheduler.service import ServiceError, authority, find_occurrence

STATE_NAMES = {"done": "đã hoàn thành", "waived": "được miễn", "retired": "ngừng theo dõi"}
HISTORY_LIMIT = 25


@dataclass(frozen=True)
class Sent:
    at: datetime
    step: str
    person: str
    channel: str
    state: str


@dataclass(frozen=True)
class EvidenceView:
    at: datetime
    person: str
    text: str
    files: tuple[str, ...]
    on_behalf: bool
    undone_at: datetime | None


@dataclass(frozen=True)
class Detail:
    line: StatusLine
    evidence_items: tuple[str, ...]  # what the plan asks for as evidence
    sent: tuple[Sent, ...]
    sent_total: int
    evidence: tuple[EvidenceView, ...]
    closed_by: str


def open_tasks(db: Engine, ctx: EngineContext, actor: Actor, today: date) -> list[StatusLine]:
    """The open occurrences of the actor's unit (the group's, else the person's), by due date."""
    unit = actor.unit_id or ctx.directory.people[actor.person_id].unit
    if not unit:
        return []
    return status_lines(db, ctx, today, unit=unit, include_closed=False)


def overdue_tasks(db: Engine, ctx: EngineContext, person_id: str, today: date) -> list[StatusLine]:
    """Overdue occurrences this person may close: their unit leads them, or they monitor."""
    return [
        line
        for line in status_lines(db, ctx, today, overdue_only=True)
        if authority(ctx, person_id, line.occurrence, line.row) is not None
    ]


def occurrence_detail(db: Engine, ctx: EngineContext, ref: str, today: date) -> Detail:
    with Session(db) as session:
        occurrence = find_occurrence(session, ref)
        row = session.get(RowRecord, occurrence.row_id)
        plan = session.get(PlanRecord, row.plan_id) if row else None
        assert row is not None and plan is not None
        notifications = session.exec(
            select(Notification)
            .where(col(Notification.occurrence_id) == occurrence.id)
            .order_by(col(Notification.created_at), col(Notification.id))
        ).all()
        evidence = session.exec(
            select(Evidence)
            .where(col(Evidence.occurrence_id) == occurrence.id)
            .order_by(col(Evidence.recorded_at))
        ).all()
        files = {
            e.id: tuple(
                f.original_name
                for f in session.exec(
                    select(EvidenceFile).where(col(EvidenceFile.evidence_id) == e.id)
                )
            )
            for e in evidence
        }
    name = ctx.directory.display_name
    late = max(0, ctx.calendar.working_days_between(occurrence.due_on, today))
    line = StatusLine(
        occurrence,
        row,
        plan,
        status_of(ctx, occurrence, today),
        name(occurrence.unit_id) if occurrence.unit_id else row.lead_text,
        late if occurrence.state == OPEN else 0,
    )
    sent = [
        Sent(n.sent_at or n.created_at, n.step, name(n.person_id), n.channel, n.state)
        for n in notifications
    ]
    return Detail(
        line,
        tuple(json.loads(row.evidence_json)),
        tuple(sent[-HISTORY_LIMIT:]),
        len(sent),
        tuple(
            EvidenceView(
                e.recorded_at, name(e.person_id), e.text, files[e.id], e.on_behalf, e.undone_at
            )
            for e in evidence
        ),
        name(occurrence.closed_by) if occurrence.closed_by else "",
    )


def code_for_reminder(db: Engine, chat_id: int, message_id: int) -> str | None:
    """The occurrence code of the reminder the bot sent as `message_id` in `chat_id`; for a
    daily bundle, the code of its only item (a bundle of several items names no one)."""
    external_id = f"{chat_id}:{message_id}"
    with Session(db) as session:
        found = session.exec(
            select(Occurrence.code)
            .join(Notification, col(Notification.occurrence_id) == col(Occurrence.id))
            .where(
                col(Notification.channel) == "telegram",
                col(Notification.external_id) == external_id,
            )
        ).first()
        if found is not None:
            return found
        carried = session.exec(
            select(Occurrence.code)
            .join(ReminderFact, col(ReminderFact.occurrence_id) == col(Occurrence.id))
            .join(BundleItem, col(BundleItem.fact_id) == col(ReminderFact.id))
            .join(Notification, col(Notification.id) == col(BundleItem.notification_id))
            .where(
                col(Notification.channel) == "telegram",
                col(Notification.external_id) == external_id,
            )
            .distinct()
        ).all()
    return carried[0] if len(carried) == 1 else None


def check_can_close(
    db: Engine, ctx: EngineContext, ref: str, person_id: str
) -> tuple[Occurrence, RowRecord]:
    """Refuse early (before asking for or downloading a file) what the service would refuse.

    The service's record_evidence still decides; this only spares a person sending a file
    that cannot be accepted. ServiceError carries the reason.
    """
    with Session(db) as session:
        occurrence = find_occurrence(session, ref)
        row = session.get(RowRecord, occurrence.row_id)
    assert row is not None
    if occurrence.state != OPEN:
        raise ServiceError(
            f"Việc {occurrence.code} đã {STATE_NAMES.get(occurrence.state, occurrence.state)}."
        )
    if authority(ctx, person_id, occurrence, row) is None:
        person = ctx.directory.people[person_id]
        raise ServiceError(
            f"{person.name} không thuộc đơn vị chủ trì và không theo dõi dòng "
            f"{row.ref}, nên không thể báo hoàn thành việc {occurrence.code}."
        )
    return occurrence, row


def sent_reminders(db: Engine, occurrence_id: int) -> list[Notification]:
    """The Telegram messages the bot sent about an occurrence (to edit them when it closes)."""
    with Session(db) as session:
        return list(
            session.exec(
                select(Notification)
                .where(
                    col(Notification.occurrence_id) == occurrence_id,
                    col(Notification.channel) == "telegram",
                    col(Notification.state) == SENT,
                    col(Notification.external_id).is_not(None),
                )
                .order_by(col(Notification.id))
            )
        )
