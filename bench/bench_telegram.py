"""Telegram: the paced channel against a Bot API in another process that enforces the
limits (30 messages/s overall, 1/s per chat) with real 429s.

300 messages, two to each of 150 private chats, in the order a dispatcher meets them;
the allowed rate for this load is 30 messages/s, which is the floor.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

from bench.common import Figure, figure
from bench.limited_bot_api import OVERALL_PER_S
from notifications.base import DeliveryError, OutgoingMessage, Recipient
from notifications.telegram import TelegramChannel
from tests.fakes.bot_api import TOKEN

CHATS, PER_CHAT = 150, 2


async def _push(base_url: str) -> tuple[float, int, int]:
    channel = TelegramChannel(TOKEN, base_url=base_url)
    gate = asyncio.Semaphore(channel.concurrency)
    sent = failed = 0

    async def one(chat_id: int, n: int) -> None:
        nonlocal sent, failed
        message = OutgoingMessage(
            key=f"bench/{chat_id}/{n}",
            subject="",
            text="Nhắc việc: báo cáo 6 tháng",
            recipient=Recipient(str(chat_id), "Bench", None, chat_id),
        )
        async with gate:
            try:
                await channel.send(message)
                sent += 1
            except DeliveryError:
                failed += 1

    load = [(1000 + c, n) for n in range(PER_CHAT) for c in range(CHATS)]
    started = time.perf_counter()
    try:
        await asyncio.gather(*(one(chat, n) for chat, n in load))
    finally:
        await channel.close()
    return time.perf_counter() - started, sent, failed


def figures() -> dict[str, Figure]:
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.limited_bot_api"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    port = json.loads(server.stdout.readline())["port"]
    elapsed, sent, failed = asyncio.run(_push(f"http://127.0.0.1:{port}/bot"))
    server.stdin.close()
    served = json.loads(server.stdout.readline())
    server.wait(10)
    load = CHATS * PER_CHAT
    return {
        "rate": figure(
            sent / elapsed,
            "msg/s",
            f"{load} messages to {CHATS} private chats through TelegramChannel (paced) to a "
            f"Bot API in another process enforcing {OVERALL_PER_S}/s overall and 1/s per chat; "
            f"{sent} sent, {failed} failed, in {elapsed:.1f} s; floor: the allowed rate",
            floor=float(OVERALL_PER_S),
        ),
        "server_429s": figure(
            served["refused"],
            "responses",
            "429 Too Many Requests the enforcing server answered (the target is 0)",
            baseline=0.0,
        ),
    }
