"""The weekly digest's numbers: what is late, who is late, what was escalated, what is coming.

Computed from the database for a given instant; nothing here reads a clock or sends
anything, so the weekly check, `digest --preview` and the tests share one function.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from rules.escalation import firing_at, ladder
from rules.plan import PlanProblem
from scheduler.engine_context import EngineContext
from scheduler.models import (
    CANCELLED,
    DONE,
    FAILED,
    OPEN,
    SENT,
    DeliveryProblem,
    Evidence,
    Notification,
    Occurrence,
    PlanRecord,
    RowRecord,
)
from scheduler.queries import StatusLine, status_lines

DUE_SOON_DAYS = 14
TOP_OVERDUE = 5
BAR_CELLS = 10
NOT_ESCALATION = frozenset({"lead", "coordinating"})  # audiences a plain reminder reaches
SHARES = ("on_time", "late", "open", "overdue")


@dataclass(frozen=True)
class Task:
    code: str
    ref: str
    task: str
    label: str
    unit_id: str  # "" when the plan's lead did not resolve to a unit
    unit: str
    due_on: date


@dataclass(frozen=True)
class OverdueItem(Task):
    days_late: int  # working days
    level: int  # escalation steps fired so far
    reached: str  # audience of the last step fired: lead | monitors | role:<id> | ""
    reached_name: str  # the role's name when `reached` is a role


@dataclass(frozen=True)
class UnitOverdue:
    unit_id: str
    unit: str
    entries: tuple[OverdueItem, ...]  # the latest first


@dataclass(frozen=True)
class EscalationItem(Task):
    on: date
    step: str
    level: int
    repeat: bool  # the last step repeating, not a new rung of the ladder
    reached: str
    reached_name: str
    recipients: tuple[str, ...]
    failed: tuple[str, ...]  # recipients no channel reached
    waiting: tuple[str, ...]  # recipients still queued (outside working hours, retrying)


@dataclass(frozen=True)
class DueItem(Task):
    working_days_left: int


@dataclass(frozen=True)
class DoneItem(Task):
    closed_on: date
    days_late: int  # working days; 0 = on time
    evidence: tuple[str, ...]
    by: str
    on_behalf: bool  # a monitor recorded it for the lead unit


@dataclass(frozen=True)
class ObjectiveStats:
    plan: str
    section: str
    title: str  # the quality objective
    on_time: int = 0
    late: int = 0
    open: int = 0  # not yet due
    overdue: int = 0


@dataclass(frozen=True)
class DeliveryIssue:
    person_id: str
    person: str
    channel: str
    problem: str  # bounced | blocked | rejected | no-channel | unknown-person
    detail: str
    since: date


@dataclass(frozen=True)
class Digest:
    as_of: datetime  # local time
    since: datetime  # local time: the digest reports what happened after it
    plans: tuple[str, ...]  # titles ("" when the document has none) or keys
    units: tuple[str, ...]  # unit names when the digest is for some units only
    overdue: tuple[UnitOverdue, ...]
    escalated: tuple[EscalationItem, ...]
    due_soon: tuple[DueItem, ...]
    completed: tuple[DoneItem, ...]
    objectives: tuple[ObjectiveStats, ...]
    delivery: tuple[DeliveryIssue, ...]
    plan_problems: tuple[PlanProblem, ...]

    @property
    def overdue_items(self) -> list[OverdueItem]:
        """Every overdue item, the latest first."""
        items = [i for group in self.overdue for i in group.entries]
        return sorted(items, key=lambda i: (-i.days_late, i.due_on, i.ref, i.unit))

    @property
    def quiet(self) -> bool:
        """Nothing needs the reader: nothing late, nothing escalated, nothing broken."""
        return not (self.overdue or self.escalated or self.delivery or self.plan_problems)

    @property
    def empty(self) -> bool:
        return self.quiet and not (self.due_soon or self.completed or self.objectives)

    def to_context(self) -> dict[str, Any]:
        """Plain JSON values for the templates (dates as ISO strings), with counts and bars."""
        on_time = sum(1 for d in self.completed if d.days_late == 0)
        return {
            "as_of": self.as_of.date().isoformat(),
            "as_of_time": f"{self.as_of:%H:%M}",
            "since": self.since.date().isoformat(),
            "week": self.as_of.isocalendar().week,
            "year": self.as_of.year,
            "due_soon_days": DUE_SOON_DAYS,
            "quiet": self.quiet,
            "plans": list(self.plans),
            "units": list(self.units),
            "counts": {
                "overdue": sum(len(g.entries) for g in self.overdue),
                "overdue_units": len(self.overdue),
                "escalated": len(self.escalated),
                "due_soon": len(self.due_soon),
                "done": len(self.completed),
                "done_on_time": on_time,
                "done_late": len(self.completed) - on_time,
                "delivery": len(self.delivery),
                "plan_problems": len(self.plan_problems),
            },
            "overdue": [_plain(g) | {"count": len(g.entries)} for g in self.overdue],
            "top_overdue": _plain(self.overdue_items[:TOP_OVERDUE]),
            "escalated": _plain(self.escalated),
            "due_soon": _plain(self.due_soon),
            "completed": _plain(self.completed),
            "delivery": _plain(self.delivery),
            "objectives": [_objective_context(o) for o in self.objectives],
            "plan_problems": [
                {"severity": p.severity, "message": p.message, "hint": p.hint, "row_ref": p.row_ref}
                for p in self.plan_problems
            ],
        }


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def shares(counts: Sequence[int], whole: int = 100) -> list[int]:
    """Split `whole` in proportion to `counts` so the parts add up exactly (largest remainder)."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    exact = [c * whole / total for c in counts]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: whole - sum(parts)]:
        parts[i] += 1
    return parts


