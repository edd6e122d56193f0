"""`status`, `done`, `undo`, `waive`, `start` and `simulate --json` as a person types them."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
import tomli_w
from sqlmodel import Session
from typer.testing import CliRunner

from nhacviec.cli import app
from nhacviec.config import load_config
from nhacviec.wiring import configured_plans, engine_context
from scheduler.db import open_database
from scheduler.state import save_state
from scheduler.sync import sync_plan

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    cfg = load_config(target)
    db = open_database(cfg.database_url())
    ctx = engine_context(cfg)
    from datetime import datetime

    with Session(db) as session:
        for plan in configured_plans(cfg):
            sync_plan(session, ctx, plan, datetime(2024, 1, 2, 8, tzinfo=cfg.tz))
        session.commit()
    save_state(db, "clock_mode", "virtual")
    save_state(db, "clock", datetime(2024, 9, 4, 9, tzinfo=cfg.tz).isoformat())
    return target


def invoke(*args: str) -> object:
    return runner.invoke(app, [*args], catch_exceptions=True)


def audit_code(config: Path) -> str:
    result = runner.invoke(app, ["status", "--unit", "ktht", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    lines = json.loads(result.output)["occurrences"]
    (audit,) = [o for o in lines if o["row"] == "I.3"]
    assert audit["status"] == "overdue" and audit["days_late"] == 2 and audit["due"] == "2024-08-29"
    code = audit["code"]
    assert isinstance(code, str)
    return code


def test_it_lists_overdue_work_as_of_the_engine_clock(config: Path) -> None:
    result = runner.invoke(app, ["status", "--overdue", "--config", str(config)])
    assert result.exit_code == 0
    assert "quá hạn" in result.output and "04/09/2024" in result.output


def test_it_marks_done_with_a_file_and_undoes_it(config: Path, tmp_path: Path) -> None:
    code = audit_code(config)
    scan = tmp_path / "chuong-trinh.pdf"
    scan.write_bytes(b"%PDF-1.4 chuong trinh DGNB")
    result = runner.invoke(
        app,
        [
            "done",
            code,
            "--by",
            "pham-truong-ktht",
            "--evidence",
            "Chương trình số 12/CTr-UBND",
            "--file",
            str(scan),
            "--config",
            str(config),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "trễ 2 ngày làm việc" in result.output and "I.3" in result.output
    stored = list((tmp_path / "var" / "evidence").rglob("*"))
    assert any(p.is_file() for p in stored)
    status = json.loads(
        runner.invoke(app, ["status", "--json", "--unit", "ktht", "--config", str(config)]).output
    )
    assert [o["status"] for o in status["occurrences"] if o["code"] == code] == ["done"]
    undo = runner.invoke(app, ["undo", "--by", "pham-truong-ktht", "--config", str(config)])
    assert undo.exit_code == 0 and code in undo.output


def test_it_refuses_a_waiver_by_someone_other_than_the_qmr(config: Path) -> None:
    code = audit_code(config)
    result = runner.invoke(
        app, ["waive", code, "--by", "pham-truong-ktht", "--reason", "x", "--config", str(config)]
    )
    assert result.exit_code == 1 and "QMR" in result.stderr and result.stderr.startswith("Lỗi: ")
    ok = runner.invoke(
        app,
        [
            "waive",
            code,
            "--by",
            "tran-van-qmr",
            "--reason",
            "Gộp đợt tỉnh",
            "--config",
            str(config),
        ],
    )
    assert ok.exit_code == 0 and "Đã miễn" in ok.output


def test_it_starts_an_ad_hoc_management_review(config: Path) -> None:
    result = runner.invoke(app, ["start", "I.4", "--by", "tran-van-qmr", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "Phòng Kinh tế và Hạ tầng" in result.output and "18/09/2024" in result.output


def test_it_prints_one_error_line_for_an_unknown_code(config: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "nhacviec",
            "done",
            "ZZZZZZ",
            "--by",
            "pham-truong-ktht",
            "--evidence",
            "x",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Lỗi: không có việc mã «ZZZZZZ», cũng không có dòng «ZZZZZZ» trong kế hoạch."
    )


def test_it_simulates_as_json_lines(config: Path) -> None:
    result = runner.invoke(
        app,
        [
            "simulate",
            "--from",
            "2024-08-01",
            "--to",
            "2024-09-30",
            "--row",
            "I.3",
            "--json",
            "--evidence",
            "I.3=2024-08-27",
            "--config",
            str(config),
        ],
    )
    assert result.exit_code == 0, result.output
    messages = [json.loads(line) for line in result.output.splitlines()]
    assert messages and all(set(m) == {"at", "to", "channel", "kind", "items"} for m in messages)
    audit = [
        (m["at"], m["to"], i["step"])
        for m in messages
        for i in m["items"]
        if i["row"] == "I.3" and m["channel"] == "email"
    ]
    assert ("2024-08-22T07:30:00+07:00", "pham-truong-ktht", "truoc-5-ngay") in audit
    assert {step for _at, _to, step in audit} == {"truoc-5-ngay"}
    assert all(m["kind"] == "bundle" for m in messages)
    assert date.fromisoformat(messages[-1]["at"][:10]) <= date(2024, 8, 27)


def test_it_takes_the_qmr_by_role_and_a_task_by_row_and_period(config: Path) -> None:
    result = runner.invoke(
        app, ["waive", "I.3 2024", "--by", "QMR", "--reason", "Đã làm trong năm", "-c", str(config)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert "Đã miễn việc" in result.output


def test_it_says_an_unknown_row_is_unknown_with_the_nearest(config: Path) -> None:
    result = runner.invoke(app, ["done", "I.33", "--by", "QMR", "-c", str(config)])
    assert result.exit_code == 1
    assert "không có dòng «I.33»" in result.stderr and "I.3" in result.stderr


def test_it_suggests_people_for_an_unknown_by(config: Path) -> None:
    result = runner.invoke(app, ["undo", "--by", "Trần Văn Quan", "-c", str(config)])
    assert result.exit_code == 1
    assert "«Trần Văn Quản»" in result.stderr


def test_it_takes_a_unit_by_name_and_shows_what_matters_now(config: Path) -> None:
    result = runner.invoke(app, ["status", "--unit", "Phòng Kinh tế và Hạ tầng", "-c", str(config)])
    assert result.exit_code == 0, result.stderr
    assert "đến hạn trong 14 ngày" in result.output and "I.3" in result.output
    assert "đã hoàn thành" not in result.output
    everything = runner.invoke(app, ["status", "--all", "--unit", "ktht", "-c", str(config)])
    assert len(everything.output.splitlines()) > len(result.output.splitlines())
