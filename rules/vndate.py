"""Dates the way Vietnamese offices write them: "thứ Sáu, 30/08/2024"."""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def weekday_name(day: date) -> str:
    """"thứ Hai" … "thứ Bảy", "Chủ nhật"."""
    return WEEKDAYS[day.weekday()]


def short_date(day: date) -> str:
    """"30/08/2024"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def vietnamese_date(day: date) -> str:
    """"thứ Sáu, 30/08/2024"; "Chủ nhật, 01/09/2024"."""
    return f"{weekday_name(day)}, {short_date(day)}"
