"""The grammar, form by form: phrase -> rules -> dates (plan year 2024 unless stated)."""

from __future__ import annotations

from datetime import date

import pytest

from rules.calendar import WorkingCalendar
from rules.timing import TimingOptions, compile_phrase, deadlines
from rules.timing.rules_event import AdHoc, AfterEvent
from rules.timing.rules_repeat import MonthlyDay

CALENDAR = WorkingCalendar()
D = date


def dues(
    phrase: str,
    year: int = 2024,
    calendar: WorkingCalendar = CALENDAR,
    options: TimingOptions | None = None,
) -> list[tuple[str, date]]:
    schedule = compile_phrase(phrase, year, options)
    return [(d.key, d.due) for d in deadlines(schedule, year, calendar)]


@pytest.mark.parametrize(
    ("phrase", "year", "expected"),
    [
        ("hoàn thành trước tháng 11/2022", 2022, [("once", D(2022, 10, 31))]),
        ("chậm nhất ngày 20.7.2020", 2020, [("once", D(2020, 7, 20))]),
        ("Chậm nhất ngày 31/8/2024", 2024, [("once", D(2024, 8, 30))]),  # a Saturday
        ("cuối năm", 2024, [("once", D(2024, 12, 31))]),
        ("6 tháng đầu năm", 2024, [("once", D(2024, 6, 28))]),
        ("6 tháng cuối năm 2023", 2023, [("once", D(2023, 12, 29))]),
        ("Quý II/2024", 2024, [("once", D(2024, 6, 28))]),
        ("quý 3 năm 2024", 2024, [("once", D(2024, 9, 30))]),
        ("Q4/2024", 2024, [("once", D(2024, 12, 31))]),
        ("trong năm", 2024, [("once", D(2024, 12, 31))]),
        ("Trước ngày 15 tháng 6 năm 2024", 2024, [("once", D(2024, 6, 14))]),
        ("Hạn: 15/6", 2024, [("once", D(2024, 6, 14))]),  # 15/06/2024 is a Saturday
        ("15-4", 2024, [("once", D(2024, 4, 15))]),
        ("Cuối quý II/2024", 2024, [("once", D(2024, 6, 28))]),
    ],
)
def test_it_reads_one_off_deadlines(
    phrase: str, year: int, expected: list[tuple[str, date]]
) -> None:
    assert dues(phrase, year) == expected


@pytest.mark.parametrize(
    ("phrase", "opens", "due"),
    [
        ("Tháng 2-3/2024", D(2024, 2, 1), D(2024, 3, 29)),
        ("tháng 3 - 5/2024", D(2024, 3, 1), D(2024, 5, 31)),
        ("từ tháng 3 đến tháng 5/2024", D(2024, 3, 1), D(2024, 5, 31)),
        ("Quý II-III/2024", D(2024, 4, 1), D(2024, 9, 30)),
        ("từ ngày 01/3 đến hết ngày 15/3/2024", D(2024, 3, 1), D(2024, 3, 15)),
        ("Từ ngày 10/2/2024 đến ngày 20/2/2024", D(2024, 2, 15), D(2024, 2, 20)),
    ],
)
def test_it_reads_windows(phrase: str, opens: date, due: date) -> None:
    (window,) = deadlines(compile_phrase(phrase, 2024), 2024, CALENDAR)
    assert (window.key, window.opens, window.due) == ("window", opens, due)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Trước ngày 30 tháng 8 hàng năm", [("y-08-30", D(2024, 8, 29))]),
        ("trước 15/6/2024 hằng năm", [("y-06-15", D(2024, 6, 14))]),
        ("Tháng 6 hằng năm", [("y-2024", D(2024, 6, 28))]),
        (
            "Tháng 3 và tháng 9 hằng năm",
            [("r1/y-2024", D(2024, 3, 29)), ("r2/y-2024", D(2024, 9, 30))],
        ),
        ("Quý I hằng năm", [("y-2024", D(2024, 3, 29))]),
        ("Trước ngày 29/2 hằng năm", [("y-02-29", D(2024, 2, 28))]),
        # Refused before issue 18 (a comma inside the parenthesis): two yearly dates.
        (
            "Hàng năm (trước 30/8, 30/11)",
            [("y-08-30", D(2024, 8, 29)), ("y-11-30", D(2024, 11, 29))],
        ),
    ],
)
def test_it_reads_yearly_dates(phrase: str, expected: list[tuple[str, date]]) -> None:
    assert dues(phrase) == expected


