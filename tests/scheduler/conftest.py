"""An engine on the shipped example (Nam Đông 2024) with a database of its own."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from nhacviec.config import Config, parse_config
from nhacviec.wiring import configured_plans, engine_context
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.models import Notification, Occurrence, RowRecord
from scheduler.sync import sync_plan
from scheduler.ticker import Ticker
from tests.fakes.database import database_url

ROOT = Path(__file__).resolve().parents[2]


def example_config(tmp_path: Path, **overrides: Any) -> Config:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["database"]["url"] = database_url(tmp_path, "test")
    data["data_dir"] = str(tmp_path / "data")
    data["email"]["outbox_dir"] = str(tmp_path / "outbox")
    data.update(overrides)
    return parse_config(data, base_dir=ROOT)


@dataclass
class World:
    config: Config
    db: Engine
    ctx: EngineContext
    plans: list[CompiledPlan]
    ticker: Ticker

    def at(self, day: date, hour: int = 8, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.ctx.tz)

    def sync(self, now: datetime, plans: list[CompiledPlan] | None = None) -> None:
        with Session(self.db) as session:
            for plan in plans or self.plans:
                sync_plan(session, self.ctx, plan, now)
            session.commit()

    def occurrences(self, ref: str) -> list[Occurrence]:
        with Session(self.db) as session:
            return list(
                session.exec(
                    select(Occurrence)
                    .join(RowRecord)
                    .where(RowRecord.ref == ref)
                    .order_by(col(Occurrence.due_on), col(Occurrence.unit_id))
                )
            )

    def notifications(
        self, where: Callable[[Notification], bool] = lambda n: True
    ) -> list[Notification]:
        with Session(self.db) as session:
            return [
                n
                for n in session.exec(select(Notification).order_by(col(Notification.id)))
                if where(n)
            ]


def make_world(directory: Path, bundle: str = "off") -> World:
    config = example_config(directory, delivery={"bundle": bundle})
    db = open_database(config.database_url())
    ctx = engine_context(config)
    return World(config, db, ctx, configured_plans(config), Ticker(db, ctx))


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """One outbox row per (occurrence, step, person, channel): `[delivery] bundle = "off"`."""
    made = make_world(tmp_path, "off")
    yield made
    made.db.dispose()


@pytest.fixture
def daily_world(tmp_path: Path) -> Iterator[World]:
    """The shipped behaviour: facts, and one bundle per person, channel and working day."""
    made = make_world(tmp_path, "daily")
    yield made
    made.db.dispose()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    """An empty database at the schema's head, and no plan in it."""
    engine = open_database(database_url(tmp_path, "empty"))
    yield engine
    engine.dispose()
