"""Tasks that start when another is done: rows whose timing says "sau <sự kiện>"
("sau hoạt động ĐGNB") get their occurrences when evidence closes the event's row."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from rules.timing import Deadline, Schedule, TimingError, compile_phrase, event_matches
from rules.timing.rules_event import AfterEvent
from scheduler.audit import audit
from scheduler.engine_context import EngineContext
from scheduler.models import Occurrence, PlanRecord, RowRecord
from scheduler.occurrence_writer import OccurrenceWriter
from scheduler.sync import lead_unit_ids


def start_followers(
    session: Session, ctx: EngineContext, done: Occurrence, done_row: RowRecord, now: datetime
) -> tuple[Occurrence, ...]:
    """Create the occurrences of rows whose schedule says "after <the event this row is>"."""
    plan = session.get(PlanRecord, done_row.plan_id)
    assert plan is not None
    writer = OccurrenceWriter(session, ctx, plan.key, now)
    today = now.astimezone(ctx.tz).date()
    created = []
    # The rows' schedules as columns first: evidence is logged one occurrence at a time,
    # and loading every row of the plan as objects each time was most of logging it.
    schedules = session.execute(
        select_columns(col(RowRecord.id), col(RowRecord.schedule_json), col(RowRecord.timing_text))
        .where(
            col(RowRecord.plan_id) == done_row.plan_id,
            col(RowRecord.active).is_(True),
            col(RowRecord.id) != done_row.id,
        )
        .order_by(col(RowRecord.id))
    ).all()
    for row_id, schedule_json, timing_text in schedules:
        rules = [
            rule
            for rule in _after_rules(schedule_json, timing_text, plan.year, ctx)
            if event_matches(rule.event, done_row.task)
        ]
        if not rules:
            continue
        row = session.get(RowRecord, row_id)
        assert row is not None
        for rule in rules:
            deadline = Deadline(
                key=f"after-{rule.event}-{done.deadline_key}",
                kind="after",
                label=rule.label or f"Sau {rule.event_text}",
                opens=today,
                due=rule.due_after(today, ctx.calendar),
            )
            for unit_id in _followers(session, ctx, row, done, deadline.key):
                created.append(writer.create(row, unit_id, deadline))
    session.flush()
    for occurrence in created:
        audit(
            session,
            now,
            "engine",
            "after-started",
            f"occurrence:{occurrence.id}",
            {"code": occurrence.code, "after": done.code},
        )
    return tuple(created)


def _followers(
    session: Session, ctx: EngineContext, row: RowRecord, done: Occurrence, key: str
) -> list[str]:
    """Who follows up an event once done: the unit that did it, when the follow-up row is
    also its work (each unit's own corrective actions after its own audit); otherwise
    every lead unit of the row, once per event deadline, however many units close the
    event (150 units closing one audit row once started 150 follow-ups each: 22,500)."""
    units = lead_unit_ids(ctx.directory, ctx.directory.resolve(row.lead_text))
    if done.unit_id in units:
        units = (done.unit_id,)
    started = set(
        session.exec(
            select(Occurrence.unit_id).where(
                col(Occurrence.row_id) == row.id, col(Occurrence.deadline_key) == key
            )
        )
    )
    return [unit for unit in units if unit not in started]


@lru_cache(maxsize=1024)  # asked for every row of the plan at every evidence logged
def _stored_after_rules(schedule_json: str) -> tuple[AfterEvent, ...]:
    return Schedule.from_json(json.loads(schedule_json)).after_rules


def _after_rules(
    schedule_json: str | None, timing_text: str, year: int, ctx: EngineContext
) -> tuple[AfterEvent, ...]:
    """The row's "after an event" rules, from the schedule sync stored for it: a change in
    the compiler's vocabulary cannot silently stop a follow-up that sync already planned.
    JSON of an older compiler is read too; only unreadable JSON falls back to the phrase."""
    if not schedule_json:
        return ()
    try:
        return _stored_after_rules(schedule_json)
    except (ValueError, KeyError, TypeError):
        pass
    try:
        return compile_phrase(timing_text, year, ctx.options).after_rules
    except TimingError:
        return ()
