"""What the compiler says besides the dates: what it mended, what it assumed, JSON."""

from __future__ import annotations

from rules.timing import compile_phrase


def test_it_reports_what_it_mended() -> None:
    schedule = compile_phrase("Báo cáo định kỳ hàngquý", 2024)
    assert any("hàngquý" in assumption for assumption in schedule.assumptions)
    schedule = compile_phrase("thnag 3/2024", 2024)
    assert any("tháng" in assumption for assumption in schedule.assumptions)


def test_it_records_the_before_reading_and_missing_years() -> None:
    schedule = compile_phrase("Hạn: trước 15/6", 2024)
    assert any("không ghi năm" in a and "2024" in a for a in schedule.assumptions)
    assert any("Trước ngày X" in a for a in schedule.assumptions)
    assert "trước ngày 15/06/2024 (tức ngày làm việc cuối cùng trước ngày đó)" in (
        schedule.describe()
    )


def test_it_flags_dates_outside_the_plan_year() -> None:
    schedule = compile_phrase("chậm nhất ngày 20.7.2020", 2024)
    assert any("ngoài năm kế hoạch 2024" in a for a in schedule.assumptions)


def test_it_serialises_a_schedule_to_json() -> None:
    data = compile_phrase("Định kỳ 6 tháng/lần hoặc đột xuất/sau hoạt động ĐGNB", 2024).to_json()
    assert [rule["kind"] for rule in data["rules"]] == ["halfyearly", "adhoc", "after"]
    assert data["rules"][2]["event"] == "dgnb" and data["rules"][2]["working_days"] == 10
    assert data["year"] == 2024 and data["note"] == ""
