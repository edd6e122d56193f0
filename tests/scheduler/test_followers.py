"""Follow-up rows ("sau <sự kiện>") start once per event deadline, for whom they concern."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from bench.synthetic import province_config, province_plan
from nhacviec.wiring import engine_context
from rules.timing import event_matches
from scheduler.db import open_database
from scheduler.models import OPEN, Occurrence, RowRecord
from scheduler.service import record_evidence
from scheduler.sync import sync_plan


def test_each_unit_follows_up_its_own_event_once(tmp_path: Path) -> None:
    """Every row of this plan is led by the same three units: a unit closing an event row
    starts that unit's follow-ups, never its neighbours', and closing it again cannot
    start a second set (before, each closure started follow-ups for every unit)."""
    config = province_config(3, f"sqlite:///{tmp_path / 'province.db'}")
    db, ctx = open_database(config.database_url()), engine_context(config)
    plan = province_plan(config)
    now = datetime(2023, 1, 3, 9, tzinfo=ctx.tz)
    with Session(db) as session:
        sync_plan(session, ctx, plan, now)
        session.commit()
    events = {
        rule.event for item in plan.rows if item.schedule for rule in item.schedule.after_rules
    }
    assert events, "the plan has follow-up rows"
    event_refs = {
        item.row.ref for item in plan.rows if any(event_matches(e, item.row.task) for e in events)
    }
    assert event_refs
    with Session(db) as session:
        closing = session.exec(
            select(Occurrence)
            .join(RowRecord)
            .where(
                col(RowRecord.ref).in_(event_refs),
                col(Occurrence.state) == OPEN,
                col(Occurrence.unit_id).in_(["u0", "u1"]),
            )
            .order_by(col(Occurrence.due_on), col(Occurrence.id))
        ).all()
    first_deadline = {(o.row_id, o.unit_id): o for o in reversed(closing)}
    started = []
    for occurrence in first_deadline.values():
        closure = record_evidence(
            db, ctx, occurrence.code, f"p{occurrence.unit_id[1:]}", "Đã làm", [], "cli", now
        )
        started += [(o.row_id, o.unit_id, o.deadline_key) for o in closure.started]
    with Session(db) as session:
        after = session.exec(select(Occurrence).where(col(Occurrence.kind) == "after")).all()
    assert after, "closing the events started follow-ups"
    assert {o.unit_id for o in after} == {"u0", "u1"}, "u2 closed nothing"
    keys = Counter((o.row_id, o.unit_id, o.deadline_key) for o in after)
    assert max(keys.values()) == 1
    assert sorted(started) == sorted(keys), (
        "each follow-up was reported by the closure that started it"
    )