def test_it_reads_the_15th_of_every_month_and_its_day_off_rule() -> None:
    phrase = (
        "ngày 15 (mười lăm) hằng tháng, nếu trùng ngày nghỉ thì chuyển sang ngày làm việc tiếp theo"
    )
    dated = dict(dues(phrase))
    assert len(dated) == 12
    assert dated["m-2024-06"] == D(2024, 6, 17)  # 15/06 is a Saturday: the Monday after
    assert dated["m-2024-02"] == D(2024, 2, 15)
    (rule,) = compile_phrase(phrase, 2024).rules
    assert isinstance(rule, MonthlyDay)
    assert (rule.kind, rule.day, rule.on_day_off) == ("monthly", 15, "next")


def test_it_reads_before_the_25th_of_every_month() -> None:
    dated = dict(dues("trước ngày 25 hàng tháng"))
    assert dated["m-2024-01"] == D(2024, 1, 24)
    assert dated["m-2024-08"] == D(2024, 8, 23)  # 24/08 is a Saturday
    assert len(dated) == 12


def test_it_clamps_the_31st_to_short_months() -> None:
    dated = dict(dues("ngày 31 hằng tháng"))
    assert dated["m-2024-02"] == D(2024, 2, 29)
    assert dated["m-2024-04"] == D(2024, 4, 26)  # 30/04 and 29/04 are days off


@pytest.mark.parametrize(
    ("phrase", "kind", "count"),
    [
        ("Định kỳ hàng tháng", "monthly", 12),
        ("Hằng tháng", "monthly", 12),
        ("Cuối tháng", "monthly", 12),
        ("Báo cáo tháng", "monthly", 12),
        ("Định kỳ hàng Quý", "quarterly", 4),
        ("Báo cáo định kỳ hàng quý", "quarterly", 4),
        ("cuối mỗi quý", "quarterly", 4),
        ("1 lần/quý", "quarterly", 4),
        ("4 lần/năm", "quarterly", 4),
        ("Định kỳ 6 tháng/lần", "halfyearly", 2),
        ("2 lần/năm", "halfyearly", 2),
        ("6 tháng một lần", "halfyearly", 2),
        ("sáu tháng một lần", "halfyearly", 2),
        ("mỗi 6 tháng một lần", "halfyearly", 2),
        ("Định kỳ 06 tháng", "halfyearly", 2),
        ("Hàng năm", "yearly", 1),
        ("Hằng năm", "yearly", 1),
        ("01 lần/năm", "yearly", 1),
        ("hằng tuần", "weekly", 52),
    ],
)
def test_it_reads_cadences(phrase: str, kind: str, count: int) -> None:
    schedule = compile_phrase(phrase, 2024)
    assert [rule.kind for rule in schedule.rules] == [kind]
    assert len(deadlines(schedule, 2024, CALENDAR)) == count


def test_it_keeps_a_named_weekday_inside_its_week() -> None:
    dated = dict(dues("vào thứ Hai hằng tuần"))
    assert dated["w-2024-01"] == D(2024, 1, 2)  # Monday 01/01 is Tết Dương lịch
    assert dated["w-2024-07"] == D(2024, 2, 15)  # Monday 12/02 is Tết
    assert dated["w-2024-02"] == D(2024, 1, 8)


def test_it_ends_weekly_periods_on_their_last_working_day() -> None:
    dated = dict(dues("hằng tuần"))
    assert dated["w-2024-06"] == D(2024, 2, 7)  # Thursday and Friday are Tết
    assert dated["w-2024-18"] == D(2024, 5, 4)  # the make-up Saturday


@pytest.mark.parametrize(
    "phrase",
    [
        "Thường xuyên",
        "Thường xuyên;",
        "thường xuyên.",
        "- Thường xuyên",
        "Liên tục",
        "Hằng ngày",
        "Thường xuyên (theo dõi hằng ngày)",
    ],
)
def test_it_reads_ongoing_work_with_checkins(phrase: str) -> None:
    schedule = compile_phrase(phrase, 2024)
    assert schedule.is_ongoing_only
    assert [key for key, _ in dues(phrase)] == [f"checkin-2024-q{q}" for q in range(1, 5)]


