"""Tasks that start when another is done: rows whose timing says "sau <sự kiện>"
("sau hoạt động ĐGNB") get their occurrences when evidence closes the event's row."""

from __future__ import annotations

import json
from datetime import datetime

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
    rows = session.exec(
        select(RowRecord).where(
            col(RowRecord.plan_id) == done_row.plan_id,
            col(RowRecord.active).is_(True),
            col(RowRecord.id) != done_row.id,
        )
    )
    for row in rows:
        for rule in _after_rules(row, plan.year, ctx):
            if not event_matches(rule.event, done_row.task):
                continue
            deadline = Deadline(
                key=f"after-{rule.event}-{done.id}",
                kind="after",
                label=rule.label or f"Sau {rule.event_text}",
                opens=today,
                due=rule.due_after(today, ctx.calendar),
            )
            for unit_id in lead_unit_ids(ctx.directory, ctx.directory.resolve(row.lead_text)):
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


def _after_rules(row: RowRecord, year: int, ctx: EngineContext) -> tuple[AfterEvent, ...]:
    """The row's "after an event" rules, from the schedule sync stored for it: a change in
    the compiler's vocabulary cannot silently stop a follow-up that sync already planned.
    JSON of an older compiler is read too; only unreadable JSON falls back to the phrase."""
    if not row.schedule_json:
        return ()
    try:
        return Schedule.from_json(json.loads(row.schedule_json)).after_rules
    except (ValueError, KeyError, TypeError):
        pass
    try:
        return compile_phrase(row.timing_text, year, ctx.options).after_rules
    except TimingError:
        return ()
