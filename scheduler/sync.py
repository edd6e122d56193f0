"""Write compiled plans into the database as rows and occurrences, in place.

Rows are matched by identity and occurrences by (row, unit, deadline key), so loading an
edited plan updates dates and text without losing evidence, levels or sent reminders.
Deadlines that vanished are retired (kept, never deleted); after/adhoc occurrences are
made by events and are left alone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from rules.audience import coordinating_units, monitor_scope
from rules.directory import Directory, Resolution
from rules.timing import Deadline, deadlines
from scheduler.audit import audit
from scheduler.dbapi import db_value
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan, CompiledRow
from scheduler.models import (
    OPEN,
    RETIRED,
    Occurrence,
    PlanRecord,
    RowRecord,
)
from scheduler.occurrence_writer import OccurrenceWriter, retire

EVENT_KINDS = frozenset({"after", "adhoc"})


@dataclass
class SyncReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0


def lead_unit_ids(directory: Directory, lead: Resolution) -> tuple[str, ...]:
    """One occurrence per lead unit (a group's members each get theirs); when the lead did
    not resolve, one unassigned occurrence ("") so the monitors still hear of it."""
    return directory.lead_units(lead) or ("",)


def _plan_record(session: Session, compiled: CompiledPlan, now: datetime) -> PlanRecord:
    plan = compiled.plan
    digest = hashlib.sha256(repr(plan.rows).encode("utf-8")).hexdigest()
    record = session.exec(select(PlanRecord).where(col(PlanRecord.key) == compiled.key)).first()
    if record is None:
        record = PlanRecord(
            key=compiled.key,
            year=plan.year,
            source_file=plan.source,
            content_hash=digest,
            loaded_at=now,
        )
    record.organisation, record.title, record.year = plan.organisation, plan.title, plan.year
    record.source_file, record.content_hash, record.loaded_at = plan.source, digest, now
    session.add(record)
    session.flush()
    return record


def _row_fields(ctx: EngineContext, item: CompiledRow) -> dict[str, Any]:
    row = item.row
    scope = monitor_scope(ctx.directory, item.monitors)
    coordinating = coordinating_units(
        ctx.directory.lead_units(item.coordinating), ctx.directory.lead_units(item.lead)
    )
    return dict(
        ref=row.ref,
        section=row.section,
        section_title=row.section_title,
        number=row.number,
        task=row.task,
        lead_text=row.lead,
        coordinating_text=row.coordinating,
        timing_text=item.timing_text,
        monitors_text=row.monitors,
        evidence_json=json.dumps(list(row.evidence), ensure_ascii=False),
        source=row.source.describe(),
        schedule_json=json.dumps(item.schedule.to_json(), ensure_ascii=False)
        if item.schedule
        else "",
        monitors_json=json.dumps(list(scope.people)),
        coordinating_json=json.dumps(list(coordinating)),
        monitor_units_json=json.dumps(list(scope.own_heads)),
        active=True,
    )


def _upsert_row(session: Session, ctx: EngineContext, plan_id: int, item: CompiledRow) -> RowRecord:
    record = session.exec(
        select(RowRecord).where(
            col(RowRecord.plan_id) == plan_id, col(RowRecord.identity) == item.row.identity
        )
    ).first()
    if record is None:
        record = RowRecord(plan_id=plan_id, identity=item.row.identity, **_row_fields(ctx, item))
    else:
        for name, value in _row_fields(ctx, item).items():
            setattr(record, name, value)
    session.add(record)
    session.flush()
    return record


def _unchanged(
    session: Session, row: RowRecord, units: tuple[str, ...], wanted: list[Deadline]
) -> bool:
    """Whether the row's occurrences already match its deadlines exactly (the usual case
    on a restart), read by the DBAPI cursor and compared in the database's own form: then
    no ORM object, and no per-value conversion, is needed for it."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    cursor = connection.connection.cursor()
    try:
        cursor.execute(
            "SELECT unit_id, deadline_key, opens_on, due_on, label, state, kind "
            f"FROM occurrence WHERE row_id = {mark}",
            (row.id,),
        )
        found = {(r[0], r[1]): r[2:] for r in cursor.fetchall()}
    finally:
        cursor.close()
    dates = [
        (d.key, db_value(d.opens, sqlite=sqlite), db_value(d.due, sqlite=sqlite), d.label)
        for d in wanted
    ]
    for unit in units:
        for key, opens, due, label in dates:
            have = found.get((unit, key))
            if have is None or have[0] != opens or have[1] != due or have[2] != label:
                return False
    # An open dated occurrence no deadline wants any more would have to be retired.
    keys = {d.key for d in wanted}
    unit_set = set(units)
    return all(
        (pair[0] in unit_set and pair[1] in keys) or state != OPEN or kind in EVENT_KINDS
        for pair, (_o, _d, _l, state, kind) in found.items()
    )


