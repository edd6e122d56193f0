"""kill -9 at random points during a replayed month, then a drain: nothing lost, nothing
doubled except across a kill, nothing left 'sending', and every interrupted send resent in
the first dispatcher cycle of the next engine."""

from __future__ import annotations

import itertools
import random
import re
import signal
import time
import tomllib
from collections import defaultdict
from datetime import datetime
from functools import partial
from pathlib import Path

import pytest
import tomli_w
from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from scheduler.models import PENDING, SENDING, SENT, EngineState, Notification
from tests.cli.test_concurrent_start import Engine, wait_for
from tests.fakes.database import database_url, on_postgres
from tests.fakes.smtp_server import SMTP_PASSWORD, SMTP_USER, CertificateAuthority, FakeSmtpServer

ROOT = Path(__file__).resolve().parents[2]
# Twenty on SQLite; on PostgreSQL (the second CI run) fewer, for time: the same code paths
# with advisory locks in place of lock files.
KILLS = 6 if on_postgres() else 20
REQUEUED = re.compile(r"id=(\d+) key=\S+ attempt=\d+ outcome=requeued")
END = datetime.fromisoformat("2024-09-02T00:00:00+00:00")


def write_config(tmp_path: Path, server: FakeSmtpServer) -> tuple[Path, str]:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    url = database_url(tmp_path, "killed")
    data["database"]["url"] = url
    data["email"]["smtp"] = {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "starttls",
        "username": SMTP_USER,
        "password_env": "NV_KILL_SMTP_PASSWORD",
    }
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target, url


def start(config: Path, ca: CertificateAuthority) -> Engine:
    return Engine(
        config,
        replay=("01/08/2024", "43200"),
        env={"NV_KILL_SMTP_PASSWORD": SMTP_PASSWORD, "SSL_CERT_FILE": str(ca.ca_file)},
    )


def running(engine: Engine) -> bool:
    return "Đang chạy" in engine.output


def sending(url: str) -> set[int]:
    db = create_engine(url)
    with Session(db) as session:
        ids = session.exec(select(Notification.id).where(col(Notification.state) == SENDING))
        found = {i for i in ids if i is not None}
    db.dispose()
    return found


def drained(url: str, end: datetime = END) -> bool:
    """The month is over (the clock is at `end`) and nothing due by then is left to send."""
    db = create_engine(url)
    with Session(db) as session:
        clock = session.get(EngineState, "clock")
        due = session.exec(
            select(Notification.id).where(
                col(Notification.state).in_([PENDING, SENDING]),
                col(Notification.next_attempt_at) <= end,
            )
        ).first()
    db.dispose()
    return clock is not None and datetime.fromisoformat(clock.value) >= end and due is None


@pytest.mark.timeout(900)
def test_it_loses_nothing_across_twenty_kills(
    tmp_path: Path, smtp_server: FakeSmtpServer, smtp_ca: CertificateAuthority
) -> None:
    config, url = write_config(tmp_path, smtp_server)
    rng = random.Random(15)
    epochs = [0]  # how many messages the server had received at each kill
    unrecovered: set[int] = set()
    resent_late: list[tuple[int, set[int]]] = []
    for kill in range(KILLS):
        engine = start(config, smtp_ca)
        wait_for(partial(running, engine), "the engine to start")
        time.sleep(rng.uniform(0.2, 3.0))  # a random point in its work: real time passing
        engine.process.send_signal(signal.SIGKILL)
        engine.process.wait(timeout=30)
        output = engine.output
        first_sent = output.find("outcome=sent")
        if first_sent >= 0:
            requeued = {int(i) for i in REQUEUED.findall(output[:first_sent])}
            if not unrecovered <= requeued:
                resent_late.append((kill, unrecovered - requeued))
        epochs.append(len(smtp_server.messages))
        unrecovered = sending(url)  # what the next engine must resend in its first cycle
    final = start(config, smtp_ca)
    try:
        wait_for(lambda: drained(url), "the month to be drained", within=300)
    finally:
        assert final.stop() == 0, final.output
    assert "Traceback" not in final.output

    assert not resent_late, f"rows resent after the first cycle of a restart: {resent_late}"
    db = create_engine(url)
    with Session(db) as session:
        rows = list(session.exec(select(Notification)))
    db.dispose()
    assert rows and {n.state for n in rows} <= {SENT, PENDING}, "nothing 'sending' or failed"
    late = [n.key for n in rows if n.state == PENDING and n.next_attempt_at <= END]
    assert not late, f"due in the month but never delivered: {late}"
    receipts: dict[str, list[int]] = defaultdict(list)
    for index, received in enumerate(smtp_server.messages):
        receipts[received.message["Message-ID"]].append(index)
    emails = [n for n in rows if n.channel == "email" and n.state == SENT]
    assert {n.external_id for n in emails} <= set(receipts), "each email arrived"
    for message_id, seen in receipts.items():
        kills_between = [k for k in epochs if any(a < k <= b for a, b in itertools.pairwise(seen))]
        assert len(seen) == 1 or len(kills_between) >= len(seen) - 1, (message_id, seen, epochs)
    doubles = sum(len(seen) - 1 for seen in receipts.values())
    print(f"{len(emails)} emails, {len(receipts)} Message-IDs, {doubles} resent across a kill")
