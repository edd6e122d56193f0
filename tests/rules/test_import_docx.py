"""Importing plans written in Word (.docx)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rules.importers import load_plan
from rules.plan import Plan, SourceLocation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ROMAN_I_TO_IX = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]


def rows_per_section(plan: Plan) -> list[int]:
    counts = Counter(row.section for row in plan.rows)
    return [counts[section] for section, _ in plan.sections()]


@pytest.fixture(scope="module")
def nam_dong() -> Plan:
    return load_plan(EXAMPLES / "nam-dong-2024.docx")


@pytest.fixture(scope="module")
def giang_hai() -> Plan:
    return load_plan(EXAMPLES / "giang-hai-2023.docx")


def test_it_reads_nam_dong_as_22_rows_in_9_sections(nam_dong: Plan) -> None:
    assert len(nam_dong.rows) == 22
    assert [section for section, _ in nam_dong.sections()] == ROMAN_I_TO_IX
    assert rows_per_section(nam_dong) == [7, 2, 2, 3, 4, 1, 1, 1, 1]


def test_it_reads_giang_hai_as_26_rows_in_9_sections(giang_hai: Plan) -> None:
    assert len(giang_hai.rows) == 26
    assert [section for section, _ in giang_hai.sections()] == ROMAN_I_TO_IX
    assert rows_per_section(giang_hai) == [7, 2, 2, 3, 4, 1, 1, 5, 1]


def test_it_reads_who_wrote_the_plan_for_which_year(nam_dong: Plan, giang_hai: Plan) -> None:
    assert (nam_dong.organisation, nam_dong.year) == ("UBND huyện Nam Đông", 2024)
    assert nam_dong.title == "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024"
    assert (giang_hai.organisation, giang_hai.year) == ("UBND xã Giang Hải", 2023)


@pytest.mark.parametrize(
    ("plan_name", "ref", "field", "expected"),
    [
        ("nam_dong", "I.1", "lead", "Phòng Kinh tế và Hạ tầng"),
        ("nam_dong", "I.1", "timing", "Tháng 01/2024"),
        ("nam_dong", "I.1", "monitors", "QMR; Thư ký ISO."),
        (
            "nam_dong",
            "I.3",
            "timing",
            "Trước ngày 30 tháng 8 hàng năm (Tùy từng đơn vị, "
            "đảm bảo tần suất ĐGNB tối thiểu 01 lần/năm)",
        ),
        ("nam_dong", "I.6", "timing", "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hàng năm"),
        ("nam_dong", "I.7", "lead", "Các cơ quan, đơn vị, UBND các xã, thị trấn"),
        (
            "nam_dong",
            "II.2",
            "monitors",
            "Văn phòng/ Thủ trưởng các cơ quan, đơn vị, UBND xã, thị trấn",
        ),
        ("nam_dong", "III.1", "lead", "Phòng Kinh tế và Hạ tầng/Công chức phụ trách theo dõi..."),
        ("nam_dong", "V.2", "coordinating", ""),
        ("nam_dong", "V.3", "timing", "Thường xuyên theo dõi; Báo cáo định kỳ hàng quý"),
        (
            "nam_dong",
            "V.3",
            "task",
            "Theo dõi trên phần mềm xử lý Dịch vụ công trực tuyến; "
            "Định kỳ thống kê báo cáo kết quả thực hiện giải quyết TTHC",
        ),
        ("giang_hai", "I.1", "lead", "Công chức VP-TK xã"),
        ("giang_hai", "II.1", "timing", "Tháng 12/2022 – Quý I/2023"),
        ("giang_hai", "VIII.2", "lead", "Công chức VH-XH xã"),
        (
            "giang_hai",
            "VIII.2",
            "timing",
            "Kế hoạch: tháng 01/2023; Báo cáo: 6 tháng "
            "(trước ngày 1/6/2023), năm (trước ngày 30/11/2023)",
        ),
        ("giang_hai", "IX.1", "monitors", "Chủ tịch UBND xã"),
    ],
)
def test_it_reads_cells_as_written(
    plan_name: str, ref: str, field: str, expected: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(plan_name)
    assert getattr(plan.row(ref), field) == expected


def test_it_keeps_a_row_without_a_number_under_its_section(nam_dong: Plan, giang_hai: Plan) -> None:
    last = nam_dong.rows[-1]
    assert (last.section, last.number, last.ref, last.lead) == ("IX", "", "IX", "Phòng Nội vụ")
    assert last.task.startswith("Đẩy mạnh phong trào thi đua")
    assert giang_hai.row("VI").task.startswith("Theo dõi, tổng hợp báo cáo tỷ lệ")


def test_it_splits_evidence_into_items(nam_dong: Plan, giang_hai: Plan) -> None:
    assert nam_dong.row("I.3").evidence == (
        "Chương trình ĐGNB",
        "Lưu Hồ sơ ĐGNB (Kế hoạch, chương trình ĐGNB, Quyết định thành lập Đoàn ĐGNB, "
        "phiếu ghi chép, Báo cáo tổng hợp ĐGNB)",
        "Hồ sơ kiểm soát sự không phù hợp và hành động khắc phục (phiếu yêu cầu hành động "
        "khắc phục/cải tiến - nếu có; sổ theo dõi hành động khắc phục/cải tiến)",
    )
    assert giang_hai.row("VIII.5").evidence == (
        "Tỷ lệ cán bộ, công chức, viên chức có đăng nhập tài khoản thư điện tử công vụ",
        "Thống kê hàng quý việc đăng nhập sử dụng Hệ thống thông tin điều hành tác nghiệp",
    )


def test_it_reads_section_titles_merged_across_the_row(nam_dong: Plan) -> None:
    assert nam_dong.sections()[3] == (
        "IV",
        "Mục tiêu liên quan các chỉ tiêu kinh tế - xã hội (một vài mục tiêu quan trọng, chính yếu)",
    )
    assert nam_dong.row("IV.1").section_title == nam_dong.sections()[3][1]


def test_it_reads_the_objectives_and_their_targets(nam_dong: Plan, giang_hai: Plan) -> None:
    assert [objective.number for objective in nam_dong.objectives] == [str(n) for n in range(1, 10)]
    economic = nam_dong.objectives[3]
    assert [(t.text, t.value, t.unit) for t in economic.targets] == [
        ("55,7 triệu đồng", 55.7, "triệu đồng"),
        ("83,0%", 83.0, "%"),
        ("30%", 30.0, "%"),
    ]
    assert economic.targets[0].label == "Thu nhập bình quân đầu người"
    targets = {t.text: t for objective in giang_hai.objectives for t in objective.targets}
    assert (targets["5,573 tỷ đồng"].value, targets["5,573 tỷ đồng"].unit) == (5.573, "tỷ đồng")
    assert targets["1.936,49 tấn"].value == 1936.49
    assert targets["trên 98%"].value == 98.0
    assert not any("2015" in text for text in targets)  # "ISO 9001:2015" is not a target


def test_it_records_where_each_row_came_from(nam_dong: Plan) -> None:
    assert nam_dong.row("I.1").source == SourceLocation("nam-dong-2024.docx", 1, 4)
    assert nam_dong.rows[-1].source == SourceLocation("nam-dong-2024.docx", 1, 33)
