"""Stopping the dispatcher: sends under way get `stop_grace` to finish, then are cut off
and their rows go back to 'pending' (a hung server cannot hold the engine's stop)."""

from __future__ import annotations

import asyncio

from scheduler.models import PENDING, SENT
from tests.bot.conftest import until
from tests.notifications.outbox_world import AN, CHI, Outbox


def test_it_cuts_off_a_hung_send_after_the_grace_and_requeues_it(outbox: Outbox) -> None:
    hung = outbox.add(CHI, "telegram")
    outbox.bot_api.slow("sendMessage", 1.5, times=None)  # the channel's timeout is 2 s
    dispatcher = outbox.dispatcher()
    dispatcher.stop_grace = 0.05

    async def scenario() -> None:
        cycle = asyncio.create_task(dispatcher.dispatch_due())
        await until(lambda: outbox.bot_api.calls("sendMessage"), "the send to be under way")
        dispatcher.stop()
        await asyncio.wait_for(cycle, 1.0)  # well before the server would have answered
        for channel in dispatcher.channels.values():
            await channel.close()

    asyncio.run(scenario())
    row = outbox.row(hung)
    assert row.state == PENDING and "dừng chương trình" in (row.last_error or "")


def test_it_lets_a_quick_send_finish_when_stopped(outbox: Outbox) -> None:
    quick = outbox.add(AN, "telegram")
    outbox.bot_api.slow("sendMessage", 0.2, times=None)
    dispatcher = outbox.dispatcher()

    async def scenario() -> None:
        cycle = asyncio.create_task(dispatcher.dispatch_due())
        await until(lambda: outbox.bot_api.calls("sendMessage"), "the send to be under way")
        dispatcher.stop()
        await cycle
        for channel in dispatcher.channels.values():
            await channel.close()

    asyncio.run(scenario())
    assert outbox.row(quick).state == SENT
