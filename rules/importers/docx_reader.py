"""Word (.docx): paragraphs and tables in document order, merged cells counted once.

python-docx repeats a horizontally merged cell in every grid column it spans, as the
same underlying `<w:tc>`; keeping its text in the first column only is what lets a
section row ("I." + objective merged across the row) be told from a measure row.
A vertically merged cell keeps its text in every row, like a filled-down spreadsheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from rules.importers.grid import Block, RawDocument, RawRow, RawTable
from rules.plan import PlanImportError


def read_docx(data: bytes, file: str, source: str) -> RawDocument:
    """The document's blocks; `file` names it in row locations, `source` in errors."""
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document.iter_inner_content())
    except Exception as exc:  # a damaged package can fail anywhere inside python-docx/lxml
        raise PlanImportError(
            source, f"tệp Word (.docx) bị hỏng hoặc không đọc được ({_reason(exc)})."
        ) from exc
    return RawDocument(file, tuple(blocks))


def _blocks(content: Iterator[Paragraph | Table]) -> list[Block]:
    blocks: list[Block] = []
    tables = 0
    for item in content:
        if isinstance(item, Paragraph):
            blocks.append(item.text)
        elif isinstance(item, Table):
            tables += 1
            blocks.append(_read_table(item, tables))
    return blocks


def _read_table(table: Table, index: int) -> RawTable:
    rows = []
    for number, row in enumerate(table.rows, start=1):
        texts = [""] * row.grid_cols_before
        previous = None
        for cell in row.cells:
            texts.append("" if cell._tc is previous else cell.text)
            previous = cell._tc
        texts.extend([""] * row.grid_cols_after)
        rows.append(RawRow(tuple(texts), number))
    return RawTable(index, tuple(rows))


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