@pytest.mark.parametrize(
    ("cadence", "count"), [("monthly", 12), ("halfyearly", 2), ("yearly", 1), ("none", 0)]
)
def test_it_spaces_checkins_as_configured(cadence: str, count: int) -> None:
    options = TimingOptions(ongoing_checkin=cadence)  # type: ignore[arg-type]  # cadence comes from parametrize as str; the Literal is checked by the compiler itself
    assert len(dues("Thường xuyên", options=options)) == count


@pytest.mark.parametrize(
    ("phrase", "trigger"),
    [
        ("đột xuất", "đột xuất"),
        ("Đột xuất", "Đột xuất"),
        ("khi có yêu cầu", "khi có yêu cầu"),
        (
            "Khi có thay đổi văn bản quy phạm pháp luật",
            "Khi có thay đổi văn bản quy phạm pháp luật",
        ),
        ("theo yêu cầu", "theo yêu cầu"),
        ("khi có thay đổi …", "khi có thay đổi"),
    ],
)
def test_it_reads_ad_hoc_work_without_dates(phrase: str, trigger: str) -> None:
    schedule = compile_phrase(phrase, 2024)
    (rule,) = schedule.rules
    assert isinstance(rule, AdHoc)
    assert (rule.kind, rule.trigger) == ("adhoc", trigger)
    assert schedule.is_adhoc
    assert deadlines(schedule, 2024, CALENDAR) == []


@pytest.mark.parametrize(
    ("phrase", "event", "working", "calendar_days"),
    [
        ("sau hoạt động ĐGNB", "dgnb", 10, None),
        ("Sau đánh giá nội bộ", "dgnb", 10, None),
        ("trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB", "dgnb", 15, None),
        ("trong vòng 5 ngày kể từ ngày họp xem xét của lãnh đạo", "xem-xet-lanh-dao", None, 5),
        ("sau họp giao ban", "", 10, None),
    ],
)
def test_it_reads_deadlines_after_an_event(
    phrase: str, event: str, working: int | None, calendar_days: int | None
) -> None:
    (rule,) = compile_phrase(phrase, 2024).rules
    assert isinstance(rule, AfterEvent)
    assert (rule.kind, rule.event, rule.working_days, rule.calendar_days) == (
        "after",
        event,
        working,
        calendar_days,
    )


def test_it_takes_the_configured_days_after_an_event() -> None:
    options = TimingOptions(after_event_working_days=5)
    (rule,) = compile_phrase("sau hoạt động ĐGNB", 2024, options).rules
    assert isinstance(rule, AfterEvent)
    assert rule.working_days == 5
    assert rule.due_after(D(2024, 8, 29), CALENDAR) == D(2024, 9, 9)


def test_it_moves_period_ends_when_configured_to_the_last_day() -> None:
    options = TimingOptions(period_deadline="last_day")
    next_calendar = WorkingCalendar(on_day_off="next")
    assert dues("Tháng 03/2024", options=options) == [("once", D(2024, 3, 29))]
    assert dues("Tháng 03/2024", calendar=next_calendar, options=options) == [
        ("once", D(2024, 4, 1))
    ]
    # last_working_day stays inside the period whatever the calendar's direction.
    assert dues("Tháng 03/2024", calendar=next_calendar) == [("once", D(2024, 3, 29))]


def test_it_never_moves_a_before_deadline_later() -> None:
    next_calendar = WorkingCalendar(on_day_off="next")
    assert dues("Trước ngày 16/6/2024", calendar=next_calendar) == [("once", D(2024, 6, 14))]


def test_it_honours_declared_days_off() -> None:
    calendar = WorkingCalendar(extra_days_off=[D(2024, 8, 29)])
    assert dues("Trước ngày 30 tháng 8 hàng năm", calendar=calendar) == [
        ("y-08-30", D(2024, 8, 28))
    ]


@pytest.mark.parametrize(
    "phrase",
    [
        "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hàng năm",
        "Bao cao 6 thang truoc 15/6, nam truoc 30/11 hang nam",
        "BÁO CÁO 6 THÁNG TRƯỚC 15/6, NĂM TRƯỚC 30/11 HẰNG NĂM",
        "Báo cáo 06 tháng trước 15/06,  năm trước 30/11 hàngnăm.",
        "Báo cáo 6 tháng trước ngày 15-6, năm trước ngày 30.11 hàng năm",
    ],
)
def test_it_reads_variants_of_the_same_phrase_alike(phrase: str) -> None:
    assert dues(phrase) == [("y-06-15", D(2024, 6, 14)), ("y-11-30", D(2024, 11, 29))]
