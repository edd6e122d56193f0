"""A bot on the Nam Đông example, talking to the loopback Bot API through real polling.

`bot_world` gives a database synced with the plan (only I.3 of Phòng Kinh tế và Hạ tầng
left on the ladder, so a tick sends just its reminders), a ManualClock, the fake server,
and helpers that push updates and wait for what the bot does (never a bare sleep).
"""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select
from telegram.ext import Application

from nhacviec.config import Config, parse_config
from nhacviec.wiring import configured_bot, configured_plans, engine_context
from notifications.bot import running_bot
from notifications.bot.linking import create_invite
from notifications.bot.pacing import unlimited
from notifications.dispatcher import Dispatcher
from notifications.outbox_files import EmlFileChannel
from notifications.ratelimit import RateLimiter
from notifications.render import Renderer
from notifications.telegram import TelegramChannel
from scheduler.clock import ManualClock
from scheduler.db import make_engine, open_database
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.models import AuditLog, Evidence, EvidenceFile, Notification, Occurrence, RowRecord
from scheduler.sync import sync_plan
from scheduler.ticker import Ticker
from tests.bot.chat import Chat
from tests.bot.chat import until as until  # the bot tests import it from here
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.fakes.bot_updates import keep_only_inline_keyboards
from tests.fakes.database import copy_database, database_url

ROOT = Path(__file__).resolve().parents[2]
TZ_HOURS = 7
PHAM, QMR, TCKH = "pham-truong-ktht", "tran-van-qmr", "ho-truong-tckh"
PHAM_CHAT, QMR_CHAT, TCKH_CHAT, STRANGER_CHAT, KTHT_GROUP = 7003, 7001, 7005, 9999, -1007770
REMIND_DAY = date(2024, 8, 22)  # "truoc-5-ngay" of I.3 (due Thursday 29/08/2024)


def example_config(tmp_path: Path, url: str | None = None) -> Config:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["database"]["url"] = url or database_url(tmp_path, "bot")
    data["data_dir"] = str(tmp_path / "data")
    data["email"]["outbox_dir"] = str(tmp_path / "outbox")
    # One message per reminder: these tests answer a reminder about one occurrence.
    data["delivery"] = {"bundle": "off"}
    return parse_config(data, base_dir=ROOT)


@cache
def _plans() -> list[CompiledPlan]:
    """The example plan, compiled once for the whole session (it is read-only here)."""
    return configured_plans(example_config(Path("/nonexistent")))


