"""The families of issue 18, each with the spellings real plans use (plan year 2025)."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from rules.calendar import WorkingCalendar
from rules.timing import TimingError, TimingOptions, compile_phrase, deadlines
from rules.timing.rules_event import AdHoc, AfterEvent

CALENDAR = WorkingCalendar()
D = date


def read(phrase: str, year: int = 2025, options: TimingOptions | None = None) -> tuple[str, list]:
    schedule = compile_phrase(phrase, year, options)
    dated = deadlines(schedule, year, CALENDAR)
    return "+".join(rule.kind for rule in schedule.rules), dated


@pytest.mark.parametrize(
    ("phrase", "kinds", "count", "first_due"),
    [
        ("03 lần/năm", "count", 3, D(2025, 4, 29)),
        ("12 báo cáo/năm", "monthly", 12, D(2025, 1, 24)),
        ("01 lần/quý", "quarterly", 4, D(2025, 3, 31)),
        ("tối thiểu 01 lần/năm", "count", 1, D(2025, 12, 31)),
        ("ít nhất 2 lần/năm", "count", 2, D(2025, 6, 30)),
        ("tối đa 4 lần/năm", "count", 4, D(2025, 3, 31)),
    ],
)
def test_it_reads_counts_per_period_with_their_bounds(
    phrase: str, kinds: str, count: int, first_due: date
) -> None:
    got_kinds, dated = read(phrase)
    assert (got_kinds, len(dated), dated[0].due) == (kinds, count, first_due)


def test_it_says_a_bound_in_the_description() -> None:
    assert "tối thiểu" in compile_phrase("tối thiểu 01 lần/năm", 2025).describe()


def test_it_matches_number_words_to_the_number_they_follow() -> None:
    kinds, dated = read("Chậm nhất ngày 20 (hai mươi) tháng 12 (mười hai)")
    assert (kinds, [d.due for d in dated]) == ("once", [D(2025, 12, 19)])
    with pytest.raises(TimingError) as caught:
        compile_phrase("Chậm nhất ngày 20 (hai mươi) tháng 12 (mười một)", 2025)
    assert "mười một" in caught.value.part


@pytest.mark.parametrize(
    ("phrase", "opens", "due"),
    [
        ("T3-T4/2025", D(2025, 3, 3), D(2025, 4, 29)),
        ("05/6 – 20/7/2025", D(2025, 6, 5), D(2025, 7, 18)),
        ("Từ 02/5/2025 - 15/6/2025", D(2025, 5, 5), D(2025, 6, 13)),
        ("từ ngày 10-3 đến 25-3", D(2025, 3, 10), D(2025, 3, 25)),
        ("từ ngày 3-12/6", D(2025, 6, 3), D(2025, 6, 12)),
        ("Quý II/2025 – Quý III/2025", D(2025, 4, 1), D(2025, 9, 30)),
        ("trong tháng 3, tháng 4 năm 2025", D(2025, 3, 3), D(2025, 4, 29)),
        ("Giai đoạn 2025-2026", D(2025, 1, 2), D(2026, 12, 31)),
        ("Từ tháng 4/2025 đến cuối năm", D(2025, 4, 1), D(2025, 12, 31)),
        ("từ nay đến hết năm", D(2025, 1, 2), D(2025, 12, 31)),
        ("Tháng 10/2025 – tháng 4/2026", D(2025, 10, 1), D(2026, 4, 29)),
    ],
)
def test_it_reads_every_range_as_one_window(phrase: str, opens: date, due: date) -> None:
    kinds, dated = read(phrase)
    assert kinds == "window"
    assert [(d.opens, d.due) for d in dated] == [(opens, due)]


@pytest.mark.parametrize("phrase", ["Quanh năm", "Từ năm 2025 trở đi"])
def test_it_reads_open_ended_work_as_ongoing(phrase: str) -> None:
    assert read(phrase)[0] == "ongoing"


def test_it_anchors_from_now_on_the_plan_date() -> None:
    options = TimingOptions(plan_date=D(2025, 3, 10))
    _, dated = read("từ nay đến hết năm", options=options)
    assert (dated[0].opens, dated[0].due) == (D(2025, 3, 10), D(2025, 12, 31))


@pytest.mark.parametrize(
    ("phrase", "kinds", "dues"),
    [
        (
            "Báo cáo quý gửi trước ngày 20 của tháng cuối quý",
            "quarterly",
            [D(2025, 3, 19), D(2025, 6, 19), D(2025, 9, 19), D(2025, 12, 19)],
        ),
        (
            "Chậm nhất ngày 10 của tháng sau tháng báo cáo",
            "monthly",
            [D(2025, 2, 10), D(2025, 3, 10)],
        ),
        ("90 ngày kể từ ngày kết thúc quý", "quarterly", [D(2025, 6, 27)]),
    ],
)
def test_it_reads_deadlines_relative_to_a_period(phrase: str, kinds: str, dues: list) -> None:
    got_kinds, dated = read(phrase)
    assert got_kinds == kinds
    assert [d.due for d in dated[: len(dues)]] == dues


@pytest.mark.parametrize(
    ("phrase", "event_text", "working", "calendar_days"),
    [
        (
            "chậm nhất 07 ngày làm việc kể từ ngày kết thúc đợt đánh giá",
            "kết thúc đợt đánh giá",
            7,
            None,
        ),
        ("trong vòng 03 ngày sau khi nhận được phản ánh", "nhận được phản ánh", None, 3),
    ],
)
def test_it_names_the_event_a_deadline_counts_from(
    phrase: str, event_text: str, working: int | None, calendar_days: int | None
) -> None:
    (rule,) = compile_phrase(phrase, 2025).rules
    assert isinstance(rule, AfterEvent)
    assert (rule.kind, rule.event_text, rule.working_days, rule.calendar_days) == (
        "after",
        event_text,
        working,
        calendar_days,
    )
    assert "khởi động thủ công" in compile_phrase(phrase, 2025).describe()


def test_it_reads_monthly_days_and_their_day_off_rule() -> None:
    phrase = "vào ngày 10 hằng tháng, nếu trùng ngày nghỉ thì chuyển sang ngày làm việc kế tiếp"
    kinds, dated = read(phrase)
    assert kinds == "monthly" and len(dated) == 12
    assert dated[4].due == D(2025, 5, 12)  # 10/05/2025 is a Saturday: the Monday after
    kinds, dated = read("ngày 01 và 15 hằng tháng")
    assert kinds == "monthly" and len(dated) == 24


@pytest.mark.parametrize(
    ("phrase", "kinds", "first_due"),
    [
        ("thứ Tư hằng tuần", "weekly", D(2024, 12, 31)),  # 01/01/2025 is a holiday
        ("Tuần thứ hai của tháng", "nth_weekday", D(2025, 1, 14)),
        ("tuần thứ 2 của tháng 3 hằng năm", "nth_weekday", D(2025, 3, 14)),
        ("thứ Năm tuần thứ 4 hằng tháng", "nth_weekday", D(2025, 1, 23)),
        ("Tuần 3: từ 13/01 đến 17/01/2025", "window", D(2025, 1, 17)),
    ],
)
def test_it_reads_week_based_forms(phrase: str, kinds: str, first_due: date) -> None:
    got_kinds, dated = read(phrase)
    assert (got_kinds, dated[0].due) == (kinds, first_due)


def test_it_reads_school_years() -> None:
    school = TimingOptions(school_year_start=8)
    _, dated = read("Học kỳ II năm học 2025-2026")
    assert (dated[0].opens, dated[0].due) == (D(2026, 2, 2), D(2026, 5, 29))
    _, dated = read("Tháng 10", options=school)
    assert dated[0].due == D(2025, 10, 31)
    _, dated = read("Tháng 3", options=school)  # months before August are in the second year
    assert dated[0].due == D(2026, 3, 31)
    assert read("cuối học kỳ I")[1][0].due == D(2026, 1, 30)
    assert read("đầu năm học")[1][0].due == D(2025, 9, 30)
    monthly = deadlines(compile_phrase("hằng tháng", 2025, school), 2025, CALENDAR)
    assert (monthly[0].key, monthly[-1].key) == ("m-2025-08", "m-2026-07")


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("Tết Nguyên đán", D(2025, 1, 24)),  # 29/01/2025, inside the Tết holiday: the day before
        ("Rằm tháng Bảy", D(2025, 9, 5)),  # 06/09/2025 is a Saturday
        ("ngày 15 tháng 8 âm lịch", D(2025, 10, 6)),
        ("Tết Trung thu", D(2025, 10, 6)),
    ],
)
def test_it_reads_lunar_dates_on_vietnams_calendar(phrase: str, due: date) -> None:
    assert [d.due for d in read(phrase)[1]] == [due]


def test_it_keeps_the_gregorian_date_and_checks_the_lunar_one() -> None:
    schedule = compile_phrase("ngày 06/10/2025 (15/8 âm lịch)", 2025)
    assert [d.due for d in deadlines(schedule, 2025, CALENDAR)] == [D(2025, 10, 6)]
    assert any("Đã đối chiếu" in a for a in schedule.assumptions)
    wrong = compile_phrase("ngày 06/10/2025 (16/8 âm lịch)", 2025)
    assert any("Cảnh báo" in a for a in wrong.assumptions)


def test_it_reads_lunar_months_and_after_tet() -> None:
    kinds, dated = read("mùng 1 hằng tháng (âm lịch)")
    assert kinds == "monthly" and dated[1].due == D(2025, 2, 28)  # 1/2 âm lịch
    kinds, dated = read("Sau Tết Nguyên đán")
    assert kinds == "window" and dated[0].due == D(2025, 2, 12)  # Rằm tháng Giêng


@pytest.mark.parametrize(
    "phrase",
    [
        "khi có thay đổi về cơ cấu tổ chức",
        "khi có văn bản mới",
        "khi được yêu cầu",
        "trường hợp cần thiết",
    ],
)
def test_it_reads_event_triggers_as_ad_hoc_with_the_event_named(phrase: str) -> None:
    (rule,) = compile_phrase(phrase, 2025).rules
    assert isinstance(rule, AdHoc)
    assert (rule.kind, rule.trigger) == ("adhoc", phrase)


@pytest.mark.parametrize(
    ("phrase", "variant"),
    [
        ("Hằng quý", "HÀNG QUÝ"),
        ("Hằng quý", "hang quy"),
        ("Tháng 01/2025", "Tháng 1/2025"),
        ("Quý II/2025", "Quý 2/2025"),
        ("Tháng 3/2025", "T3/2025"),
        ("Quý II – Quý III/2025", "Quý II - Quý III/2025"),
        ("Hằng tháng", "Hằng th.áng"),
        ("Hằng quý", "Hằng qúy"),
        ("Tháng 3/2025", "Thnag 3/2025"),
    ],
)
def test_it_reads_common_spellings_alike(phrase: str, variant: str) -> None:
    assert read(variant)[1] == read(phrase)[1]


def test_it_never_crashes_on_an_open_ended_month_range() -> None:
    for phrase in ("Từ tháng 4/2025", "Từ tháng 4/2025 đến", "từ tháng 11 trở đi"):
        with contextlib.suppress(TimingError):
            compile_phrase(phrase, 2025)
