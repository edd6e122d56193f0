"""The text around the plan table: who wrote the plan, for which year, under what title.

Officials write the body's name in the letterhead ("ỦY BAN NHÂN DÂN HUYỆN NAM ĐÔNG"),
sometimes only its level ("ỦY BAN NHÂN DÂN HUYỆN") with the place in the date line
("Nam Đông, ngày 12 tháng 01 năm 2024"), or only in prose ("tại UBND xã Giang Hải").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_LEVELS = ("thị trấn", "thị xã", "thành phố", "xã", "phường", "huyện", "quận", "tỉnh")
# A plan cites higher bodies in its "Căn cứ"; its own body is usually the lowest level named.
_LEVEL_RANK = {
    "xã": 0,
    "phường": 0,
    "thị trấn": 0,
    "huyện": 1,
    "quận": 1,
    "thị xã": 1,
    "thành phố": 2,
    "tỉnh": 3,
}
_LEVEL = "|".join(level.replace(" ", r"\s+") for level in _LEVELS)
_LETTERHEAD = re.compile(
    rf"^\s*(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s+({_LEVEL})(?!\w)\s*(.*?)\s*$", re.IGNORECASE
)
_IN_PROSE = re.compile(
    rf"(?:UBND|Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân)\s+({_LEVEL})(?!\w)", re.IGNORECASE
)
_PLACE_DATE = re.compile(r"(?:^|,)\s*([^\W\d_][^\d,]{0,40}?)\s*,\s*ngày\s+\d{1,2}\b")
_TITLE_START = re.compile(r"^\s*kế\s+hoạch\b", re.IGNORECASE)
_ABOUT_OBJECTIVES = re.compile(r"mục\s+tiêu\s+chất\s+lượng|mtcl", re.IGNORECASE)
_YEAR = r"((?:19|20)\d\d)"
_DASH = r"\s*[-–—/]\s*"
_YEAR_AFTER = re.compile(rf"năm\s+{_YEAR}\b", re.IGNORECASE)
_SCHOOL_YEAR = re.compile(rf"năm\s+học\s*:?\s*{_YEAR}{_DASH}{_YEAR}\b", re.IGNORECASE)
_PERIOD = re.compile(rf"giai\s+đoạn\s*:?\s*(?:từ\s+(?:năm\s+)?)?{_YEAR}(?:{_DASH}|\s+đến\s+(?:năm\s+)?){_YEAR}\b",
                     re.IGNORECASE)  # fmt: skip
_OBJECTIVES_YEAR = re.compile(rf"mục\s+tiêu\s+chất\s+lượng\s+năm\s+{_YEAR}", re.IGNORECASE)
# The decision or the date line: "Nam Đông, ngày 12 tháng 01 năm 2024", "ngày 10/01/2025".
_DATE_LINE = re.compile(
    rf"ngày\s+\d{{1,2}}\s*(?:tháng\s+\d{{1,2}}\s+năm\s+|/\s*\d{{1,2}}\s*/\s*){_YEAR}\b",
    re.IGNORECASE,
)
_TITLE_LINES = 3  # "KẾ HOẠCH" / "Thực hiện mục tiêu chất lượng" / "năm học 2025 – 2026"
_TITLE_STOP = re.compile(
    r"^(?:căn\s+cứ|thực\s+hiện\s+(?:quyết|công|kế)|[IVX\d]+[.)])", re.IGNORECASE
)
_SCHOOL_YEAR_START = (9, 1)  # a school year runs from 1 September to 31 August


def find_title(paragraphs: list[str]) -> str:
    """The plan's title, joined when it is split over lines ("KẾ HOẠCH" / "THỰC HIỆN ...")."""
    texts = [" ".join(text.split()) for text in paragraphs if text.strip()]
    for index, text in enumerate(texts):
        if not _TITLE_START.match(text):
            continue
        lines = [text]
        for following in texts[index + 1 : index + _TITLE_LINES]:
            if _TITLE_STOP.match(following) or _period_of(" ".join(lines)) is not None:
                break
            if not (len(lines[-1].split()) <= 3 or _ABOUT_OBJECTIVES.search(" ".join(lines))):
                break
            lines.append(following)
        while (
            len(lines) > 1 and not _ABOUT_OBJECTIVES.search(lines[-1]) and not _period_of(lines[-1])
        ):
            lines.pop()
        title = " ".join(lines)
        if _ABOUT_OBJECTIVES.search(title):
            return title
    return ""


