"""The plan's state at any moment, from its occurrences and closures, without replaying.

A database holds the occurrences (synced from the plan) and what closed them (evidence,
waivers, with their instants). Each occurrence's level at the moment, and the steps it
fired in the week before, follow from its ladder (rules.moment); the levels and outbox
rows the engine wrote are not read. So `status --at` and `digest --preview --at` answer
for any moment of the year at the cost of one read, where a replay ticked the whole year.

`prepare` fills a fresh database the way a year's run would have: the plans synced on
1 January, assumed evidence logged at noon on its day (which starts the follow-up rows).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import select as core_select
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, col, create_engine, select

from rules.moment import Ladder, Tick, climb
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.models import DONE, OPEN, WAIVED, Occurrence, PlanRecord, RowRecord
from scheduler.queries import StatusLine, status_of
from scheduler.service import ServiceError, waive
from scheduler.simulate import EVIDENCE_TIME, EvidenceAt, log_row_evidence
from scheduler.sync import EVENT_KINDS, sync_plan

LISTED = (OPEN, DONE, WAIVED)  # as status_lines lists them: not retired


@dataclass(frozen=True)
class Fired:
    """A step the engine fired for an occurrence (as it stood at the moment)."""

    line: StatusLine
    tick: Tick


@dataclass(frozen=True)
class Moment:
    at: datetime
    lines: tuple[StatusLine, ...]  # every occurrence that existed then, as it stood
    fired: tuple[Fired, ...]  # the steps fired after `since`, in time order


def scratch_database() -> Engine:
    """An empty in-memory database at the models' schema, for a preview that keeps
    nothing: no file, no migrations to run."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    SQLModel.metadata.create_all(engine)
    return engine


def known_or_planned(
    db: Engine, ctx: EngineContext, plans: Sequence[CompiledPlan], at: datetime
) -> tuple[Engine, bool]:
    """The database to read a moment from: `db` when it holds occurrences (with the
    evidence logged so far), else the plans synced into a scratch one, with no evidence.
    And whether it is the scratch one."""
    with Session(db) as session:
        if session.exec(select(Occurrence.id).limit(1)).first() is not None:
            return db, False
    scratch = scratch_database()
    prepare(scratch, ctx, plans, min(year_start(plans, ctx, at.year), at))
    return scratch, True


def year_start(plans: Sequence[CompiledPlan], ctx: EngineContext, fallback: int) -> datetime:
    """Where a year's run starts: midnight on 1 January of the earliest plan's year."""
    year = min((p.plan.year for p in plans), default=fallback)
    return datetime.combine(date(year, 1, 1), time(0, 0), tzinfo=ctx.tz)


def prepare(
    db: Engine,
    ctx: EngineContext,
    plans: Sequence[CompiledPlan],
    start: datetime,
    evidence: Sequence[EvidenceAt] = (),
    waivers: Sequence[EvidenceAt] = (),
) -> list[str]:
    """Sync `plans` into an empty database at `start`, then log the assumed evidence and
    the QMR's waivers in date order; what could not be logged, in Vietnamese."""
    with Session(db) as session:
        for plan in plans:
            sync_plan(session, ctx, plan, start)
        session.commit()
    problems: list[str] = []
    waived = set(waivers)
    for item in sorted([*evidence, *waivers], key=lambda e: e.day):
        at = datetime.combine(item.day, EVIDENCE_TIME, tzinfo=ctx.tz)
        problems += log_assumed(db, ctx, item, at, waived=item in waived)
    return problems