@dataclass
class BotWorld:
    config: Config
    db: Engine
    ctx: EngineContext
    clock: ManualClock
    api: FakeBotApi
    code: str  # I.3's occurrence for ktht
    channels: list[TelegramChannel] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.config.path(self.config.data_dir)

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.ctx.tz)

    def chat(self, chat_id: int, user_id: int | None = None) -> Chat:
        return Chat(self, chat_id, user_id)

    def invite(self, person: str | None = None, unit: str | None = None, hours: int = 72) -> str:
        return create_invite(
            self.db,
            self.ctx.directory,
            self.clock.now(),
            person_id=person,
            unit_id=unit,
            hours=hours,
        ).code

    def occurrence(self, code: str | None = None) -> Occurrence:
        with Session(self.db) as session:
            found = session.exec(select(Occurrence).where(Occurrence.code == (code or self.code)))
            return found.one()

    def rows(self, model: type[Any], **where: Any) -> list[Any]:
        with Session(self.db) as session:
            query = select(model).where(*(getattr(model, k) == v for k, v in where.items()))
            return list(session.exec(query))

    def evidence(self) -> list[Evidence]:
        return self.rows(Evidence)

    def files(self) -> list[EvidenceFile]:
        return self.rows(EvidenceFile)

    def audit(self, action: str) -> list[AuditLog]:
        return self.rows(AuditLog, action=action)

    def close_all_due_before(self, day: date) -> None:
        """An office that kept up: everything due before `day` is done, except I.3."""
        with Session(self.db) as session:
            session.exec(
                update(Occurrence)
                .where(col(Occurrence.due_on) < day, col(Occurrence.code) != self.code)
                .values(state="done")
            )
            session.commit()

    def rows_open_for(self, unit: str) -> list[str]:
        """Codes of the open occurrences `unit` leads."""
        return [o.code for o in self.rows(Occurrence, unit_id=unit, state="open")]

    def notifications(self, code: str | None = None) -> list[Notification]:
        return self.rows(Notification, occurrence_id=self.occurrence(code).id)

    def application(self, limiter: RateLimiter | None = None) -> Application:
        """The bot; unpaced unless given a `limiter` (pacing has its own tests)."""
        return configured_bot(
            self.config,
            self.db,
            self.ctx,
            self.clock,
            token=TOKEN,
            base_url=self.api.base_url,
            base_file_url=self.api.base_file_url,
            limiter=limiter or unlimited(),
        )

    @asynccontextmanager
    async def running(self, limiter: RateLimiter | None = None) -> AsyncIterator[Application]:
        try:
            async with running_bot(self.application(limiter)) as application:
                yield application
        finally:
            for channel in self.channels:
                await channel.close()

    def dispatcher(self) -> Dispatcher:
        telegram = TelegramChannel(
            TOKEN, base_url=self.api.base_url, base_file_url=self.api.base_file_url
        )
        self.channels.append(telegram)
        email = EmlFileChannel(
            self.config.path(self.config.email.outbox_dir),
            sender=self.config.email.sender,
            sender_name=self.config.email.sender_name,
        )

        return Dispatcher(
            self.db,
            {"telegram": telegram, "email": email},
            Renderer(),
            self.ctx.directory,
            self.clock,
        )

    def ticker_tick(self, at: datetime) -> None:
        self.clock.set(at)
        Ticker(self.db, self.ctx).tick(at)

    async def remind(self, at: datetime, chat_id: int = PHAM_CHAT) -> int:
        """Tick at `at`, deliver, and return the id of I.3's reminder message in `chat_id`."""
        self.clock.set(at)
        await asyncio.to_thread(Ticker(self.db, self.ctx).tick, at)
        await self.dispatcher().dispatch_due()
        sent = [
            n
            for n in self.notifications()
            if n.channel == "telegram" and n.external_id and n.external_id.startswith(f"{chat_id}:")
        ]
        assert sent, f"no Telegram reminder reached chat {chat_id}"
        return int(sent[-1].external_id.partition(":")[2])  # type: ignore[union-attr]  # a sent Telegram row always has its chat:message id


@dataclass(frozen=True)
class Template:
    """A migrated, synced database, built once per session and copied for each test."""

    url: str
    code: str


def _build_template(folder: Path) -> Template:
    config = example_config(folder, database_url(folder, "bot-template"))
    db = open_database(config.database_url())
    ctx = engine_context(config)
    with Session(db, expire_on_commit=False) as session:
        for plan in _plans():
            sync_plan(session, ctx, plan, datetime(2024, 1, 2, 8, tzinfo=ctx.tz))
        session.commit()
        audit_row = session.exec(
            select(Occurrence)
            .join(RowRecord)
            .where(RowRecord.ref == "I.3", Occurrence.unit_id == "ktht")
        ).one()
        # Only I.3 climbs its ladder, so a tick sends a handful of reminders, not the plan's.
        session.exec(
            update(Occurrence).where(col(Occurrence.id) != audit_row.id).values(next_step_at=None)
        )
        session.commit()
    db.dispose()  # no connection may stay open on a PostgreSQL template
    return Template(config.database_url(), audit_row.code)


@pytest.fixture(scope="session")
def bot_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return _build_template(tmp_path_factory.mktemp("bot-template"))


@pytest.fixture
def bot_world(tmp_path: Path, bot_api: FakeBotApi, bot_template: Template) -> Iterator[BotWorld]:
    keep_only_inline_keyboards(bot_api)
    config = example_config(tmp_path, copy_database(bot_template.url, tmp_path, "bot"))
    db = make_engine(config.database_url())
    ctx = engine_context(config)
    world = BotWorld(
        config,
        db,
        ctx,
        ManualClock(datetime(2024, 1, 2, 8, tzinfo=ctx.tz)),
        bot_api,
        bot_template.code,
    )
    yield world
    db.dispose()
