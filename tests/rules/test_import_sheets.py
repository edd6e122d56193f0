"""Excel plans as offices lay them out: title rows over the header, the plan on a later
sheet, one sheet per objective, split time columns, KPI columns, a missing column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from nhacviec.cli import app
from rules.importers import load_plan
from rules.plan import Plan, Target
from rules.plan_check import check_plan
from tests.rules.plan_builders import active_sheet

Cells = list[str | int | dt.datetime | None]  # one sheet row as appended

HOSPITAL_HEADER = ["STT", "Nội dung công việc/Biện pháp thực hiện", "Chỉ tiêu",
                   "Đơn vị/Người thực hiện", "Phối hợp", "Tần suất", "Thời hạn",
                   "Kiểm tra, giám sát", "Minh chứng", "Ghi chú"]  # fmt: skip


def titled(sheet: Worksheet, titles: list[str], width: int) -> None:
    """Merged title rows over the header, then a blank row, as Excel plans open."""
    for text in titles:
        sheet.append([text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.append([])


def fields(plan: Plan) -> list[tuple[str, ...]]:
    return [
        (r.ref, r.task, r.kpi, r.lead, r.coordinating, r.timing, r.monitors, " / ".join(r.evidence))
        for r in plan.rows
    ]


@pytest.fixture(scope="module")
def hospital(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    workbook = openpyxl.Workbook()
    guide = active_sheet(workbook)
    guide.title = "Hướng dẫn"
    guide.append(["Điền mỗi biện pháp vào một dòng của sheet KH 2025."])
    sheet = workbook.create_sheet("KH 2025")
    titled(sheet, ["SỞ Y TẾ TỈNH THỪA THIÊN HUẾ", "BỆNH VIỆN ĐA KHOA HUYỆN PHÚ VANG",
                   "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2025"], len(HOSPITAL_HEADER))  # fmt: skip
    sheet.append(HOSPITAL_HEADER)
    rows: list[Cells] = [
        ["1.", "Nâng cao sự hài lòng của người bệnh", "≥ 90%"],
        ["1.1", "Khảo sát hài lòng người bệnh nội trú", "≥ 90%", "Phòng Quản lý chất lượng",
         "Các khoa lâm sàng", "Hằng quý", "Trước ngày 15 của tháng cuối quý", "Ban Giám đốc",
         "Báo cáo khảo sát", "Theo mẫu của Bộ Y tế"],
        ["1.2", "Xử lý phản ánh của người bệnh", "100%", "Phòng Công tác xã hội", None,
         "Thường xuyên", None, "Ban Giám đốc", "Sổ tiếp nhận phản ánh", None],
        ["2.", "Tăng thu nhập cho viên chức", "55,7 triệu đồng"],
        ["2.1", "Tiết kiệm chi thường xuyên", "55,7 triệu đồng", "Phòng Tài chính kế toán",
         "Các khoa, phòng", None, dt.datetime(2025, 12, 15), "Giám đốc",
         "- Báo cáo quyết toán\n- Quy chế chi tiêu nội bộ", None],
    ]  # fmt: skip
    for values in rows:
        sheet.append(values)
        if len(values) == 3:  # an objective: title merged over the cells up to the KPI
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=2)
    path = tmp_path_factory.mktemp("hospital") / "benh-vien.xlsx"
    workbook.save(str(path))
    return load_plan(path)


def test_it_finds_the_plan_on_a_later_sheet_under_its_title_rows(hospital: Plan) -> None:
    assert (hospital.kind, hospital.year, hospital.title) == (
        "year",
        2025,
        "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2025",
    )
    assert [(r.source.table, r.source.row) for r in hospital.rows] == [(2, 7), (2, 8), (2, 10)]


def test_it_reads_arabic_sections_with_their_kpi(hospital: Plan) -> None:
    assert hospital.sections() == [
        ("1", "Nâng cao sự hài lòng của người bệnh"),
        ("2", "Tăng thu nhập cho viên chức"),
    ]
    assert [(h.kpi, h.targets) for h in hospital.headings] == [
        ("≥ 90%", (Target("≥ 90%", 90.0, "%"),)),
        ("55,7 triệu đồng", (Target("55,7 triệu đồng", 55.7, "triệu đồng"),)),
    ]


def test_it_composes_frequency_and_deadline_and_keeps_every_column(hospital: Plan) -> None:
    assert fields(hospital) == [
        ("1.1", "Khảo sát hài lòng người bệnh nội trú", "≥ 90%", "Phòng Quản lý chất lượng",
         "Các khoa lâm sàng", "Hằng quý; trước ngày 15 của tháng cuối quý", "Ban Giám đốc",
         "Báo cáo khảo sát"),
        ("1.2", "Xử lý phản ánh của người bệnh", "100%", "Phòng Công tác xã hội", "",
         "Thường xuyên", "Ban Giám đốc", "Sổ tiếp nhận phản ánh"),
        ("2.1", "Tiết kiệm chi thường xuyên", "55,7 triệu đồng", "Phòng Tài chính kế toán",
         "Các khoa, phòng", "Trước ngày 15/12/2025", "Giám đốc",
         "Báo cáo quyết toán / Quy chế chi tiêu nội bộ"),
    ]  # fmt: skip
    first = hospital.rows[0]
    assert first.timing_parts == (
        ("frequency", "Hằng quý"),
        ("deadline", "Trước ngày 15 của tháng cuối quý"),
    )
    assert first.remarks == "Theo mẫu của Bộ Y tế"
    assert hospital.rows[2].targets == (Target("55,7 triệu đồng", 55.7, "triệu đồng"),)
    assert hospital.import_problems == ()


def test_plan_check_json_shows_parts_phrase_and_kpi(hospital: Plan) -> None:
    result = CliRunner().invoke(app, ["plan", "check", hospital.source, "--json"])
    report = json.loads(result.stdout)
    row = report["rows"][0]
    assert row["timing"] == "Hằng quý; trước ngày 15 của tháng cuối quý"
    assert row["timing_parts"] == {"frequency": "Hằng quý",
                                   "deadline": "Trước ngày 15 của tháng cuối quý"}  # fmt: skip
    assert (row["kpi"], row["kpi_value"], row["kpi_unit"]) == ("≥ 90%", 90.0, "%")
    assert (row["section"], row["number"], row["ref"]) == ("1", "1", "1.1")
    section = report["plan"]["sections"][1]
    assert (section["section"], section["kpi"]) == ("2", "55,7 triệu đồng")
    assert section["targets"][0]["value"] == 55.7


def per_objective_workbook(path: Path, *, with_monitors: bool = True) -> Path:
    header = ["TT", "Nhiệm vụ", "Chủ trì", "Thời gian thực hiện", "Trách nhiệm theo dõi",
              "Kết quả"]  # fmt: skip
    if not with_monitors:
        header.remove("Trách nhiệm theo dõi")
    workbook = openpyxl.Workbook()
    workbook.remove(active_sheet(workbook))
    objectives = {
        "MT1": ("MỤC TIÊU 1: 100% hồ sơ TTHC giải quyết đúng hạn",
                [("1", "Niêm yết thủ tục", "Bộ phận một cửa", "Quý I/2025", "QMR", "Ảnh niêm yết"),
                 ("2", "Theo dõi hồ sơ trễ hạn", "Văn phòng", "Hằng tháng", "QMR", "Sổ theo dõi")]),
        "MT2": ("MỤC TIÊU 2: Không có đơn thư khiếu nại kéo dài",
                [("1", "Tiếp công dân", "Thanh tra", "Thường xuyên", "Chủ tịch", "Sổ tiếp dân")]),
    }  # fmt: skip
    for name, (title, rows) in objectives.items():
        sheet = workbook.create_sheet(name)
        plan_title = ["KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2025"] if name == "MT1" else []
        titled(sheet, [*plan_title, title], len(header))
        sheet.append(header)
        for values in rows:
            kept = [v for i, v in enumerate(values) if with_monitors or i != 4]
            sheet.append([int(kept[0]), *kept[1:]])
    workbook.save(str(path))
    return path


def test_it_imports_one_sheet_per_objective_as_one_plan(tmp_path: Path) -> None:
    plan = load_plan(per_objective_workbook(tmp_path / "theo-muc-tieu.xlsx"))
    assert plan.sections() == [
        ("1", "100% hồ sơ TTHC giải quyết đúng hạn"),
        ("2", "Không có đơn thư khiếu nại kéo dài"),
    ]
    assert [(r.ref, r.task, r.lead, r.timing, r.monitors, r.evidence) for r in plan.rows] == [
        ("1.1", "Niêm yết thủ tục", "Bộ phận một cửa", "Quý I/2025", "QMR", ("Ảnh niêm yết",)),
        ("1.2", "Theo dõi hồ sơ trễ hạn", "Văn phòng", "Hằng tháng", "QMR", ("Sổ theo dõi",)),
        ("2.1", "Tiếp công dân", "Thanh tra", "Thường xuyên", "Chủ tịch", ("Sổ tiếp dân",)),
    ]
    assert [r.source.table for r in plan.rows] == [1, 1, 2]


def test_it_reports_a_missing_monitors_column_once_with_its_cost(tmp_path: Path) -> None:
    path = per_objective_workbook(tmp_path / "thieu-theo-doi.xlsx", with_monitors=False)
    plan = load_plan(path)
    assert len(plan.rows) == 3 and all(row.monitors == "" for row in plan.rows)
    [problem] = [p for p in check_plan(plan) if p.code == "missing-column"]
    assert problem.severity == "error"
    assert "“Trách nhiệm theo dõi”" in problem.message
    assert "không ai được báo khi quá hạn" in problem.message
    result = CliRunner().invoke(app, ["plan", "check", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["plan"]["missing_columns"] == ["monitors"]
    assert len(report["rows"]) == 3


def test_section_rows_merged_over_the_whole_row_with_or_without_a_number(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = active_sheet(workbook)
    sheet.append(["KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2025"])
    sheet.append(["TT", "Nội dung", "Chủ trì", "Thời gian thực hiện", "Trách nhiệm theo dõi",
                  "Kết quả"])  # fmt: skip
    rows: list[Cells] = [["Nâng cao chất lượng giải quyết TTHC"],
            [1, "Niêm yết", "Văn phòng", "Quý I/2025", "QMR", "Ảnh"],
            ["MỤC TIÊU 2: Giữ kỷ cương"],
            [1, "Kiểm tra giờ giấc", "Văn phòng", "Hằng tháng", "QMR", "Biên bản"],
            ["Ghi chú: các đơn vị thực hiện nghiêm"]]  # fmt: skip
    for values in rows:
        sheet.append(values)
        if len(values) == 1:
            sheet.merge_cells(f"A{sheet.max_row}:F{sheet.max_row}")
    workbook.save(tmp_path / "gop-ca-dong.xlsx")
    plan = load_plan(tmp_path / "gop-ca-dong.xlsx")
    assert plan.sections() == [("1", "Nâng cao chất lượng giải quyết TTHC"),
                               ("2", "Giữ kỷ cương")]  # fmt: skip
    assert [(r.ref, r.task) for r in plan.rows] == [("1.1", "Niêm yết"),
                                                    ("2.1", "Kiểm tra giờ giấc")]  # fmt: skip
    assert [(p.code, p.source.row if p.source else 0) for p in plan.import_problems] == [
        ("unnumbered-section", 3),
        ("skipped-note", 7),
    ]
