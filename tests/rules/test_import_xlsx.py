"""Importing plans kept in Excel (.xlsx)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

import openpyxl
import pytest

from rules.importers import load_plan
from rules.plan import PlanImportError, PlanRow, SourceLocation
from tests.rules.plan_builders import (
    LABELS,
    ROLES,
    PlanSpec,
    Row,
    Section,
    active_sheet,
    build_xlsx,
    measure,
    sample_rows,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def without_source(row: PlanRow) -> dict[str, object]:
    data = asdict(row)
    del data["source"]
    return data


@pytest.mark.parametrize(
    ("name", "rows", "sections"), [("nam-dong-2024", 22, 9), ("giang-hai-2023", 26, 9)]
)
def test_it_reads_the_sample_workbooks(name: str, rows: int, sections: int) -> None:
    plan = load_plan(EXAMPLES / f"{name}.xlsx")
    assert (len(plan.rows), len(plan.sections())) == (rows, sections)
    assert plan.year == int(name[-4:])


@pytest.mark.parametrize("name", ["nam-dong-2024", "giang-hai-2023"])
def test_it_reads_the_same_rows_as_the_word_document(name: str) -> None:
    from_excel = load_plan(EXAMPLES / f"{name}.xlsx")
    from_word = load_plan(EXAMPLES / f"{name}.docx")
    assert len(from_excel.rows) == len(from_word.rows)
    for excel_row, word_row in zip(from_excel.rows, from_word.rows, strict=True):
        assert without_source(excel_row) == without_source(word_row), excel_row.ref
    assert from_excel.title == from_word.title


def test_it_leaves_organisation_and_objectives_empty_when_the_sheet_does_not_say() -> None:
    plan = load_plan(EXAMPLES / "nam-dong-2024.xlsx")
    assert plan.organisation == ""
    assert plan.objectives == ()


def test_it_records_sheet_and_excel_row_numbers() -> None:
    plan = load_plan(EXAMPLES / "giang-hai-2023.xlsx")
    assert plan.row("I.1").source == SourceLocation("giang-hai-2023.xlsx", 1, 5)
    assert plan.row("VI").source.row == 28


def test_it_reads_a_section_title_merged_across_cells(tmp_path: Path) -> None:
    spec = PlanSpec([Section("I.", "Mục tiêu trải dài cả hàng"), measure("1", "Việc một")])
    plan = load_plan(build_xlsx(spec, tmp_path / "merged.xlsx"))
    assert plan.sections() == [("I", "Mục tiêu trải dài cả hàng")]


def test_it_finds_columns_by_their_words_in_another_order(tmp_path: Path) -> None:
    columns = ("number", "lead", "task", "timing", "coordinating", "evidence", "monitors", "notes")
    labels = {**LABELS, "number": "STT", "task": "Nhiệm vụ", "timing": "Thời hạn"}
    rows: list[Row] = [
        Section("A", "Mục tiêu"),
        {**measure("1", "Việc một", lead="Phòng B"), "notes": "x"},
    ]
    spec = PlanSpec(rows, columns=columns, labels=labels, two_row_header=False)
    row = load_plan(build_xlsx(spec, tmp_path / "order.xlsx")).rows[0]
    assert (row.ref, row.task, row.lead, row.timing) == (
        "A.1",
        "Việc một",
        "Phòng B",
        "Thường xuyên",
    )


def test_it_finds_the_plan_on_a_later_sheet(tmp_path: Path) -> None:
    path = build_xlsx(PlanSpec(sample_rows(3)), tmp_path / "sheets.xlsx")
    workbook = openpyxl.load_workbook(path)
    cover = workbook.create_sheet("MTCL", 0)
    for text in (
        "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",
        "MỤC TIÊU CHẤT LƯỢNG NĂM 2024",
        "1. Tỷ lệ hộ nghèo: 3,37%",
    ):
        cover.append([text])
    workbook.save(path)
    plan = load_plan(path)
    assert plan.organisation == "UBND xã Hòa Bình"
    assert [t.text for t in plan.objectives[0].targets] == ["3,37%"]
    assert {row.source.table for row in plan.rows} == {2}


def test_it_reads_numbers_dates_and_percentages_as_people_see_them(tmp_path: Path) -> None:
    path = build_xlsx(PlanSpec(sample_rows(1)), tmp_path / "values.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = active_sheet(workbook)
    last = sheet.max_row
    timing_column = ROLES.index("timing") + 1
    sheet.cell(last, timing_column).value = dt.datetime(2024, 1, 15)
    sheet.cell(last, ROLES.index("task") + 1).value = 55.7
    evidence = sheet.cell(last, ROLES.index("evidence") + 1)
    evidence.value, evidence.number_format = 0.9, "0%"
    workbook.save(path)
    row = load_plan(path).rows[0]
    assert (row.number, row.timing, row.task, row.evidence) == ("1", "15/01/2024", "55,7", ("90%",))


def test_it_imports_a_plan_of_5000_rows(tmp_path: Path) -> None:
    plan = load_plan(build_xlsx(PlanSpec(sample_rows(5000, 50)), tmp_path / "big.xlsx"))
    assert len(plan.rows) == 5000
    assert plan.rows[4999].task == "Nhiệm vụ số 5000"


def test_it_ignores_text_below_the_table(tmp_path: Path) -> None:
    path = build_xlsx(PlanSpec(sample_rows(2)), tmp_path / "signature.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = active_sheet(workbook)
    sheet.append([])
    sheet.append([])
    sheet.append([None, None, None, None, "TM. ỦY BAN NHÂN DÂN", None, None])
    sheet.append([None, None, None, None, "CHỦ TỊCH", None, None])
    workbook.save(path)
    assert [row.ref for row in load_plan(path).rows] == ["I.1", "I.2"]


def test_it_names_the_missing_column(tmp_path: Path) -> None:
    columns = tuple(role for role in ROLES if role != "lead")
    spec = PlanSpec(sample_rows(2), columns=columns, two_row_header=False)
    with pytest.raises(PlanImportError, match="thiếu cột “Chủ trì”"):
        load_plan(build_xlsx(spec, tmp_path / "no-lead.xlsx"))


def test_it_rejects_a_workbook_without_a_plan(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    active_sheet(workbook).append(["Họ tên", "Ngày sinh"])
    path = tmp_path / "other.xlsx"
    workbook.save(path)
    with pytest.raises(PlanImportError, match="không tìm thấy bảng kế hoạch"):
        load_plan(path)


def test_it_rejects_a_truncated_workbook(tmp_path: Path) -> None:
    data = (EXAMPLES / "giang-hai-2023.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(PlanImportError, match="hỏng"):
        load_plan(path)
