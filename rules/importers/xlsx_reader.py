"""Excel (.xlsx): each sheet is one grid; merged cells are laid out as in Word.

openpyxl leaves every cell of a merged range but the top-left one empty. A horizontal
merge stays that way (the section title sits in its first column); a vertical merge is
filled down its first column, so a header cell spanning two rows names the column in both.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from rules.importers.grid import RawDocument, RawRow, RawTable
from rules.plan import PlanImportError


def read_xlsx(data: bytes, file: str, source: str) -> RawDocument:
    """Every sheet as a table (sheet order gives the table index)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        tables = tuple(
            _read_sheet(sheet, index) for index, sheet in enumerate(workbook.worksheets, start=1)
        )
    except Exception as exc:  # a damaged package can fail anywhere inside openpyxl
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PlanImportError(
            source, f"tệp Excel (.xlsx) bị hỏng hoặc không đọc được ({reason})."
        ) from exc
    return RawDocument(file, tables)


def _read_sheet(sheet: Worksheet, index: int) -> RawTable:
    filled = _filled_down(sheet)
    rows = []
    for cells in sheet.iter_rows():
        texts = tuple(
            filled.get((cell.row, cell.column)) or _text(cell.value, cell.number_format)
            for cell in cells
        )
        rows.append(RawRow(texts, cells[0].row if cells else len(rows) + 1))
    return RawTable(index, tuple(rows))


def _filled_down(sheet: Worksheet) -> dict[tuple[int, int], str]:
    """Texts of vertically merged cells, for every row of the merge, first column only."""
    filled: dict[tuple[int, int], str] = {}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == merged.max_row:
            continue
        top = sheet.cell(merged.min_row, merged.min_col)
        text = _text(top.value, top.number_format)
        for row in range(merged.min_row, merged.max_row + 1):
            filled[(row, merged.min_col)] = text
    return filled


def _text(value: Any, number_format: str) -> str:
    """A cell as a person reads it: 1 not 1.0, 55,7 not 55.7, 90% not 0.9, 15/01/2024."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return f"{_number(value * 100)}%"
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")
