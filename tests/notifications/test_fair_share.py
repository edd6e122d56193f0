"""Engines side by side on PostgreSQL split a burst of due rows evenly; an engine alone,
or left alone, or whose partner is silent for a cycle, sends everything."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial

import pytest

from notifications.dispatch_record import DispatchSummary
from notifications.dispatcher import Dispatcher
from scheduler.liveness import Liveness
from scheduler.models import SENT
from tests.fakes.database import on_postgres
from tests.notifications.outbox_world import AN, Outbox

pytestmark = pytest.mark.skipif(
    not on_postgres(), reason="the engines alive are known from PostgreSQL's advisory locks"
)
BURST = 10  # a working morning's reminders: fewer than one claim (SHARED_CLAIM) takes
HALF = BURST // 2 - 1  # ten ids in a row have five homes each, or four and six
CYCLE = timedelta(minutes=1)


def burst(outbox: Outbox) -> None:
    for level in range(BURST):
        outbox.add(AN, "email", level=level)


Step = Callable[[], Awaitable[DispatchSummary]] | None  # None: the clock moves on a cycle


def cycles(outbox: Outbox, steps: list[Step], used: list[Dispatcher]) -> list[int]:
    """The rows each step's delivery sent; then the dispatchers' channels are closed."""

    async def run() -> list[int]:
        sent = []
        for step in steps:
            if step is None:
                outbox.clock.advance(CYCLE)
            else:
                sent.append((await step()).sent)
        for dispatcher in used:
            for channel in dispatcher.channels.values():
                await channel.close()
        return sent

    return asyncio.run(run())


def engines(outbox: Outbox, count: int) -> list[tuple[Dispatcher, Liveness]]:
    found = []
    for _ in range(count):
        liveness = Liveness(outbox.db)
        found.append((outbox.dispatcher(liveness=liveness), liveness))
    return found


def test_two_engines_split_a_burst_in_one_cycle_each(outbox: Outbox) -> None:
    burst(outbox)
    (one, one_alive), (two, two_alive) = engines(outbox, 2)

    sent = cycles(outbox, [one.dispatch_due, two.dispatch_due], [one, two])

    assert sum(sent) == BURST and min(sent) >= HALF, "each about half, none waiting a cycle"
    assert all(row.state == SENT and row.attempts == 1 for row in outbox.rows())
    one_alive.close()
    two_alive.close()


def test_each_engine_sends_both_channels_of_a_burst_written_person_by_channel(
    outbox: Outbox,
) -> None:
    for level in range(BURST):  # as the tick writes them: a person's email, then Telegram
        outbox.add(AN, "email", level=level)
        outbox.add(AN, "telegram", level=level)
    (one, one_alive), (two, two_alive) = engines(outbox, 2)

    cycles(outbox, [one.dispatch_due], [one, two])

    emails, messages = len(outbox.smtp.messages), len(outbox.bot_api.calls("sendMessage"))
    assert HALF <= emails <= BURST - HALF and HALF <= messages <= BURST - HALF
    one_alive.close()
    two_alive.close()


def test_an_engine_takes_the_rows_its_partner_left_for_a_cycle(outbox: Outbox) -> None:
    burst(outbox)
    (one, one_alive), (_two, two_alive) = engines(outbox, 2)

    # The partner is alive but has no cycle (busy, or slow): one cycle later they are
    # the first engine's too.
    sent = cycles(outbox, [one.dispatch_due, None, one.dispatch_due], [one, _two])

    assert sum(sent) == BURST and min(sent) >= HALF
    one_alive.close()
    two_alive.close()


def test_a_delivery_within_a_cycle_leaves_the_partners_rows_to_it(outbox: Outbox) -> None:
    burst(outbox)
    (one, one_alive), (two, two_alive) = engines(outbox, 2)

    # The leader's digest, written after the cycle's delivery, is delivered at once: the
    # partner has had no cycle meanwhile, so its rows are still its own.
    again = partial(one.dispatch_due, again=True)
    sent = cycles(outbox, [one.dispatch_due, None, again, two.dispatch_due], [one, two])

    assert sent[1] == 0 and sum(sent) == BURST and min(sent[0], sent[2]) >= HALF
    one_alive.close()
    two_alive.close()


def test_an_engine_alone_or_left_alone_sends_everything_at_once(outbox: Outbox) -> None:
    burst(outbox)
    [(alone, alone_alive)] = engines(outbox, 1)
    assert cycles(outbox, [alone.dispatch_due], [alone]) == [BURST]
    burst_two = [outbox.add(AN, "email", level=BURST + level) for level in range(BURST)]
    (one, one_alive), (_two, two_alive) = engines(outbox, 2)
    alone_alive.close()
    two_alive.close()  # what a kill -9 does to its lock: the other is alone again

    assert cycles(outbox, [one.dispatch_due], [one, _two]) == [BURST]
    assert all(outbox.row(row_id).state == SENT for row_id in burst_two)
    one_alive.close()


def test_places_are_one_order_of_the_live_engines(outbox: Outbox) -> None:
    first, second, third = (Liveness(outbox.db) for _ in range(3))
    places = [first.place(), second.place(), third.place()]
    assert sorted(places) == [(0, 3), (1, 3), (2, 3)]
    second.close()
    assert sorted([first.place(), third.place()]) == [(0, 2), (1, 2)]
    first.close()
    third.close()
