"""The Nam Đông 2024 plan run by the real engine up to Monday 9/9/2024, 07:30.

The simulation takes a while, so it runs once per session; each test gets its own copy
of the resulting database. Two changes to the shipped config give the digest something
to report about the plan itself: row V.1's lead ("Bộ phận một của cấp huyện, cấp xã",
the document's typo) loses its alias, and row IX gets a timing no one can read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from nhacviec.cli.digest_cmd import simulate_until
from nhacviec.config import Config, parse_config
from nhacviec.wiring import configured_plans, engine_context
from rules.plan import PlanProblem
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.simulate import EvidenceAt
from scheduler.sync import sync_plan
from tests.fakes.database import copy_database, database_url

ROOT = Path(__file__).resolve().parents[2]
TZ_MONDAY = (2024, 9, 9)
EVIDENCE = [
    EvidenceAt("I.1", date(2024, 1, 20)),  # on time, long before the digest's week
    EvidenceAt("I.3", date(2024, 9, 5)),  # the internal audit, due 29/8: late, this week
    EvidenceAt("I.5", date(2024, 9, 6)),  # the year's task, due 31/12: on time, this week
]


def digest_config(tmp_path: Path, url: str | None = None, **digest: Any) -> Config:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["database"]["url"] = url or database_url(tmp_path, "digest")
    data["data_dir"] = str(tmp_path / "data")
    data["email"]["outbox_dir"] = str(tmp_path / "outbox")
    data["plans"][0]["schedules"] = {"IX": "Tháng 13/2024"}
    for unit in data["units"]:
        if unit["id"] == "mot-cua":
            unit["aliases"] = ["Bộ phận một cửa của cấp huyện, cấp xã"]
    data["digest"].update(digest)
    return parse_config(data, base_dir=ROOT)


@dataclass
class State:
    config: Config
    db: Engine
    ctx: EngineContext
    plans: list[CompiledPlan]
    now: datetime

    @property
    def problems(self) -> list[PlanProblem]:
        return [p for plan in self.plans for p in plan.problems]

    def at(self, day: date, hour: int = 7, minute: int = 30) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.ctx.tz)


@pytest.fixture(scope="session")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> list[CompiledPlan]:
    return configured_plans(digest_config(tmp_path_factory.mktemp("plans")))


@pytest.fixture(scope="session")
def simulated(
    tmp_path_factory: pytest.TempPathFactory, compiled: list[CompiledPlan]
) -> tuple[str, list[CompiledPlan]]:
    folder = tmp_path_factory.mktemp("nam-dong")
    config = digest_config(folder)
    db = open_database(config.database_url())
    ctx = engine_context(config)
    plans = compiled
    simulate_until(
        db, ctx, plans, datetime.combine(date(*TZ_MONDAY), time(7, 30), ctx.tz), EVIDENCE
    )
    db.dispose()
    return config.database_url(), plans


@pytest.fixture
def state(simulated: tuple[str, list[CompiledPlan]], tmp_path: Path) -> State:
    """A private copy of the simulated database, as of Monday 9/9/2024, 07:30."""
    source, plans = simulated
    config = digest_config(tmp_path, copy_database(source, tmp_path, "digest"))
    ctx = engine_context(config)
    return State(
        config,
        open_database(config.database_url()),
        ctx,
        plans,
        datetime.combine(date(*TZ_MONDAY), time(7, 30), ctx.tz),
    )


def fresh_state(tmp_path: Path, plans: list[CompiledPlan], **digest: Any) -> State:
    """The plan loaded on 1/1/2024 and nothing run since: enough to test when digests go."""
    config = digest_config(tmp_path, **digest)
    db = open_database(config.database_url())
    ctx = engine_context(config)
    with Session(db) as session:
        for plan in plans:
            sync_plan(session, ctx, plan, datetime(2024, 1, 1, tzinfo=ctx.tz))
        session.commit()
    return State(config, db, ctx, plans, datetime(2024, 1, 1, tzinfo=ctx.tz))
