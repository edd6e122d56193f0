"""Plans laid out as a school, a hospital and a provincial department lay them out, in Word.

Each fixture is built here (python-docx, with numbering written as XML) and every field
of every row is asserted: section, number, task, lead, coordinating, timing (with its
parts), monitors, evidence and KPI.
"""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from rules.importers import load_plan
from rules.plan import Plan, Target
from rules.plan_check import check_plan
from tests.rules.layout_builders import (
    add_list,
    cell_paragraph,
    fill_table,
    merge_across,
    merge_down,
    number_paragraph,
    numbered_style,
)

SCHOOL_HEADER = ["TT", "Nội dung hoạt động", "Người phụ trách", "Phối hợp",
                 "Thời gian thực hiện", "Người theo dõi", "Sản phẩm", "Chỉ tiêu"]  # fmt: skip


def fields(plan: Plan) -> list[tuple[str, ...]]:
    return [
        (r.ref, r.task, r.lead, r.coordinating, r.timing, r.monitors, " / ".join(r.evidence), r.kpi)
        for r in plan.rows
    ]


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """Objectives and TT numbered by Word: objectives through a style, the table's
    objective rows by their own numPr (level 1), measures by a style (level 2, "%1.%2.")."""
    document = docx.Document()
    for text in ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN NAM ĐÔNG", "TRƯỜNG THCS HƯƠNG PHÚ",
                 "KẾ HOẠCH", "Thực hiện mục tiêu chất lượng năm học 2025 – 2026",
                 "MỤC TIÊU CHẤT LƯỢNG NĂM HỌC 2025 – 2026"):  # fmt: skip
        document.add_paragraph(text)
    objectives = add_list(document, [("decimal", "%1.", 1)])
    style = numbered_style(document, "Danh sách mục tiêu", objectives)
    for text in ("100% giáo viên đạt chuẩn nghề nghiệp.",
                 "Tỷ lệ học sinh lên lớp đạt trên 98%.",
                 "Duy trì kết quả năm học 2024 – 2025 về phổ cập."):  # fmt: skip
        document.add_paragraph(text, style=style)
    document.add_paragraph("KẾ HOẠCH THỰC HIỆN")
    outline = add_list(document, [("decimal", "%1.", 1), ("decimal", "%1.%2.", 1)])
    measure_style = numbered_style(document, "TT biện pháp", outline, level=1)
    body = [
        ("o", "Nâng cao chất lượng đội ngũ", "100%"),
        ("m", "Bồi dưỡng chuyên môn hè", "Hiệu trưởng", "Tổ chuyên môn", "Tháng 8/2025",
         "Chi bộ", "- Kế hoạch bồi dưỡng\n- Danh sách dự", ""),
        ("m", "Đánh giá chuẩn nghề nghiệp giáo viên", "Phó Hiệu trưởng", "", "Tháng 5/2026",
         "Hiệu trưởng", "Biên bản đánh giá", "100% giáo viên"),
        ("o", "Nâng cao chất lượng học sinh", "≥ 98%"),
        ("m", "Phụ đạo học sinh yếu", "Tổ trưởng", "Giáo viên chủ nhiệm", "Hằng tháng",
         "Phó Hiệu trưởng", "Sổ phụ đạo", "≥ 98%"),
    ]  # fmt: skip
    table = fill_table(document, [SCHOOL_HEADER, *([""] * 8 for _ in body)])
    for index, row in enumerate(body, start=1):
        cells = table.rows[index].cells
        if row[0] == "o":
            cells[1].text, cells[7].text = row[1], row[2]
            merge_across(table, index, 1, 6)
            number_paragraph(cell_paragraph(table, index, 0), outline, 0)
        else:
            for column, text in enumerate(row[1:], start=1):
                cells[column].text = text
            cell_paragraph(table, index, 0).style = document.styles[measure_style]
    path = tmp_path_factory.mktemp("school") / "truong-thcs.docx"
    document.save(str(path))
    return load_plan(path)


def test_it_reads_a_school_plan_by_its_school_year(school: Plan) -> None:
    assert (school.kind, school.year) == ("school-year", 2025)
    assert school.span == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    assert list(school.years) == [2025, 2026]
    assert school.title == "KẾ HOẠCH Thực hiện mục tiêu chất lượng năm học 2025 – 2026"


def test_it_numbers_the_objectives_list_as_word_shows_it(school: Plan) -> None:
    assert [(o.number, o.text) for o in school.objectives] == [
        ("1", "100% giáo viên đạt chuẩn nghề nghiệp."),
        ("2", "Tỷ lệ học sinh lên lớp đạt trên 98%."),
        ("3", "Duy trì kết quả năm học 2024 – 2025 về phổ cập."),
    ]


def test_it_takes_auto_numbered_objective_rows_as_sections_never_as_tasks(school: Plan) -> None:
    assert school.sections() == [
        ("1", "Nâng cao chất lượng đội ngũ"),
        ("2", "Nâng cao chất lượng học sinh"),
    ]
    assert [(h.key, h.kpi, h.targets) for h in school.headings] == [
        ("1", "100%", (Target("100%", 100.0, "%"),)),
        ("2", "≥ 98%", (Target("≥ 98%", 98.0, "%"),)),
    ]
    assert fields(school) == [
        ("1.1", "Bồi dưỡng chuyên môn hè", "Hiệu trưởng", "Tổ chuyên môn", "Tháng 8/2025",
         "Chi bộ", "Kế hoạch bồi dưỡng / Danh sách dự", ""),
        ("1.2", "Đánh giá chuẩn nghề nghiệp giáo viên", "Phó Hiệu trưởng", "", "Tháng 5/2026",
         "Hiệu trưởng", "Biên bản đánh giá", "100% giáo viên"),
        ("2.1", "Phụ đạo học sinh yếu", "Tổ trưởng", "Giáo viên chủ nhiệm", "Hằng tháng",
         "Phó Hiệu trưởng", "Sổ phụ đạo", "≥ 98%"),
    ]  # fmt: skip
    assert [row.targets for row in school.rows] == [
        (),
        (Target("100%", 100.0, "%"),),
        (Target("≥ 98%", 98.0, "%"),),
    ]


