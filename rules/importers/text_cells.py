"""The "one cell per line" text export: cells in reading order, rows not marked.

Each cell starts on a line beginning with a tab; lines without a tab continue it.
Rows are rebuilt from the header: it gives the number of columns, and a row is that
many cells, except a section row ("I." + its objective merged across the table),
which the export writes as two cells. The table ends at a heading such as
"III. TỔ CHỨC THỰC HIỆN" or after two blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.importers.columns import label_role
from rules.importers.grid import Block, RawRow, RawTable
from rules.importers.numbers import SECTION_MARKER
from rules.plan import PlanImportError

_ROW_NUMBER = re.compile(r"^\d{1,4}[.)]?$")
_NUMBERED_LINE = re.compile(r"^\s*(?:[IVX]+|\d+)\.\s+\S")


@dataclass
class _Cell:
    line: int
    text: str

    @property
    def bare(self) -> str:
        return self.text.strip()


def cells_document(lines: list[str], source: str) -> list[Block]:
    """Paragraphs before the table, the table, paragraphs after it."""
    before, cells, after = _split(lines)
    start = next((i for i, cell in enumerate(cells) if label_role(cell.bare)), None)
    if start is None:
        return [*before, *(cell.text for cell in cells), *after]
    header, body_start = _header(cells, start, source)
    width = len(header[0].cells)
    rows = [*header, *_body(cells[body_start:], width, source)]
    leading = [cell.text for cell in cells[:start]]
    return [*before, *leading, RawTable(1, tuple(rows)), *after]


def _split(lines: list[str]) -> tuple[list[str], list[_Cell], list[str]]:
    before: list[str] = []
    cells: list[_Cell] = []
    blanks = 0
    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            cells.append(_Cell(number, line[1:]))
            blanks = 0
        elif not cells:
            before.append(line)
        elif not line.strip():
            blanks += 1
        elif blanks >= 2 or _is_heading(line):
            return before, cells, lines[number - 1 :]
        else:
            cells[-1].text = f"{cells[-1].text}\n{line}"
            blanks = 0
    return before, cells, []


def _is_heading(line: str) -> bool:
    """A numbered line in capitals ("III. TỔ CHỨC THỰC HIỆN:") is the document again."""
    return bool(_NUMBERED_LINE.match(line)) and line == line.upper()


def _header(cells: list[_Cell], start: int, source: str) -> tuple[list[RawRow], int]:
    """The header rows, widened to the table's columns, and where the body starts."""
    end = start
    while end < len(cells) and cells[end].bare and label_role(cells[end].bare):
        end += 1
    body = next((i for i in range(end, len(cells)) if _opens_row(cells[i].bare)), len(cells))
    first = [cell.text for cell in cells[start:end]]
    second = [cell.text for cell in cells[end:body]]
    named = [text for text in second if text.strip()]
    if not named or not all(label_role(text) for text in named):
        return [RawRow(tuple(first), cells[start].line)], end
    if len(second) <= len(first):
        raise PlanImportError(source, f"dòng {cells[end].line}: không đọc được tiêu đề bảng.")
    parent = next(i for i, text in enumerate(second) if text.strip())
    spread = [*first[: parent + 1], *[""] * (len(second) - len(first)), *first[parent + 1 :]]
    rows = [RawRow(tuple(spread), cells[start].line), RawRow(tuple(second), cells[end].line)]
    return rows, body


def _opens_row(text: str) -> bool:
    return bool(SECTION_MARKER.match(text) or _ROW_NUMBER.match(text))


def _body(cells: list[_Cell], width: int, source: str) -> list[RawRow]:
    rows: list[RawRow] = []
    index = 0
    while index < len(cells):
        first = cells[index].bare
        if SECTION_MARKER.match(first):
            rest = cells[index + 2 : index + width]
            merged = len(rest) < width - 2 or any(cell.bare for cell in rest)
            span = 2 if merged else width
        elif first and not _ROW_NUMBER.match(first):
            raise PlanImportError(
                source,
                f"dòng {cells[index].line}: không ghép được các ô thành hàng của bảng "
                f"(ô đầu hàng là “{first[:40]}”, cần số thứ tự hoặc số La Mã).",
            )
        else:
            span = width
        chunk = cells[index : index + span]
        texts = [cell.text for cell in chunk] + [""] * (width - len(chunk))
        rows.append(RawRow(tuple(texts), chunk[0].line))
        index += span
    return rows
