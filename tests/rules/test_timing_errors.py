"""Unreadable phrases: a TimingError that quotes the phrase, points at the part, and hints."""

from __future__ import annotations

import pytest

from rules.timing import TimingError, compile_phrase


def error_for(phrase: str) -> TimingError:
    with pytest.raises(TimingError) as caught:
        compile_phrase(phrase, 2024)
    return caught.value


@pytest.mark.parametrize(
    ("phrase", "part"),
    [
        ("Hàng quýy", "quýy"),
        ("hằng năm xyz", "xyz"),
        ("Tháng 13/2024", "13/2024"),
        ("trước ngày 31/4/2024", "31/4/2024"),
        ("Quý V/2024", "V"),
        ("Tháng 01/24", "01/24"),
        ("ngày 15 (mười sáu) hằng tháng", "mười sáu"),
        ("cuối 99999", "99999"),
        ("Tháng 5/1800", "5/1800"),
        ("hằng năm 30 tháng", "30"),
    ],
)
def test_it_points_at_the_part_not_understood(phrase: str, part: str) -> None:
    error = error_for(phrase)
    start, end = error.span
    assert error.phrase[start:end] == part
    assert f"«{phrase}»" in str(error)
    assert error.message and error.hint


def test_it_suggests_the_closest_word_and_form() -> None:
    error = error_for("Hàng quýy")
    assert "«quý»" in error.hint
    assert "«Hằng quý»" in error.hint


@pytest.mark.parametrize(
    ("phrase", "in_message"),
    [
        ("Định kỳ", "chưa ghi chu kỳ"),
        ("Định kỳ hoặc đột xuất", "chưa ghi chu kỳ"),
        ("Báo cáo", "không thấy thời hạn"),
        ("(ghi chú)", "không thấy thời hạn"),
        ("sau", "thiếu sự kiện"),
        ("sau 6 tháng", "cần tên một sự kiện"),
        ("trước", "thiếu ngày"),
        ("thứ Hai", "hằng tuần"),
        ("Đầu tháng", "chưa rõ"),
        ("Tháng 01/2024, trước ngày 20", "chưa ghi tháng"),
        ("Hằng quý tháng 6/2024", "cả chu kỳ và một tháng"),
        ("Hằng quý trước ngày 15", "không khớp với chu kỳ"),
        ("2024 đến thứ Hai", "không hiểu khoảng thời gian"),
        ("15/6/3000", "năm 3000 không hợp lệ"),
    ],
)
def test_it_explains_what_is_missing(phrase: str, in_message: str) -> None:
    assert in_message in error_for(phrase).message


@pytest.mark.parametrize("phrase", ["", "   ", "\n;-"])
def test_it_never_reads_an_empty_cell_as_no_deadline(phrase: str) -> None:
    error = error_for(phrase)
    assert "Tháng 01/2024" in error.hint or "gần nhất" in error.hint


def test_it_refuses_a_remark_that_hides_a_deadline() -> None:
    error = error_for("Hằng năm (trước 30/8 và 30/11, tùy đơn vị)")
    assert error.span[0] > len("Hằng năm")


def test_it_is_a_value_error_with_a_readable_str() -> None:
    error = error_for("abc")
    assert isinstance(error, ValueError)
    assert str(error).startswith("Không đọc được thời gian thực hiện «abc»")
    assert "Gợi ý:" in str(error)


def test_it_rejects_a_plan_year_out_of_range() -> None:
    with pytest.raises(ValueError, match="plan year"):
        compile_phrase("Hằng năm", 20240)
