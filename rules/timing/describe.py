"""Vietnamese words for periods and due dates, shared by the rule kinds' describe()."""

from __future__ import annotations

import calendar as gregorian
from datetime import date

from rules.timing.model import TimingOptions
from rules.vndate import short_date

ROMAN_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}
EVERY = {
    "yearly": "hằng năm",
    "quarterly": "hằng quý",
    "monthly": "hằng tháng",
    "weekly": "hằng tuần",
    "halfyearly": "6 tháng một lần",
    "term": "mỗi học kỳ",
}
CADENCE_UNIT = {
    "yearly": "năm",
    "quarterly": "quý",
    "monthly": "tháng",
    "halfyearly": "kỳ 6 tháng",
    "weekly": "tuần",
    "term": "học kỳ",
}
BEFORE_READING = (
    "«Trước ngày X» được hiểu đúng nghĩa chữ: hạn là ngày làm việc cuối cùng trước "
    "ngày X (nhắc sớm một ngày thì vô hại, trễ một ngày thì không)."
)


def _is_month_end(day: date) -> bool:
    return day.day == gregorian.monthrange(day.year, day.month)[1]


def months_label(first_month: int, last_month: int) -> str:
    """(6, 6) -> "tháng 6"; (1, 3) -> "quý I"; (1, 6) -> "6 tháng đầu năm"."""
    if first_month == last_month:
        return f"tháng {first_month}"
    if (first_month, last_month) == (1, 6):
        return "6 tháng đầu năm"
    if (first_month, last_month) == (7, 12):
        return "6 tháng cuối năm"
    if first_month % 3 == 1 and last_month == first_month + 2:
        return f"quý {ROMAN_NUMERALS[last_month // 3]}"
    if (first_month, last_month) == (1, 12):
        return "cả năm"
    return f"tháng {first_month}–{last_month}"


def period_label(first: date, last: date) -> str:
    """ "Tháng 01/2024", "Quý I/2023", "6 tháng đầu năm 2024", "Năm 2023", "Tháng 12/2022 –
    tháng 03/2023"; a span of days otherwise."""
    if first.day != 1 or not _is_month_end(last):
        return short_date(first) if first == last else f"{short_date(first)} – {short_date(last)}"
    if first.year != last.year:
        if (first.month, last.month) == (1, 12):
            return f"Năm {first.year}–{last.year}"
        return f"Tháng {first.month:02d}/{first.year} – tháng {last.month:02d}/{last.year}"
    if first.month == last.month:
        return f"Tháng {first.month:02d}/{first.year}"
    if (first.month, last.month) == (1, 12):
        return f"Năm {first.year}"
    text = months_label(first.month, last.month)
    if text.startswith("quý"):
        return f"Quý {ROMAN_NUMERALS[last.month // 3]}/{first.year}"
    if text.startswith("6 tháng"):
        return f"{text} {first.year}"
    return f"Tháng {first.month:02d}–{last.month:02d}/{first.year}"


def period_unit(first: date, last: date) -> str:
    if first.year == last.year and first.month == last.month:
        return "tháng"
    if first.year == last.year and (first.month, last.month) == (1, 12):
        return "năm"
    label = months_label(first.month, last.month) if first.year == last.year else ""
    return "quý" if label.startswith("quý") else "kỳ"


def period_due(unit: str, options: TimingOptions) -> str:
    if options.period_deadline == "last_day":
        return f"ngày cuối {unit} (nếu trùng ngày nghỉ thì dời theo lịch làm việc)"
    return f"ngày làm việc cuối {unit}"


def moved(on_day_off: str | None) -> str:
    if on_day_off == "previous":
        return " (nếu trùng ngày nghỉ thì lùi về ngày làm việc liền trước)"
    if on_day_off == "next":
        return " (nếu trùng ngày nghỉ thì dời sang ngày làm việc liền sau)"
    if on_day_off == "nearest":
        return " (nếu trùng ngày nghỉ thì chuyển sang ngày làm việc gần nhất)"
    return " (nếu trùng ngày nghỉ thì dời theo lịch làm việc)"


def named_due(day_text: str, before: bool, on_day_off: str | None) -> str:
    if before:
        return f"trước ngày {day_text} (tức ngày làm việc cuối cùng trước ngày đó)"
    return f"ngày {day_text}{moved(on_day_off)}"


def with_label(label: str, body: str) -> str:
    if label:
        return f"{label}: {body[:1].lower()}{body[1:]}"
    return body[:1].upper() + body[1:]
