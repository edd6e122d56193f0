"""`check_plan`: what to fix before a plan is run."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.importers import load_plan
from rules.plan import Plan, PlanProblem, PlanRow, SourceLocation
from rules.plan_check import check_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def row(number: str, **fields: object) -> PlanRow:
    values: dict[str, object] = {
        "section": "I",
        "section_title": "Mục tiêu",
        "number": number,
        "task": f"Việc {number}",
        "lead": "Phòng A",
        "coordinating": "",
        "timing": "Thường xuyên",
        "monitors": "QMR",
        "evidence": ("Báo cáo",),
        "source": SourceLocation("ke-hoach.docx", 1, int(number or 0) + 2),
    }
    values.update(fields)
    return PlanRow(**values)  # type: ignore[arg-type]  # the row's fields come from a dict of mixed types, as the importer builds them


def plan(*rows: PlanRow, year: int = 2024) -> Plan:
    return Plan("UBND xã Hòa Bình", year, (), tuple(rows), "ke-hoach.docx")


def codes(problems: list[PlanProblem]) -> list[tuple[str, str, str]]:
    return [(problem.severity, problem.code, problem.row_ref) for problem in problems]


def test_it_finds_nothing_wrong_in_a_clean_plan() -> None:
    assert check_plan(plan(row("1"), row("2"))) == []
    assert check_plan(load_plan(EXAMPLES / "ke-hoach-mau.toml")) == []


def test_it_reports_a_row_without_a_lead_as_an_error() -> None:
    [problem] = check_plan(plan(row("1"), row("2", lead="  ")))
    assert codes([problem]) == [("error", "no-lead", "I.2")]
    assert problem.source == SourceLocation("ke-hoach.docx", 1, 4)
    assert problem.text == "Việc 2"
    assert "Chủ trì" in problem.hint


def test_it_reports_a_row_without_a_timing_and_does_not_compile_it() -> None:
    asked: list[str] = []
    problems = check_plan(plan(row("1", timing="")), timing_problem=lambda t, y: asked.append(t))
    assert codes(problems) == [("error", "no-timing", "I.1")]
    assert asked == []


def test_it_reports_a_timing_the_compiler_cannot_read() -> None:
    calls: list[tuple[str, int]] = []

    def timing_problem(text: str, year: int) -> str | None:
        calls.append((text, year))
        return "không hiểu “mùa mưa”" if "mùa mưa" in text else None

    problems = check_plan(
        plan(row("1"), row("2", timing="Vào mùa mưa"), year=2023), timing_problem=timing_problem
    )
    assert calls == [("Thường xuyên", 2023), ("Vào mùa mưa", 2023)]
    [problem] = problems
    assert codes(problems) == [("error", "unreadable-timing", "I.2")]
    assert problem.text == "Vào mùa mưa"
    assert "không hiểu “mùa mưa”" in problem.message
    assert problem.hint


def test_it_warns_about_years_copied_from_another_plan() -> None:
    nam_dong = load_plan(EXAMPLES / "nam-dong-2024.docx")
    stale = [p for p in check_plan(nam_dong) if p.code == "stale-year"]
    assert [(p.severity, p.row_ref) for p in stale] == [("warning", "I.1"), ("warning", "I.6")]
    assert "Kế hoạch thực hiện MTCL năm 2023" in stale[0].text
    assert stale[1].text == "Báo cáo kết quả thực hiện MTCL năm 2023"
    assert "2024" in stale[1].hint


def test_it_quotes_the_other_year_in_giang_hai() -> None:
    giang_hai = load_plan(EXAMPLES / "giang-hai-2023.docx")
    stale = [p for p in check_plan(giang_hai) if p.code == "stale-year"]
    assert [(p.row_ref, p.text) for p in stale] == [("II.1", "Tháng 12/2022 – Quý I/2023")]


def test_it_does_not_take_standards_or_document_numbers_for_years() -> None:
    clean = row(
        "1",
        task="Áp dụng TCVN ISO 9001:2015 theo Quyết định 19/2014/QĐ-TTg",
        evidence=("Sản lượng 1.936,49 tấn", "2000 hồ sơ"),
    )
    assert check_plan(plan(clean)) == []


def test_it_warns_about_a_row_without_evidence() -> None:
    [problem] = check_plan(plan(row("1", evidence=())))
    assert codes([problem]) == [("warning", "no-evidence", "I.1")]


def test_it_warns_about_a_duplicated_row_and_names_the_first() -> None:
    first = row("1", task="Báo cáo  kết quả")
    again = row("3", task="báo cáo kết quả")
    [problem] = check_plan(plan(first, row("2"), again))
    assert codes([problem]) == [("warning", "duplicate-row", "I.3")]
    assert "I.1" in problem.message


@pytest.mark.parametrize("name", ["nam-dong-2024.docx", "giang-hai-2023.docx"])
def test_it_finds_no_errors_in_the_sample_plans_without_a_timing_compiler(name: str) -> None:
    problems = check_plan(load_plan(EXAMPLES / name))
    assert [p for p in problems if p.severity == "error"] == []
    assert all(p.source is not None and p.row_ref and p.text and p.hint for p in problems)


def test_it_reports_a_stale_year_in_an_objective_text() -> None:
    from pathlib import Path

    from rules.importers import load_plan
    from rules.plan_check import check_plan

    examples = Path(__file__).resolve().parents[2] / "examples"
    problems = check_plan(load_plan(examples / "nam-dong-2024.txt"))
    (stale,) = [p for p in problems if p.row_ref == "MTCL 9"]
    assert stale.code == "stale-year" and stale.severity == "warning"
    assert stale.text.endswith("nhiệm vụ năm 2025")
