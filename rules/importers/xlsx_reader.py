"""Excel (.xlsx): each sheet is one grid; merged cells are laid out as in Word.

openpyxl leaves every cell of a merged range but the top-left one empty. A horizontal
merge stays that way (the section title sits in its first column); a vertical merge is
filled down its first column, so a header cell spanning two rows names the column in both.

The workbook is opened read-only (streaming, about half the time of a full load); read-only
sheets do not expose merged ranges, so those are read from the sheet's own XML.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import openpyxl
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from rules.importers.grid import RawDocument, RawRow, RawTable
from rules.plan import PlanImportError


def read_xlsx(data: bytes, file: str, source: str) -> RawDocument:
    """Every sheet as a table (sheet order gives the table index)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            tables = tuple(
                _read_sheet(sheet, index, _merged_ranges(package, sheet))
                for index, sheet in enumerate(workbook.worksheets, start=1)
            )
        workbook.close()
    except Exception as exc:  # a damaged package can fail anywhere inside openpyxl
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PlanImportError(
            source, f"tệp Excel (.xlsx) bị hỏng hoặc không đọc được ({reason})."
        ) from exc
    return RawDocument(file, tables)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_ranges(package: zipfile.ZipFile, sheet: ReadOnlyWorksheet) -> list[tuple[int, ...]]:
    """(min_col, min_row, max_col, max_row) of each merged range of the sheet."""
    xml = package.read(sheet._worksheet_path.lstrip("/"))
    return [range_boundaries(ref.decode()) for ref in _MERGE.findall(xml)]


def _read_sheet(sheet: ReadOnlyWorksheet, index: int,
                merged: list[tuple[int, ...]]) -> RawTable:
    grid = [
        [_text(cell.value, getattr(cell, "number_format", "General")) for cell in cells]
        for cells in sheet.iter_rows()
    ]
    for min_col, min_row, _max_col, max_row in merged:
        if min_row == max_row or min_row > len(grid):
            continue
        top = grid[min_row - 1][min_col - 1] if min_col <= len(grid[min_row - 1]) else ""
        for row in range(min_row, min(max_row, len(grid)) + 1):
            if min_col <= len(grid[row - 1]):
                grid[row - 1][min_col - 1] = top
    return RawTable(index, tuple(RawRow(tuple(texts), number)
                                 for number, texts in enumerate(grid, start=1)))


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
