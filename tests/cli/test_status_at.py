"""`status --at`: the table at any moment, from the database's occurrences and evidence, or
from the plan when the database holds none; nothing replayed, nothing written."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w
from sqlmodel import Session, select
from typer.testing import CliRunner

from nhacviec.cli import app
from nhacviec.config import load_config
from nhacviec.wiring import configured_plans, engine_context
from scheduler.db import open_database
from scheduler.models import Notification
from scheduler.state import save_state
from scheduler.sync import sync_plan
from tests.fakes.database import database_url

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _config(tmp_path: Path, *, synced: bool) -> Path:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    data["database"]["url"] = database_url(tmp_path, "status-at")
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    cfg = load_config(target)
    db = open_database(cfg.database_url())
    if synced:
        ctx = engine_context(cfg)
        with Session(db) as session:
            for plan in configured_plans(cfg):
                sync_plan(session, ctx, plan, datetime(2024, 1, 2, 8, tzinfo=cfg.tz))
            session.commit()
        save_state(db, "clock_mode", "virtual")
        save_state(db, "clock", datetime(2024, 9, 4, 9, tzinfo=cfg.tz).isoformat())
    db.dispose()
    return target


def _audit(config: Path, at: str) -> dict[str, Any]:
    """Row I.3 (the internal audit, due 29/8/2024) of ktht, as `status --at` sees it."""
    result = runner.invoke(
        app, ["status", "--at", at, "--unit", "ktht", "--json", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    (audit,) = [o for o in payload["occurrences"] if o["row"] == "I.3"]
    audit["as_of"] = payload["as_of"]
    return dict(audit)


def test_it_climbs_the_ladder_without_the_engine_having_run(tmp_path: Path) -> None:
    config = _config(tmp_path, synced=True)
    before = _audit(config, "28/08/2024")
    assert (
        before["status"] == "due" and before["days_late"] == 0 and before["as_of"] == "2024-08-28"
    )
    after = _audit(config, "05/09/2024")
    assert after["status"] == "overdue" and after["days_late"] == 3
    assert after["level"] > before["level"] > 0  # the reminders before, the escalations after
    cfg = load_config(config)
    with Session(open_database(cfg.database_url())) as session:
        assert session.exec(select(Notification)).first() is None  # computed, not ticked


def test_it_counts_evidence_only_from_when_it_was_logged(tmp_path: Path) -> None:
    config = _config(tmp_path, synced=True)
    code = _audit(config, "04/09/2024")["code"]
    done = runner.invoke(
        app,
        ["done", code, "--by", "pham-truong-ktht", "--evidence", "CTr 12", "-c", str(config)],
    )
    assert done.exit_code == 0, done.output  # logged at the engine's clock: 04/09 09:00
    assert _audit(config, "04/09/2024 08:00")["status"] == "overdue"
    later = _audit(config, "06/09/2024")
    assert later["status"] == "done" and later["closed_at"] is not None


def test_it_reads_the_plan_when_the_database_is_empty(tmp_path: Path) -> None:
    config = _config(tmp_path, synced=False)
    result = runner.invoke(app, ["status", "--at", "05/09/2024", "--overdue", "-c", str(config)])
    assert result.exit_code == 0, result.output
    assert "tính theo kế hoạch, chưa có minh chứng" in result.stderr
    assert "quá hạn" in result.stdout and "05/09/2024" in result.stdout
