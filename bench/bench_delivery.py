"""Delivery: SMTP throughput with connection reuse vs one connection per message, and
Telegram pacing under the Bot API limits. Loopback servers only; printed, never asserted.

SMTP: 2,000 rendered reminders to a local aiosmtpd (STARTTLS + AUTH, as a real relay
would require) in batches over kept-open connections, beside a one-connection-per-message
baseline in the same run; then 500 of them through the dispatcher and a SQLite outbox.
Telegram: 300 messages to the local Bot API server (private chats and groups) through
the paced channel, with the fastest per-chat and overall rates the server observed,
beside the same load unpaced.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import trustme

from notifications.base import OutgoingMessage, Recipient
from notifications.dispatcher import Dispatcher
from notifications.email import SmtpChannel
from notifications.ratelimit import Limit, RateLimiter
from notifications.render import Renderer
from notifications.telegram import TelegramChannel
from rules.directory import Directory, Person
from scheduler.clock import ManualClock
from scheduler.db import open_database, session_scope
from scheduler.models import Notification
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.fakes.smtp_server import SMTP_PASSWORD, CertificateAuthority, FakeSmtpServer
from tests.notifications.sample import SAMPLE_CONTEXT

EMAILS = 2000
BASELINE_EMAILS = 500
DISPATCHED_EMAILS = 500
TELEGRAM_PRIVATE_CHATS, TELEGRAM_PER_PRIVATE = 130, 2
TELEGRAM_GROUPS, TELEGRAM_PER_GROUP = 4, 10
SENDER = "nhacviec@namdong.example.vn"


def _reminders(count: int) -> list[OutgoingMessage]:
    renderer = Renderer()
    return [
        renderer.render(
            "reminder_before",
            SAMPLE_CONTEXT,
            Recipient(f"p{i}", f"Cán bộ số {i}", f"p{i}@namdong.example.vn", 10_000 + i),
            f"occ{i}/L2/p{i}/email",
        )
        for i in range(count)
    ]


def _smtp_channel(server: FakeSmtpServer) -> SmtpChannel:
    return SmtpChannel(
        server.config(),
        sender=SENDER,
        sender_name="Nhắc việc ISO",
        password=SMTP_PASSWORD,
        tls_context=server.client_context(),
    )


async def _send(channel: SmtpChannel, messages: list[OutgoingMessage], batched: bool) -> float:
    started = time.perf_counter()
    if batched:
        async with channel.batch():
            for message in messages:
                await channel.send(message)
    else:
        for message in messages:
            await channel.send(message)
    return time.perf_counter() - started


def _dispatcher_run(server: FakeSmtpServer, count: int, folder: Path) -> float:
    db = open_database(f"sqlite:///{folder / 'bench.db'}")
    now = datetime(2024, 8, 23, 1, 0, tzinfo=UTC)
    people = tuple(
        Person(f"p{i}", f"Cán bộ số {i}", None, f"p{i}@namdong.example.vn") for i in range(count)
    )
    payload = json.dumps(SAMPLE_CONTEXT, ensure_ascii=False)
    with session_scope(db) as session:
        session.add_all(
            Notification(
                key=f"occ{i}/L2/p{i}/email",
                step="truoc-5-ngay",
                person_id=f"p{i}",
                channel="email",
                template="reminder_before",
                context_json=payload,
                next_attempt_at=now,
                created_at=now,
            )
            for i in range(count)
        )
    dispatcher = Dispatcher(
        db,
        {"email": _smtp_channel(server)},
        Renderer(),
        Directory(people=people),
        ManualClock(now),
        batch_limit=count,
    )
    started = time.perf_counter()
    summary = asyncio.run(dispatcher.dispatch_due())
    elapsed = time.perf_counter() - started
    assert summary.sent == count, summary
    db.dispose()
    return elapsed


def smtp(folder: Path) -> dict[str, Any]:
    ca = CertificateAuthority(trustme.CA(), folder / "ca.pem")
    server = FakeSmtpServer(ca)
    server.start()
    try:
        messages = _reminders(EMAILS)
        batched_s = asyncio.run(_send(_smtp_channel(server), messages, batched=True))
        batched_connections = server.connections
        server.connections = 0
        single_s = asyncio.run(
            _send(_smtp_channel(server), messages[:BASELINE_EMAILS], batched=False)
        )
        single_connections = server.connections
        dispatcher_s = _dispatcher_run(server, DISPATCHED_EMAILS, folder)
    finally:
        server.stop()
    figures = {
        "smtp_batched_msgs_per_s": round(EMAILS / batched_s, 1),
        "smtp_batched_connections": batched_connections,
        "smtp_one_connection_each_msgs_per_s": round(BASELINE_EMAILS / single_s, 1),
        "smtp_one_connection_each_connections": single_connections,
        "smtp_dispatcher_msgs_per_s": round(DISPATCHED_EMAILS / dispatcher_s, 1),
    }
    print(f"SMTP, {EMAILS} reminders, STARTTLS + AUTH on loopback:")
    print(
        f"  batched (50 per connection): {figures['smtp_batched_msgs_per_s']:>7} msg/s"
        f"  ({batched_connections} connections, {batched_s:.1f} s)"
    )
    print(
        f"  one connection per message:  {figures['smtp_one_connection_each_msgs_per_s']:>7}"
        f" msg/s  (baseline over {BASELINE_EMAILS} messages, {single_s:.1f} s)"
    )
    print(
        f"  via the dispatcher + SQLite outbox: {figures['smtp_dispatcher_msgs_per_s']:>7}"
        f" msg/s  ({DISPATCHED_EMAILS} rows: claim, render, send, record each)"
    )
    return figures


def _telegram_load() -> list[int]:
    """Chat ids in sending order: each private chat twice, each group ten times, mixed as
    the dispatcher would meet them (by due time, not by chat)."""
    private = [1000 + i for i in range(TELEGRAM_PRIVATE_CHATS)] * TELEGRAM_PER_PRIVATE
    groups = [-1001000000000 - g for g in range(TELEGRAM_GROUPS)] * TELEGRAM_PER_GROUP
    step = len(private) // len(groups)
    load: list[int] = []
    for i, group in enumerate(groups):
        load += [*private[i * step : (i + 1) * step], group]
    return load + private[len(groups) * step :]


async def _push(api: FakeBotApi, limiter: RateLimiter) -> float:
    channel = TelegramChannel(TOKEN, base_url=api.base_url, limiter=limiter)
    gate = asyncio.Semaphore(channel.concurrency)

    async def one(chat_id: int) -> None:
        async with gate:
            await channel.send(
                OutgoingMessage(
                    key=f"bench/{chat_id}",
                    subject="",
                    text="Nhắc việc: báo cáo 6 tháng",
                    recipient=Recipient(str(chat_id), "Bench", None, chat_id),
                )
            )

    started = time.perf_counter()
    try:
        await asyncio.gather(*(one(chat) for chat in _telegram_load()))
    finally:
        await channel.close()
    return time.perf_counter() - started


def _max_in_window(times: list[float], period: float) -> int:
    ordered = sorted(times)
    best, low = 0, 0
    for high, t in enumerate(ordered):
        while ordered[low] <= t - period:
            low += 1
        best = max(best, high - low + 1)
    return best


def _observed(api: FakeBotApi) -> dict[str, int]:
    sends = api.calls("sendMessage", ok=True)
    by_chat: dict[int, list[float]] = {}
    for request in sends:
        by_chat.setdefault(request.params["chat_id"], []).append(request.at)
    return {
        "sent": len(sends),
        "max_overall_per_1s": _max_in_window([r.at for r in sends], 1.0),
        "max_private_chat_per_1s": max(_max_in_window(t, 1.0) for c, t in by_chat.items() if c > 0),
        "max_group_per_60s": max(_max_in_window(t, 60.0) for c, t in by_chat.items() if c < 0),
        "max_group_per_1s": max(_max_in_window(t, 1.0) for c, t in by_chat.items() if c < 0),
    }


def telegram() -> dict[str, Any]:
    figures: dict[str, Any] = {}
    unlimited = Limit(10**9, 1.0)
    for label, limiter in (
        ("paced", RateLimiter()),
        (
            "unpaced",
            RateLimiter(overall=unlimited, per_chat=unlimited, per_group=unlimited, spacing=None),
        ),
    ):
        api = FakeBotApi()
        api.start()
        try:
            elapsed = asyncio.run(_push(api, limiter))
            observed = _observed(api)
        finally:
            api.stop()
        figures |= {f"telegram_{label}_{k}": v for k, v in observed.items()}
        figures[f"telegram_{label}_s"] = round(elapsed, 2)
        print(
            f"Telegram {label}: {observed['sent']} messages in {elapsed:.1f} s; max "
            f"{observed['max_overall_per_1s']}/s overall (limit 30), "
            f"{observed['max_private_chat_per_1s']}/s in one private chat (limit 1), "
            f"{observed['max_group_per_1s']}/s and {observed['max_group_per_60s']}/min in "
            f"one group (limit 20/min)"
        )
    return figures


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        figures = smtp(Path(folder))
    figures |= telegram()
    return figures


if __name__ == "__main__":
    main()