def _objective_context(stats: ObjectiveStats) -> dict[str, Any]:
    counts = [getattr(stats, name) for name in SHARES]
    total, done = sum(counts), stats.on_time + stats.late
    cells = shares([done, total - done], BAR_CELLS)[0]
    plain: dict[str, Any] = _plain(stats)
    return plain | {
        "total": total,
        "pct": dict(zip(SHARES, shares(counts), strict=True)),
        "done_pct": shares([done, total - done])[0],
        "cells_done": cells,
        "cells_rest": BAR_CELLS - cells if total else 0,
    }


def build_digest(
    db: Engine,
    ctx: EngineContext,
    plan_problems: Sequence[PlanProblem],
    now: datetime,
    *,
    since: datetime | None = None,
    units: Collection[str] | None = None,
) -> Digest:
    """The digest as of `now`, reporting the week after `since` (default: the 7 days before).

    `units` limits it to those lead units (a unit head's digest); plan problems are then
    left out, as they are the QMR's to fix.
    """
    local, since = now.astimezone(ctx.tz), since or now - timedelta(days=7)
    lines = [
        line
        for line in status_lines(db, ctx, local.date())
        if units is None or line.occurrence.unit_id in units
    ]
    closed = [
        line
        for line in lines
        if line.occurrence.state == DONE and since < (line.occurrence.closed_at or since) <= now
    ]
    with Session(db) as session:
        escalated = _escalations(session, ctx, since, now, units)
        completed = _completed(session, ctx, closed)
        delivery = _delivery(session, ctx, units)
    return Digest(
        as_of=local,
        since=since.astimezone(ctx.tz),
        plans=tuple(dict.fromkeys(line.plan.title or line.plan.key for line in lines)),
        units=tuple(ctx.directory.display_name(u) for u in sorted(units or ())),
        overdue=_overdue(ctx, lines),
        escalated=escalated,
        due_soon=_due_soon(ctx, lines, local.date()),
        completed=completed,
        objectives=_objectives(ctx, lines, local.date()),
        delivery=delivery,
        plan_problems=() if units is not None else tuple(plan_problems),
    )


def _task(line: StatusLine) -> dict[str, Any]:
    o = line.occurrence
    return {
        "code": o.code,
        "ref": line.row.ref,
        "task": line.row.task,
        "label": o.label,
        "unit_id": o.unit_id,
        "unit": line.unit if o.unit_id else "",
        "due_on": o.due_on,
    }


