from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar
from rules.vndate import vietnamese_date

CALENDAR = WorkingCalendar()
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize("day", _span(date(2024, 2, 8), date(2024, 2, 14)))
def test_it_keeps_tet_2024_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)
    assert "Tết" in (CALENDAR.day_off_reason(day) or "")


@pytest.mark.parametrize("day", _span(date(2023, 1, 20), date(2023, 1, 26)))
def test_it_keeps_tet_2023_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)
    assert "Tết" in (CALENDAR.day_off_reason(day) or "")


def test_it_reopens_after_tet() -> None:
    assert CALENDAR.is_working_day(date(2024, 2, 7))
    assert CALENDAR.is_working_day(date(2024, 2, 15))
    assert CALENDAR.is_working_day(date(2023, 1, 27))


def test_it_keeps_gio_to_hung_vuong_off() -> None:
    assert CALENDAR.day_off_reason(date(2024, 4, 18)) == "Ngày Giỗ Tổ Hùng Vương"
    # 2023: on a Saturday, taken on Tuesday 02/05 ("nghỉ bù").
    assert not CALENDAR.is_working_day(date(2023, 5, 2))
    assert "Hùng Vương" in (CALENDAR.day_off_reason(date(2023, 5, 2)) or "")


@pytest.mark.parametrize("day", [date(2024, 4, 29), date(2024, 4, 30), date(2024, 5, 1),
                                 date(2023, 5, 1), date(2023, 5, 3)])
def test_it_keeps_30_4_and_1_5_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)


@pytest.mark.parametrize("day", [date(2024, 9, 2), date(2024, 9, 3), date(2023, 9, 1),
                                 date(2023, 9, 4)])
def test_it_keeps_quoc_khanh_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)
    assert "Quốc khánh" in (CALENDAR.day_off_reason(day) or "")


def test_it_works_the_governments_makeup_saturday() -> None:
    # 29/04/2024 was given off in exchange for Saturday 04/05/2024.
    assert CALENDAR.is_working_day(date(2024, 5, 4))
    assert not CALENDAR.is_working_day(date(2024, 5, 11))


def test_it_names_the_weekend() -> None:
    assert CALENDAR.day_off_reason(date(2024, 9, 1)) == "Chủ nhật"
    assert CALENDAR.day_off_reason(date(2024, 8, 31)) == "Thứ Bảy"
    assert CALENDAR.day_off_reason(date(2024, 8, 30)) is None


def test_it_applies_declared_days_off_and_makeup_days() -> None:
    calendar = WorkingCalendar(extra_days_off=[date(2024, 8, 30)],
                               makeup_working_days=[date(2024, 8, 31)])
    assert calendar.day_off_reason(date(2024, 8, 30)) == "Ngày nghỉ bổ sung"
    assert calendar.is_working_day(date(2024, 8, 31))
    assert calendar.previous_working_day(date(2024, 9, 1)) == date(2024, 8, 31)


def test_it_refuses_a_day_declared_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="2024-08-30"):
        WorkingCalendar(extra_days_off=[date(2024, 8, 30)], makeup_working_days=[date(2024, 8, 30)])


def test_it_moves_a_deadline_per_on_day_off() -> None:
    sunday = date(2024, 9, 1)
    assert CALENDAR.adjust(sunday) == date(2024, 8, 30)
    assert WorkingCalendar(on_day_off="next").adjust(sunday) == date(2024, 9, 4)
    assert CALENDAR.adjust(date(2024, 8, 29)) == date(2024, 8, 29)


def test_it_adds_working_days_across_tet() -> None:
    assert CALENDAR.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    assert CALENDAR.add_working_days(date(2024, 2, 15), -1) == date(2024, 2, 7)
    assert CALENDAR.add_working_days(date(2024, 2, 10), 0) == date(2024, 2, 15)
    assert CALENDAR.add_working_days(date(2024, 8, 26), 10) == date(2024, 9, 11)


def test_it_counts_working_days_with_a_sign() -> None:
    assert CALENDAR.working_days_between(date(2024, 8, 26), date(2024, 8, 29)) == 3
    assert CALENDAR.working_days_between(date(2024, 8, 29), date(2024, 8, 27)) == -2
    assert CALENDAR.working_days_between(date(2024, 2, 7), date(2024, 2, 15)) == 1
    assert CALENDAR.working_days_between(date(2023, 12, 29), date(2024, 1, 2)) == 1


def test_it_finds_the_last_working_day_of_a_period() -> None:
    assert CALENDAR.last_working_day(date(2024, 4, 1), date(2024, 4, 30)) == date(2024, 4, 26)
    assert CALENDAR.last_working_day(date(2023, 12, 1), date(2023, 12, 31)) == date(2023, 12, 29)
    # A period spent entirely on Tết falls back to where a deadline on its end would move.
    assert CALENDAR.last_working_day(date(2024, 2, 10), date(2024, 2, 14)) == date(2024, 2, 7)


def test_it_answers_quickly_from_its_cache() -> None:
    start = time.perf_counter()
    day = date(2020, 1, 1)
    for offset in range(100_000):
        CALENDAR.is_working_day(day + timedelta(days=offset % 3650))
    assert time.perf_counter() - start < 1.0


@given(days)
def test_it_moves_to_working_days_only(day: date) -> None:
    before, after = CALENDAR.previous_working_day(day), CALENDAR.next_working_day(day)
    assert before <= day <= after
    assert CALENDAR.is_working_day(before) and CALENDAR.is_working_day(after)
    assert (before == day) == CALENDAR.is_working_day(day)


@given(days, st.integers(min_value=-250, max_value=250))
def test_it_counts_back_what_it_added(day: date, n: int) -> None:
    start = CALENDAR.next_working_day(day)
    moved = CALENDAR.add_working_days(start, n)
    assert CALENDAR.is_working_day(moved)
    assert CALENDAR.working_days_between(start, moved) == n


@given(days, st.integers(min_value=0, max_value=120))
def test_it_keeps_the_last_working_day_inside_the_period(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    found = CALENDAR.last_working_day(first, last)
    assert CALENDAR.is_working_day(found)
    if any(CALENDAR.is_working_day(d) for d in _span(first, last)):
        assert first <= found <= last
        assert not any(CALENDAR.is_working_day(d) for d in _span(found + timedelta(days=1), last))


def test_it_writes_dates_the_vietnamese_way() -> None:
    assert vietnamese_date(date(2024, 8, 30)) == "thứ Sáu, 30/08/2024"
    assert vietnamese_date(date(2024, 9, 1)) == "Chủ nhật, 01/09/2024"
    assert vietnamese_date(date(2024, 9, 2)) == "thứ Hai, 02/09/2024"
