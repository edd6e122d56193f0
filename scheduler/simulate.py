"""Run the real engine over a period on a virtual clock and report what it would send.

The clock jumps from one due step to the next (and to each evidence moment), calling the
same tick that `run` calls; nothing is delivered: the outbox rows are the timeline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from scheduler.clock import ManualClock
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.models import OPEN, Notification, Occurrence, RowRecord
from scheduler.service import ServiceError, record_evidence
from scheduler.sync import sync_plan
from scheduler.ticker import Ticker

EVIDENCE_TIME = time(12, 0)  # evidence given "on a date" is logged at noon, local time


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    row: str
    label: str
    step: str
    to: tuple[str, ...]
    channel: str
    code: str

    def to_json(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "row": self.row,
            "label": self.label,
            "step": self.step,
            "to": list(self.to),
            "channel": self.channel,
            "code": self.code,
        }


@dataclass(frozen=True)
class EvidenceAt:
    row_ref: str
    day: date


class Simulation:
    def __init__(self, db: Engine, ctx: EngineContext, plans: list[CompiledPlan]) -> None:
        self.db, self.ctx, self.plans = db, ctx, plans
        self.ticker = Ticker(db, ctx)
        self.problems: list[str] = []

    def run(
        self, start: date, end: date, evidence: Sequence[EvidenceAt] = ()
    ) -> Iterator[TimelineEntry]:
        tz = self.ctx.tz
        clock = ManualClock(datetime.combine(start, time(0, 0), tzinfo=tz))
        finish = datetime.combine(end + timedelta(days=1), time(0, 0), tzinfo=tz)
        with Session(self.db) as session:
            for plan in self.plans:
                sync_plan(session, self.ctx, plan, clock.now())
            session.commit()
        pending = sorted(evidence, key=lambda e: e.day)
        seen = self._max_notification_id()
        while True:
            moment = self._next_moment(pending)
            if moment is None or moment >= finish:
                return
            clock.set(max(moment, clock.now()))
            while pending and self._evidence_moment(pending[0]) <= clock.now():
                self._log_evidence(pending.pop(0), clock.now())
            self.ticker.tick(clock.now())
            entries, seen = self._new_entries(seen)
            yield from entries

    def _evidence_moment(self, item: EvidenceAt) -> datetime:
        return datetime.combine(item.day, EVIDENCE_TIME, tzinfo=self.ctx.tz)

    def _next_moment(self, pending: list[EvidenceAt]) -> datetime | None:
        with Session(self.db) as session:
            next_step = session.exec(
                select(func.min(Occurrence.next_step_at)).where(col(Occurrence.state) == OPEN)
            ).one()
        candidates = [c for c in (next_step,) if c is not None]
        if pending:
            candidates.append(self._evidence_moment(pending[0]))
        return min(candidates) if candidates else None

    def _log_evidence(self, item: EvidenceAt, now: datetime) -> None:
        """Evidence for a row: its open occurrences with the nearest due date, for each unit."""
        with Session(self.db) as session:
            rows = session.exec(
                select(Occurrence)
                .join(RowRecord)
                .where(col(RowRecord.ref) == item.row_ref, col(Occurrence.state) == OPEN)
                .order_by(col(Occurrence.due_on))
            ).all()
        if not rows:
            self.problems.append(f"{item.row_ref}: không có việc đang mở vào {item.day}")
            return
        nearest = rows[0].due_on
        for occurrence in (o for o in rows if o.due_on == nearest):
            by = self._someone_who_may_close(occurrence)
            try:
                record_evidence(
                    self.db,
                    self.ctx,
                    occurrence.code,
                    by,
                    "Minh chứng (mô phỏng)",
                    [],
                    "simulate",
                    now,
                )
            except ServiceError as exc:
                self.problems.append(f"{item.row_ref}: {exc}")

    def _someone_who_may_close(self, occurrence: Occurrence) -> str:
        directory = self.ctx.directory
        people = directory.unit_contacts(occurrence.unit_id) if occurrence.unit_id else ()
        people = people or directory.role_people("qmr")
        return people[0].id if people else ""

    def _max_notification_id(self) -> int:
        with Session(self.db) as session:
            return session.exec(select(func.max(Notification.id))).one() or 0

    def _new_entries(self, after: int) -> tuple[list[TimelineEntry], int]:
        with Session(self.db) as session:
            rows = session.exec(
                select(Notification, Occurrence, RowRecord)
                .join(Occurrence, col(Notification.occurrence_id) == col(Occurrence.id))
                .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
                .where(col(Notification.id) > after)
                .order_by(col(Notification.id))
            ).all()
        grouped: dict[tuple[int, str, str], list[tuple[Notification, Occurrence, RowRecord]]] = {}
        for note, occurrence, row in rows:
            grouped.setdefault((occurrence.id or 0, note.step, note.channel), []).append(
                (note, occurrence, row)
            )
        entries = []
        for items in grouped.values():
            note, occurrence, row = items[0]
            names = tuple(self.ctx.directory.display_name(n.person_id) for n, _o, _r in items)
            label = occurrence.label or json.loads(note.context_json)["occurrence"]["label"]
            entries.append(
                TimelineEntry(
                    note.next_attempt_at.astimezone(self.ctx.tz),
                    row.ref,
                    label,
                    note.step,
                    names,
                    note.channel,
                    occurrence.code,
                )
            )
        last = max((n.id or 0 for n, _o, _r in rows), default=after)
        return sorted(entries, key=lambda e: (e.at, e.row, e.step, e.channel)), last
