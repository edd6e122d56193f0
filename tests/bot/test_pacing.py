"""The bot's replies and the reminders share one RateLimiter: no 429 from a server that
enforces Telegram's flood limits (30/s overall, 1/s per chat) with real 429s.

These run on real time, because the server counts arrivals on its own clock; the bursts
are kept small (a few seconds at 1 message/s/chat). Nothing is asserted about timing.
"""

from __future__ import annotations

import asyncio

from notifications.base import OutgoingMessage, Recipient
from notifications.bot.pacing import unlimited
from notifications.ratelimit import RateLimiter
from notifications.telegram import TelegramChannel
from tests.bot.conftest import PHAM, PHAM_CHAT, BotWorld, until
from tests.fakes.bot_api import TOKEN
from tests.fakes.bot_updates import push_text

COMMANDS = ["/viec", "/trogiup"]


def _reminder(chat_id: int, n: int) -> OutgoingMessage:
    return OutgoingMessage(
        key=f"pacing/{chat_id}/{n}",
        subject="",
        text=f"Nhắc việc số {n}: báo cáo 6 tháng",
        recipient=Recipient(str(chat_id), "Người nhận", None, chat_id),
    )


async def _burst(
    world: BotWorld, chats: list[int], bot_limiter: RateLimiter, channel_limiter: RateLimiter
) -> int:
    """Link Phạm, then at once: his commands, and reminders to `chats` (Phạm's among
    them) through a TelegramChannel; returns how many bot messages Phạm got."""
    pham, api = world.chat(PHAM_CHAT), world.api
    channel = TelegramChannel(TOKEN, base_url=api.base_url, limiter=channel_limiter)
    try:
        async with world.running(bot_limiter):
            await pham.link(world.invite(PHAM))
            before = len(pham.bot_messages())
            api.enforce_limits()
            for command in COMMANDS:
                push_text(api, PHAM_CHAT, command)
            sends = [channel.send(_reminder(c, n)) for n, c in enumerate(chats)]
            results = await asyncio.gather(*sends, return_exceptions=True)
            # A reminder refused with a 429 is the dispatcher's to retry; not counted here.
            delivered = [
                c for c, r in zip(chats, results, strict=True) if not isinstance(r, Exception)
            ]
            expected = before + len(COMMANDS) + delivered.count(PHAM_CHAT)
            await until(lambda: len(pham.bot_messages()) >= expected, "every reply", 30)
            return len(pham.bot_messages()) - before
    finally:
        await channel.close()


def test_it_keeps_replies_and_reminders_to_one_chat_under_the_limit(bot_world: BotWorld) -> None:
    shared = RateLimiter()
    got = asyncio.run(_burst(bot_world, [PHAM_CHAT, PHAM_CHAT], shared, shared))
    assert got == len(COMMANDS) + 2
    assert bot_world.api.flood_refusals == [], "no 429 from the enforcing server"


def test_it_keeps_a_burst_to_many_chats_under_the_limit(bot_world: BotWorld) -> None:
    chats = [PHAM_CHAT] + [20_000 + i for i in range(45)]
    shared = RateLimiter()
    got = asyncio.run(_burst(bot_world, chats, shared, shared))
    assert got == len(COMMANDS) + 1
    assert bot_world.api.flood_refusals == [], "no 429 from the enforcing server"
    assert len(bot_world.api.calls("sendMessage", ok=True)) >= len(chats) + len(COMMANDS)


def test_it_sees_429s_when_the_bot_is_not_paced(bot_world: BotWorld) -> None:
    """The control: the same burst with an unpaced bot does get 429s (and still answers,
    retrying after each)."""
    # The reminders paced on their own, the bot not at all: how it was before.
    got = asyncio.run(_burst(bot_world, [PHAM_CHAT, PHAM_CHAT], unlimited(), RateLimiter()))
    assert got >= len(COMMANDS), "every command answered, after the 429s"
    assert bot_world.api.flood_refusals != []
