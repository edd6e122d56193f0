"""Every timing phrase of the two sample plans, pinned with its dates for the plan year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rules.calendar import WorkingCalendar
from rules.timing import compile_phrase, deadlines

CALENDAR = WorkingCalendar()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
D = date

ONGOING_2024 = [("checkin-2024-q1", D(2024, 3, 29)), ("checkin-2024-q2", D(2024, 6, 28)),
                ("checkin-2024-q3", D(2024, 9, 30)), ("checkin-2024-q4", D(2024, 12, 31))]
ONGOING_2023 = [("checkin-2023-q1", D(2023, 3, 31)), ("checkin-2023-q2", D(2023, 6, 30)),
                ("checkin-2023-q3", D(2023, 9, 29)), ("checkin-2023-q4", D(2023, 12, 29))]
MONTH_ENDS_2024 = [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 29), D(2024, 4, 26),
                   D(2024, 5, 31), D(2024, 6, 28), D(2024, 7, 31), D(2024, 8, 30),
                   D(2024, 9, 30), D(2024, 10, 31), D(2024, 11, 29), D(2024, 12, 31)]

# phrase, plan year -> [(key, due)], sorted by due.
DUES: list[tuple[str, int, list[tuple[str, date]]]] = [
    # Nam Đông 2024
    ("Tháng 01/2024", 2024, [("once", D(2024, 1, 31))]),
    ("Tháng 2-3/2024", 2024, [("window", D(2024, 3, 29))]),
    ("Trước ngày 30 tháng 8 hàng năm (Tùy từng đơn vị, đảm bảo tần suất ĐGNB tối thiểu 01 "
     "lần/năm)", 2024, [("y-08-30", D(2024, 8, 29))]),
    ("Định kỳ 6 tháng/lần hoặc đột xuất/sau hoạt động ĐGNB", 2024,
     [("h-2024-1", D(2024, 6, 28)), ("h-2024-2", D(2024, 12, 31))]),
    ("Hàng năm", 2024, [("y-2024", D(2024, 12, 31))]),
    ("Báo cáo 6 tháng trước 15/6, năm trước 30/11 hàng năm", 2024,
     [("y-06-15", D(2024, 6, 14)), ("y-11-30", D(2024, 11, 29))]),
    ("Thường xuyên", 2024, ONGOING_2024),
    ("Thường xuyên;", 2024, ONGOING_2024),
    ("Định kỳ/Thường xuyên", 2024, ONGOING_2024),
    ("Định kỳ hàng tháng", 2024,
     [(f"m-2024-{month:02d}", due) for month, due in enumerate(MONTH_ENDS_2024, start=1)]),
    ("- Thường xuyên theo dõi; - Báo cáo định kỳ hàng quý", 2024, sorted(
        [*ONGOING_2024, ("q-2024-1", D(2024, 3, 29)), ("q-2024-2", D(2024, 6, 28)),
         ("q-2024-3", D(2024, 9, 30)), ("q-2024-4", D(2024, 12, 31))], key=lambda x: (x[1], x[0]))),
    # Giang Hải 2023
    ("Tháng 01-02 năm 2023", 2023, [("window", D(2023, 2, 28))]),
    ("Quý I năm 2023", 2023, [("once", D(2023, 3, 31))]),
    ("Hằng năm", 2023, [("y-2023", D(2023, 12, 29))]),
    ("Trước ngày 15/6 và trước 30/11 hằng năm", 2023,
     [("y-06-15", D(2023, 6, 14)), ("y-11-30", D(2023, 11, 29))]),
    ("Tháng 12/2022 – Quý I/2023", 2023, [("window", D(2023, 3, 31))]),
    ("Định kỳ hàng Quý", 2023, [("q-2023-1", D(2023, 3, 31)), ("q-2023-2", D(2023, 6, 30)),
                                ("q-2023-3", D(2023, 9, 29)), ("q-2023-4", D(2023, 12, 29))]),
    ("Tháng 01/2023", 2023, [("once", D(2023, 1, 31))]),
    ("Tháng 12/2023", 2023, [("once", D(2023, 12, 29))]),
    ("Tháng 10/2023", 2023, [("once", D(2023, 10, 31))]),
    ("Trong năm 2023", 2023, [("once", D(2023, 12, 29))]),
    ("- Kế hoạch: tháng 01/2023\n- Báo cáo: 6 tháng (trước ngày 1/6/2023), năm (trước ngày "
     "30/11/2023)", 2023, [("ke-hoach/once", D(2023, 1, 31)),
                           ("bao-cao-6-thang/once", D(2023, 5, 31)),
                           ("bao-cao-nam/once", D(2023, 11, 29))]),
    ("Thường xuyên", 2023, ONGOING_2023),
    ("Định kỳ/Thường xuyên", 2023, ONGOING_2023),
    ("Định kỳ 6 tháng/lần hoặc đột xuất/sau hoạt động ĐGNB", 2023,
     [("h-2023-1", D(2023, 6, 30)), ("h-2023-2", D(2023, 12, 29))]),
]


@pytest.mark.parametrize(("phrase", "year", "expected"), DUES)
def test_it_dates_every_sample_phrase(phrase: str, year: int,
                                      expected: list[tuple[str, date]]) -> None:
    schedule = compile_phrase(phrase, year)
    assert [(d.key, d.due) for d in deadlines(schedule, year, CALENDAR)] == expected


def test_it_opens_windows_on_their_first_working_day() -> None:
    window = deadlines(compile_phrase("Tháng 2-3/2024", 2024), 2024, CALENDAR)[0]
    assert (window.opens, window.due) == (D(2024, 2, 1), D(2024, 3, 29))
    span = deadlines(compile_phrase("Tháng 12/2022 – Quý I/2023", 2023), 2023, CALENDAR)[0]
    assert (span.opens, span.due) == (D(2022, 12, 1), D(2023, 3, 31))
    # 01/01/2023 is a Sunday and 02/01 its "nghỉ bù".
    jan = deadlines(compile_phrase("Tháng 01-02 năm 2023", 2023), 2023, CALENDAR)[0]
    assert jan.opens == D(2023, 1, 3)


def test_it_labels_the_three_deadlines_of_one_cell() -> None:
    schedule = compile_phrase("- Kế hoạch: tháng 01/2023\n- Báo cáo: 6 tháng (trước ngày "
                              "1/6/2023), năm (trước ngày 30/11/2023)", 2023)
    assert [d.label for d in deadlines(schedule, 2023, CALENDAR)] == [
        "Kế hoạch", "Báo cáo 6 tháng", "Báo cáo năm"]
    assert [rule.kind for rule in schedule.rules] == ["once", "once", "once"]


def test_it_labels_the_two_reports_of_nam_dong() -> None:
    schedule = compile_phrase("Báo cáo 6 tháng trước 15/6, năm trước 30/11 hàng năm", 2024)
    assert [d.label for d in deadlines(schedule, 2024, CALENDAR)] == [
        "Báo cáo 6 tháng", "Báo cáo năm"]
    assert {rule.kind for rule in schedule.rules} == {"yearly"}


def test_it_keeps_the_remark_as_the_note() -> None:
    schedule = compile_phrase("Trước ngày 30 tháng 8 hàng năm (Tùy từng đơn vị, đảm bảo tần "
                              "suất ĐGNB tối thiểu 01 lần/năm)", 2024)
    assert schedule.note == "Tùy từng đơn vị, đảm bảo tần suất ĐGNB tối thiểu 01 lần/năm"
    assert len(schedule.rules) == 1


def test_it_reads_management_review_as_three_ways_to_start() -> None:
    schedule = compile_phrase("Định kỳ 6 tháng/lần hoặc đột xuất/sau hoạt động ĐGNB", 2024)
    assert [rule.kind for rule in schedule.rules] == ["halfyearly", "adhoc", "after"]
    assert schedule.is_adhoc
    (after,) = schedule.after_rules
    assert (after.event, after.working_days, after.event_text) == ("dgnb", 10, "hoạt động ĐGNB")


def test_it_reads_monitoring_plus_quarterly_reports() -> None:
    schedule = compile_phrase("- Thường xuyên theo dõi; - Báo cáo định kỳ hàng quý", 2024)
    assert [(rule.kind, rule.label) for rule in schedule.rules] == [
        ("ongoing", "Theo dõi"), ("quarterly", "Báo cáo")]
    assert not schedule.is_ongoing_only
    assert compile_phrase("Thường xuyên", 2024).is_ongoing_only


@pytest.mark.parametrize(("phrase", "year", "description"), [
    ("Định kỳ hàng Quý", 2023, "Hằng quý; hạn: ngày làm việc cuối quý"),
    ("Tháng 01/2024", 2024, "Tháng 01/2024; hạn: ngày làm việc cuối tháng"),
    ("Hàng năm", 2024, "Hằng năm; hạn: ngày làm việc cuối năm"),
    ("Trước ngày 15/6 và trước 30/11 hằng năm", 2023,
     "Hằng năm; hạn: trước ngày 15/06 (tức ngày làm việc cuối cùng trước ngày đó)\n"
     "Hằng năm; hạn: trước ngày 30/11 (tức ngày làm việc cuối cùng trước ngày đó)"),
    ("Thường xuyên", 2024, "Thường xuyên, không có hạn cố định; kiểm tra định kỳ hằng quý vào "
                           "ngày làm việc cuối quý"),
])
def test_it_describes_the_reading_in_vietnamese(phrase: str, year: int, description: str) -> None:
    assert compile_phrase(phrase, year).describe() == description


def test_it_compiles_every_row_of_both_sample_plans() -> None:
    importers = pytest.importorskip("rules.importers")
    for name, year in (("nam-dong-2024.txt", 2024), ("giang-hai-2023.txt", 2023)):
        plan = importers.load_plan(EXAMPLES / name)
        for row in plan.rows:
            schedule = compile_phrase(row.timing, year)
            dated = deadlines(schedule, year, CALENDAR)
            assert dated or schedule.is_adhoc, row.timing
            assert all(CALENDAR.is_working_day(d.due) for d in dated), row.timing
