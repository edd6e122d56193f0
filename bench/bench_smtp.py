"""SMTP: the channel beside raw aiosmtplib on the same number of connections.

The aiosmtpd server (STARTTLS + AUTH, as a relay requires) runs in another process, so
the client's figures are not shared with the server's work. Both sides send the same
rendered reminders; the channel keeps a connection for `batch_size` messages, and the
floor opens as many connections and sends the same bytes over each.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiosmtplib

from bench.common import Figure, figure
from notifications.base import OutgoingMessage, Recipient
from notifications.email import SmtpChannel
from notifications.mime import deliverable_email
from notifications.render import Renderer
from notifications.settings import SmtpConfig
from tests.fakes.smtp_server import SMTP_PASSWORD, SMTP_USER
from tests.notifications.sample import SAMPLE_CONTEXT

EMAILS = 2000
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


async def _channel(config: SmtpConfig, tls: ssl.SSLContext, messages: list[Any]) -> float:
    channel = SmtpChannel(
        config, sender=SENDER, sender_name="Nhắc việc ISO", password=SMTP_PASSWORD, tls_context=tls
    )
    started = time.perf_counter()
    async with channel.batch():
        for message in messages:
            await channel.send(message)
    return time.perf_counter() - started


async def _raw(config: SmtpConfig, tls: ssl.SSLContext, messages: list[Any]) -> float:
    started = time.perf_counter()
    # Building the MIME message is work both sides must do; the floor does it inline too.
    mails = [deliverable_email(m, sender=SENDER, sender_name="Nhắc việc ISO") for m in messages]
    for first in range(0, len(mails), config.batch_size):
        client = aiosmtplib.SMTP(
            hostname=config.host, port=config.port, start_tls=True, tls_context=tls
        )
        await client.connect()
        await client.login(SMTP_USER, SMTP_PASSWORD)
        for mail in mails[first : first + config.batch_size]:
            await client.send_message(mail)
        await client.quit()
    return time.perf_counter() - started


def figures() -> dict[str, Figure]:
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_server_process", folder],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdin is not None and server.stdout is not None
        started = json.loads(server.stdout.readline())
        tls = ssl.create_default_context(cafile=started["ca"])
        config = SmtpConfig(
            host="127.0.0.1", port=started["port"], username=SMTP_USER, security="starttls"
        )
        messages = _reminders(EMAILS)
        raw_s = asyncio.run(_raw(config, tls, messages))
        channel_s = asyncio.run(_channel(config, tls, messages))
        server.stdin.close()
        served = json.loads(server.stdout.readline())
        server.wait(10)
    connections = EMAILS // config.batch_size
    return {
        "throughput": figure(
            EMAILS / channel_s,
            "msg/s",
            f"{EMAILS} rendered reminders through SmtpChannel.batch() to aiosmtpd in another "
            f"process (STARTTLS + AUTH, {config.batch_size} per connection); floor: raw "
            f"aiosmtplib, the same messages on {connections} connections; server took "
            f"{served['messages']} messages on {served['connections']} connections in all",
            floor=EMAILS / raw_s,
        )
    }
