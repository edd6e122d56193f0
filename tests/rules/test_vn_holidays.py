"""The Vietnam holidays loaded on their own are the package's, for every year."""

from __future__ import annotations

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.vn_holidays import vietnam_holidays


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1990, max_value=2100))
def test_it_gives_the_packages_days_names_and_makeup_saturdays(year: int) -> None:
    ours = vietnam_holidays(year)
    package = holidays.country_holidays("VN", years=year, language="vi")
    assert dict(ours) == dict(package)
    assert set(ours.weekend_workdays) == set(package.weekend_workdays)


def test_it_names_tet_in_vietnamese() -> None:
    names = set(vietnam_holidays(2024).values())
    assert "Tết Dương lịch" in names
    assert any("Tết Nguyên Đán" in name for name in names)
