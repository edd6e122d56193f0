"""`run` refuses a plan with error-level problems unless [run] accept_plan_errors says so."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from nhacviec.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _plan_without_monitors(folder: Path) -> Path:
    with (ROOT / "examples" / "ke-hoach-mau.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    header = next(i for i, row in enumerate(rows) if "Trách nhiệm theo dõi" in row)
    column = rows[header].index("Trách nhiệm theo dõi")
    trimmed = [
        row[:column] + row[column + 1 :] if i >= header else row for i, row in enumerate(rows)
    ]
    target = folder / "ke-hoach.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(trimmed)
    return target


def test_it_refuses_a_plan_without_a_monitors_column_until_the_office_accepts_it(
    tmp_path: Path,
) -> None:
    plan = _plan_without_monitors(tmp_path)
    made = runner.invoke(app, ["init", str(plan), "--dir", str(tmp_path / "office")])
    assert made.exit_code == 0, made.output + made.stderr
    config = tmp_path / "office" / "config.toml"

    refused = runner.invoke(app, ["run", "--dry-run", "--allow-unresolved", "-c", str(config)])
    assert refused.exit_code == 1
    assert "chưa chạy: kế hoạch có" in refused.stderr
    assert "Trách nhiệm theo dõi" in refused.stderr and "accept_plan_errors" in refused.stderr

    text = config.read_text(encoding="utf-8")
    assert "accept_plan_errors = false" in text  # init writes the key, off
    config.write_text(
        text.replace("accept_plan_errors = false", "accept_plan_errors = true"), encoding="utf-8"
    )
    accepted = runner.invoke(app, ["run", "--dry-run", "--allow-unresolved", "-c", str(config)])
    assert "chưa chạy: kế hoạch có" not in accepted.stderr, accepted.stderr
    assert accepted.exit_code == 0, accepted.output + accepted.stderr