@dataclass(frozen=True)
class Period:
    """What the plan covers: a calendar year, a school year or a multi-year period."""

    kind: str  # "year", "school-year", "period"
    year: int  # the first year
    start: dt.date | None = None  # None for a calendar year
    end: dt.date | None = None


def find_period(title: str, paragraphs: list[str]) -> Period | None:
    """From the title; else the objectives heading or a title-like line; else the date line."""
    if found := _period_of(title):
        return found
    for text in paragraphs:
        if match := _OBJECTIVES_YEAR.search(text):
            return Period("year", int(match.group(1)))
    for text in paragraphs:
        if (found := _period_of(text)) and found.kind != "year" and len(text.split()) <= 12:
            return found
    for text in paragraphs:
        if match := _DATE_LINE.search(text):
            return Period("year", int(match.group(1)))
    return None


def find_year(title: str, paragraphs: list[str]) -> int | None:
    """The plan's (first) year, as `find_period` reads it."""
    found = find_period(title, paragraphs)
    return found.year if found else None


def _period_of(text: str) -> Period | None:
    if match := _SCHOOL_YEAR.search(text):
        first, last = int(match.group(1)), int(match.group(2))
        month, day = _SCHOOL_YEAR_START
        start = dt.date(first, month, day)
        end = dt.date(last, month, day) - dt.timedelta(days=1)
        return Period("school-year", first, start, end)
    if match := _PERIOD.search(text):
        first, last = int(match.group(1)), int(match.group(2))
        return Period("period", first, dt.date(first, 1, 1), dt.date(last, 12, 31))
    if match := _YEAR_AFTER.search(text):
        return Period("year", int(match.group(1)))
    return None


def find_organisation(paragraphs: list[str]) -> str:
    """ "UBND huyện Nam Đông" when the document names its body; empty otherwise."""
    level = ""
    for text in paragraphs:
        if match := _LETTERHEAD.match(text):
            level = _tidy_level(match.group(1))
            name = _proper_name(match.group(2))
            if name:
                return f"UBND {level} {name}"
            break
    if level and (place := _place(paragraphs)):
        return f"UBND {level} {place}"
    candidates = sorted(
        (found for text in paragraphs for found in _named_in_prose(text)),
        key=lambda found: _LEVEL_RANK[found[0]],
    )
    for found_level, name in candidates:
        if not level or found_level == level:
            return f"UBND {found_level} {name}"
    return ""


def _tidy_level(level: str) -> str:
    return " ".join(level.lower().split())


def _proper_name(text: str) -> str:
    """Capitalised words in document case ("NAM ĐÔNG" becomes "Nam Đông")."""
    words = text.strip(" .,;:").split()
    if words and all(word.isupper() for word in words):
        words = [word[0] + word[1:].lower() for word in words]
    return " ".join(words)


def _place(paragraphs: list[str]) -> str:
    for text in paragraphs:
        if match := _PLACE_DATE.search(text):
            words = match.group(1).split()
            place = []
            for word in reversed(words):
                if not word[0].isupper():
                    break
                place.insert(0, word)
            if place:
                return " ".join(place)
    return ""


def _named_in_prose(text: str) -> list[tuple[str, str]]:
    found = []
    for match in _IN_PROSE.finditer(text):
        name = []
        for word in text[match.end() : match.end() + 80].split():
            bare = word.strip(".,;:()")
            if not bare or not bare[0].isupper() or (len(bare) > 1 and bare.isupper()):
                break
            name.append(bare)
            if bare != word:
                break
        if name:
            found.append((_tidy_level(match.group(1)), " ".join(name)))
    return found
