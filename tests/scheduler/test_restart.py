"""Crashes and restarts: what was decided is sent once, and never twice."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date

import pytest

from notifications.dispatcher import Dispatcher
from notifications.outbox_files import EmlFileChannel
from notifications.render import Renderer
from scheduler.clock import ManualClock
from scheduler.models import SENT
from scheduler.ticker import Ticker
from tests.scheduler.conftest import World

BATCH = 20  # rows per dispatch: small, so draining the outbox takes several batches


@pytest.fixture
def section_one(world: World) -> World:
    """The plan's section I only (7 rows, some 50 messages by late August): enough for
    several batches, without rendering a thousand emails."""
    world.plans = [
        replace(plan, rows=[r for r in plan.rows if r.row.ref.startswith("I.")])
        for plan in world.plans
    ]
    return world


def dispatcher(world: World, clock: ManualClock) -> Dispatcher:
    outbox = world.config.path(world.config.email.outbox_dir)
    email = EmlFileChannel(outbox, sender="nhacviec@example.vn", sender_name="Nhắc việc")
    return Dispatcher(
        world.db,
        {"email": email, "telegram": email},
        Renderer(),
        world.ctx.directory,
        clock,
        defer=world.ctx.sending_moment,
        batch_limit=BATCH,
    )


def drain(world: World, clock: ManualClock) -> int:
    """Dispatch until nothing is left (each call sends at most one batch)."""
    total = 0
    while sent := asyncio.run(dispatcher(world, clock).dispatch_due()).sent:
        total += sent
    return total


def test_it_sends_what_was_decided_before_a_crash_once(section_one: World) -> None:
    world = section_one
    world.sync(world.at(date(2024, 1, 2)))
    clock = ManualClock(world.at(date(2024, 8, 22), 9))
    Ticker(world.db, world.ctx).tick(clock.now())  # decided ... and the process dies here
    decided = world.notifications()
    assert len(decided) > 2 * BATCH and all(n.state == "pending" for n in decided)

    restarted = Ticker(world.db, world.ctx)  # a new process over the same database
    restarted.tick(clock.now())
    assert len(world.notifications()) == len(decided), "the tick decides nothing twice"
    assert drain(world, clock) == len(decided)
    assert drain(world, clock) == 0
    outbox = world.config.path(world.config.email.outbox_dir)
    assert len(list(outbox.glob("*.eml"))) == len(decided)
    assert {n.state for n in world.notifications()} == {SENT}


def test_it_holds_messages_decided_at_night_until_the_working_morning(section_one: World) -> None:
    world = section_one
    world.sync(world.at(date(2024, 1, 2)))
    clock = ManualClock(world.at(date(2024, 8, 22), 21))  # the engine was down all day
    Ticker(world.db, world.ctx).tick(clock.now())
    assert drain(world, clock) == 0
    clock.set(world.at(date(2024, 8, 23), 7, 30))
    assert drain(world, clock) == len(world.notifications())


def test_it_keeps_the_rest_of_a_batch_when_one_outbox_key_is_taken(world: World) -> None:
    """Another engine already wrote one occurrence's row: the others still go out."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from scheduler.models import Notification

    world.sync(world.at(date(2024, 1, 2)))
    (first,) = [o for o in world.occurrences("I.1") if o.unit_id == "ktht"]
    with Session(world.db) as session:
        session.add(
            Notification(
                key=f"occ{first.id}/L0/pham-truong-ktht/email",
                step="x",
                person_id="pham-truong-ktht",
                channel="email",
                template="test",
                next_attempt_at=datetime.now(UTC),
                created_at=datetime.now(UTC),
            )
        )
        session.commit()
    report = Ticker(world.db, world.ctx).tick(world.at(date(2024, 1, 2), 9))
    assert report.occurrences > 1
    assert first.code not in {code for code, _step, _count in report.decided}
    assert len(world.notifications()) == report.notifications + 1


def test_a_batch_claim_skips_what_another_engine_moved_first(world: World) -> None:
    """The batch is claimed by one conditional UPDATE (executed for every move) that names
    each occurrence's level as read: after another engine moved them, the stale batch is
    refused whole (the tick then redoes it move by move) and each stale move takes nothing;
    a fresh read takes all."""
    from sqlmodel import Session

    from scheduler.due import Contended, claim, due_batch

    world.sync(world.at(date(2024, 1, 2)))
    now = world.at(date(2024, 1, 2), 9)
    with Session(world.db) as session:
        stale = due_batch(session, now, 500)
    assert len(stale) > 2
    Ticker(world.db, world.ctx).tick(now)  # the other engine, quicker
    with Session(world.db) as session:
        with pytest.raises(Contended):
            claim(session, [(o, None, now) for o in stale])
        session.rollback()
        assert all(claim(session, [(o, None, now)]) == set() for o in stale)
        fresh = due_batch(session, world.at(date(2024, 12, 31)), 10_000)
        moved = [o for o in fresh if o.id in {s.id for s in stale}]
        assert len(moved) == len(stale)
        assert claim(session, [(o, None, now) for o in moved]) == {o.id for o in moved}
