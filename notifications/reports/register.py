"""The evidence register for an audit (.xlsx), and the bundle of its files (.zip).

One line per occurrence, the same set `nhacviec status` lists; filters and a frozen header.
The zip holds the register at its root and each evidence file under
`<section> - <objective>/<row> - <task>/<code> - <file name>`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from notifications.reports.facts import OccurrenceFact, outcome_text

REGISTER_NAME = "so-theo-doi-minh-chung.xlsx"
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Mã việc", 10),
    ("Dòng", 8),
    ("Mục tiêu", 40),
    ("Nhiệm vụ", 50),
    ("Đơn vị chủ trì", 28),
    ("Đợt", 24),
    ("Hạn", 12),
    ("Trạng thái", 30),
    ("Hoàn thành lúc", 18),
    ("Người báo", 24),
    ("Trễ (ngày làm việc)", 12),
    ("Minh chứng", 50),
    ("Tệp", 36),
    ("SHA-256", 68),
)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def register_lines(facts: Sequence[OccurrenceFact], tz: ZoneInfo) -> list[list[object]]:
    """The register's lines in plan order; dates as dates so Excel can filter them."""
    lines: list[list[object]] = []
    for f in sorted(facts, key=lambda f: (f.row.id or 0, f.occurrence.due_on, f.unit)):
        o = f.occurrence
        closed = (
            o.closed_at.astimezone(tz).replace(tzinfo=None) if f.closed_on and o.closed_at else None
        )
        lines.append(
            [
                o.code,
                f.row.ref,
                f"{f.row.section}. {f.row.section_title}",
                f.row.task,
                f.unit,
                o.label,
                o.due_on,
                outcome_text(f),
                closed,
                f.closed_by,
                f.late_days,
                "\n".join(e.text for e in f.evidence if e.text),
                "\n".join(file.name for file in f.files),
                "\n".join(file.sha256 for file in f.files),
            ]
        )
    return lines


def write_register(facts: Sequence[OccurrenceFact], tz: ZoneInfo, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sổ minh chứng"
    sheet.append([name for name, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for line in register_lines(facts, tz):
        sheet.append(line)
    for index, (_name, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        row[6].number_format = "DD/MM/YYYY"
        row[8].number_format = "DD/MM/YYYY HH:MM"
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 1)}"
    workbook.properties.title = title
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _folder(text: str, limit: int = 50) -> str:
    """A folder name from plan text: no path separators or reserved characters, short."""
    cleaned = " ".join(_UNSAFE.sub(" ", text).split())
    if len(cleaned) > limit:  # cut at a word, not inside one
        cut = cleaned[: limit + 1].rsplit(" ", 1)[0]
        cleaned = cut if len(cut) > limit // 2 else cleaned[:limit]
    return cleaned.rstrip(" .,;") or "_"


def bundle_paths(fact: OccurrenceFact) -> list[tuple[str, str]]:
    """(path in the zip, stored path under the data folder) for each of the occurrence's files."""
    row = fact.row
    folder = f"{_folder(row.section, 10)} - {_folder(row.section_title)}"
    sub = f"{_folder(row.ref, 12)} - {_folder(row.task)}"
    return [
        (f"{folder}/{sub}/{fact.occurrence.code} - {_folder(file.name, 120)}", file.stored_path)
        for file in fact.files
    ]


def write_bundle(
    facts: Sequence[OccurrenceFact], register: bytes, data_dir: Path, out: Path
) -> list[str]:
    """The zip: the register at the root, the files by objective and row. Returns its names."""
    names = [REGISTER_NAME]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(REGISTER_NAME, register)
        for fact in facts:
            for inside, stored in bundle_paths(fact):
                if inside in names:  # the same file logged twice for one occurrence
                    continue
                archive.write(data_dir / stored, inside)
                names.append(inside)
    return names
