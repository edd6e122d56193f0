"""A locked database never blocks the event loop, and a send it refused to record is
recorded from the send journal on the next cycle: nothing lost, nothing sent twice."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from notifications.base import Channel, DeliveryResult, OutgoingMessage
from notifications.dispatcher import Dispatcher
from notifications.render import Renderer
from scheduler.db import make_engine
from scheduler.models import PENDING, SENDING, SENT
from tests.fakes.database import on_postgres
from tests.notifications.outbox_world import AN, BINH, DIRECTORY, Outbox

pytestmark = pytest.mark.skipif(
    on_postgres(), reason="a whole-file write lock is SQLite's; PostgreSQL locks rows"
)


class Heartbeat:
    """Counts turns of the event loop: a blocked loop stops counting."""

    def __init__(self) -> None:
        self.beats = 0
        self.done = asyncio.Event()

    async def run(self) -> None:
        while not self.done.is_set():
            self.beats += 1
            await asyncio.sleep(0)  # yields the loop; no time passes on purpose


class LockingChannel(Channel):
    """The real SMTP channel; right after the server accepts a message, another
    connection takes the database's write lock (before the dispatcher can record)."""

    name = "email"

    def __init__(self, inner: Channel, database: Path, heartbeat: Heartbeat) -> None:
        self.inner, self.database, self.heartbeat = inner, database, heartbeat
        self.locker: sqlite3.Connection | None = None
        self.beats_at_lock = 0

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        async with self.inner.batch():
            yield

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        result = await self.inner.send(message)
        if self.locker is None:
            self.locker = lock(self.database)
            self.beats_at_lock = self.heartbeat.beats
        return result

    async def close(self) -> None:
        await self.inner.close()


def lock(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")  # held until released: a writer's lock
    return connection


def database_of(outbox: Outbox) -> Path:
    return Path(outbox.db.url.database or "")


def run_with_heartbeat(dispatcher: Dispatcher, heartbeat: Heartbeat) -> None:
    async def both() -> None:
        beating = asyncio.create_task(heartbeat.run())
        try:
            await dispatcher.dispatch_due()
        finally:
            heartbeat.done.set()
            await beating

    asyncio.run(both())


def test_it_records_a_send_the_locked_database_refused_from_the_journal(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "email")
    database = database_of(outbox)
    short = make_engine(str(outbox.db.url), busy_ms=200)  # a lock outlasts the wait
    heartbeat = Heartbeat()
    channel = LockingChannel(outbox.channels()["email"], database, heartbeat)
    dispatcher = Dispatcher(short, {"email": channel}, Renderer(), DIRECTORY, outbox.clock)

    run_with_heartbeat(dispatcher, heartbeat)
    assert channel.locker is not None
    assert heartbeat.beats > channel.beats_at_lock + 10, "the loop kept turning while it waited"
    assert outbox.row(row_id).state == SENDING, "the database refused the record"
    journal = database.with_name(database.name + ".journal")
    assert len(list(journal.glob("*.jsonl"))) == 1

    channel.locker.rollback()
    channel.locker.close()
    asyncio.run(dispatcher.dispatch_due())
    asyncio.run(channel.close())
    row = outbox.row(row_id)
    assert len(outbox.smtp.messages) == 1, "sent once"
    assert (row.state, row.external_id) == (SENT, outbox.smtp.messages[0].message["Message-ID"])
    assert not list(journal.glob("*.jsonl")), "the journal is settled"
    short.dispose()


def test_it_keeps_the_loop_turning_while_a_claim_waits_then_sends_each_once(
    outbox: Outbox,
) -> None:
    ids = [outbox.add(AN, "email"), outbox.add(BINH, "email")]
    database = database_of(outbox)
    short = make_engine(str(outbox.db.url), busy_ms=200)
    heartbeat = Heartbeat()
    dispatcher = Dispatcher(short, outbox.channels(), Renderer(), DIRECTORY, outbox.clock)
    locker = lock(database)
    try:
        run_with_heartbeat(dispatcher, heartbeat)
    finally:
        locker.rollback()
        locker.close()
    assert heartbeat.beats > 10, "the loop kept turning while the claims waited"
    assert [outbox.row(i).state for i in ids] == [PENDING, PENDING], "nothing claimed or lost"
    assert outbox.smtp.messages == []

    asyncio.run(dispatcher.dispatch_due())
    asyncio.run(dispatcher.close())
    assert [outbox.row(i).state for i in ids] == [SENT, SENT]
    ids_received = [m.message["Message-ID"] for m in outbox.smtp.messages]
    recorded = [outbox.row(i).external_id for i in ids]
    assert None not in recorded
    assert sorted(ids_received) == sorted(str(external) for external in recorded)
    short.dispose()
