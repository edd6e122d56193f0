"""A province year on the virtual clock, beside the same writes done raw.

The floor is the work the simulation leaves in the database, done the cheapest honest
way in one transaction: every row it left (plans, rows, occurrences, reminder facts,
outbox rows, bundle items, evidence, audit entries) inserted by executemany, and every
change of state it made on the way, by executemany too: one claim per ladder step each
occurrence climbed, one state change per fact carried or dropped, per occurrence closed
and per outbox row cancelled. Rows only inserted would leave out the claims, which are
most of what a year of ticks writes.
"""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    Figure,
    executemany_floor,
    figure,
    peak_rss_mb,
    raw_connection,
    row_count,
    table_rows,
    timed,
)
from bench.synthetic import province_config, province_plan
from nhacviec.wiring import engine_context
from rules.timing import deadlines
from scheduler.db import open_database
from scheduler.loading import CompiledPlan
from scheduler.simulate import EvidenceAt, Simulation

LEFT_TABLES = (
    "plan",
    "plan_row",
    "occurrence",
    "reminder_fact",
    "notification",
    "bundle_item",
    "evidence",
    "audit_log",
)


def _on_time_evidence(plan: CompiledPlan, calendar: Any, share: float) -> list[EvidenceAt]:
    """Evidence for `share` of the (row, deadline) pairs, two days before each is due."""
    rng = random.Random(80)
    found = []
    for item in plan.rows:
        if item.schedule is None:
            continue
        for deadline in deadlines(item.schedule, plan.plan.year, calendar):
            if rng.random() < share:
                found.append(EvidenceAt(item.row.ref, deadline.due - timedelta(days=2)))
    return found


def _changes(source: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The state changes the simulation made, as (statement, rows) to run by executemany."""
    connection = raw_connection(source)
    try:
        steps = connection.execute(
            "SELECT level, next_step_at, id FROM occurrence WHERE level > 0"
        ).fetchall()
        claims = [(level, at, ident) for level, at, ident in steps for _ in range(level)]
        facts = connection.execute(
            "SELECT state, carried_at, id FROM reminder_fact WHERE state != 'pending'"
        ).fetchall()
        closed = connection.execute(
            "SELECT state, closed_at, closed_by, id FROM occurrence WHERE state != 'open'"
        ).fetchall()
        cancelled = connection.execute(
            "SELECT state, id FROM notification WHERE state = 'cancelled'"
        ).fetchall()
    finally:
        connection.close()
    return [
        ("UPDATE occurrence SET level = ?, next_step_at = ? WHERE id = ?", claims),
        ("UPDATE reminder_fact SET state = ?, carried_at = ? WHERE id = ?", facts),
        ("UPDATE occurrence SET state = ?, closed_at = ?, closed_by = ? WHERE id = ?", closed),
        ("UPDATE notification SET state = ? WHERE id = ?", cancelled),
    ]


def _floor(source: Path, empty: Path) -> float:
    """Seconds to insert every row the simulation left into `empty`, then make its changes."""
    inserts = [(table, *table_rows(source, table)) for table in LEFT_TABLES]
    return executemany_floor(empty, inserts, _changes(source))


def simulate_scenario(units: int = 150, evidence_share: float = 0.0) -> dict[str, Figure]:
    """A province year on the virtual clock, beside the same writes, raw."""
    with tempfile.TemporaryDirectory() as tmp:
        path, floor_path = Path(tmp) / "sim.db", Path(tmp) / "floor.db"
        config = province_config(units, f"sqlite:///{path}")
        db, ctx = open_database(config.database_url()), engine_context(config)
        open_database(f"sqlite:///{floor_path}").dispose()
        plan = province_plan(config)
        evidence = _on_time_evidence(plan, ctx.calendar, evidence_share)
        simulation = Simulation(db, ctx, [plan])
        sim_s, entries = timed(
            lambda: sum(1 for _ in simulation.run(date(2023, 1, 1), date(2023, 12, 31), evidence))
        )
        db.dispose()
        rss = peak_rss_mb()  # before the floor reads every row back into memory
        notes = row_count(path, "notification")
        floor_s = _floor(path, floor_path)
    name = "simulate_no_evidence" if not evidence_share else "simulate_80pct_evidence"
    return {
        name: figure(
            sim_s,
            "s",
            f"province year 2023 ({units} units) on the virtual clock, {len(evidence)} evidence "
            f"moments, {entries:,} timeline entries, {notes:,} outbox rows; floor: every row "
            "it left inserted, then every claim, fact, closure and cancellation it made, by "
            "executemany in one transaction",
            floor=floor_s,
        ),
        f"{name}_peak_rss": figure(rss, "MB", "peak RSS of the simulation process"),
    }