def _reached(ctx: EngineContext, occurrence: Occurrence, level: int) -> tuple[str, str]:
    """The most senior audience the steps fired up to `level` reached: the one that joins
    the ladder last (it climbs from the lead to leadership; a weekly repeat to the lead
    and monitors does not bring it down)."""
    if level < 0:
        return "", ""
    steps = ladder(
        ctx.policy_for(occurrence.kind), occurrence.opens_on, occurrence.due_on, ctx.calendar
    )
    seniority = list(dict.fromkeys(a for f in steps for a in f.step.audience))
    fired = {a for f in steps[: level + 1] for a in f.step.audience}
    if not fired:
        return "", ""
    audience = max(fired, key=seniority.index)
    role = audience.removeprefix("role:")
    return audience, ctx.directory.display_name(role) if audience.startswith("role:") else ""


def _days_late_when_closed(ctx: EngineContext, occurrence: Occurrence) -> int:
    """Working days from the deadline to the day it was closed, as `nhacviec done` counts."""
    if occurrence.closed_at is None:
        return 0
    closed_on = occurrence.closed_at.astimezone(ctx.tz).date()
    return max(0, ctx.calendar.working_days_between(occurrence.due_on, closed_on))


def _overdue(ctx: EngineContext, lines: Iterable[StatusLine]) -> tuple[UnitOverdue, ...]:
    groups: dict[str, list[OverdueItem]] = {}
    for line in (line for line in lines if line.status == "overdue"):
        o = line.occurrence
        reached, name = _reached(ctx, o, o.level - 1)
        groups.setdefault(o.unit_id, []).append(
            OverdueItem(
                **_task(line),
                days_late=line.days_late,
                level=o.level,
                reached=reached,
                reached_name=name,
            )
        )
    result = [
        UnitOverdue(
            unit_id,
            items[0].unit,
            tuple(sorted(items, key=lambda i: (-i.days_late, i.due_on, i.ref))),
        )
        for unit_id, items in groups.items()
    ]
    return tuple(sorted(result, key=lambda g: (-len(g.entries), -g.entries[0].days_late, g.unit)))


def _due_soon(ctx: EngineContext, lines: Iterable[StatusLine], today: date) -> tuple[DueItem, ...]:
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    return tuple(
        DueItem(
            **_task(line),
            working_days_left=ctx.calendar.working_days_between(today, line.occurrence.due_on),
        )
        for line in lines
        if line.occurrence.state == OPEN and today <= line.occurrence.due_on <= horizon
    )


