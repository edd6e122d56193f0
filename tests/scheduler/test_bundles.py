"""Daily bundles: composed once per person, channel and day; catch-up; evidence first."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date, time

from sqlmodel import Session, col, select

from scheduler.models import CARRIED, DROPPED, PENDING, BundleItem, Notification, ReminderFact
from scheduler.service import record_evidence
from scheduler.ticker import Ticker
from tests.scheduler.conftest import World

AUDIT_ROW = "I.3"  # due Thursday 29/08/2024; "truoc-5-ngay" on 22/08


def facts(world: World) -> list[ReminderFact]:
    with Session(world.db) as session:
        return list(session.exec(select(ReminderFact).order_by(col(ReminderFact.id))))


def bundles(world: World) -> list[Notification]:
    return world.notifications(lambda n: n.template == "bundle")


def test_it_writes_facts_and_composes_one_bundle_per_person_and_channel(
    daily_world: World,
) -> None:
    world = daily_world
    world.sync(world.at(date(2024, 1, 2)))
    world.ticker.tick(world.at(date(2024, 8, 22), 7, 30))
    sent = bundles(world)
    assert sent and all(f.state == CARRIED for f in facts(world))
    assert Counter((n.person_id, n.channel) for n in sent).most_common(1)[0][1] == 1
    assert all(n.key.startswith("bundle/2024-08-22/") for n in sent)
    assert world.notifications(lambda n: n.template != "bundle") == []

    again = Ticker(world.db, world.ctx).tick(world.at(date(2024, 8, 22), 7, 31))
    assert again.bundles == 0 and len(bundles(world)) == len(sent)


def test_it_keeps_a_late_fact_for_the_next_working_days_bundle(daily_world: World) -> None:
    world = daily_world
    world.sync(world.at(date(2024, 1, 2)))
    world.ticker.tick(world.at(date(2024, 8, 22), 7, 30))
    first = len(bundles(world))
    with Session(world.db) as session:
        fact = session.exec(select(ReminderFact)).first()
        assert fact is not None
        late = ReminderFact(
            **{**fact.model_dump(exclude={"id"}), "key": "late", "state": PENDING},
        )
        late.not_before = world.at(date(2024, 8, 22), 7, 30)
        session.add(late)
        session.commit()
    world.ticker.tick(world.at(date(2024, 8, 22), 14))
    assert len(bundles(world)) == first, "the day's bundle has gone; no second one"
    waiting = next(f for f in facts(world) if f.key == "late")
    assert waiting.state == PENDING
    assert waiting.not_before == world.at(date(2024, 8, 23), 7, 30)
    world.ticker.tick(world.at(date(2024, 8, 23), 7, 30))
    assert next(f for f in facts(world) if f.key == "late").state == CARRIED


def test_it_catches_up_after_downtime_with_one_bundle_per_person(daily_world: World) -> None:
    world = daily_world
    world.sync(world.at(date(2024, 1, 2)))
    world.ticker.tick(world.at(date(2024, 1, 2), 7, 30))
    before = len(bundles(world))
    world.ticker.tick(world.at(date(2024, 2, 26), 9))  # 45 days later
    late = [n for n in bundles(world)[before:]]
    assert late
    per_person = Counter((n.person_id, n.channel) for n in late)
    assert max(per_person.values()) == 1
    assert all(n.key.startswith("bundle/2024-02-26/") for n in late)
    carried = Counter(json.loads(n.context_json)["count"] for n in late if n.channel == "email")
    assert sum(carried.values()) == len({n.person_id for n in late if n.channel == "email"})


def test_it_drops_an_item_whose_evidence_came_before_the_bundle(daily_world: World) -> None:
    world = daily_world
    world.sync(world.at(date(2024, 1, 2)))
    day = date(2024, 8, 22)
    # The step is decided at the start of work (07:30); the bundle goes at 09:00.
    late_ctx = replace(world.ctx, send_at=time(9, 0))
    Ticker(world.db, late_ctx).tick(world.at(day, 7, 30))
    audit = [f for f in facts(world) if f.step == "truoc-5-ngay"]
    assert audit and all(f.state == PENDING for f in audit)
    occurrence = world.occurrences(AUDIT_ROW)[0]
    record_evidence(
        world.db,
        world.ctx,
        occurrence.code,
        "pham-truong-ktht",
        "Chương trình ĐGNB",
        [],
        "cli",
        world.at(day, 8),
    )
    Ticker(world.db, late_ctx).tick(world.at(day, 9))
    mine = [f for f in facts(world) if f.occurrence_id == occurrence.id]
    assert mine and all(f.state == DROPPED for f in mine)
    with Session(world.db) as session:
        carried = {i.fact_id for i in session.exec(select(BundleItem))}
    assert not carried & {f.id for f in mine}
