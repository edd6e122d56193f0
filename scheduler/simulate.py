"""Run the real engine over a period on a virtual clock and report what it would send.

The clock jumps from one due step to the next (and to each evidence moment), calling the
same tick that `run` calls; nothing is delivered: the outbox rows are the timeline, one Message per row (a daily
bundle, an unbundled reminder), with the items it carries.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from scheduler.bundles import BUNDLE
from scheduler.clock import ManualClock
from scheduler.db import session_scope
from scheduler.dbapi import fetch_all
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.models import (
    OPEN,
    PENDING,
    Notification,
    Occurrence,
    ReminderFact,
    RowRecord,
)
from scheduler.service import ServiceError, record_evidence_in
from scheduler.sync import sync_plan
from scheduler.ticker import Ticker

EVIDENCE_TIME = time(12, 0)  # evidence given "on a date" is logged at noon, local time


# A year's timeline is tens of thousands of outbox rows and hundreds of thousands of
# bundle items: read through the DBAPI cursor, as plain tuples (SQLAlchemy's result
# processing of them was a sixth of a simulated year).
_ENTRIES = (
    "SELECT id, next_attempt_at, person_id, channel, template, step, context_json"
    " FROM notification WHERE id > ? ORDER BY id"
)
_DIRECT_ITEMS = (
    "SELECT notification.id, notification.step, occurrence.code, plan_row.ref, occurrence.label"
    " FROM notification JOIN occurrence ON notification.occurrence_id = occurrence.id"
    " JOIN plan_row ON occurrence.row_id = plan_row.id WHERE notification.id > ?"
)
_BUNDLED_ITEMS = (
    "SELECT bundle_item.notification_id, reminder_fact.step, occurrence.code, plan_row.ref,"
    " occurrence.label FROM bundle_item"
    " JOIN reminder_fact ON bundle_item.fact_id = reminder_fact.id"
    " JOIN occurrence ON reminder_fact.occurrence_id = occurrence.id"
    " JOIN plan_row ON occurrence.row_id = plan_row.id"
    " WHERE bundle_item.notification_id > ? ORDER BY bundle_item.id"
)


class MessageItem(NamedTuple):
    """One (occurrence, step) a message carries."""

    code: str
    row: str
    step: str
    label: str = ""

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "row": self.row, "step": self.step}


@dataclass(frozen=True)
class Message:
    """One message delivered to one person on one channel."""

    at: datetime  # local time
    to: str  # person id
    name: str
    channel: str
    kind: str  # "bundle", "digest", "reply", or the step of an unbundled reminder
    items: tuple[MessageItem, ...]
    # The row's context, read only when asked (a year holds tens of thousands of bundles
    # whose context nobody reads: decoding every one was a tenth of a simulation).
    context_json: str = field(default="{}", repr=False, compare=False)

    @property
    def subject(self) -> str:
        """A bundle's subject line, when its context carries one."""
        return str(json.loads(self.context_json).get("subject_text", ""))

    def to_json(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "to": self.to,
            "channel": self.channel,
            "kind": self.kind,
            "items": [i.to_json() for i in self.items],
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

    def run(self, start: date, end: date, evidence: Sequence[EvidenceAt] = ()) -> Iterator[Message]:
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
            next_bundle = session.exec(
                select(func.min(ReminderFact.not_before)).where(ReminderFact.state == PENDING)
            ).one()
        candidates = [c for c in (next_step, next_bundle) if c is not None]
        if pending:
            candidates.append(self._evidence_moment(pending[0]))
        return min(candidates) if candidates else None

    def _log_evidence(self, item: EvidenceAt, now: datetime) -> None:
        self.problems += log_row_evidence(self.db, self.ctx, item, now)

    def _max_notification_id(self) -> int:
        with Session(self.db) as session:
            return session.exec(select(func.max(Notification.id))).one() or 0

    def _new_entries(self, after: int) -> tuple[list[Message], int]:
        with Session(self.db) as session:
            notes = fetch_all(session, _ENTRIES, [after])
            if not notes:
                return [], after
            carried = _items_after(session, after)
        tz, names = self.ctx.tz, self.ctx.directory.display_name
        messages = [
            Message(
                _instant(next_at).astimezone(tz),
                person_id,
                names(person_id),
                channel,
                template if template in (BUNDLE, "digest") else step,
                carried.get(note_id, ()),
                context_json,
            )
            for note_id, next_at, person_id, channel, template, step, context_json in notes
        ]
        last = notes[-1][0]  # in id order
        return sorted(messages, key=lambda m: (m.at, m.to, m.channel)), last


def _instant(stored: datetime | str) -> datetime:
    """An instant as the driver gives it: PostgreSQL's aware datetime, or SQLite's text
    in UTC (as SQLModel's UTCDateTime writes it)."""
    return (
        stored
        if isinstance(stored, datetime)
        else datetime.fromisoformat(stored).replace(tzinfo=UTC)
    )


def log_row_evidence(db: Engine, ctx: EngineContext, item: EvidenceAt, now: datetime) -> list[str]:
    """Evidence for a row: its open occurrences with the nearest due date, for each unit.
    What could not be logged, in Vietnamese (a simulation reports it and goes on)."""
    with Session(db) as session:
        rows = session.exec(
            select(Occurrence)
            .join(RowRecord)
            .where(col(RowRecord.ref) == item.row_ref, col(Occurrence.state) == OPEN)
            .order_by(col(Occurrence.due_on))
        ).all()
    if not rows:
        return [f"{item.row_ref}: không có việc đang mở vào {item.day}"]
    problems = []
    nearest = rows[0].due_on
    # One transaction for the row's closures (one commit each was most of a simulated year
    # with evidence); record_evidence_in refuses before writing, so the others go on.
    with session_scope(db) as session:
        for occurrence in (o for o in rows if o.due_on == nearest):
            try:
                record_evidence_in(
                    session,
                    ctx,
                    occurrence.code,
                    _someone_who_may_close(ctx, occurrence),
                    "Minh chứng (mô phỏng)",
                    [],
                    "simulate",
                    now,
                )
            except ServiceError as exc:
                problems.append(f"{item.row_ref}: {exc}")
    return problems


def _someone_who_may_close(ctx: EngineContext, occurrence: Occurrence) -> str:
    directory = ctx.directory
    people = directory.unit_contacts(occurrence.unit_id) if occurrence.unit_id else ()
    people = people or directory.role_people("qmr")
    return people[0].id if people else ""


def _items_after(session: Session, after: int) -> dict[int, tuple[MessageItem, ...]]:
    """What each outbox row after `after` carries: its own occurrence, or its bundle's facts."""
    found: dict[int, list[MessageItem]] = {}
    for query in (_DIRECT_ITEMS, _BUNDLED_ITEMS):
        for note_id, step, code, ref, label in fetch_all(session, query, [after]):
            found.setdefault(note_id, []).append(MessageItem(code, ref, step, label))
    return {k: tuple(v) for k, v in found.items()}