def _sync_row_occurrences(
    writer: OccurrenceWriter, row: RowRecord, item: CompiledRow, year: int, report: SyncReport
) -> None:
    """Match by deadline key; then pair what is left by kind, in date order: a deadline whose
    date was edited ("30/8" became "15/9") is the same deadline moved, not a new one."""
    ctx = writer.ctx
    wanted = deadlines(item.schedule, year, ctx.calendar) if item.schedule else []
    units = lead_unit_ids(ctx.directory, item.lead)
    if _unchanged(writer.session, row, units, wanted):
        return
    existing = list(
        writer.session.exec(
            select(Occurrence)
            .where(col(Occurrence.row_id) == row.id)
            .order_by(col(Occurrence.due_on))
        )
    )
    by_key = {(o.unit_id, o.deadline_key): o for o in existing}
    # Grouped by unit once, so matching is linear in the row's occurrences, not
    # units x occurrences (a scan of the whole row per unit was quadratic at scale).
    by_unit: dict[str, list[Occurrence]] = {}
    for o in existing:
        by_unit.setdefault(o.unit_id, []).append(o)
    handled: set[int | None] = set()
    for unit_id in units:
        unmatched = []
        for deadline in wanted:
            occurrence = by_key.get((unit_id, deadline.key))
            if occurrence is None:
                unmatched.append(deadline)
                continue
            handled.add(occurrence.id)
            report.updated += writer.update(occurrence, deadline)
        if not unmatched:
            continue
        leftovers = [
            o
            for o in by_unit.get(unit_id, ())
            if o.id not in handled and o.kind not in EVENT_KINDS and o.state != RETIRED
        ]
        for deadline in unmatched:
            moved = next((o for o in leftovers if o.kind == deadline.kind), None)
            if moved is None:
                writer.stage(row, unit_id, deadline)
                report.created += 1
                continue
            leftovers.remove(moved)
            handled.add(moved.id)
            moved.deadline_key = deadline.key
            report.updated += writer.update(moved, deadline)
    for occurrence in existing:
        if (
            occurrence.id not in handled
            and occurrence.state == OPEN
            and occurrence.kind not in EVENT_KINDS
        ):
            retire(writer.session, occurrence, writer.now)
            report.retired += 1


def sync_plan(
    session: Session, ctx: EngineContext, compiled: CompiledPlan, now: datetime
) -> SyncReport:
    """Bring the database in line with one compiled plan."""
    record = _plan_record(session, compiled, now)
    plan_id = record.id or 0
    writer = OccurrenceWriter(session, ctx, compiled.key, now)
    report = SyncReport()
    kept: set[int] = set()
    for item in compiled.rows:
        row = _upsert_row(session, ctx, plan_id, item)
        kept.add(row.id or 0)
        _sync_row_occurrences(writer, row, item, compiled.plan.year, report)
        report.rows += 1
    writer.flush()
    for row in session.exec(select(RowRecord).where(col(RowRecord.plan_id) == plan_id)):
        if row.id not in kept and row.active:
            row.active = False
            session.add(row)
            for occurrence in session.exec(
                select(Occurrence).where(
                    col(Occurrence.row_id) == row.id, col(Occurrence.state) == OPEN
                )
            ):
                retire(session, occurrence, now)
                report.retired += 1
    audit(
        session,
        now,
        "engine",
        "plan-sync",
        f"plan:{plan_id}",
        {
            "key": compiled.key,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "retired": report.retired,
        },
    )
    return report
