"""A past year is not a flood: what starting the engine now would send at once.

The estimate runs the real tick on a copy of the database (SQLite: a backup of the file;
another database: a fresh copy of the plans, without the evidence already logged) and
counts the outbox rows it would create, so `run` can ask first and `run --dry-run` can
show them without sending anything.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from scheduler.audit import audit
from scheduler.db import make_engine, open_database
from scheduler.models import OPEN, WAIVED, Notification, Occurrence, ReminderFact, RowRecord
from scheduler.runner import Prepared, prepare
from scheduler.ticker import Ticker

FROM_TODAY_REASON = "Không theo dõi: hạn trước ngày bắt đầu dùng nhắc việc (run --from-today)"


@dataclass(frozen=True)
class Outgoing:
    row: str
    person_id: str
    channel: str
    step: str


@dataclass
class Estimate:
    outgoing: list[Outgoing] = field(default_factory=list)
    past: int = 0  # open occurrences whose deadline is before today
    total: int = 0  # occurrences with a deadline

    @property
    def people(self) -> int:
        return len({o.person_id for o in self.outgoing})

    @property
    def past_share(self) -> float:
        return self.past / self.total if self.total else 0.0


def _copy(prepared: Prepared, folder: Path) -> Engine:
    url = prepared.db.url
    target = folder / "copy.db"
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return make_engine(f"sqlite:///{target}")
    copy_db = open_database(f"sqlite:///{target}")
    prepare(prepared.ctx, prepared.plans, copy_db, datetime.now(UTC))
    return copy_db


def estimate(prepared: Prepared, now: datetime) -> Estimate:
    """What one tick at `now` would queue, without touching the real database."""
    today = now.astimezone(prepared.ctx.tz).date()
    result = Estimate()
    with Session(prepared.db) as session:
        result.total = session.exec(select(func.count()).select_from(Occurrence)).one()
        result.past = session.exec(
            select(func.count())
            .select_from(Occurrence)
            .where(Occurrence.state == OPEN, Occurrence.due_on < today)
        ).one()
    with tempfile.TemporaryDirectory(prefix="nhacviec-dry-") as folder:
        copy = _copy(prepared, Path(folder))
        try:
            with Session(copy) as session:
                before = session.exec(select(func.max(Notification.id))).one() or 0
                facts_before = session.exec(select(func.max(ReminderFact.id))).one() or 0
            Ticker(copy, prepared.ctx).tick(now)
            with Session(copy) as session:
                rows = session.exec(
                    select(Notification, RowRecord)
                    .join(Occurrence, col(Notification.occurrence_id) == col(Occurrence.id))
                    .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
                    .where(col(Notification.id) > before)
                    .order_by(Notification.person_id, col(RowRecord.id))
                ).all()
                # Under daily bundles the tick writes facts; each reaches its person on
                # every channel they have, in the next bundle.
                facts = session.exec(
                    select(ReminderFact, RowRecord)
                    .join(Occurrence, col(ReminderFact.occurrence_id) == col(Occurrence.id))
                    .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
                    .where(col(ReminderFact.id) > facts_before)
                    .order_by(ReminderFact.person_id, col(RowRecord.id))
                ).all()
            result.outgoing = [Outgoing(r.ref, n.person_id, n.channel, n.step) for n, r in rows]
            result.outgoing += [
                Outgoing(r.ref, f.person_id, channel, f.step)
                for f, r in facts
                for channel in f.channels.split(",")
                if channel
            ]
        finally:
            copy.dispose()
    return result


def untrack_past(db: Engine, today: date, now: datetime) -> int:
    """--from-today: every open occurrence due before today is closed as not tracked."""
    with Session(db) as session:
        ids = session.exec(
            select(Occurrence.id).where(Occurrence.state == OPEN, Occurrence.due_on < today)
        ).all()
        if ids:
            session.exec(
                update(Occurrence)
                .where(col(Occurrence.id).in_(ids))
                .values(
                    state=WAIVED,
                    closed_at=now,
                    closed_by="cli",
                    next_step_at=None,
                    waiver_reason=FROM_TODAY_REASON,
                )
            )
            audit(
                session,
                now,
                "cli",
                "from-today",
                f"occurrences:{len(ids)}",
                {"before": today.isoformat()},
            )
        session.commit()
    return len(ids)
