"""The weekly digest's numbers: what is late, who is late, what was escalated, what is coming.

Computed from the database for a given instant; nothing here reads a clock or sends
anything, so the weekly check, `digest --preview` and the tests share one function.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from notifications.digest_escalations import escalations, reached_audience, task_fields
from notifications.digest_model import (
    DUE_SOON_DAYS,
    SHARES,
    DeliveryIssue,
    Digest,
    DoneItem,
    DueItem,
    EscalationItem,
    ObjectiveStats,
    OverdueItem,
    UnitOverdue,
)
from rules.plan import PlanProblem
from scheduler.engine_context import EngineContext
from scheduler.models import (
    DONE,
    OPEN,
    DeliveryProblem,
    Evidence,
    Occurrence,
)
from scheduler.queries import StatusLine, status_lines


def build_digest(
    db: Engine,
    ctx: EngineContext,
    plan_problems: Sequence[PlanProblem],
    now: datetime,
    *,
    since: datetime | None = None,
    units: Collection[str] | None = None,
    known: Known | None = None,
) -> Digest:
    """The digest as of `now`, reporting the week after `since` (default: the 7 days before).

    `units` limits it to those lead units (a unit head's digest); plan problems are then
    left out, as they are the QMR's to fix. `known` gives the occurrences as they stood
    and the week's escalations when they were computed rather than read (digest_moment).
    """
    local, since = now.astimezone(ctx.tz), since or now - timedelta(days=7)
    lines = [
        line
        for line in (known.lines if known else status_lines(db, ctx, local.date()))
        if units is None or line.occurrence.unit_id in units
    ]
    closed = [
        line
        for line in lines
        if line.occurrence.state == DONE and since < (line.occurrence.closed_at or since) <= now
    ]
    with Session(db) as session:
        escalated = (
            tuple(e for e in known.escalated if units is None or e.unit_id in units)
            if known
            else escalations(session, ctx, since, now, units)
        )
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


@dataclass(frozen=True)
class Known:
    """What a digest otherwise reads from the engine's records: the occurrences (with
    their state and level) and the week's escalations."""

    lines: Sequence[StatusLine]
    escalated: tuple[EscalationItem, ...]


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
        reached, name = reached_audience(ctx, o, o.level - 1)
        groups.setdefault(o.unit_id, []).append(
            OverdueItem(
                **task_fields(line),
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
            **task_fields(line),
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
        ObjectiveStats(
            plan,
            key[1],
            title,
            on_time=counts[key]["on_time"],
            late=counts[key]["late"],
            open=counts[key]["open"],
            overdue=counts[key]["overdue"],
        )
        for key, (_id, plan, title) in ordered
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
                **task_fields(line),
                closed_on=(o.closed_at or o.created_at).astimezone(ctx.tz).date(),
                days_late=_days_late_when_closed(ctx, o),
                evidence=tuple(e.text for e in given if e.text),
                by=ctx.directory.display_name(last.person_id if last else o.closed_by or ""),
                on_behalf=bool(last and last.on_behalf),
            )
        )
    return tuple(sorted(done, key=lambda d: (d.closed_on, d.ref, d.unit)))


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
