"""The config mistakes the issue found, through the real commands: each is the project's
own report naming the key, in Vietnamese, never a traceback."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic_core.core_schema import ErrorType
from typer.testing import CliRunner

from nhacviec.cli import app
from nhacviec.config_reasons import REASONS, pydantic_reason

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "config.toml").read_text(encoding="utf-8")


def _config(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SHIPPED
    path = tmp_path / "config.toml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path


def _error(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "nội bộ" not in result.stderr
    return result.stderr


def test_it_names_a_number_given_for_the_start_of_working_hours(tmp_path: Path) -> None:
    path = _config(tmp_path, "work_start = 07:30:00", "work_start = 3600")
    error = _error("config", "check", "-c", str(path))
    assert re.search(r"calendar\.work_start: phải là giờ dạng HH:MM:SS", error)


def test_it_checks_the_digest_cron_as_run_reads_it(tmp_path: Path) -> None:
    path = _config(tmp_path, 'cron = "30 7 * * mon"', 'cron = "61 25 * * mon"')
    error = _error("config", "check", "-c", str(path))
    assert "digest.cron: «61 25 * * mon» không phải dòng crontab hợp lệ" in error


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://nv:mat-khau@127.0.0.1/nv", "chỉ dùng được SQLite hoặc PostgreSQL"),
        (
            "postgresql+psycopg2://nv@127.0.0.1/nv",
            "chưa cài trình điều khiển «postgresql+psycopg2»",
        ),
        ("không phải url", "không phải địa chỉ cơ sở dữ liệu"),
        ("postgresql://nv:mat-khau@127.0.0.1:cong/nv", "không phải địa chỉ cơ sở dữ liệu"),
    ],
    ids=["mysql", "psycopg2", "malformed", "port-not-a-number"],
)
def test_it_names_a_database_url_it_cannot_use(tmp_path: Path, url: str, reason: str) -> None:
    path = _config(tmp_path, 'url = "sqlite:///var/nhacviec.db"', f'url = "{url}"')
    error = _error("config", "check", "-c", str(path))
    assert f"database.url: {reason}" in error
    assert "mat-khau" not in error


def test_it_says_in_one_line_that_nothing_listens_on_the_port(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nv:mat-khau@127.0.0.1:1/nv"  # port 1: nothing listens
    path = _config(tmp_path, 'url = "sqlite:///var/nhacviec.db"', f'url = "{url}"')
    error = _error("db", "upgrade", "-c", str(path))
    assert error.count("\n") == 1 and "máy chủ không nhận kết nối" in error
    assert "mat-khau" not in error


def test_it_says_in_one_line_that_the_sqlite_folder_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "tep").write_text("một tệp, không phải thư mục")
    url = f"sqlite:///{tmp_path / 'tep' / 'nhacviec.db'}"
    path = _config(tmp_path, 'url = "sqlite:///var/nhacviec.db"', f'url = "{url}"')
    error = _error("status", "-c", str(path))
    assert error.count("\n") == 1 and "không tạo được thư mục" in error


def test_every_error_pydantic_can_raise_has_a_vietnamese_reason() -> None:
    kinds = typing.get_args(ErrorType)
    assert set(kinds) <= set(REASONS), set(kinds) - set(REASONS)
    context = {"gt": 0, "ge": 1, "lt": 9, "le": 8, "expected": "'a', 'b'", "min_length": 1}
    for kind in kinds:
        text = pydantic_reason(kind, context)
        assert re.search(r"[^\x00-\x7f]", text), (kind, text)  # Vietnamese, not pydantic's
    assert pydantic_reason("greater_than_equal", context) == "phải ≥ 1"
    assert pydantic_reason("literal_error", context) == "phải là một trong: 'a', 'b'"
    assert pydantic_reason("model_type", {}) == "phải là một mục (bảng [ … ] hoặc { … })"
