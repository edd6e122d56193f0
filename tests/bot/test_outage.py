"""A Bot API that fails (500s, dropped connections) loses no reply: at-least-once answers.

The fault is switched on the loopback server, through PTB's real HTTPX client: every
request fails until the test clears it, which it does only once the bot has met the fault
both on a reply and on getUpdates. Nothing sleeps; the test waits on the server's state.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlmodel import Session, select

from notifications.bot import start_bot, stop_bot
from scheduler.models import DONE, KeptReply
from tests.bot.conftest import PHAM, PHAM_CHAT, BotWorld, until
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.bot_updates import push_text


def _start_fault(api: FakeBotApi, fault: str) -> None:
    if fault == "500":
        api.fail(None, 500, times=None)
    else:
        api.drop(None, times=None)


def _failed(api: FakeBotApi, method: str, since: int) -> int:
    return sum(1 for r in api.requests[since:] if r.method == method and r.status != 200)


@pytest.mark.parametrize("fault", ["500", "drop"])
def test_it_answers_every_command_sent_during_a_bot_api_outage(
    bot_world: BotWorld, fault: str
) -> None:
    pham, api = bot_world.chat(PHAM_CHAT), bot_world.api
    commands = [f"/xong {bot_world.code} Biên bản kiểm tra số 7", "/viec", "/trogiup"]

    async def scenario() -> tuple[list[str], float]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            before, mark = len(pham.bot_messages()), len(api.requests)
            _start_fault(api, fault)
            # The poll already waiting on the server returns this one: acknowledged to
            # Telegram, then its reply meets the fault (the reply the issue saw lost).
            push_text(api, PHAM_CHAT, commands[0])
            await until(lambda: _failed(api, "sendMessage", mark) >= 2, "a reply failing twice")
            for command in commands[1:]:  # sent while getUpdates itself fails
                push_text(api, PHAM_CHAT, command)
            await until(lambda: _failed(api, "getUpdates", mark) >= 2, "polling failing twice")
            api.clear_rules()
            cleared = time.monotonic()
            await until(lambda: len(pham.bot_messages()) >= before + 3, "three replies", 30)
            answered = time.monotonic() - cleared
            return [str(m["text"]) for m in pham.bot_messages()[before:]], answered

    replies, answered = asyncio.run(scenario())
    print(f"\n{fault}: the three replies arrived {answered:.2f} s after the Bot API was back")
    assert len(replies) == 3, "each command answered exactly once"
    assert "Đã ghi nhận hoàn thành" in replies[0]
    assert "Việc đang mở của Phòng Kinh tế và Hạ tầng" in replies[1]
    assert "/xong" in replies[2]
    assert bot_world.occurrence().state == DONE
    assert answered < 30, "recovered within the retry cap, not PTB's 30 s polling backoff"


def test_it_keeps_a_reply_across_a_stop_during_the_outage(bot_world: BotWorld) -> None:
    pham, api = bot_world.chat(PHAM_CHAT), bot_world.api

    async def scenario() -> tuple[float, int]:
        application = bot_world.application()
        await start_bot(application)
        try:
            await pham.link(bot_world.invite(PHAM))
            before, mark = len(pham.bot_messages()), len(api.requests)
            api.fail(None, 500, times=None)
            push_text(api, PHAM_CHAT, "/viec")
            await until(lambda: _failed(api, "sendMessage", mark) >= 1, "the reply failing")
        finally:
            started = time.monotonic()
            await stop_bot(application)
            stopped = time.monotonic() - started
        kept = len(_waiting(bot_world))
        api.clear_rules()
        async with bot_world.running():
            await until(lambda: len(pham.bot_messages()) > before, "the kept reply", 30)
        return stopped, kept

    stopped, kept = asyncio.run(scenario())
    print(f"\nthe bot stopped {stopped:.2f} s after being told, mid-outage")
    assert kept == 1, "the unsent reply was kept in the database"
    assert _waiting(bot_world) == [], "and sent at the next start"
    assert "Việc đang mở" in str(pham.bot_messages()[-1]["text"])
    assert stopped < 30, "a stop never hangs on the outage"


def _waiting(world: BotWorld) -> list[KeptReply]:
    with Session(world.db) as session:
        query = select(KeptReply).where(KeptReply.delivered_at == None)  # noqa: E711
        return list(session.exec(query))
