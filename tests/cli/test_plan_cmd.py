"""`nhacviec plan check FILE [--json]`."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhacviec.cli import plan_cmd
from nhacviec.cli.plan_cmd import app
from rules.plan_check import TimingProblem

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NO_LEAD_TOML = """
year = 2025
[[sections]]
section = "I"
title = "Mục tiêu"
[[sections.rows]]
number = "1"
task = "Việc chưa có người chủ trì"
lead = ""
timing = "Thường xuyên"
evidence = ["Báo cáo"]
"""


@pytest.fixture
def no_timing_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_cmd, "timing_checker", lambda: None)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("no_timing_compiler")
def test_it_lists_the_rows_and_the_problems() -> None:
    code, out, _ = run(str(EXAMPLES / "nam-dong-2024.docx"))
    assert code == 0
    assert "UBND huyện Nam Đông" in out
    assert "VIII.1" in out and "Phòng Kinh tế" in out
    assert "22 dòng, 9 mục; 0 lỗi, 2 cảnh báo." in out
    assert "Báo cáo kết quả thực hiện MTCL năm 2023" in out


@pytest.mark.usefixtures("no_timing_compiler")
def test_it_prints_json_with_plan_objectives_rows_and_problems() -> None:
    code, out, _ = run(str(EXAMPLES / "giang-hai-2023.docx"), "--json")
    report = json.loads(out)
    assert code == 0
    assert set(report) == {"plan", "objectives", "rows", "problems"}
    assert (report["plan"]["organisation"], report["plan"]["year"]) == ("UBND xã Giang Hải", 2023)
    assert len(report["objectives"]) == 9
    assert len(report["rows"]) == 26
    assert report["rows"][0]["ref"] == "I.1"
    assert report["rows"][0]["source"] == {"file": "giang-hai-2023.docx", "table": 1, "row": 4}
    assert [p["code"] for p in report["problems"]] == ["stale-year"]
    assert "Công chức VP-TK xã" in out  # not \\u-escaped


@pytest.mark.usefixtures("no_timing_compiler")
def test_it_exits_1_when_a_problem_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "no-lead.toml"
    path.write_text(NO_LEAD_TOML, encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 1
    assert "Lỗi" in out and "I.1 chưa có cơ quan, đơn vị chủ trì" in out
    code, out, _ = run(str(path), "--json")
    assert code == 1
    assert json.loads(out)["problems"][0]["severity"] == "error"


def test_it_reports_timings_the_compiler_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    def reject_quarterly() -> TimingProblem:
        return lambda text, year: "không rõ hạn" if "quý" in text else None

    monkeypatch.setattr(plan_cmd, "timing_checker", reject_quarterly)
    code, out, _ = run(str(EXAMPLES / "nam-dong-2024.docx"), "--json")
    problems = [p for p in json.loads(out)["problems"] if p["code"] == "unreadable-timing"]
    assert code == 1
    assert [p["row_ref"] for p in problems] == ["V.3", "V.4"]


def test_it_prints_one_error_line_when_the_file_is_no_plan(tmp_path: Path) -> None:
    path = tmp_path / "random.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = run(str(path))
    assert code == 1
    assert out == ""
    assert err.startswith("Lỗi: ") and str(path) in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_it_skips_the_timing_check_when_the_compiler_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "rules.timing", None)
    assert plan_cmd.timing_checker() is None


def test_it_turns_timing_errors_into_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("rules.timing")

    class TimingError(Exception):
        pass

    def compile_phrase(text: str, year: int) -> object:
        if text == "mùa mưa":
            raise TimingError(f"không hiểu “{text}” ({year})")
        return object()

    fake.TimingError = TimingError  # type: ignore[attr-defined]  # a stand-in module object gets the timing package's names
    fake.compile_phrase = compile_phrase  # type: ignore[attr-defined]  # a stand-in module object gets the timing package's names
    monkeypatch.setitem(sys.modules, "rules.timing", fake)
    checker = plan_cmd.timing_checker()
    assert checker is not None
    assert checker("mùa mưa", 2024) == "không hiểu “mùa mưa” (2024)"
    assert checker("Tháng 01/2024", 2024) is None
