"""The text around the plan table: who wrote the plan, for which year, under what title.

Officials write the body's name in the letterhead ("ỦY BAN NHÂN DÂN HUYỆN NAM ĐÔNG"),
sometimes only its level ("ỦY BAN NHÂN DÂN HUYỆN") with the place in the date line
("Nam Đông, ngày 12 tháng 01 năm 2024"), or only in prose ("tại UBND xã Giang Hải").
"""

from __future__ import annotations

import re

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
_YEAR_AFTER = re.compile(r"năm\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_OBJECTIVES_YEAR = re.compile(r"mục\s+tiêu\s+chất\s+lượng\s+năm\s+((?:19|20)\d\d)", re.IGNORECASE)


def find_title(paragraphs: list[str]) -> str:
    """The plan's title, joined when it is split over lines ("KẾ HOẠCH" / "THỰC HIỆN ...")."""
    texts = [" ".join(text.split()) for text in paragraphs if text.strip()]
    for index, text in enumerate(texts):
        if not _TITLE_START.match(text):
            continue
        if _ABOUT_OBJECTIVES.search(text):
            return text
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if len(text.split()) <= 3 and _ABOUT_OBJECTIVES.search(following):
            return f"{text} {following}"
    return ""


def find_year(title: str, paragraphs: list[str]) -> int | None:
    """The plan's year: from its title, else from the objectives heading."""
    if match := _YEAR_AFTER.search(title):
        return int(match.group(1))
    for text in paragraphs:
        if match := _OBJECTIVES_YEAR.search(text):
            return int(match.group(1))
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
