"""A worksheet's cells read straight from its XML part with lxml, as a person reads them.

openpyxl's streaming reader builds an object per cell and per rich-text run, which was
most of the time of a large import; a plan needs only each cell's text. Values are shown
as Excel shows them for the formats plans use: 1 not 1.0, 55,7 not 55.7, 90% not 0.9,
dates as 15/01/2024 (serial days from the workbook's epoch, 1900 or 1904).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from typing import Any

from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_PERCENT_FORMATS = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_REFERENCE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_MAX_ROWS, _MAX_COLUMNS = 1_048_576, 16_384  # Excel's sheet
_EPOCHS = {False: dt.datetime(1899, 12, 30), True: dt.datetime(1904, 1, 1)}


class Styles:
    """Which cell styles show a number as a date or a percentage."""

    def __init__(self, root: Any | None) -> None:
        self.dates: set[int] = set()
        self.percents: set[int] = set()
        if root is None:
            return
        custom = {
            int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
            for fmt in root.iter(f"{MAIN}numFmt")
        }
        xfs = root.find(f"{MAIN}cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else ()):
            number_format = int(xf.get("numFmtId", "0"))
            code = _QUOTED.sub("", custom.get(number_format, "")).lower()
            if number_format in _PERCENT_FORMATS or "%" in code:
                self.percents.add(index)
            elif number_format in _DATE_FORMATS or (code and re.search(r"[dy]", code)):
                self.dates.add(index)


def shared_strings(package: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None or part not in package.namelist():
        return []
    root = etree.fromstring(package.read(part), _PARSER)
    return [_text_of(item) for item in root.iterchildren(f"{MAIN}si")]


def read_cells(
    package: zipfile.ZipFile, part: str, strings: list[str], styles: Styles, date1904: bool
) -> tuple[list[list[str]], list[tuple[int, ...]]]:
    """(rows of cell texts from row 1, padded to the sheet's width; merged ranges)."""
    rows: dict[int, dict[int, str]] = {}
    merged: list[tuple[int, ...]] = []
    with package.open(part) as stream:
        for _, element in etree.iterparse(stream, tag=(f"{MAIN}row", f"{MAIN}mergeCell")):
            if element.tag == f"{MAIN}mergeCell":
                merged.append(_range(element.get("ref", "")))
            else:
                number = int(element.get("r", len(rows) + 1))
                cells = rows.setdefault(number, {})
                for position, cell in enumerate(element.iterchildren(f"{MAIN}c"), start=1):
                    column = _column(cell.get("r", ""), position)
                    text = _value(cell, strings, styles, date1904)
                    if text:
                        cells[column] = text
            element.clear()
    width = max((max(cells, default=0) for cells in rows.values()), default=0)
    height = max((number for number, cells in rows.items() if cells), default=0)
    if width > _MAX_COLUMNS or height > _MAX_ROWS or min(rows, default=1) < 1:
        raise ValueError(f"cell outside the sheet: row {height}, column {width}")
    grid = [
        [rows.get(row, {}).get(column, "") for column in range(1, width + 1)]
        for row in range(1, height + 1)
    ]
    return grid, [bounds for bounds in merged if bounds]


def _value(cell: Any, strings: list[str], styles: Styles, date1904: bool) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{MAIN}is")
        return _text_of(inline) if inline is not None else ""
    value: str | None = cell.findtext(f"{MAIN}v")
    if value is None or value == "":
        return ""
    if kind == "s":
        index = int(value)
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "b":
        return "Có" if value == "1" else "Không"
    if kind in ("str", "e"):
        return value
    return _number(float(value), int(cell.get("s", "0")), styles, date1904)


def _number(value: float, style: int, styles: Styles, date1904: bool) -> str:
    if style in styles.percents:
        return f"{_plain(value * 100)}%"
    if style in styles.dates:
        moment = _EPOCHS[date1904] + dt.timedelta(days=value)
        return moment.strftime("%d/%m/%Y")
    return _plain(value)


def _plain(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}".replace(".", ",")


def _text_of(item: Any) -> str:
    """A string item's text: its runs' `t`, not the phonetic guide (`rPh`)."""
    return "".join(t.text or "" for t in item.iter(f"{MAIN}t") if t.getparent().tag != f"{MAIN}rPh")


def _column(reference: str, default: int) -> int:
    match = _REFERENCE.match(reference)
    if match is None:
        return default
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _range(reference: str) -> tuple[int, ...]:
    """(min_col, min_row, max_col, max_row) of "B3:F3"; () when it is not a range."""
    first, _, last = reference.partition(":")
    start, end = _REFERENCE.match(first), _REFERENCE.match(last)
    if start is None or end is None:
        return ()
    return (
        _column(first, 1), int(start.group(2)), _column(last, 1), int(end.group(2)),
    )  # fmt: skip
