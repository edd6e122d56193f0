"""Vietnamese administrative writing: dates, places, Roman section numbers, percentages."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from notifications.reports.vn_text import document_date, percent, place_of, roman_value

_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def test_it_writes_dates_as_decree_30_says() -> None:
    assert document_date(date(2024, 6, 14)) == "ngày 14 tháng 6 năm 2024"
    assert document_date(date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert document_date(date(2024, 11, 29)) == "ngày 29 tháng 11 năm 2024"


def test_it_takes_the_place_from_the_bodys_name() -> None:
    assert place_of("UBND huyện Nam Đông") == "Nam Đông"
    assert place_of("Ủy ban nhân dân xã Giang Hải") == "Giang Hải"
    assert place_of("Sở Khoa học và Công nghệ") == ""


@given(st.integers(min_value=1, max_value=12))
def test_it_reads_the_section_numerals(number: int) -> None:
    assert roman_value(_NUMERALS[number - 1]) == number


def test_it_reads_no_numeral_in_a_letter_section() -> None:
    assert roman_value("A") is None and roman_value("") is None


def test_it_writes_percentages_with_a_decimal_comma() -> None:
    assert percent(1, 3) == "33,3%" and percent(3, 3) == "100%" and percent(0, 0) == "—"


def test_it_reads_a_kpi_in_any_shape_the_importer_gives() -> None:
    from notifications.reports.results import kpi_text
    from rules.plan import Target

    assert kpi_text(None) == "" and kpi_text(" ≥ 90% ") == "≥ 90%"
    assert kpi_text(Target("55,7 triệu đồng", 55.7, "triệu đồng")) == "55,7 triệu đồng"
    assert kpi_text((Target("100%"), "trên 98%")) == "100%; trên 98%"
