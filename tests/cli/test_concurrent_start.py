"""Three engines started at the same instant on one empty database all run, side by side."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w
from sqlalchemy import create_engine, func, select, table
from sqlmodel import col

from scheduler.models import SENT, Notification, Occurrence, PlanRecord
from tests.fakes.database import database_url

ROOT = Path(__file__).resolve().parents[2]
ENGINES = 3


def write_config(tmp_path: Path) -> tuple[Path, str]:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    url = database_url(tmp_path, "together")
    data["database"]["url"] = url
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target, url


class Engine:
    """One `nhacviec run` subprocess whose output is read line by line in a thread."""

    def __init__(
        self,
        config: Path,
        replay: tuple[str, str] = ("02/01/2024", "400000"),
        env: dict[str, str] | None = None,
    ) -> None:
        environment = {
            **os.environ,
            **(env or {}),
            "COLUMNS": "1000",  # one log line per line: the sync report is counted below
            "NHACVIEC_TELEGRAM_TOKEN": "",
            "PYTHONUNBUFFERED": "1",
            "PYTHONFAULTHANDLER": "1",
        }
        command = [sys.executable, "-m", "nhacviec", "run", "-v", "--config", str(config)]
        command += ["--replay-from", replay[0], "--speed", replay[1]]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=environment,
            cwd=config.parent,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
            self.process.wait(timeout=10)
            self._reader.join(timeout=5)
            Path("/tmp/d_stuck.log").write_text(self.output)
            raise AssertionError(f"the engine did not stop:\n{self.output[-8000:]}") from None
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self._reader.join(timeout=5)


def wait_for(condition: Callable[[], bool], what: str, within: float = 90.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)  # a subprocess offers nothing to await; its output is polled
    raise AssertionError(f"timed out waiting for {what}")


def test_it_starts_three_engines_at_once_on_an_empty_database(tmp_path: Path) -> None:
    config, url = write_config(tmp_path)
    engines = [Engine(config) for _ in range(ENGINES)]
    try:
        wait_for(
            lambda: all("Đang chạy" in e.output or e.process.poll() is not None for e in engines),
            "every engine to be running",
        )
        wait_for(
            lambda: sum(e.output.count("outcome=sent") for e in engines) >= 20,
            "reminders to be delivered",
        )
    finally:
        codes = [e.stop() for e in engines]
    for engine in engines:
        assert "Traceback" not in engine.output, engine.output
        assert "Đang chạy" in engine.output and "Đã dừng" in engine.output, engine.output
    assert codes == [0] * ENGINES
    db = create_engine(url)
    with db.connect() as connection:
        plans = connection.execute(select(func.count()).select_from(PlanRecord)).scalar_one()
        keys = connection.execute(
            select(col(Occurrence.row_id), col(Occurrence.unit_id), col(Occurrence.deadline_key))
        ).all()
        sent = connection.execute(
            select(func.count())
            .select_from(Notification)
            .where(col(Notification.state) == SENT, col(Notification.channel) == "email")
        ).scalar_one()
        versions = connection.execute(
            select(func.count()).select_from(table("alembic_version"))
        ).scalar_one()
    db.dispose()
    assert (plans, versions) == (1, 1), "the schema and the plan were created once"
    assert len(keys) == len(set(keys)), "no occurrence twice"
    emails = list((tmp_path / "var" / "outbox").glob("*.eml"))
    assert len(emails) == sent, "each delivered row was written once"
    # The sync's log line ("…; việc mới N, cập nhật …"; lower-case, unlike the summary line
    # "Việc mới …", which counts what the database gained meanwhile): only one created work.
    assert sum(e.output.count("việc mới 0,") for e in engines) == ENGINES - 1, (
        "one engine created the work"
    )
