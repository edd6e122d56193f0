"""Stored schedules: sync keeps each row's schedule JSON; the JSON of the compiler before
issue 18 still reads, with the same deadlines, so no occurrence, code or evidence is lost."""

from __future__ import annotations

import json

import pytest

from bench.legacy_timing import compile_uncached as legacy_compile
from bench.legacy_timing import deadlines as legacy_deadlines
from rules.calendar import WorkingCalendar
from rules.timing import Schedule, compile_phrase, deadlines

CALENDAR = WorkingCalendar()
SAMPLE_PHRASES = [
    "Tháng 01/2024",
    "Tháng 2-3/2024",
    "Trước ngày 30 tháng 8 hàng năm",
    "Hàng năm",
    "Định kỳ 6 tháng/lần hoặc đột xuất/sau hoạt động ĐGNB",
    "Thường xuyên",
    "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hàng năm",
    "Định kỳ hàng tháng",
    "- Thường xuyên theo dõi; - Báo cáo định kỳ hàng quý",
    "Tháng 12/2022 – Quý I/2023",
    "ngày 15 hằng tháng, nếu trùng ngày nghỉ thì chuyển sang ngày làm việc tiếp theo",
    "vào thứ Hai hằng tuần",
    "trong vòng 5 ngày kể từ ngày họp xem xét của lãnh đạo",
    "Từ ngày 10/2/2024 đến ngày 20/2/2024",
    "Trước ngày 15 tháng 6 năm 2024",
]


@pytest.mark.parametrize("phrase", SAMPLE_PHRASES)
def test_it_reads_the_json_the_old_compiler_stored(phrase: str) -> None:
    stored = json.loads(json.dumps(legacy_compile(phrase, 2024).to_json(), ensure_ascii=False))
    schedule = Schedule.from_json(stored)
    old = legacy_deadlines(legacy_compile(phrase, 2024), 2024, CALENDAR)
    assert [(d.key, d.opens, d.due) for d in deadlines(schedule, 2024, CALENDAR)] == [
        (d.key, d.opens, d.due) for d in old
    ]
    assert [r.kind for r in schedule.rules] == [r.kind for r in compile_phrase(phrase, 2024).rules]


@pytest.mark.parametrize("phrase", SAMPLE_PHRASES)
def test_it_gives_the_old_keys_and_dates_for_the_old_forms(phrase: str) -> None:
    old = legacy_deadlines(legacy_compile(phrase, 2024), 2024, CALENDAR)
    new = deadlines(compile_phrase(phrase, 2024), 2024, CALENDAR)
    assert [(d.key, d.due) for d in new] == [(d.key, d.due) for d in old]


def test_it_keeps_the_after_rules_of_a_stored_schedule() -> None:
    phrase = "Định kỳ 6 tháng/lần hoặc đột xuất/sau hoạt động ĐGNB"
    stored = json.loads(json.dumps(compile_phrase(phrase, 2024).to_json()))
    (after,) = Schedule.from_json(stored).after_rules
    assert (after.event, after.working_days, after.event_text) == ("dgnb", 10, "hoạt động ĐGNB")
