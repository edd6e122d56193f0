"""`nhacviec digest --preview / --send` as a user runs it (the shipped config, a tmp database)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
import tomli_w
from sqlmodel import Session
from typer.testing import CliRunner, Result

from nhacviec.cli.common import CommandError
from nhacviec.cli.digest_cmd import app
from nhacviec.config import load_config
from nhacviec.wiring import configured_plans, engine_context
from scheduler.db import open_database
from scheduler.state import save_state
from scheduler.sync import sync_plan
from tests.digest.conftest import ROOT
from tests.fakes.database import database_url, is_empty


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NHACVIEC_TELEGRAM_TOKEN", raising=False)
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    data["database"]["url"] = database_url(tmp_path, "live")
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def engine_at(config_file: Path, clock: str) -> None:
    """A live database as `run --replay-from` leaves it: plans synced, a virtual clock."""
    config = load_config(config_file)
    db = open_database(config.database_url())
    ctx = engine_context(config)
    with Session(db) as session:
        for plan in configured_plans(config):
            sync_plan(session, ctx, plan, datetime.fromisoformat(clock))
        session.commit()
    save_state(db, "clock_mode", "virtual")
    save_state(db, "clock", clock)


def test_it_previews_a_past_moment_through_a_simulation(config_file: Path) -> None:
    result = invoke(
        "--preview", "--at", "2024-02-05", "--format", "telegram", "--config", str(config_file)
    )

    assert result.exit_code == 0, result.output
    assert "<b>📊 Tổng hợp tuần 6/2024</b> · thứ Hai, 05/02/2024" in result.output
    # II.1 for each of the ten units, due 31/1, and I.1 for Phòng Kinh tế và Hạ tầng.
    assert "Quá hạn: <b>21</b> việc tại 10 đơn vị" in result.output
    assert "gõ /quahan để xem tất cả" in result.output
    assert is_empty(load_config(config_file).database_url()), "the live database is untouched"


def test_it_previews_what_a_unit_head_would_get(config_file: Path) -> None:
    result = invoke(
        "--preview", "--at", "2024-02-05", "--to", "bui-truong-nv", "--config", str(config_file)
    )

    assert result.exit_code == 0, result.output
    assert "Kính gửi Bùi Văn Nghĩa," in result.output
    assert "Đơn vị: Phòng Nội vụ" in result.output
    assert "Phòng Nội vụ: 2 việc" in result.output
    assert "Phòng Kinh tế và Hạ tầng:" not in result.output


def test_it_previews_the_live_database_at_the_engines_clock(config_file: Path) -> None:
    engine_at(config_file, "2024-09-09T00:30:00+00:00")  # 07:30 in Hà Nội

    result = invoke("--preview", "--format", "html", "--config", str(config_file))

    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("<!DOCTYPE html>")
    assert "Tổng hợp tuần 37/2024" in result.output
    assert "số liệu từ thứ Hai, 02/09/2024 đến thứ Hai, 09/09/2024" in result.output


def test_it_sends_now_through_the_outbox(config_file: Path) -> None:
    engine_at(config_file, "2024-09-09T00:30:00+00:00")

    result = invoke("--send", "--config", str(config_file))

    assert result.exit_code == 0, result.output
    assert "Bản tổng hợp: 2 thông báo. Đã gửi 2" in result.output
    [mail] = (config_file.parent / "var" / "outbox").glob("digest_2024-W37-manual-*.eml")
    assert "qmr@namdong.example.vn" in mail.read_text(encoding="utf-8")


def test_it_asks_for_either_preview_or_send(config_file: Path) -> None:
    for args in ((), ("--preview", "--send"), ("--send", "--at", "2024-09-09")):
        result = invoke(*args, "--config", str(config_file))
        assert isinstance(result.exception, CommandError), args


def test_it_names_the_person_it_does_not_know(config_file: Path) -> None:
    result = invoke("--preview", "--to", "tran-van-qrm", "--config", str(config_file))

    assert isinstance(result.exception, CommandError)
    assert "«tran-van-qmr»" in str(result.exception)


def test_a_fresh_process_previews_alike_with_its_caches_empty_filled_or_blocked(
    config_file: Path, tmp_path: Path
) -> None:
    """As a user runs it: the compiled templates and parser tables it keeps change nothing."""
    blocked = tmp_path / "a-file"
    blocked.write_text("")

    command = [sys.executable, "-m", "nhacviec", "digest", "--preview", "--at", "2024-02-05"]

    def preview(cache: Path) -> str:
        done = subprocess.run(
            [*command, "--config", str(config_file)],
            capture_output=True,
            text=True,
            env={**os.environ, "NHACVIEC_CACHE_DIR": str(cache)},
            check=False,
        )
        assert done.returncode == 0 and not done.stderr, done.stderr
        return done.stdout

    first = preview(tmp_path / "cache")
    assert list((tmp_path / "cache" / "templates").glob("jinja-*/*.cache"))
    assert preview(tmp_path / "cache") == first
    assert preview(blocked / "below") == first
    assert "Tổng hợp tuần 6/2024" in first
