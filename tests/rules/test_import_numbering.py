"""Word's numbering as offices use it: objectives merged down, lettered measures, lost numbers."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document as DocxDocument

from rules.importers import load_plan
from rules.plan import Plan
from tests.rules.layout_builders import (
    add_list,
    cell_paragraph,
    fill_table,
    merge_across,
    merge_down,
    number_paragraph,
)


def save(document: docx.document.Document, path: Path) -> Plan:
    document.save(str(path))
    return load_plan(path)


def titled_document(title: str = "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2025") -> DocxDocument:
    document = docx.Document()
    document.add_paragraph("UBND XÃ HÒA BÌNH")
    document.add_paragraph(title)
    return document


def test_it_reads_an_objective_column_merged_down_its_measures(tmp_path: Path) -> None:
    document = titled_document()
    header = ["STT", "Mục tiêu", "Biện pháp thực hiện", "Chủ trì", "Thời hạn",
              "Đơn vị giám sát", "Kết quả đầu ra"]  # fmt: skip
    body = [
        ["1", "Giải quyết 100% hồ sơ đúng hạn", "Niêm yết TTHC", "Bộ phận một cửa",
         "31/01/2025", "Chủ tịch", "Ảnh niêm yết"],
        ["2", "", "Nhắc hồ sơ sắp hết hạn", "Công chức VP-TK", "Hằng tuần", "Chủ tịch",
         "Sổ theo dõi"],
        ["3", "Không có khiếu nại kéo dài", "Tiếp công dân", "Công chức Tư pháp",
         "Thường xuyên", "Phó Chủ tịch", "Sổ tiếp dân"],
    ]  # fmt: skip
    table = fill_table(document, [header, *body])
    merge_down(table, 1, 1, 2)
    plan = save(document, tmp_path / "cot-muc-tieu.docx")
    assert plan.sections() == [("1", "Giải quyết 100% hồ sơ đúng hạn"),
                               ("2", "Không có khiếu nại kéo dài")]  # fmt: skip
    assert [(r.section, r.number, r.task, r.lead, r.timing, r.monitors, r.evidence)
            for r in plan.rows] == [
        ("1", "1", "Niêm yết TTHC", "Bộ phận một cửa", "Trước ngày 31/01/2025", "Chủ tịch",
         ("Ảnh niêm yết",)),
        ("1", "2", "Nhắc hồ sơ sắp hết hạn", "Công chức VP-TK", "Hằng tuần", "Chủ tịch",
         ("Sổ theo dõi",)),
        ("2", "3", "Tiếp công dân", "Công chức Tư pháp", "Thường xuyên", "Phó Chủ tịch",
         ("Sổ tiếp dân",)),
    ]  # fmt: skip
    assert plan.rows[0].timing_parts == (("deadline", "31/01/2025"),)


def test_an_objective_row_that_lost_its_number_is_a_section_with_a_warning(
    tmp_path: Path,
) -> None:
    """TT auto-numbered for the measures only; the objective rows' numbers were typed in
    a text box and are gone. They must open sections, never be glued onto a task."""
    document = titled_document()
    numbers = add_list(document, [("decimal", "%1.", 1)])
    header = ["TT", "Nội dung", "Chủ trì", "Thời gian thực hiện", "Người theo dõi", "Minh chứng"]
    body = [
        ["", "Nâng cao chất lượng phục vụ", "", "", "", ""],
        ["", "Khảo sát sự hài lòng", "Văn phòng", "Quý II/2025", "QMR", "Phiếu khảo sát"],
        ["", "Cải tiến quy trình", "Văn phòng", "Quý III/2025", "QMR", "Quy trình mới"],
        ["", "Đào tạo cán bộ", "", "", "", ""],
        ["", "Tập huấn ISO", "Thư ký ISO", "Tháng 4/2025", "QMR", "Danh sách"],
    ]
    table = fill_table(document, [header, *body])
    for index, row in enumerate(body, start=1):
        if row[2]:
            number_paragraph(cell_paragraph(table, index, 0), numbers, 0)
        else:
            merge_across(table, index, 1, 5)
    plan = save(document, tmp_path / "mat-so.docx")
    assert plan.sections() == [("1", "Nâng cao chất lượng phục vụ"), ("2", "Đào tạo cán bộ")]
    assert [(r.ref, r.task) for r in plan.rows] == [
        ("1.1", "Khảo sát sự hài lòng"),
        ("1.2", "Cải tiến quy trình"),
        ("2.3", "Tập huấn ISO"),
    ]
    warnings = [(p.code, p.source.row) for p in plan.import_problems if p.source]
    assert warnings == [("unnumbered-section", 2), ("unnumbered-section", 5)]
    assert all("tiêu đề mục không có số" in p.message for p in plan.import_problems)


def test_it_takes_lettered_and_dashed_measures_under_arabic_objectives(tmp_path: Path) -> None:
    document = titled_document()
    header = ["TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Tiến độ", "Theo dõi", "Hồ sơ"]
    body = [
        ["1.", "Cải cách hành chính", "", "", "", "", ""],
        ["a)", "Rà soát TTHC", "Tư pháp", "Văn phòng", "Quý I/2025", "QMR", "Báo cáo rà soát"],
        ["b)", "Số hóa hồ sơ", "Văn phòng", "", "Trong năm", "QMR", "Kho dữ liệu"],
        ["2.", "Kỷ cương công vụ", "", "", "", "", ""],
        ["-", "Kiểm tra giờ giấc", "Văn phòng", "", "Hằng tháng", "Chủ tịch", "Biên bản"],
    ]
    table = fill_table(document, [header, *body])
    for index in (1, 4):
        merge_across(table, index, 1, 6)
    plan = save(document, tmp_path / "chu-cai.docx")
    assert plan.sections() == [("1", "Cải cách hành chính"), ("2", "Kỷ cương công vụ")]
    assert [(r.ref, r.lead, r.coordinating, r.timing) for r in plan.rows] == [
        ("1.a", "Tư pháp", "Văn phòng", "Quý I/2025"),
        ("1.b", "Văn phòng", "", "Trong năm"),
        ("2.-", "Văn phòng", "", "Hằng tháng"),
    ]


def test_a_continuation_table_that_opens_with_the_sub_header_only(tmp_path: Path) -> None:
    document = titled_document()
    top = ["TT", "Nội dung", "Trách nhiệm thực hiện", "", "Thời gian thực hiện", "Kết quả"]
    sub = ["", "", "Chủ trì", "Phối hợp", "", ""]
    first = fill_table(document, [top, sub, ["I", "Mục tiêu một", "", "", "", ""],
                                  ["1", "Việc một", "Phòng A", "Phòng B", "Tháng 1", "Báo cáo"]])  # fmt: skip
    merge_across(first, 0, 2, 3)
    merge_across(first, 2, 1, 5)
    document.add_paragraph("")
    second = fill_table(document, [sub, ["2", "Việc hai", "Phòng A", "", "Tháng 2", "Biên bản"]])
    assert second is not None
    plan = save(document, tmp_path / "tiep.docx")
    assert [(r.ref, r.task, r.lead, r.coordinating, r.timing) for r in plan.rows] == [
        ("I.1", "Việc một", "Phòng A", "Phòng B", "Tháng 1"),
        ("I.2", "Việc hai", "Phòng A", "", "Tháng 2"),
    ]
    missing = [p for p in plan.import_problems if p.code == "missing-column"]
    assert [p.text for p in missing] == ["Trách nhiệm theo dõi"]


def test_objectives_and_measures_both_numbered_1_are_told_apart(tmp_path: Path) -> None:
    """Word numbers objectives "%1." (level 0) and their measures "%2." (level 1), so both
    read "1.", "2."; an objective row holds only its title, a measure has a lead."""
    document = titled_document()
    outline = add_list(document, [("decimal", "%1.", 1), ("decimal", "%2.", 1)])
    header = ["TT", "Nội dung", "Chủ trì", "Thời gian thực hiện", "Theo dõi", "Kết quả"]
    body = [
        (0, ["", "Giải quyết hồ sơ đúng hạn", "", "", "", ""]),
        (1, ["", "Niêm yết TTHC", "Văn phòng", "Quý I/2025", "QMR", "Ảnh"]),
        (1, ["", "Theo dõi trễ hạn", "Văn phòng", "Hằng tháng", "QMR", "Sổ"]),
        (0, ["", "Nâng cao năng lực", "", "", "", ""]),
        (1, ["", "Tập huấn", "Nội vụ", "Quý II/2025", "QMR", "Danh sách"]),
    ]
    table = fill_table(document, [header, *(row for _, row in body)])
    for index, (level, _) in enumerate(body, start=1):
        number_paragraph(cell_paragraph(table, index, 0), outline, level)
    plan = save(document, tmp_path / "cung-dang-so.docx")
    assert plan.sections() == [("1", "Giải quyết hồ sơ đúng hạn"), ("2", "Nâng cao năng lực")]
    assert [(r.ref, r.task) for r in plan.rows] == [
        ("1.1", "Niêm yết TTHC"),
        ("1.2", "Theo dõi trễ hạn"),
        ("2.1", "Tập huấn"),
    ]
    assert plan.import_problems == ()


def test_numbers_typed_in_the_task_column_when_there_is_no_tt(tmp_path: Path) -> None:
    document = titled_document()
    rows = [["Nội dung", "Chủ trì", "Thời gian thực hiện", "Theo dõi", "Kết quả"],
            ["1. Nâng cao chất lượng", "", "", "", ""],
            ["1.1. Khảo sát", "Văn phòng", "Quý I/2025", "QMR", "Phiếu"],
            ["1.2. Cải tiến", "Văn phòng", "Quý II/2025", "QMR", "Quy trình"],
            ["2. Kỷ cương", "", "", "", ""],
            ["2.1. Kiểm tra", "Văn phòng", "Hằng tháng", "QMR", "Biên bản"]]  # fmt: skip
    table = fill_table(document, rows)
    for index in (1, 4):
        merge_across(table, index, 0, 4)
    plan = save(document, tmp_path / "so-trong-noi-dung.docx")
    assert plan.sections() == [("1", "Nâng cao chất lượng"), ("2", "Kỷ cương")]
    assert [(r.ref, r.task, r.timing) for r in plan.rows] == [
        ("1.1", "Khảo sát", "Quý I/2025"), ("1.2", "Cải tiến", "Quý II/2025"),
        ("2.1", "Kiểm tra", "Hằng tháng"),
    ]  # fmt: skip
    assert plan.import_problems == ()
