"""What the evidence page shows about one occurrence: the row as the plan states it, the
deadline in words, the evidence asked for and given, and the reminders sent so far."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scheduler.engine_context import EngineContext
from scheduler.models import (
    DONE,
    OPEN,
    SENT,
    WAIVED,
    Evidence,
    EvidenceFile,
    Notification,
    Occurrence,
    PlanRecord,
    RowRecord,
)
from scheduler.queries import status_of
from scheduler.service import UNDO_WINDOW, authority

HISTORY_LIMIT = 30
STEP_NAMES = {
    "mo-dot": "mở đợt",
    "truoc-5-ngay": "trước hạn 5 ngày",
    "truoc-1-ngay": "trước hạn 1 ngày",
    "den-han": "đến hạn",
    "qua-han-1": "quá hạn",
    "qua-han-qmr": "báo QMR",
    "qua-han-lanh-dao": "báo lãnh đạo",
    "nhac-lai-hang-tuan": "nhắc lại hằng tuần",
    "kiem-tra": "kiểm tra định kỳ",
}
CHANNEL_NAMES = {"email": "thư điện tử", "telegram": "Telegram"}


@dataclass(frozen=True)
class SentItem:
    at: datetime
    step: str
    person: str
    channel: str


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    at: datetime
    person_id: str
    person: str
    channel: str
    text: str
    files: tuple[tuple[int, str, int], ...]  # (file id, name, size)
    on_behalf: bool
    undone_at: datetime | None


@dataclass(frozen=True)
class TaskView:
    occurrence: Occurrence
    row: RowRecord
    plan: PlanRecord
    status: str  # open | due | overdue | done | late | waived | retired
    days_late: int  # working days late: past due while open, or when it was done
    unit: str
    deadline_words: str
    asked: tuple[str, ...]
    sent: tuple[SentItem, ...]
    evidence: tuple[EvidenceItem, ...]
    may_close: bool  # the person's unit leads it, or they monitor the row

    def undoable(self, person_id: str, now: datetime) -> EvidenceItem | None:
        """This person's evidence that closed it, while the 24-hour undo window lasts."""
        for item in reversed(self.evidence):
            if item.person_id == person_id and item.undone_at is None:
                return item if now - item.at < UNDO_WINDOW else None
        return None


class Dated(Protocol):
    """What a state is computed from: an Occurrence, or a row of its columns."""

    state: str
    opens_on: date | None
    due_on: date
    closed_at: datetime | None


def cell_state(ctx: EngineContext, occurrence: Dated, today: date) -> tuple[str, int]:
    """(state, working days late): done on time / late, overdue, due, open, waived."""
    if occurrence.state == DONE:
        closed = (occurrence.closed_at or datetime.min).astimezone(ctx.tz).date()
        late = max(0, ctx.calendar.working_days_between(occurrence.due_on, closed))
        return ("late" if late else "done"), late
    if occurrence.state == WAIVED:
        return "waived", 0
    status = status_of(ctx, occurrence, today)
    late = ctx.calendar.working_days_between(occurrence.due_on, today) if status == "overdue" else 0
    return status, max(0, late)


def deadline_words(ctx: EngineContext, due: date, today: date, closed: bool) -> str:
    if closed:
        return ""
    days = (due - today).days
    working = ctx.calendar.working_days_between(today, due)
    if days > 0:
        return f"còn {days} ngày ({max(working, 0)} ngày làm việc)"
    if days == 0:
        return "hôm nay là hạn chót"
    return f"đã trễ {-days} ngày ({max(-working, 0)} ngày làm việc)"


def _evidence(session: Session, ctx: EngineContext, occurrence_id: int) -> tuple[EvidenceItem, ...]:
    items = []
    rows = session.exec(
        select(Evidence)
        .where(col(Evidence.occurrence_id) == occurrence_id)
        .order_by(col(Evidence.id))
    ).all()
    for e in rows:
        files = session.exec(select(EvidenceFile).where(EvidenceFile.evidence_id == e.id)).all()
        items.append(
            EvidenceItem(
                e.id or 0,
                e.recorded_at,
                e.person_id,
                ctx.directory.display_name(e.person_id),
                e.channel,
                e.text,
                tuple((f.id or 0, f.original_name, f.size) for f in files),
                e.on_behalf,
                e.undone_at,
            )
        )
    return tuple(items)


def task_view(
    db: Engine, ctx: EngineContext, occurrence_id: int, person_id: str, today: date
) -> TaskView | None:
    with Session(db) as session:
        occurrence = session.get(Occurrence, occurrence_id)
        if occurrence is None:
            return None
        row = session.get(RowRecord, occurrence.row_id)
        plan = session.get(PlanRecord, row.plan_id) if row else None
        if row is None or plan is None:
            return None
        sent = session.exec(
            select(Notification)
            .where(Notification.occurrence_id == occurrence_id, Notification.state == SENT)
            .order_by(col(Notification.sent_at), col(Notification.id))
        ).all()
        evidence = _evidence(session, ctx, occurrence_id)
    name = ctx.directory.display_name
    return TaskView(
        occurrence,
        row,
        plan,
        *cell_state(ctx, occurrence, today),
        name(occurrence.unit_id) if occurrence.unit_id else row.lead_text,
        deadline_words(ctx, occurrence.due_on, today, occurrence.state != OPEN),
        tuple(json.loads(row.evidence_json)),
        tuple(
            SentItem(
                n.sent_at or n.created_at,
                STEP_NAMES.get(n.step.split(":")[0], n.step),
                name(n.person_id),
                CHANNEL_NAMES.get(n.channel, n.channel),
            )
            for n in sent[-HISTORY_LIMIT:]
        ),
        evidence,
        authority(ctx, person_id, occurrence, row) is not None,
    )
