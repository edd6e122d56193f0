"""A dispatcher killed (SIGKILL) after the SMTP server took a bundle, before it recorded it.

The bundles are composed by the tick in this process; a child process dispatches them
to the loopback SMTP server, which kills the child as the first message arrives, before
answering 250. A second child, after the lease, recovers and sends again. Each bundle
key then reaches the server once or twice, always with the same Message-ID and the same
content, and no person gets two different bundles for one day. SQLite only: the kill
must hit a database file that another process opens next.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from scheduler.models import SENT, Notification
from tests.fakes.database import on_postgres
from tests.fakes.smtp_server import SMTP_PASSWORD, SMTP_USER, CertificateAuthority, FakeSmtpServer
from tests.scheduler.conftest import World, make_world

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2024, 8, 22)

CHILD = """
import asyncio, ssl, sys
from datetime import datetime
from pathlib import Path
from notifications.dispatcher import Dispatcher
from notifications.email import SmtpChannel
from notifications.render import Renderer
from notifications.settings import SmtpConfig
from nhacviec.wiring import engine_context
from scheduler.clock import ManualClock
from scheduler.db import make_engine
from tests.scheduler.conftest import example_config

tmp, port, ca_file, now, user, password = sys.argv[1:]
config = example_config(Path(tmp), delivery={"bundle": "daily"})
smtp = SmtpConfig(host="127.0.0.1", port=int(port), username=user)
channel = SmtpChannel(smtp, sender="nhacviec@namdong.example.vn", sender_name="Nhắc việc ISO",
                      password=password, tls_context=ssl.create_default_context(cafile=ca_file))
db = make_engine(config.database_url())
dispatcher = Dispatcher(db, {"email": channel}, Renderer(), engine_context(config).directory,
                        ManualClock(datetime.fromisoformat(now)))

async def main() -> None:
    await dispatcher.recover()
    await dispatcher.dispatch_due()
    await dispatcher.close()

asyncio.run(main())
"""


def _child(tmp: Path, server: FakeSmtpServer, ca: CertificateAuthority, now: str) -> Any:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(tmp),
            str(server.port),
            str(ca.ca_file),
            now,
            SMTP_USER,
            SMTP_PASSWORD,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _kill_on_first_message(server: FakeSmtpServer, child: list[Any]) -> None:
    """The server kills the dispatcher once it holds the first message, before answering."""
    handler = server._controller.handler
    original = handler.handle_DATA

    async def handle_data(*args: Any) -> str:
        answer = await original(*args)
        if child and child[0].poll() is None:
            os.kill(child[0].pid, signal.SIGKILL)
            child.clear()
        return str(answer)

    handler.handle_DATA = handle_data


@pytest.mark.skipif(on_postgres(), reason="kills a process holding a SQLite file")
def test_it_resends_the_same_bundle_after_a_kill_between_sending_and_recording(
    tmp_path: Path, smtp_server: FakeSmtpServer, smtp_ca: CertificateAuthority
) -> None:
    world: World = make_world(tmp_path, "daily")
    world.sync(world.at(date(2024, 1, 2)))
    report = world.ticker.tick(world.at(DAY, 7, 30))
    bundles = world.notifications(lambda n: n.template == "bundle" and n.channel == "email")
    assert report.bundles > 0 and bundles
    world.db.dispose()

    victim: list[Any] = []
    _kill_on_first_message(smtp_server, victim)
    first = _child(tmp_path, smtp_server, smtp_ca, world.at(DAY, 7, 31).isoformat())
    victim.append(first)
    assert first.wait(timeout=60) == -signal.SIGKILL
    assert len(smtp_server.messages) == 1

    later = world.at(DAY, 7, 31) + timedelta(minutes=20)  # past the 15-minute lease
    second = _child(tmp_path, smtp_server, smtp_ca, later.isoformat())
    assert second.wait(timeout=120) == 0

    received: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in smtp_server.messages:
        mail = item.message
        text, html = (mail.get_body((kind,)) for kind in ("plain", "html"))
        content = f"{mail['Subject']}\n{text.get_content()}\n{html.get_content()}"  # type: ignore[union-attr]  # email's get_body() is typed Message | None; both parts exist in these mails
        received[str(mail["X-Nhacviec-Key"])].append((str(mail["Message-ID"]), content))
    keys = {b.key for b in bundles}
    assert set(received) == keys
    twice = [k for k, copies in received.items() if len(copies) == 2]
    assert len(twice) == 1, "the killed send is sent again, once"
    for copies in received.values():
        assert 1 <= len(copies) <= 2
        assert len({message_id for message_id, _ in copies}) == 1
        assert len({content for _, content in copies}) == 1, "the resend carries the same content"
    with Session(world.db) as session:
        states = {n.key: n.state for n in session.exec(select(Notification))}
    assert all(states[k] == SENT for k in keys)
    per_person_day = {tuple(k.split("/")[1:3]) for k in keys}
    assert len(per_person_day) == len(keys), "one email bundle per person and day"
