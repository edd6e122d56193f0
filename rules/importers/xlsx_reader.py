"""Excel (.xlsx): each sheet is one grid; merged cells are laid out as in Word.

openpyxl leaves every cell of a merged range but the top-left one empty. A horizontal
merge stays that way (the section title sits in its first column); a vertical merge is
filled down its first column, so a header cell spanning two rows names the column in both.

The workbook is opened read-only (streaming, about half the time of a full load); read-only
sheets do not expose merged ranges, so those are read from the sheet's own part with lxml,
found through the workbook's relationships.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile
from typing import Any

import openpyxl
from lxml import etree
from openpyxl.utils.cell import range_boundaries

from rules.importers.grid import RawDocument, RawRow, RawTable
from rules.plan import PlanImportError


def read_xlsx(data: bytes, file: str, source: str) -> RawDocument:
    """Every worksheet as a table (sheet order gives the table index, the name is kept)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = _sheet_parts(package)
            tables = tuple(
                _read_sheet(sheet, index, _merged_ranges(package, parts.get(sheet.title)))
                for index, sheet in enumerate(workbook.worksheets, start=1)
            )
        workbook.close()
    except Exception as exc:  # a damaged package can fail anywhere inside openpyxl
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PlanImportError(
            source, f"tệp Excel (.xlsx) bị hỏng hoặc không đọc được ({reason})."
        ) from exc
    return RawDocument(file, tables)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package, read from the workbook and its relationships.

    Read-only worksheets do not expose merged ranges, and the part name is only in
    openpyxl's private attributes, so the package's own relationships are followed.
    """
    main = _relationships(package, "_rels/.rels", "").get("officeDocument", "xl/workbook.xml")
    folder, name = posixpath.split(main)
    targets = _relationships(package, posixpath.join(folder, "_rels", f"{name}.rels"), folder)
    workbook = etree.fromstring(package.read(main), _PARSER)
    return {
        sheet.get("name", ""): targets[sheet.get(_R_ID, "")]
        for sheet in workbook.iter(f"{_MAIN}sheet")
        if sheet.get(_R_ID, "") in targets
    }


def _relationships(package: zipfile.ZipFile, rels: str, folder: str) -> dict[str, str]:
    """Relationship id and type name ("officeDocument") -> part name."""
    try:
        root = etree.fromstring(package.read(rels), _PARSER)
    except KeyError:
        return {}
    found: dict[str, str] = {}
    for rel in root.iter(_REL):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        path = posixpath.normpath(path)
        kind = rel.get("Type", "")
        found[rel.get("Id", "")] = path
        found.setdefault(kind[kind.rfind("/") + 1 :], path)
    return found


def _merged_ranges(package: zipfile.ZipFile, part: str | None) -> list[tuple[int, ...]]:
    """(min_col, min_row, max_col, max_row) of each merged range of the sheet."""
    if part is None or part not in package.namelist():
        return []
    ranges = []
    with package.open(part) as stream:
        for _, element in etree.iterparse(stream, tag=f"{_MAIN}mergeCell", huge_tree=True):
            reference = element.get("ref", "")
            if ":" in reference:
                ranges.append(range_boundaries(reference))
            element.clear()
    return ranges


def _read_sheet(sheet: Any, index: int, merged: list[tuple[int, ...]]) -> RawTable:
    grid = [
        [_text(cell.value, getattr(cell, "number_format", "General")) for cell in cells]
        for cells in sheet.iter_rows()
    ]
    spans: dict[int, dict[int, int]] = {}  # row -> column -> covered columns (0: covered)
    continued: dict[int, set[int]] = {}
    for min_col, min_row, max_col, max_row in merged:
        if min_row > len(grid):
            continue
        width = max_col - min_col + 1
        if width > 1:
            row_spans = spans.setdefault(min_row - 1, {})
            row_spans[min_col - 1] = width
            row_spans.update({column: 0 for column in range(min_col, max_col)})
        if min_row == max_row:
            continue
        top = grid[min_row - 1][min_col - 1] if min_col <= len(grid[min_row - 1]) else ""
        for row in range(min_row + 1, min(max_row, len(grid)) + 1):
            continued.setdefault(row - 1, set()).add(min_col - 1)
            if min_col <= len(grid[row - 1]):
                grid[row - 1][min_col - 1] = top
    rows = tuple(
        RawRow(
            tuple(texts),
            number,
            spans=_spans(len(texts), spans.get(number - 1)),
            continued=frozenset(continued.get(number - 1, ())),
        )
        for number, texts in enumerate(grid, start=1)
    )
    return RawTable(index, rows, name=str(sheet.title))


def _spans(width: int, merged: dict[int, int] | None) -> tuple[int, ...]:
    if not merged:
        return ()
    return tuple(merged.get(column, 1) for column in range(width))


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
