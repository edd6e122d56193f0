"""Which column is which, read from the header's words rather than its position.

To accept a new way of naming a column, add its words to `COLUMN_SYNONYMS`: the longest
synonym found in a header cell decides, so "Cách thức theo dõi và kết quả" is evidence
even though it also contains "theo dõi", and "Mục tiêu cần đạt" is a KPI, not an objective.
A header is found by its words under any title rows; a second header row names the
sub-columns of a merged one ("Trách nhiệm thực hiện" over "Chủ trì" and "Phối hợp",
"Thời gian" over "Bắt đầu" and "Kết thúc").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.importers.grid import RawRow, RawTable
from rules.plan import normalise_key

COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("tt", "stt", "số tt", "số thứ tự", "thứ tự"),
    "objective": ("mục tiêu chất lượng", "mục tiêu", "tên mục tiêu", "mtcl"),
    "task": (
        "mục tiêu chất lượng và biện pháp thực hiện",
        "biện pháp thực hiện",
        "biện pháp",
        "giải pháp",
        "nội dung",
        "nội dung công việc",
        "nội dung hoạt động",
        "nội dung thực hiện",
        "nhiệm vụ",
        "công việc",
        "hoạt động",
    ),
    "lead": (
        "chủ trì",
        "cơ quan chủ trì",
        "đơn vị chủ trì",
        "bộ phận chủ trì",
        "người chủ trì",
        "chủ trì thực hiện",
        "trách nhiệm thực hiện",
        "đơn vị thực hiện",
        "bộ phận thực hiện",
        "người thực hiện",
        "thực hiện",
        "người phụ trách",
        "phụ trách",
        "đơn vị phụ trách",
        "bộ phận phụ trách",
        "người chịu trách nhiệm",
        "trách nhiệm chính",
    ),
    "coordinating": (
        "phối hợp",
        "cơ quan phối hợp",
        "đơn vị phối hợp",
        "bộ phận phối hợp",
        "người phối hợp",
        "phối hợp thực hiện",
    ),
    "timing": ("thời gian thực hiện", "thời gian", "tiến độ", "tiến độ thực hiện"),
    "frequency": ("tần suất", "tần suất thực hiện", "tần suất báo cáo", "tần suất theo dõi"),
    "deadline": (
        "thời hạn",
        "thời hạn hoàn thành",
        "thời gian hoàn thành",
        "hạn hoàn thành",
        "thời hạn thực hiện",
    ),
    "start": ("bắt đầu", "thời gian bắt đầu", "ngày bắt đầu", "từ ngày"),
    "end": ("kết thúc", "thời gian kết thúc", "ngày kết thúc", "đến ngày", "hoàn thành"),
    "monitors": (
        "trách nhiệm theo dõi",
        "người theo dõi",
        "đơn vị theo dõi",
        "theo dõi",
        "kiểm tra, giám sát",
        "kiểm tra giám sát",
        "giám sát",
        "đơn vị giám sát",
        "người giám sát",
        "theo dõi, giám sát",
        "kiểm tra",
        "người kiểm tra",
    ),
    "evidence": (
        "cách thức theo dõi và kết quả",
        "kết quả đầu ra",
        "kết quả",
        "sản phẩm",
        "sản phẩm đầu ra",
        "hồ sơ",
        "minh chứng",
        "hồ sơ minh chứng",
    ),
    "kpi": (
        "chỉ tiêu",
        "chỉ số",
        "mục tiêu cần đạt",
        "chỉ tiêu phấn đấu",
        "chỉ tiêu cần đạt",
        "chỉ số đo lường",
        "chỉ tiêu chất lượng",
    ),
    "remarks": ("ghi chú",),
}

# Any one of these columns gives a row its timing; several are composed (see timing_parts).
TIME_ROLES = ("timing", "frequency", "deadline", "start", "end")
REQUIRED_ROLES = ("task", "lead")
# Columns a plan runs without, at a cost said once for the whole plan.
EXPECTED_ROLES = ("timing", "monitors", "evidence")
ROLE_LABELS = {
    "number": "TT",
    "objective": "Mục tiêu chất lượng",
    "task": "Nội dung (Mục tiêu chất lượng và biện pháp thực hiện)",
    "lead": "Chủ trì",
    "coordinating": "Phối hợp",
    "timing": "Thời gian thực hiện",
    "frequency": "Tần suất",
    "deadline": "Thời hạn",
    "start": "Bắt đầu",
    "end": "Kết thúc",
    "monitors": "Trách nhiệm theo dõi",
    "evidence": "Cách thức theo dõi và kết quả",
    "kpi": "Chỉ tiêu",
    "remarks": "Ghi chú",
}
_SECTION_START = re.compile(r"^(?:[IVX]+|\d{1,2}|[A-Z])[.)]\s")
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
        """Required roles without a column: without them the table is not a plan."""
        return [role for role in REQUIRED_ROLES if role not in self.columns]

    @property
    def absent(self) -> list[str]:
        """Expected roles without a column: the plan runs, but loses something."""
        has_time = any(role in self.columns for role in TIME_ROLES)
        return [
            role
            for role in EXPECTED_ROLES
            if role not in self.columns and not (role == "timing" and has_time)
        ]

    @property
    def score(self) -> int:
        return _named_roles(self.columns)

    def is_repeat(self, row: RawRow) -> bool:
        """A header row repeated where the table continues on a new page."""
        keys = [normalise_key(text) for text in row.cells if text.strip()]
        if sum(1 for key in keys if key in self.leaves) < 2:
            return False  # most rows: data, told apart without the synonym patterns
        return all(key in self.leaves or label_role(key) for key in keys)


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
        if best is None or header.score > best.score:
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
    return sum(1 for role in columns if role != "remarks")


def _is_sub_header(row: RawRow, below: RawRow) -> bool:
    """The second header row names sub-columns ("Chủ trì", "Phối hợp") and holds no data."""
    new_roles = 0
    for column, text in enumerate(below.cells):
        if not text.strip():
            continue
        above = row.cells[column] if column < len(row.cells) else ""
        if normalise_key(text) == normalise_key(above):
            continue  # a vertically merged header cell
        if label_role(text) is None or _SECTION_START.match(text.strip()):
            return False  # data, or a section row ("I. Mục tiêu ...") right under the header
        if below.spans and below.merged_across(column) >= 3:
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
    columns = {role: column for role, (column, _) in chosen.items()}
    # Objectives come before their measures; a "Mục tiêu" column right of the task is
    # each row's own target, a KPI, and must not open a section per row.
    if columns.get("objective", -1) > columns.get("task", len(labels)):
        column = columns.pop("objective")
        columns.setdefault("kpi", column)
    return columns
