"""`nhacviec run` stops promptly on SIGTERM / SIGINT with the bot polling and sends in
flight, and leaves no outbox row 'sending' (unsent rows go back to 'pending').

The loopback Bot API answers every sendMessage late (2 s; or 12 s, past the client's
10 s timeout: a hung API), so when the signal comes the dispatcher has reminders under
way and the bot a reply under way. The measured shutdown time is printed; only a
generous bound is asserted (beyond it the engine hangs).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w
from sqlalchemy import create_engine
from sqlmodel import Session, col, func, select

from scheduler.models import SENDING, SENT, Notification
from tests.cli.test_concurrent_start import wait_for
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.fakes.database import database_url

ROOT = Path(__file__).resolve().parents[2]
HANG = 30.0  # seconds: a stop slower than this is a hang, not a slow stop


def write_config(tmp_path: Path, bot_api: FakeBotApi) -> tuple[Path, str]:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    url = database_url(tmp_path, "shutdown")
    data["database"]["url"] = url
    data["telegram"] = {
        "token_env": "NV_SHUTDOWN_TOKEN",
        "base_url": bot_api.base_url,
        "base_file_url": bot_api.base_file_url,
    }
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target, url


def count(url: str, *where: object) -> int:
    db = create_engine(url)
    try:
        with Session(db) as session:
            query = select(func.count()).select_from(Notification).where(*where)  # type: ignore[arg-type]  # sqlmodel's where() does not accept a starred list of column expressions
            return int(session.exec(query).one())
    except Exception:  # the schema is not there yet
        return 0
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("sig", "slow"),
    [(signal.SIGTERM, 2.0), (signal.SIGINT, 12.0)],
    ids=["SIGTERM-slow-api", "SIGINT-hung-api"],
)
def test_it_stops_promptly_with_sends_in_flight(
    tmp_path: Path, bot_api: FakeBotApi, sig: signal.Signals, slow: float
) -> None:
    config, url = write_config(tmp_path, bot_api)
    bot_api.slow("sendMessage", slow, times=None)
    env = {**os.environ, "NV_SHUTDOWN_TOKEN": TOKEN, "COLUMNS": "1000", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "nhacviec", "run", "-v", "--config", str(config)]
    command += ["--replay-from", "01/08/2024", "--speed", "43200"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True)
    reader.start()
    try:
        wait_for(lambda: bool(bot_api.calls("getUpdates")), "the bot to poll")
        bot_api.push_message(9999, "/viec")  # an unlinked chat: the bot answers it, slowly
        wait_for(
            lambda: (
                count(url, col(Notification.state) == SENDING) > 0
                and len(bot_api.calls("sendMessage")) > 1
            ),
            "reminders and a reply in flight",
        )
        started = time.monotonic()
        process.send_signal(sig)
        code = process.wait(timeout=HANG)
        took = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
        reader.join(timeout=5)
    output = "".join(lines)
    print(f"\n{sig.name}, sendMessage answered after {slow} s: stopped in {took:.2f} s")
    assert code == 0, output[-4000:]
    assert "Traceback" not in output, output[-4000:]
    assert count(url, col(Notification.state) == SENDING) == 0, "nothing left 'sending'"
    assert count(url, col(Notification.state) == SENT) > 0
    assert took < HANG
