"""A simulated year of the bundled example (Nam Đông 2024) with fixed evidence, in a real
database, and the CLI pointed at it."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from nhacviec.cli import app
from nhacviec.config import Config, load_config
from nhacviec.wiring import configured_plans, engine_context
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.evidence_store import store_bytes
from scheduler.models import OPEN, Occurrence, RowRecord
from scheduler.service import record_evidence, waive
from scheduler.simulate import EvidenceAt, Simulation
from scheduler.state import save_state
from tests.fakes.database import database_url

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

# Evidence as the offices would give it: some on time, some late, some never.
FIRST_HALF = (
    EvidenceAt("I.1", date(2024, 1, 25)),  # due 31/01: on time
    EvidenceAt("II.1", date(2024, 2, 6)),  # due 31/01, ten units: late
    EvidenceAt("I.2", date(2024, 3, 27)),  # due 29/03: on time
    EvidenceAt("IV.1", date(2024, 3, 28)),  # quarterly check-in: on time
    EvidenceAt("IV.2", date(2024, 4, 3)),  # quarterly check-in: late
    EvidenceAt("II.2", date(2024, 2, 20)),  # January's monthly report, every unit: late
)
SECOND_HALF = (
    EvidenceAt("I.3", date(2024, 8, 28)),  # ĐGNB before 30/8: on time
    EvidenceAt("I.6", date(2024, 6, 20)),  # the 6-month report: late
    EvidenceAt("IV.1", date(2024, 6, 27)),
    EvidenceAt("I.4", date(2024, 7, 10)),  # the first half's management review: late
)
HALF_DAY = date(2024, 6, 14)
YEAR_DAY = date(2024, 11, 29)


@dataclass
class Office:
    config_path: Path
    cfg: Config
    db: Engine
    ctx: EngineContext

    def invoke(self, *args: str) -> str:
        result = runner.invoke(app, [*args, "--config", str(self.config_path)])
        assert result.exit_code == 0, result.output + repr(result.exception)
        return result.output

    def status(self) -> list[dict[str, Any]]:  # parsed JSON: its values have no static type
        return list(json.loads(self.invoke("status", "--json"))["occurrences"])

    def simulate(self, start: date, end: date, evidence: Sequence[EvidenceAt]) -> None:
        simulation = Simulation(self.db, self.ctx, configured_plans(self.cfg))
        for _entry in simulation.run(start, end, evidence):
            pass
        assert simulation.problems == []
        self.set_clock(end)

    def set_clock(self, day: date) -> None:
        save_state(self.db, "clock_mode", "virtual")
        moment = datetime.combine(day, time(17, 30), tzinfo=self.cfg.tz)
        save_state(self.db, "clock", moment.isoformat())

    def open_code(self, ref: str, unit: str = "ktht") -> str:
        with Session(self.db) as session:
            found = session.exec(
                select(Occurrence)
                .join(RowRecord)
                .where(RowRecord.ref == ref, Occurrence.state == OPEN, Occurrence.unit_id == unit)
                .order_by(col(Occurrence.due_on))
            ).first()
        assert found is not None
        return found.code

    def log_with_file(self, ref: str, day: date, name: str, content: bytes) -> str:
        code = self.open_code(ref)
        stored = store_bytes(self.cfg.path(self.cfg.data_dir), content, name)
        now = datetime.combine(day, time(10, 0), tzinfo=self.cfg.tz)
        record_evidence(
            self.db, self.ctx, code, "pham-truong-ktht", f"Văn bản {name}", [stored], "cli", now
        )
        return code

    def waive(self, ref: str, day: date, reason: str) -> str:
        code = self.open_code(ref)
        now = datetime.combine(day, time(9, 0), tzinfo=self.cfg.tz)
        waive(self.db, self.ctx, code, "tran-van-qmr", reason, now)
        return code


def make_office(tmp_path: Path, plan_file: Path | None = None) -> Office:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(plan_file or ROOT / "examples" / "nam-dong-2024.docx")
    data["database"] = {"url": database_url(tmp_path, "reports")}
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    cfg = load_config(target)
    return Office(target, cfg, open_database(cfg.database_url()), engine_context(cfg))


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path)


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Office:
    """The first half simulated to 14/6 with evidence, one file, one waiver."""
    office = make_office(tmp_path_factory.mktemp("half"))
    office.simulate(date(2024, 1, 2), date(2024, 3, 31), FIRST_HALF)
    office.log_with_file("I.7", date(2024, 3, 29), "rà-soát-quý-I.pdf", b"%PDF-1.4 ra soat")
    office.waive("III.2", date(2024, 4, 2), "Gộp vào báo cáo thống kê của tỉnh")
    office.simulate(date(2024, 4, 1), HALF_DAY, ())
    return office