def test_it_judges_years_against_the_school_year(school: Plan) -> None:
    stale = [(p.row_ref, p.text) for p in check_plan(school) if p.code == "stale-year"]
    assert stale == [("MTCL 3", "Duy trì kết quả năm học 2024 – 2025 về phổ cập.")]
    assert all(p.severity != "error" for p in check_plan(school))


@pytest.fixture(scope="module")
def department(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """Objective list table, then the plan split over two tables at a page break, both with
    the two-row header ("Thời gian" over "Bắt đầu" / "Kết thúc") and a column-number row;
    a signature table at the end."""
    document = docx.Document()
    for text in ("UBND TỈNH THỪA THIÊN HUẾ", "SỞ NỘI VỤ",
                 "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG GIAI ĐOẠN 2025-2030"):  # fmt: skip
        document.add_paragraph(text)
    fill_table(document, [["TT", "Mục tiêu chất lượng", "Chỉ tiêu"],
                          ["1", "Giải quyết hồ sơ đúng hạn", "100%"]])  # fmt: skip
    top = ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian", "", "Trách nhiệm theo dõi",
           "Kết quả đầu ra"]  # fmt: skip
    sub = ["", "", "", "", "Bắt đầu", "Kết thúc", "", ""]
    numbers = [f"({n})" for n in range(1, 9)]
    first = [
        ["I", "Giải quyết hồ sơ đúng hạn", "", "", "", "", "", ""],
        ["1", "Rà soát quy trình nội bộ", "Văn phòng Sở", "Các phòng", "01/03/2025",
         "30/04/2025", "Giám đốc Sở", "Quy trình đã sửa"],
        ["2", "Số hóa hồ sơ", "Phòng CCHC", "", "Tháng 5/2025", "Tháng 12/2025", "QMR",
         "- Báo cáo số hóa\n- Danh mục hồ sơ"],
    ]  # fmt: skip
    second = [
        ["3", "Công khai kết quả", "Văn phòng Sở", "", "", "30/06/2025", "QMR", "Trang tin"],
        ["II", "Nâng cao năng lực công chức", "", "", "", "", "", ""],
        ["1", "Bồi dưỡng kỹ năng", "Phòng Tổ chức", "Trường Chính trị", "01/06/2025", "",
         "Phó Giám đốc", "Chứng chỉ"],
    ]  # fmt: skip
    for body in (first, second):
        table = fill_table(document, [top, sub, numbers, *body])
        merge_across(table, 0, 4, 5)
        for column in (0, 1, 2, 3, 6, 7):
            merge_down(table, column, 0, 1)
        for index, row in enumerate(body, start=3):
            if row[0] in ("I", "II"):
                merge_across(table, index, 1, 7)
        if body is first:
            document.add_paragraph("")
    document.add_paragraph("")
    fill_table(document, [["NGƯỜI LẬP", "GIÁM ĐỐC"], ["Nguyễn Văn A", "Trần Văn B"]])
    path = tmp_path_factory.mktemp("department") / "so-noi-vu.docx"
    document.save(str(path))
    return load_plan(path)


def test_it_reads_a_period_plan(department: Plan) -> None:
    assert (department.kind, department.year) == ("period", 2025)
    assert department.span == (dt.date(2025, 1, 1), dt.date(2030, 12, 31))


def test_it_continues_a_split_table_without_taking_its_header_as_tasks(department: Plan) -> None:
    assert department.sections() == [
        ("I", "Giải quyết hồ sơ đúng hạn"),
        ("II", "Nâng cao năng lực công chức"),
    ]
    assert fields(department) == [
        ("I.1", "Rà soát quy trình nội bộ", "Văn phòng Sở", "Các phòng",
         "Từ 01/03/2025 đến 30/04/2025", "Giám đốc Sở", "Quy trình đã sửa", ""),
        ("I.2", "Số hóa hồ sơ", "Phòng CCHC", "", "Từ tháng 5/2025 đến tháng 12/2025", "QMR",
         "Báo cáo số hóa / Danh mục hồ sơ", ""),
        ("I.3", "Công khai kết quả", "Văn phòng Sở", "", "Trước ngày 30/06/2025", "QMR",
         "Trang tin", ""),
        ("II.1", "Bồi dưỡng kỹ năng", "Phòng Tổ chức", "Trường Chính trị", "Từ 01/06/2025",
         "Phó Giám đốc", "Chứng chỉ", ""),
    ]  # fmt: skip
    assert [(r.source.table, r.source.row) for r in department.rows] == [
        (2, 5),
        (2, 6),
        (3, 4),
        (3, 6),
    ]
    assert department.rows[0].timing_parts == (("start", "01/03/2025"), ("end", "30/04/2025"))
    assert department.import_problems == ()


def test_it_names_the_plan_table_among_others_and_leaves_signatures_out(department: Plan) -> None:
    assert all("GIÁM ĐỐC" not in row.task for row in department.rows)
    assert len(department.rows) == 4


def test_it_reads_objectives_from_their_own_table_above_the_plan(department: Plan) -> None:
    assert [(o.number, o.text, o.kpi, o.targets) for o in department.objectives] == [
        ("1", "Giải quyết hồ sơ đúng hạn", "100%", (Target("100%", 100.0, "%"),))
    ]
