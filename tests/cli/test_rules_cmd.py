from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nhacviec.cli.rules_cmd import app

runner = CliRunner()
# The default escalation ladder names these roles; config.toml must declare them.
ROLES = '[[roles]]\nid = "qmr"\nname = "QMR"\n\n[[roles]]\nid = "lanh-dao"\nname = "Lãnh đạo"\n\n'


def test_it_explains_a_phrase_with_dated_deadlines() -> None:
    result = runner.invoke(
        app, ["explain", "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hàng năm", "--year", "2024"]
    )
    assert result.exit_code == 0, result.output
    assert "thứ Sáu, 14/06/2024" in result.output
    assert "thứ Sáu, 29/11/2024" in result.output
    assert "Báo cáo 6 tháng" in result.output
    assert "Trước ngày X" in result.output


def test_it_prints_json() -> None:
    phrase = (
        "Trước ngày 30 tháng 8 hàng năm (Tùy từng đơn vị, đảm bảo tần suất ĐGNB tối thiểu "
        "01 lần/năm)"
    )
    result = runner.invoke(app, ["explain", phrase, "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["phrase"] == phrase and data["year"] == 2024
    assert data["rules"][0]["kind"] == "yearly"
    assert data["rules"][0]["due"] == "2024-08-29" and data["rules"][0]["opens"] is None
    assert data["deadlines"] == [
        {
            "key": "y-08-30",
            "kind": "yearly",
            "label": "Trước ngày 30/08/2024",
            "opens": None,
            "due": "2024-08-29",
        }
    ]
    assert data["note"].startswith("Tùy từng đơn vị")
    assert "ĐGNB" in result.stdout  # ensure_ascii=False


def test_it_leaves_rule_dates_null_when_a_rule_repeats() -> None:
    result = runner.invoke(app, ["explain", "Định kỳ hàng Quý", "--year", "2023", "--json"])
    data = json.loads(result.stdout)
    assert data["rules"][0]["due"] is None
    assert [d["due"] for d in data["deadlines"]] == [
        "2023-03-31",
        "2023-06-30",
        "2023-09-29",
        "2023-12-29",
    ]


def test_it_fails_cleanly_on_an_unreadable_phrase() -> None:
    result = runner.invoke(app, ["explain", "Hàng quýy", "--year", "2024"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Lỗi: ")
    assert "«Hàng quýy»" in result.stderr and "«quýy»" in result.stderr
    assert "«Hằng quý»" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_applies_the_calendar_and_timing_of_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        ROLES + "[calendar]\nextra_days_off = [2024-08-29]\n\n"
        '[timing]\nongoing_checkin = "halfyearly"\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "explain",
            "Trước ngày 30 tháng 8 hàng năm",
            "--year",
            "2024",
            "--json",
            "--config",
            str(config),
        ],
    )
    assert json.loads(result.stdout)["deadlines"][0]["due"] == "2024-08-28"
    result = runner.invoke(
        app, ["explain", "Thường xuyên", "--year", "2024", "--json", "--config", str(config)]
    )
    assert [d["key"] for d in json.loads(result.stdout)["deadlines"]] == [
        "checkin-2024-h1",
        "checkin-2024-h2",
    ]


def test_it_reports_a_bad_config_as_one_error_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[calendar]\nnope = 1\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", "Hằng năm", "--year", "2024", "--config", str(config)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: ") and "calendar.nope" in result.stderr


def test_it_says_when_there_is_no_fixed_deadline() -> None:
    result = runner.invoke(app, ["explain", "đột xuất", "--year", "2024"])
    assert result.exit_code == 0
    assert "Không có hạn cố định" in result.output
