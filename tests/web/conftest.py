"""An engine process with [web] on loopback: the example plan, the file outbox, a manual
clock, the dispatcher, and the web app served by uvicorn on 127.0.0.1 (a free port)."""

from __future__ import annotations

import email
import re
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import Engine as SqlEngine
from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from nhacviec.config import Config, load_config
from nhacviec.web_wiring import build_web
from nhacviec.wiring import build_dispatcher, prepare_engine
from notifications.dispatcher import Dispatcher
from notifications.web.app import build_app
from notifications.web.deps import WebDeps
from notifications.web.server import WebServer, serving
from scheduler.clock import ManualClock
from scheduler.db import open_database
from scheduler.models import AuditLog, Evidence, Occurrence, RowRecord
from scheduler.runner import EngineProcess
from scheduler.state import save_state
from tests.fakes.database import database_url

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-secret-0123456789abcdef"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/v/[A-Za-z0-9_-]+")


def write_config(tmp_path: Path, **web: Any) -> Path:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    data["database"]["url"] = database_url(tmp_path, "web")
    data["data_dir"] = str(tmp_path / "data")
    data["email"]["outbox_dir"] = str(tmp_path / "outbox")
    data["web"] = {"listen": "127.0.0.1:0", "base_url": "http://127.0.0.1:1", **web}
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target


@dataclass
class Engine:
    config_path: Path
    config: Config
    clock: ManualClock
    process: EngineProcess
    dispatcher: Dispatcher
    web: WebDeps
    server: WebServer

    @property
    def db(self) -> SqlEngine:
        return self.process.prepared.db

    def emails(self) -> list[EmailMessage]:
        folder = self.config.path(self.config.email.outbox_dir)
        return [
            email.message_from_bytes(p.read_bytes(), policy=default_policy)
            for p in sorted(folder.glob("*.eml"))
        ]

    def occurrence(self, code: str) -> Occurrence:
        with Session(self.db) as session:
            found = session.exec(select(Occurrence).where(Occurrence.code == code)).one()
            return found

    def evidence_count(self) -> int:
        with Session(self.db) as session:
            return len(session.exec(select(Evidence)).all())

    def audit(self, action: str) -> list[AuditLog]:
        with Session(self.db) as session:
            return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


@asynccontextmanager
async def running_engine(
    tmp_path: Path,
    start: datetime,
    ladder_rows: tuple[str, ...] = ("I.4", "I.7", "IV.1"),
    **web: Any,
) -> AsyncIterator[Engine]:
    """Only the occurrences of `ladder_rows` due in the last week before `start` climb
    their ladders: a cycle writes tens of emails, not half a year's catch-up."""
    path = write_config(tmp_path, **web)
    config = load_config(path)
    db = open_database(config.database_url())
    clock = ManualClock(start)
    prepared = prepare_engine(config, db, clock.now())
    with Session(db) as session:
        kept = select(RowRecord.id).where(col(RowRecord.ref).in_(ladder_rows))
        week = start.date() - timedelta(days=7)
        session.exec(
            update(Occurrence)
            .where(
                or_(
                    col(Occurrence.row_id).not_in(kept),
                    col(Occurrence.due_on) < week,
                    col(Occurrence.due_on) > start.date(),
                )
            )
            .values(next_step_at=None)
        )
        session.commit()
    save_state(db, "clock_mode", "virtual")  # `nhacviec status` reads the engine's time
    deps = build_web(config, db, prepared.ctx, clock)
    assert deps is not None
    async with serving(build_app(deps)) as server:
        deps.settings = deps.settings.model_copy(update={"base_url": server.origin})
        dispatcher = build_dispatcher(config, prepared, clock, None, deps)
        process = EngineProcess(prepared, clock, dispatcher.dispatch_due)
        try:
            yield Engine(path, config, clock, process, dispatcher, deps, server)
        finally:
            await dispatcher.close()
            db.dispose()


@pytest.fixture(autouse=True)
def _web_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_WEB_SECRET", SECRET)
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", "")


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def form_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the first form on a page."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
