"""Excel (.xlsx): each worksheet is one grid; merged cells are laid out as in Word.

Excel leaves every cell of a merged range but the top-left one empty. A horizontal merge
stays that way (the section title sits in its first column); a vertical merge is filled
down its first column, so a header cell spanning two rows names the column in both.

The package is read with zipfile and lxml (see `xlsx_sheet`): the workbook part and its
relationships name the sheets and their parts; each sheet part gives its cells and its
merged ranges in one streaming pass.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from rules.importers.damage import damage_reason
from rules.importers.grid import RawDocument, RawRow, RawTable
from rules.importers.ooxml import relationships
from rules.importers.xlsx_sheet import MAIN, Styles, read_cells, shared_strings
from rules.plan import PlanImportError


def read_xlsx(data: bytes, file: str, source: str) -> RawDocument:
    """Every worksheet as a table (sheet order gives the table index, the name is kept)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            tables = tuple(_read_workbook(package))
    except Exception as exc:  # a damaged package can fail anywhere inside zipfile/lxml
        raise PlanImportError(
            source, f"tệp Excel (.xlsx) bị hỏng, không đọc được: {damage_reason(exc, 'Excel')}."
        ) from exc
    return RawDocument(file, tables)


_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)


def _read_workbook(package: zipfile.ZipFile) -> list[RawTable]:
    main = _relationships(package, "_rels/.rels", "").get("officeDocument", "xl/workbook.xml")
    folder, name = posixpath.split(main)
    targets = _relationships(package, posixpath.join(folder, "_rels", f"{name}.rels"), folder)
    workbook = etree.fromstring(package.read(main), _PARSER)
    properties = workbook.find(f"{MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    strings = shared_strings(package, targets.get("sharedStrings"))
    styles_part = targets.get("styles")
    styles = Styles(
        etree.fromstring(package.read(styles_part), _PARSER)
        if styles_part in package.namelist()
        else None
    )
    tables: list[RawTable] = []
    for sheet in workbook.iter(f"{MAIN}sheet"):
        part = targets.get(sheet.get(_R_ID, ""))
        if part is None or targets.get(f"kind:{part}") != "worksheet":
            continue  # a chart sheet, or a sheet whose part is missing
        grid, merged = read_cells(package, part, strings, styles, date1904)
        tables.append(_read_sheet(grid, len(tables) + 1, merged, sheet.get("name", "")))
    return tables


def _relationships(package: zipfile.ZipFile, rels: str, folder: str) -> dict[str, str]:
    """Relationship id and type name ("officeDocument") -> part name; "kind:part" -> type."""
    found: dict[str, str] = {}
    for rel_id, kind, path in relationships(package, rels, folder):
        found[rel_id] = path
        found[f"kind:{path}"] = kind
        found.setdefault(kind, path)
    return found


def _read_sheet(
    grid: list[list[str]], index: int, merged: list[tuple[int, ...]], name: str
) -> RawTable:
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
    return RawTable(index, rows, name=name)


def _spans(width: int, merged: dict[int, int] | None) -> tuple[int, ...]:
    if not merged:
        return ()
    return tuple(merged.get(column, 1) for column in range(width))