def log_assumed(
    db: Engine, ctx: EngineContext, item: EvidenceAt, now: datetime, *, waived: bool = False
) -> list[str]:
    """Evidence for a row as a simulation logs it, or the QMR waiving the row's open
    occurrences with the nearest due date; what could not be done, in Vietnamese."""
    if not waived:
        return log_row_evidence(db, ctx, item, now)
    with Session(db) as session:
        found = session.exec(
            select(Occurrence)
            .join(RowRecord)
            .where(col(RowRecord.ref) == item.row_ref, col(Occurrence.state) == OPEN)
            .order_by(col(Occurrence.due_on), col(Occurrence.id))
        ).all()
    qmr = ctx.directory.role_people("qmr")
    if not found or not qmr:
        return [f"{item.row_ref}: không có việc đang mở (hoặc chưa có QMR) để miễn vào {item.day}"]
    problems = []
    for occurrence in (o for o in found if o.due_on == found[0].due_on):
        try:
            waive(db, ctx, occurrence.code, qmr[0].id, "Miễn (giả định)", now)
        except ServiceError as exc:
            problems.append(f"{item.row_ref}: {exc}")
    return problems


def state_at(
    db: Engine,
    ctx: EngineContext,
    at: datetime,
    *,
    since: datetime | None = None,
    unit: str | None = None,
) -> Moment:
    """Every occurrence as it stood at `at`: closed only if closed by then, at the level
    its ladder had reached; and the steps fired after `since` (none when it is None)."""
    today = at.astimezone(ctx.tz).date()
    ladder = Ladder(ctx.calendar, ctx.work_start, ctx.tz)
    lines, fired = [], []
    unit_names = {u: ctx.directory.display_name(u) or "?" for u in ctx.directory.units}
    for values, row, plan in _occurrences(db, at, unit):
        closed = values["closed_at"] is not None
        # A dated deadline is the plan's from its start, even when the engine synced it
        # later than the moment asked about; a follow-up exists from its start only.
        values["created_at"] = min(values["created_at"], at)
        path = climb(
            ctx.policy_for(values["kind"]),
            values["opens_on"],
            values["due_on"],
            ladder,
            values["created_at"],
            values["closed_at"] or at,
            since=since if since is not None else at,
            stopped=closed,
        )
        # Built once, whole: an object SQLAlchemy does not track cannot be changed after.
        then = Occurrence.model_construct(**(values | {"level": path.level}))
        late = 0 if closed else max(0, ctx.calendar.working_days_between(then.due_on, today))
        line = StatusLine(
            then,
            row,
            plan,
            status_of(ctx, then, today),
            unit_names.get(then.unit_id) or ctx.directory.display_name(then.unit_id) or "?",
            late,
        )
        lines.append(line)
        fired += [Fired(line, tick) for tick in path.ticks]
    fired.sort(key=lambda f: (f.tick.at, f.line.occurrence.id or 0))
    return Moment(at, tuple(lines), tuple(fired))


def _occurrences(
    db: Engine, at: datetime, unit: str | None
) -> Iterator[tuple[dict[str, Any], RowRecord, PlanRecord]]:
    """The occurrences that existed at `at` (a follow-up started later did not), each as
    it stood then (a closure after `at` had not happened), with its row and plan, in the
    order of `status_lines`. Read as plain rows: ORM objects for a province's tens of
    thousands of occurrences cost more than all the rest of a preview."""
    table = Occurrence.__table__  # type: ignore[attr-defined]  # SQLModel declares it loosely
    query = (
        core_select(table)
        .join(RowRecord.__table__, table.c.row_id == RowRecord.__table__.c.id)  # type: ignore[attr-defined]  # as above
        .where(
            table.c.state.in_(LISTED),
            (table.c.created_at <= at) | table.c.kind.not_in(EVENT_KINDS),
        )
        .order_by(table.c.due_on, table.c.row_id, table.c.id)
    )
    if unit:
        query = query.where(table.c.unit_id == unit)
    with Session(db) as session:
        rows = {
            row.id: (row, plan)
            for row, plan in session.exec(
                select(RowRecord, PlanRecord).join(
                    PlanRecord, col(RowRecord.plan_id) == col(PlanRecord.id)
                )
            )
        }
        result = session.connection().execute(query)
        names = list(result.keys())
        found = result.all()
    for plain in found:
        values = dict(zip(names, plain, strict=True))
        if values["closed_at"] is not None and values["closed_at"] > at:
            values |= {"state": OPEN, "closed_at": None, "closed_by": None}
        row, plan = rows[values["row_id"]]
        yield values, row, plan
