from __future__ import annotations

import pytest

from rules.timing import event_matches
from rules.timing.events import EVENTS, find_event


@pytest.mark.parametrize(("event", "task"), [
    ("dgnb", "Xây dựng chương trình ĐGNB và triển khai ĐGNB"),
    ("dgnb", "Đánh giá nội bộ"),
    ("dgnb", "Tổ chức đánh giá nội bộ HTQLCL năm 2024"),
    ("xem-xet-lanh-dao", "Xem xét của lãnh đạo"),
    ("xem-xet-lanh-dao", "Họp xem xét lãnh đạo"),
])
def test_it_matches_the_row_that_is_the_event(event: str, task: str) -> None:
    assert event_matches(event, task)


@pytest.mark.parametrize(("event", "task"), [
    ("dgnb", "Xây dựng Kế hoạch Đánh giá nội bộ (ĐGNB) năm 2024"),
    ("dgnb", "Xem xét của lãnh đạo"),
    ("xem-xet-lanh-dao", "Kế hoạch xem xét của lãnh đạo"),
    ("xem-xet-lanh-dao", "Duy trì và cải tiến HTQLCL"),
    ("khong-co", "Đánh giá nội bộ"),
    ("", "Đánh giá nội bộ"),
])
def test_it_does_not_match_preparation_or_other_rows(event: str, task: str) -> None:
    assert not event_matches(event, task)


def test_it_finds_events_written_without_diacritics() -> None:
    found = find_event("hoat dong danh gia noi bo")
    assert found is not None and found.key == "dgnb"
    assert find_event("họp giao ban") is None


def test_it_keeps_event_keys_unique() -> None:
    keys = [event.key for event in EVENTS]
    assert len(keys) == len(set(keys))
