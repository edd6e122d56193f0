"""A staff sheet (.xlsx or .csv, header in Vietnamese) read into people, and written back.

Header: Họ và tên | Đơn vị | Chức vụ/Vai trò | Email | Telegram. The Đơn vị column takes a
unit's id, name or alias; the Chức vụ/Vai trò column names roles ("QMR", "Thư ký ISO",
"Chủ tịch UBND xã") and a unit head ("Trưởng phòng", "Chủ tịch"), separated by ; or ,.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nhacviec.config_messages import os_reason

COLUMNS = ("Họ và tên", "Đơn vị", "Chức vụ/Vai trò", "Email", "Telegram")
_HEADERS = {
    "name": ("họ và tên", "họ tên", "tên", "họ và tên cán bộ"),
    "unit": ("đơn vị", "phòng", "bộ phận", "đơn vị công tác"),
    "role": ("chức vụ/vai trò", "chức vụ", "vai trò", "chức vụ / vai trò"),
    "email": ("email", "e-mail", "thư điện tử"),
    "telegram": ("telegram", "telegram chat id", "telegram id"),
}


class StaffSheetError(Exception):
    """The sheet cannot be read; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class StaffRow:
    line: int  # 1-based row of the sheet
    name: str
    unit: str
    role: str
    email: str
    telegram: str


@dataclass
class Sheet:
    rows: list[StaffRow] = field(default_factory=list)


def _norm(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _norm(cell).casefold()
        for field_name, names in _HEADERS.items():
            if key in names and field_name not in found:
                found[field_name] = index
    return found


def _rows(table: list[list[Any]], source: str) -> Sheet:
    start = 0
    for start, header in enumerate(table[:10]):  # noqa: B007 - the header's row is kept
        columns = _columns([_norm(c) for c in header])
        if "name" in columns:
            break
    else:
        raise StaffSheetError(
            f"{source}: không thấy dòng tiêu đề có cột «Họ và tên» "
            f"(cần các cột: {', '.join(COLUMNS)})"
        )
    sheet = Sheet()
    for offset, raw in enumerate(table[start + 1 :], start=start + 2):
        cells = [_norm(c) for c in raw]

        def get(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        if not get("name"):
            continue
        sheet.rows.append(
            StaffRow(
                offset,
                get("name"),
                get("unit"),
                get("role"),
                get("email"),
                get("telegram").removesuffix(".0"),
            )
        )
    return sheet


def read_sheet(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                return _rows([list(r) for r in csv.reader(handle)], path.name)
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            table = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            book.close()
            return _rows(table, path.name)
    except OSError as exc:
        raise StaffSheetError(f"không đọc được {path}: {os_reason(exc)}") from None
    except (ValueError, KeyError) as exc:
        raise StaffSheetError(f"{path}: không phải tệp Excel đọc được ({exc})") from None
    raise StaffSheetError(f"{path}: cần tệp .xlsx hoặc .csv")


def write_sheet(path: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        return
    if path.suffix.lower() != ".xlsx":
        raise StaffSheetError(f"{path}: cần tệp .xlsx hoặc .csv")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách cán bộ"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
