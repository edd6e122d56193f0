"""The engine tick: find the occurrences whose next step is due, decide, write the outbox.

The tick is the only writer of escalation levels. It claims each occurrence with a
conditional UPDATE on its level, and writes that step's notifications in the same
transaction, so a double fire or a second engine is harmless and a crash between
"decided" and "sent" leaves pending outbox rows that are sent once on restart.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rules.directory import Person
from rules.escalation import Firing, Step, latest_due, moment
from scheduler.bundles import compose_due
from scheduler.dbapi import db_value, is_sqlite
from scheduler.due import Contended, DueOccurrence, Move, claim, due_batch
from scheduler.engine_context import EngineContext
from scheduler.gc_pause import collector_paused
from scheduler.models import (
    PENDING,
    PlanRecord,
    RowRecord,
)
from scheduler.people import audience, channels_for, linked_chats
from scheduler.template_data import notification_context
from scheduler.tick_rows import TickRows

log = logging.getLogger("nhacviec.engine")
# Occurrences claimed per transaction: big enough that a busy morning is a few
# transactions (each re-reads the batch's rows), small enough to keep each one short.
BATCH = 2000


@dataclass
class TickReport:
    occurrences: int = 0
    notifications: int = 0
    decided: list[tuple[str, str, int]] = field(default_factory=list)  # (code, step, count)
    bundles: int = 0  # bundle outbox rows composed

    def record(self, occurrence: DueOccurrence, firing: Firing | None, rows: TickRows) -> None:
        self.occurrences += 1
        self.notifications += len(rows)
        if firing is not None:
            self.decided.append((occurrence.code, firing.step.name, len(rows)))


@dataclass(frozen=True)
class _Instant:
    """What a tick computes once for the moment it runs at, not once per occurrence."""

    now: datetime
    today: date  # local
    send_at: datetime  # `now`, or the next working morning when outside working hours
    bundle_at: datetime  # the first bundle moment that may carry a fact decided now
    linked: dict[str, int]  # person id -> linked Telegram chat
    stored: tuple[object, object, object]  # now, send_at, bundle_at in the database's form
    # Who hears a step of a unit's occurrence depends on the row only through its
    # coordinating units and monitors, which most rows of a plan share.
    hearers: dict[tuple[Step, str, str, str, str], list[tuple[Person, str]]] = field(
        default_factory=dict
    )
    channels: dict[tuple[str, tuple[str, ...]], list[str]] = field(default_factory=dict)


class Ticker:
    """Runs ticks against the database with a given engine context."""

    def __init__(self, db: Engine, ctx: EngineContext) -> None:
        self.db, self.ctx = db, ctx

    def tick(self, now: datetime) -> TickReport:
        """Advance every due occurrence; then, when bundling, compose the bundles now due."""
        report = TickReport()
        with collector_paused():
            self._advance_due(now, report)
            if self.ctx.bundle == "daily":
                report.bundles = compose_due(self.db, self.ctx, now)
        return report

    def _advance_due(self, now: datetime, report: TickReport) -> None:
        at: _Instant | None = None
        while True:
            with Session(self.db, expire_on_commit=False) as session:
                due = due_batch(session, now, BATCH)
                if not due:
                    return
                if at is None:  # once a tick: its batches share the moment and the audiences
                    at = self._instant(session, now)
                try:
                    self._advance_batch(session, due, at, report)
                except (IntegrityError, Contended):  # another engine was there first
                    session.rollback()
                    self._advance_one_by_one(session, due, at, report)
            if len(due) < BATCH:
                return

    def _instant(self, session: Session, now: datetime) -> _Instant:
        send_at, bundle_at = self.ctx.sending_moment(now), self.ctx.bundle_moment(now)
        stored = partial(db_value, sqlite=is_sqlite(session))
        return _Instant(
            now,
            now.astimezone(self.ctx.tz).date(),
            send_at,
            bundle_at,
            linked_chats(session),
            (stored(now), stored(send_at), stored(bundle_at)),
        )

    def _advance_batch(
        self,
        session: Session,
        due: Sequence[DueOccurrence],
        at: _Instant,
        report: TickReport,
    ) -> None:
        """One transaction for the batch: one claiming UPDATE and one bulk insert."""
        plans = self._plan_batch(due, at)
        claimed = claim(session, plans)
        rows = self._rows_of(session, due)
        written = TickRows()
        decided = []
        for occurrence, current, _next_at in plans:
            if occurrence.id not in claimed:
                continue  # another engine moved it first
            decision = self._outcome(occurrence, current, at, rows)
            written.add(decision[1])
            decided.append((occurrence, decision))
        written.write(session)
        session.commit()
        for occurrence, decision in decided:
            report.record(occurrence, *decision)

    def _advance_one_by_one(
        self,
        session: Session,
        due: Sequence[DueOccurrence],
        at: _Instant,
        report: TickReport,
    ) -> None:
        rows = self._rows_of(session, due)
        for plan in self._plan_batch(due, at):
            occurrence, current, _next_at = plan
            try:
                if occurrence.id not in claim(session, [plan]):
                    session.rollback()
                    continue
                decision = self._outcome(occurrence, current, at, rows)
                decision[1].write(session)
                session.commit()
            except IntegrityError:
                session.rollback()
                continue
            report.record(occurrence, *decision)

    @staticmethod
    def _rows_of(
        session: Session, due: Sequence[DueOccurrence]
    ) -> dict[int, tuple[RowRecord, PlanRecord]]:
        """The plan rows (and their plans) of a batch, in one query."""
        ids = {o.row_id for o in due}
        found = session.exec(
            select(RowRecord, PlanRecord)
            .join(PlanRecord, col(RowRecord.plan_id) == col(PlanRecord.id))
            .where(col(RowRecord.id).in_(ids))
        )
        return {row.id or 0: (row, plan) for row, plan in found}

    def _plan_batch(self, due: Sequence[DueOccurrence], at: _Instant) -> list[Move]:
        """For each occurrence, the latest step due now and when the next one falls."""
        ctx = self.ctx
        plans: list[Move] = []
        # Occurrences of one deadline (a row's units, a group's members) share their ladder.
        known: dict[tuple[object, ...], tuple[Firing | None, datetime | None]] = {}
        for occurrence in due:
            key = (occurrence.kind, occurrence.level, occurrence.opens_on, occurrence.due_on)
            if key not in known:
                current, following = latest_due(
                    ctx.policy_for(occurrence.kind),
                    occurrence.level,
                    occurrence.opens_on,
                    occurrence.due_on,
                    ctx.calendar,
                    at.now,
                    ctx.work_start,
                    ctx.tz,
                )
                next_at = moment(following.day, ctx.work_start, ctx.tz) if following else None
                known[key] = (current, next_at)
            plans.append((occurrence, *known[key]))
        return plans

    def _outcome(
        self,
        occurrence: DueOccurrence,
        current: Firing | None,
        at: _Instant,
        rows: dict[int, tuple[RowRecord, PlanRecord]],
    ) -> tuple[Firing | None, TickRows]:
        """A claimed occurrence's outbox rows for the step it reached."""
        row, plan = rows[occurrence.row_id]
        outbox = self._outbox_rows(row, plan, occurrence, current, at) if current else TickRows()
        return current, outbox

    def _outbox_rows(
        self,
        row: RowRecord,
        plan: PlanRecord,
        occurrence: DueOccurrence,
        firing: Firing,
        at: _Instant,
    ) -> TickRows:
        """The step's outbox rows, or its facts when bundled."""
        ctx = self.ctx
        bundled = ctx.bundle == "daily" and not firing.step.urgent
        rows = TickRows()
        stored_now, stored_send_at, stored_bundle_at = at.stored
        payloads: dict[str, str] = {}  # the context differs only by why a person receives it
        step = firing.step
        heard = (
            step,
            occurrence.unit_id,
            row.coordinating_json,
            row.monitors_json,
            row.monitor_units_json,
        )
        if heard not in at.hearers:
            at.hearers[heard] = audience(ctx.directory, step, occurrence, row)
        for person, reason in at.hearers[heard]:
            reached = (person.id, step.channels)
            if reached not in at.channels:
                at.channels[reached] = channels_for(person, step.channels, at.linked)
            channels = at.channels[reached]
            if bundled:  # the bundle reads what it says from the occurrence (scheduler/bundles.py)
                rows.facts.append(
                    (  # in FACT_COLUMNS order
                        f"occ{occurrence.id}/L{firing.level}/{person.id}",
                        occurrence.id,
                        step.name,
                        firing.level,
                        person.id,
                        reason,
                        ",".join(channels),
                        step.template,
                        "{}",
                        PENDING,
                        stored_bundle_at,
                        stored_now,
                    )
                )
                continue
            if reason not in payloads:
                context = notification_context(ctx, plan, row, occurrence, firing, reason, at.today)
                payloads[reason] = json.dumps(context, ensure_ascii=False)
            for channel in channels:
                rows.outbox.append(
                    (  # in OUTBOX_COLUMNS order
                        f"occ{occurrence.id}/L{firing.level}/{person.id}/{channel}",
                        occurrence.id,
                        step.name,
                        person.id,
                        channel,
                        step.template,
                        payloads[reason],
                        PENDING,
                        0,
                        stored_send_at,
                        stored_now,
                    )
                )
        if not rows:
            log.warning(
                "occurrence %s (%s): step %s has nobody to notify",
                occurrence.code,
                row.ref,
                firing.step.name,
            )
        return rows
