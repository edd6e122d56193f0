"""The reference a state at a moment is checked against: the engine replayed from 1 January.

What `digest --preview --at` ran before scheduler.moment computed the state directly;
kept for the tests that compare the two and for the benchmark that times both. The
dispatcher is assumed to send everything the moment it is due: before evidence or a
waiver is logged, what was due by then counts as sent (so it is not cancelled).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, event, update
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlmodel import col

from scheduler.db import session_scope
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.models import PENDING, SENT, Notification
from scheduler.moment import log_assumed, year_start
from scheduler.simulate import EVIDENCE_TIME, EvidenceAt, Simulation
from scheduler.ticker import Ticker


def deliver_due(db: Engine, now: datetime) -> None:
    """What the dispatcher would have sent by `now`: every pending row due by then."""
    with session_scope(db) as session:
        session.exec(
            update(Notification)
            .where(col(Notification.state) == PENDING, col(Notification.next_attempt_at) <= now)
            .values(state=SENT, sent_at=Notification.next_attempt_at)
        )


class _Delivering(Simulation):
    """A simulation whose messages go out when due, and which may waive as well as log."""

    def __init__(
        self,
        db: Engine,
        ctx: EngineContext,
        plans: list[CompiledPlan],
        waivers: Sequence[EvidenceAt],
    ) -> None:
        super().__init__(db, ctx, plans)
        self.waivers = set(waivers)

    def _log_evidence(self, item: EvidenceAt, now: datetime) -> None:
        deliver_due(self.db, now)
        self.problems += log_assumed(self.db, self.ctx, item, now, waived=item in self.waivers)


def replay_until(
    db: Engine,
    ctx: EngineContext,
    plans: list[CompiledPlan],
    moment: datetime,
    evidence: Sequence[EvidenceAt] = (),
    waivers: Sequence[EvidenceAt] = (),
) -> list[str]:
    """Bring a fresh database to the state the engine would have reached at `moment`,
    starting on 1 January of the plans' year; the morning's steps fire before the digest,
    as in the engine's cycle. Waivers are the QMR's, at noon like evidence. What could not
    be logged, in Vietnamese."""
    replay = Replay(db, ctx, plans, evidence, waivers)
    replay.advance(moment)
    return replay.simulation.problems


class Replay:
    """The engine replayed from 1 January, brought to one moment after another."""

    def __init__(
        self,
        db: Engine,
        ctx: EngineContext,
        plans: list[CompiledPlan],
        evidence: Sequence[EvidenceAt] = (),
        waivers: Sequence[EvidenceAt] = (),
    ) -> None:
        if db.dialect.name == "sqlite":

            @event.listens_for(db, "connect")
            def _throwaway(dbapi_connection: DBAPIConnection, _record: object) -> None:
                dbapi_connection.execute("PRAGMA synchronous=OFF")  # nothing to keep

        self.db, self.ctx, self.plans = db, ctx, plans
        self.simulation = _Delivering(db, ctx, plans, waivers)
        self.assumed = [*evidence, *waivers]
        self.ticker = Ticker(db, ctx)
        self.day: date | None = None  # the first day the simulation has not run yet
        self.now: datetime | None = None  # how far into the day before it

    def advance(self, moment: datetime) -> None:
        """Run on to `moment` (not before the last one)."""
        if self.day is None:
            self.day = year_start(self.plans, self.ctx, moment.year).date()
        if self.now is not None and moment.date() > self.now.date():
            self._within_day(self.now, datetime.combine(self.now.date(), time.max, self.ctx.tz))
            self.now = None
        if self.now is None:
            last = moment.date() - timedelta(days=1)
            if last >= self.day:
                segment = [i for i in self.assumed if self.day <= i.day <= last]
                for _entry in self.simulation.run(self.day, last, segment):
                    pass
            self.now = datetime.combine(moment.date(), time.min, self.ctx.tz)
        self._within_day(self.now, moment)
        self.ticker.tick(moment)
        deliver_due(self.db, moment)
        self.day, self.now = moment.date() + timedelta(days=1), moment

    def _within_day(self, after: datetime, until: datetime) -> None:
        """The day's instants in (after, until]: the morning's steps and bundles, and the
        evidence of the day at noon."""
        day = until.date()
        for at in sorted({self.ctx.work_start, self.ctx.send_at, EVIDENCE_TIME}):
            instant = datetime.combine(day, at, tzinfo=self.ctx.tz)
            if instant <= after or instant > until:
                continue
            if at == EVIDENCE_TIME:
                for item in (i for i in self.assumed if i.day == day):
                    self.simulation._log_evidence(item, instant)
            self.ticker.tick(instant)
            deliver_due(self.db, instant)
