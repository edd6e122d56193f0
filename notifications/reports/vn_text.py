"""Small pieces of Vietnamese administrative writing (Nghị định 30/2020/NĐ-CP style)."""

from __future__ import annotations

import re
from datetime import date

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_PREFIXES = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+",
    re.IGNORECASE,
)


def document_date(day: date) -> str:
    """ "ngày 14 tháng 6 năm 2024"; a day below 10 and the months 1 and 2 take a leading 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def place_of(organisation: str) -> str:
    """The place name an office writes before the date: "UBND huyện Nam Đông" -> "Nam Đông"."""
    stripped = _PREFIXES.sub("", organisation.strip())
    return stripped if stripped != organisation.strip() else ""


def roman_value(text: str) -> int | None:
    """ "IV" -> 4; None when the text is not a Roman numeral."""
    letters = text.strip().upper()
    if not letters or any(c not in ROMAN for c in letters):
        return None
    total = 0
    for i, c in enumerate(letters):
        value = ROMAN[c]
        following = ROMAN[letters[i + 1]] if i + 1 < len(letters) else 0
        total += -value if value < following else value
    return total


def percent(part: int, whole: int) -> str:
    """ "87,5%" with a decimal comma; "—" when there is nothing to count."""
    if whole == 0:
        return "—"
    value = round(100 * part / whole, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;.") + "…"
