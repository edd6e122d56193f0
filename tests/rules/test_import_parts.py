"""Small rules of the import: timing composed from split columns, KPI quantities, the
plan's period from its title, number shapes."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.importers.columns import label_role
from rules.importers.kpi import kpi_targets
from rules.importers.numbers import parse_marker, split_marker
from rules.importers.preamble import Period, find_period, find_title
from rules.importers.row_cells import split_lead
from rules.importers.timing_parts import compose_timing
from rules.plan import Plan, PlanRow, SourceLocation, Target
from rules.plan_check import check_plan


@pytest.mark.parametrize(
    ("parts", "phrase"),
    [
        ({"frequency": "Hằng quý", "deadline": "Trước ngày 15 của tháng cuối quý"},
         "Hằng quý; trước ngày 15 của tháng cuối quý"),
        ({"start": "01/03/2025", "end": "30/04/2025"}, "Từ 01/03/2025 đến 30/04/2025"),
        ({"start": "Tháng 3/2025", "end": "Tháng 4/2025"}, "Từ tháng 3/2025 đến tháng 4/2025"),
        ({"start": "Từ ngày 01/03/2025", "end": "Đến ngày 30/04/2025"},
         "Từ 01/03/2025 đến 30/04/2025"),
        ({"start": "", "end": "30/06/2025"}, "Trước ngày 30/06/2025"),
        ({"start": "01/06/2025", "end": ""}, "Từ 01/06/2025"),
        ({"deadline": "31/01/2025"}, "Trước ngày 31/01/2025"),
        ({"frequency": "Thường xuyên", "deadline": ""}, "Thường xuyên"),
        ({"frequency": "Hằng năm", "deadline": "Hằng năm, trước ngày 30/11"},
         "Hằng năm, trước ngày 30/11"),
        ({"frequency": "Hằng quý", "timing": "Quý I/2025"}, "Hằng quý; Quý I/2025"),
        ({"frequency": "", "deadline": "", "start": "", "end": ""}, ""),
    ],
)  # fmt: skip
def test_it_composes_a_split_timing_into_one_phrase(parts: dict[str, str], phrase: str) -> None:
    assert compose_timing(parts) == phrase


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("≥ 90%", [("≥ 90%", 90.0, "%")]),
        ("100%", [("100%", 100.0, "%")]),
        ("55,7 triệu đồng", [("55,7 triệu đồng", 55.7, "triệu đồng")]),
        ("1.936,49 tấn", [("1.936,49 tấn", 1936.49, "tấn")]),
        ("Tối thiểu 02 lần/năm", [("Tối thiểu 02 lần/năm", 2.0, "lần/năm")]),
        ("≤ 45 phút", [("≤ 45 phút", 45.0, "phút")]),
        ("98", [("98", 98.0, "")]),
        ("Đạt chuẩn quốc gia", []),
        ("Năm 2025 đạt 90%", [("đạt 90%", 90.0, "%", "Năm 2025")]),
        (
            "Thu nhập bình quân: 55,7 triệu đồng",
            [("55,7 triệu đồng", 55.7, "triệu đồng", "Thu nhập bình quân")],
        ),
        (
            "Hài lòng ≥ 90%; chờ khám ≤ 45 phút",
            [("≥ 90%", 90.0, "%", "Hài lòng"), ("≤ 45 phút", 45.0, "phút", "chờ khám")],
        ),
    ],
)
def test_it_reads_the_number_and_unit_of_a_kpi(text: str, targets: list[tuple]) -> None:
    assert kpi_targets(text) == tuple(Target(*target) for target in targets)


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2025", Period("year", 2025)),
        ("KẾ HOẠCH THỰC HIỆN MTCL NĂM HỌC 2025 – 2026",
         Period("school-year", 2025, dt.date(2025, 9, 1), dt.date(2026, 8, 31))),
        ("Kế hoạch thực hiện mục tiêu chất lượng năm học 2025-2026",
         Period("school-year", 2025, dt.date(2025, 9, 1), dt.date(2026, 8, 31))),
        ("KẾ HOẠCH THỰC HIỆN MTCL GIAI ĐOẠN 2025-2030",
         Period("period", 2025, dt.date(2025, 1, 1), dt.date(2030, 12, 31))),
        ("KẾ HOẠCH THỰC HIỆN MTCL GIAI ĐOẠN TỪ NĂM 2026 ĐẾN NĂM 2030",
         Period("period", 2026, dt.date(2026, 1, 1), dt.date(2030, 12, 31))),
    ],
)  # fmt: skip
def test_it_reads_the_period_from_the_title(title: str, period: Period) -> None:
    assert find_period(title, []) == period


def test_it_falls_back_on_the_decision_date() -> None:
    lines = ["ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "Hòa Bình, ngày 10 tháng 01 năm 2025"]
    assert find_period(find_title(["KẾ HOẠCH", "Thực hiện mục tiêu chất lượng"]), lines) == (
        Period("year", 2025)
    )
    assert find_period("", ["Kèm theo Quyết định số 12/QĐ-UBND ngày 15/01/2026"]) == (
        Period("year", 2026)
    )


def test_it_joins_a_title_over_three_lines() -> None:
    lines = ["KẾ HOẠCH", "Thực hiện mục tiêu chất lượng", "năm học 2025 – 2026", "Căn cứ …"]
    assert find_title(lines) == "KẾ HOẠCH Thực hiện mục tiêu chất lượng năm học 2025 – 2026"


def test_it_judges_stale_years_against_a_period() -> None:
    def row(timing: str) -> PlanRow:
        return PlanRow("I", "Mục tiêu", timing[-1], f"Việc {timing[-1]}", "Sở", "", timing, "QMR",
                       ("Báo cáo",), SourceLocation("kh.docx", 1, 3))  # fmt: skip

    plan = Plan("Sở Nội vụ", 2025, (), (row("Năm 2030"), row("Năm 2024")), "kh.docx",
                kind="period", start=dt.date(2025, 1, 1), end=dt.date(2030, 12, 31))  # fmt: skip
    [stale] = [p for p in check_plan(plan) if p.code == "stale-year"]
    assert stale.text == "Năm 2024"
    assert "giai đoạn 2025–2030" in stale.message


@pytest.mark.parametrize(
    ("text", "shape"),
    [("I", ("roman", "I", 1)), ("IV.", ("roman", "IV", 1)), ("B", ("part", "B", 0)),
     ("1", ("arabic", "1", 2)), ("1.", ("arabic", "1", 2)), ("1.2", ("arabic", "1.2", 3)),
     ("1.2.", ("arabic", "1.2", 3)), ("2.1.3", ("arabic", "2.1.3", 4)),
     ("1,2", ("arabic", "1.2", 3)), ("I.2", ("arabic", "I.2", 3)),
     ("a)", ("letter", "a", 6)), ("-", ("bullet", "-", 7)), ("+", ("bullet", "-", 7))],
)  # fmt: skip
def test_it_tells_number_shapes_and_their_ranks(text: str, shape: tuple[str, str, int]) -> None:
    marker = parse_marker(text)
    assert marker is not None and (marker.kind, marker.label, marker.rank) == shape


def test_it_reads_a_section_number_at_the_front_of_a_title() -> None:
    assert split_marker("II. NÂNG CAO CHẤT LƯỢNG") is not None
    found = split_marker("Mục tiêu 3: Giảm hồ sơ trễ hạn")
    assert found is not None and (found[0].label, found[1]) == ("3", "Giảm hồ sơ trễ hạn")
    assert split_marker("100% hồ sơ đúng hạn") is None
    assert split_marker("05 lớp bồi dưỡng") is None


@pytest.mark.parametrize(
    ("label", "role"),
    [("Nội dung", "task"), ("Nội dung công việc", "task"), ("Nội dung hoạt động", "task"),
     ("Biện pháp thực hiện", "task"), ("Nhiệm vụ", "task"),
     ("Nội dung công việc/Biện pháp thực hiện", "task"),
     ("Mục tiêu chất lượng và biện pháp thực hiện MTCL", "task"),
     ("Chủ trì", "lead"), ("Đơn vị/Người thực hiện", "lead"), ("Người phụ trách", "lead"),
     ("Phối hợp", "coordinating"),
     ("Trách nhiệm theo dõi", "monitors"), ("Người theo dõi", "monitors"),
     ("Kiểm tra, giám sát", "monitors"), ("Đơn vị giám sát", "monitors"),
     ("Kết quả đầu ra", "evidence"), ("Minh chứng", "evidence"), ("Sản phẩm", "evidence"),
     ("Cách thức theo dõi và kết quả", "evidence"),
     ("Chỉ tiêu", "kpi"), ("Chỉ số", "kpi"), ("Mục tiêu cần đạt", "kpi"),
     ("Tần suất", "frequency"), ("Thời hạn", "deadline"), ("Thời gian hoàn thành", "deadline"),
     ("Bắt đầu", "start"), ("Kết thúc", "end"), ("Từ ngày", "start"), ("Đến ngày", "end"),
     ("Thời gian thực hiện", "timing"), ("Ghi chú", "remarks"), ("STT", "number"),
     ("Mục tiêu", "objective")],
)  # fmt: skip
def test_one_synonym_table_names_every_column_real_plans_write(label: str, role: str) -> None:
    found = label_role(label)
    assert found is not None and found[0] == role


@pytest.mark.parametrize(
    ("text", "split"),
    [("Chủ trì: Văn phòng; Phối hợp: Các phòng", ("Văn phòng", "Các phòng")),
     ("Văn phòng; Phối hợp: Tư pháp, Công an", ("Văn phòng", "Tư pháp, Công an")),
     ("- Chủ trì: Văn phòng\n- Phối hợp: Tư pháp", ("Văn phòng", "Tư pháp")),
     ("Phòng Kinh tế và Hạ tầng", ("Phòng Kinh tế và Hạ tầng", "")),
     ("Chủ trì: Văn phòng", ("Chủ trì: Văn phòng", ""))],
)  # fmt: skip
def test_it_splits_lead_and_coordinating_written_in_one_column(
    text: str, split: tuple[str, str]
) -> None:
    assert split_lead(text) == split
