"""The digest's escalation section: which steps reached beyond the units this week, how
far up each task's ladder has climbed, and whom each firing reached."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlmodel import Session, col, select

from notifications.digest_model import EscalationItem
from rules.escalation import Calendar, Policy, firing_at, ladder
from scheduler.engine_context import EngineContext
from scheduler.models import (
    CANCELLED,
    DROPPED,
    FAILED,
    PENDING,
    SENT,
    BundleItem,
    Notification,
    Occurrence,
    PlanRecord,
    ReminderFact,
    RowRecord,
)
from scheduler.queries import StatusLine

NOT_ESCALATION = frozenset({"lead", "coordinating"})  # audiences a plain reminder reaches


def task_fields(line: StatusLine) -> dict[str, Any]:
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


def reached_audience(ctx: EngineContext, occurrence: Occurrence, level: int) -> tuple[str, str]:
    """The most senior audience the steps fired up to `level` reached: the one that joins
    the ladder last (it climbs from the lead to leadership; a weekly repeat to the lead
    and monitors does not bring it down)."""
    if level < 0:
        return "", ""
    audience = _most_senior(
        ctx.policy_for(occurrence.kind), occurrence.opens_on, occurrence.due_on, ctx.calendar, level
    )
    if not audience:
        return "", ""
    role = audience.removeprefix("role:")
    return audience, ctx.directory.display_name(role) if audience.startswith("role:") else ""


# A digest asks this for every overdue occurrence; every unit's shares its deadline's ladder.
@lru_cache(maxsize=16384)
def _most_senior(
    policy: Policy, opens: date | None, due: date, calendar: Calendar, level: int
) -> str:
    steps = ladder(policy, opens, due, calendar)
    seniority = list(dict.fromkeys(a for f in steps for a in f.step.audience))
    fired = {a for f in steps[: level + 1] for a in f.step.audience}
    return max(fired, key=seniority.index) if fired else ""


def escalation_steps(ctx: EngineContext) -> set[str]:
    """Steps that reach beyond the units themselves: monitors, the QMR, leadership."""
    steps = (*ctx.escalation.steps, *ctx.checkin.steps)
    return {s.name for s in steps if set(s.audience) - NOT_ESCALATION}


def escalations(
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
            col(Notification.step).in_(escalation_steps(ctx)),
            col(Notification.state) != CANCELLED,
            col(Notification.created_at) > since,
            col(Notification.created_at) <= now,
        )
        .order_by(col(Notification.created_at), col(Notification.id))
    )
    found: list[tuple[_Reach, Occurrence, RowRecord, PlanRecord]] = []
    for note, occurrence, row, plan in session.exec(query):
        # The level the engine wrote; an email fallback row carries the same context.
        level = json.loads(note.context_json).get("step", {}).get("level", -1)
        reach = _Reach(note.person_id, note.state, note.created_at, note.step, level, note.id or 0)
        found.append((reach, occurrence, row, plan))
    found += _bundled(session, ctx, since, now)
    found.sort(key=lambda f: (f[0].created_at, f[0].order))
    firings: dict[tuple[int, str, int], list[tuple[_Reach, StatusLine]]] = {}
    for reach, occurrence, row, plan in found:
        if units is not None and occurrence.unit_id not in units:
            continue
        line = StatusLine(
            occurrence,
            row,
            plan,
            occurrence.state,
            ctx.directory.display_name(occurrence.unit_id),
            0,
        )
        key = (occurrence.id or 0, reach.step, reach.level)
        firings.setdefault(key, []).append((reach, line))
    return tuple(_firing(ctx, level, notes) for (_id, _step, level), notes in firings.items())


@dataclass(frozen=True)
class _Reach:
    """A step reaching one person: an outbox row, or a fact a daily bundle carries."""

    person_id: str
    state: str  # the outbox state: pending, sent, failed...
    created_at: datetime
    step: str
    level: int
    order: int


def _bundled(
    session: Session, ctx: EngineContext, since: datetime, now: datetime
) -> list[tuple[_Reach, Occurrence, RowRecord, PlanRecord]]:
    """Escalation facts of the week (bundle = "daily"), each with the states of the bundles
    that carried it; a fact dropped because evidence came first did not happen."""
    query = (
        select(ReminderFact, Occurrence, RowRecord, PlanRecord)
        .join(Occurrence, col(ReminderFact.occurrence_id) == col(Occurrence.id))
        .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
        .join(PlanRecord, col(RowRecord.plan_id) == col(PlanRecord.id))
        .where(
            col(ReminderFact.step).in_(escalation_steps(ctx)),
            col(ReminderFact.state) != DROPPED,
            col(ReminderFact.created_at) > since,
            col(ReminderFact.created_at) <= now,
        )
    )
    facts = list(session.exec(query))
    states: dict[int, list[str]] = {}
    ids = [f.id or 0 for f, _o, _r, _p in facts]
    for fact_id, state in session.exec(
        select(BundleItem.fact_id, Notification.state)
        .join(Notification, col(Notification.id) == col(BundleItem.notification_id))
        .where(col(BundleItem.fact_id).in_(ids))
    ):
        states.setdefault(fact_id, []).append(state)
    found = []
    for fact, occurrence, row, plan in facts:
        for state in states.get(fact.id or 0, [PENDING]):
            reach = _Reach(
                fact.person_id, state, fact.created_at, fact.step, fact.level, fact.id or 0
            )
            found.append((reach, occurrence, row, plan))
    return found


def _firing(
    ctx: EngineContext, level: int, notes: list[tuple[_Reach, StatusLine]]
) -> EscalationItem:
    first, line = notes[0]
    o = line.occurrence
    states: dict[str, set[str]] = {}
    for note, _line in notes:
        states.setdefault(note.person_id, set()).add(note.state)
    names = {p: ctx.directory.display_name(p) for p in states}
    firing = firing_at(ctx.policy_for(o.kind), level, o.opens_on, o.due_on, ctx.calendar)
    reached, reached_name = reached_audience(ctx, o, level)
    return EscalationItem(
        **task_fields(line),
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
