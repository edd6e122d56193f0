"""Which column is which, read from the header's words rather than its position.

To accept a new way of naming a column, add its words to `COLUMN_SYNONYMS`: the longest
synonym found in a header cell decides, so "Cách thức theo dõi và kết quả" is evidence
even though it also contains "theo dõi".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.importers.grid import RawRow, RawTable
from rules.plan import normalise_key

COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("tt", "stt", "số tt", "số thứ tự"),
    "task": (
        "mục tiêu chất lượng và biện pháp thực hiện",
        "biện pháp thực hiện",
        "nội dung",
        "nội dung công việc",
        "nhiệm vụ",
        "công việc",
    ),
    "lead": (
        "chủ trì",
        "cơ quan chủ trì",
        "đơn vị chủ trì",
        "bộ phận chủ trì",
        "người chủ trì",
        "trách nhiệm thực hiện",
        "đơn vị thực hiện",
        "bộ phận thực hiện",
        "người thực hiện",
    ),
    "coordinating": ("phối hợp", "cơ quan phối hợp", "đơn vị phối hợp", "bộ phận phối hợp"),
    "timing": ("thời gian thực hiện", "thời gian hoàn thành", "thời hạn", "thời gian", "tiến độ"),
    "monitors": ("trách nhiệm theo dõi", "người theo dõi", "đơn vị theo dõi", "theo dõi"),
    "evidence": (
        "cách thức theo dõi và kết quả",
        "kết quả đầu ra",
        "kết quả",
        "sản phẩm",
        "hồ sơ",
        "minh chứng",
    ),
    "ignore": ("ghi chú",),
}

REQUIRED_ROLES = ("task", "lead", "timing")
ROLE_LABELS = {
    "number": "TT",
    "task": "Nội dung (Mục tiêu chất lượng và biện pháp thực hiện)",
    "lead": "Chủ trì",
    "coordinating": "Phối hợp",
    "timing": "Thời gian thực hiện",
    "monitors": "Trách nhiệm theo dõi",
    "evidence": "Cách thức theo dõi và kết quả",
}
_LONGEST_LABEL_WORDS = 14  # a header cell is a few words; longer text is data
_HEADER_SEARCH_ROWS = 30

_PATTERNS = sorted(
    (
        (len(synonym), role, re.compile(rf"(?<!\w){re.escape(synonym)}(?!\w)"))
        for role, synonyms in COLUMN_SYNONYMS.items()
        for synonym in synonyms
    ),
    key=lambda entry: -entry[0],
)


def label_role(label: str) -> tuple[str, int] | None:
    """The role a header cell names and how long the matching synonym is (its strength)."""
    key = normalise_key(label)
    if not key or len(key.split()) > _LONGEST_LABEL_WORDS:
        return None
    for length, role, pattern in _PATTERNS:
        if pattern.search(key):
            return role, length
    return None


@dataclass(frozen=True)
class Header:
    """The plan table's header: where it is and the column of each role."""

    first_row: int  # index into the table's rows
    height: int  # 1 or 2 rows
    columns: dict[str, int]
    leaves: tuple[str, ...]  # the label that names each column, normalised

    @property
    def missing(self) -> list[str]:
        return [role for role in REQUIRED_ROLES if role not in self.columns]

    def is_repeat(self, row: RawRow) -> bool:
        """A header row repeated where the table continues on a new page."""
        keys = [normalise_key(text) for text in row.cells]
        named = [key for key in keys if key]
        return (
            bool(named)
            and all(key in self.leaves or label_role(key) for key in named)
            and (sum(1 for key in named if key in self.leaves) >= 2)
        )


def find_header(table: RawTable) -> Header | None:
    """The first row (or pair of rows) near the top that names the most roles.

    Returns a header with all required roles if there is one, else the best partial
    header naming at least two roles (so the caller can say which column is missing),
    else None: the table is not a plan.
    """
    best: Header | None = None
    rows = table.rows[:_HEADER_SEARCH_ROWS]
    for index, row in enumerate(rows):
        below = rows[index + 1] if index + 1 < len(rows) else None
        header = _header_at(index, row, below)
        if header is None:
            continue
        if not header.missing:
            return header
        if best is None or len(header.columns) > len(best.columns):
            best = header
    return best


def _header_at(index: int, row: RawRow, below: RawRow | None) -> Header | None:
    if _named_roles(_map_columns(list(row.cells))) < 2:
        return None  # a title row above the header, or data
    labels = list(row.cells)
    height = 1
    if below is not None and _is_sub_header(row, below):
        height = 2
        for column, text in enumerate(below.cells):
            if text.strip() and column < len(labels):
                labels[column] = text
            elif text.strip():
                labels.append(text)
    columns = _map_columns(labels)
    leaves = tuple(normalise_key(label) for label in labels)
    return Header(index, height, columns, leaves)


def _named_roles(columns: dict[str, int]) -> int:
    return sum(1 for role in columns if role != "ignore")


def _is_sub_header(row: RawRow, below: RawRow) -> bool:
    """The second header row names sub-columns ("Chủ trì", "Phối hợp") and holds no data."""
    new_roles = 0
    for column, text in enumerate(below.cells):
        if not text.strip():
            continue
        above = row.cells[column] if column < len(row.cells) else ""
        if normalise_key(text) == normalise_key(above):
            continue  # a vertically merged header cell
        if label_role(text) is None:
            return False
        new_roles += 1
    return new_roles > 0


def _map_columns(labels: list[str]) -> dict[str, int]:
    chosen: dict[str, tuple[int, int]] = {}
    for column, label in enumerate(labels):
        found = label_role(label)
        if found is None:
            continue
        role, strength = found
        if role not in chosen or strength > chosen[role][1]:
            chosen[role] = (column, strength)
    return {role: column for role, (column, _) in chosen.items()}