def _objectives(
    ctx: EngineContext, lines: Iterable[StatusLine], today: date
) -> tuple[ObjectiveStats, ...]:
    """This year's deadlines per quality objective: done on time or late, not yet due, overdue."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    first_rows: dict[tuple[str, str], tuple[int, str, str]] = {}  # the section's first row
    for line in lines:
        o, row = line.occurrence, line.row
        if o.due_on.year != today.year or o.state not in (OPEN, DONE):
            continue
        key = (line.plan.key, row.section)
        if key not in first_rows or (row.id or 0) < first_rows[key][0]:
            first_rows[key] = (row.id or 0, line.plan.title or line.plan.key, row.section_title)
        if o.state == DONE:
            share = "late" if _days_late_when_closed(ctx, o) else "on_time"
        else:
            share = "overdue" if o.due_on < today else "open"
        counts.setdefault(key, dict.fromkeys(SHARES, 0))[share] += 1
    ordered = sorted(first_rows.items(), key=lambda item: (item[0][0], item[1][0]))
    return tuple(
        ObjectiveStats(plan, key[1], title, **counts[key]) for key, (_id, plan, title) in ordered
    )


def _completed(
    session: Session, ctx: EngineContext, closed: Sequence[StatusLine]
) -> tuple[DoneItem, ...]:
    evidence: dict[int, list[Evidence]] = {}
    query = (
        select(Evidence)
        .where(
            col(Evidence.occurrence_id).in_([c.occurrence.id for c in closed]),
            col(Evidence.undone_at).is_(None),
        )
        .order_by(col(Evidence.recorded_at))
    )
    for item in session.exec(query):
        evidence.setdefault(item.occurrence_id, []).append(item)
    done = []
    for line in closed:
        o = line.occurrence
        given = evidence.get(o.id or 0, [])
        last = given[-1] if given else None
        done.append(
            DoneItem(
                **_task(line),
                closed_on=(o.closed_at or o.created_at).astimezone(ctx.tz).date(),
                days_late=_days_late_when_closed(ctx, o),
                evidence=tuple(e.text for e in given if e.text),
                by=ctx.directory.display_name(last.person_id if last else o.closed_by or ""),
                on_behalf=bool(last and last.on_behalf),
            )
        )
    return tuple(sorted(done, key=lambda d: (d.closed_on, d.ref, d.unit)))


def _escalation_steps(ctx: EngineContext) -> set[str]:
    """Steps that reach beyond the units themselves: monitors, the QMR, leadership."""
    steps = (*ctx.escalation.steps, *ctx.checkin.steps)
    return {s.name for s in steps if set(s.audience) - NOT_ESCALATION}


def _escalations(
    session: Session,
    ctx: EngineContext,
    since: datetime,
    now: datetime,
    units: Collection[str] | None,
) -> tuple[EscalationItem, ...]:
    """Escalation steps fired in the week, one item per firing. A firing that evidence
    cancelled before it went out did not happen."""
    query = (
        select(Notification, Occurrence, RowRecord, PlanRecord)
        .join(Occurrence, col(Notification.occurrence_id) == col(Occurrence.id))
        .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
        .join(PlanRecord, col(RowRecord.plan_id) == col(PlanRecord.id))
        .where(
            col(Notification.step).in_(_escalation_steps(ctx)),
            col(Notification.state) != CANCELLED,
            col(Notification.created_at) > since,
            col(Notification.created_at) <= now,
        )
        .order_by(col(Notification.created_at), col(Notification.id))
    )
    firings: dict[tuple[int, str, int], list[tuple[Notification, StatusLine]]] = {}
    for note, occurrence, row, plan in session.exec(query):
        if units is not None and occurrence.unit_id not in units:
            continue
        # The level the engine wrote; an email fallback row carries the same context.
        level = json.loads(note.context_json).get("step", {}).get("level", -1)
        line = StatusLine(
            occurrence,
            row,
            plan,
            occurrence.state,
            ctx.directory.display_name(occurrence.unit_id),
            0,
        )
        firings.setdefault((occurrence.id or 0, note.step, level), []).append((note, line))
    return tuple(_firing(ctx, level, notes) for (_id, _step, level), notes in firings.items())


def _firing(
    ctx: EngineContext, level: int, notes: list[tuple[Notification, StatusLine]]
) -> EscalationItem:
    first, line = notes[0]
    o = line.occurrence
    states: dict[str, set[str]] = {}
    for note, _line in notes:
        states.setdefault(note.person_id, set()).add(note.state)
    names = {p: ctx.directory.display_name(p) for p in states}
    firing = firing_at(ctx.policy_for(o.kind), level, o.opens_on, o.due_on, ctx.calendar)
    reached, reached_name = _reached(ctx, o, level)
    return EscalationItem(
        **_task(line),
        on=first.created_at.astimezone(ctx.tz).date(),
        step=first.step,
        level=level + 1,
        repeat=bool(firing and firing.repeat),
        reached=reached,
        reached_name=reached_name,
        recipients=tuple(names.values()),
        failed=tuple(names[p] for p, s in states.items() if s == {FAILED}),
        waiting=tuple(names[p] for p, s in states.items() if SENT not in s and s != {FAILED}),
    )


def _delivery(
    session: Session, ctx: EngineContext, units: Collection[str] | None
) -> tuple[DeliveryIssue, ...]:
    issues = []
    query = (
        select(DeliveryProblem)
        .where(col(DeliveryProblem.resolved_at).is_(None))
        .order_by(col(DeliveryProblem.first_seen), col(DeliveryProblem.id))
    )
    for problem in session.exec(query):
        person = ctx.directory.people.get(problem.person_id)
        if units is not None and (person is None or person.unit not in units):
            continue
        issues.append(
            DeliveryIssue(
                problem.person_id,
                person.name if person else problem.person_id,
                problem.channel,
                problem.problem,
                problem.detail,
                problem.first_seen.astimezone(ctx.tz).date(),
            )
        )
    return tuple(issues)
