"""Word (.docx): paragraphs and tables in document order, merged cells counted once.

python-docx repeats a horizontally merged cell in every grid column it spans, as the
same underlying `<w:tc>`; keeping its text in the first column only is what lets a
section row ("I." + objective merged across the row) be told from a measure row.
A vertically merged cell keeps its text in every row, like a filled-down spreadsheet.

Cells are read from the table's XML with lxml rather than through python-docx's cell
objects, with the same result: python-docx builds an XPath evaluator for every paragraph,
which made a 5,000-row plan take seconds.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BREAKS = (f"{_W}tab", f"{_W}br", f"{_W}cr")
_VAL = f"{_W}val"


def _read_table(table: Table, index: int) -> RawTable:
    rows = []
    above: dict[int, str] = {}  # grid column -> the text a vertical merge below it repeats
    for number, tr in enumerate(table._tbl.iterchildren(f"{_W}tr"), start=1):
        before, after = _properties(tr, f"{_W}trPr", f"{_W}gridBefore", f"{_W}gridAfter")
        texts = [""] * _number(before, 0)
        column = len(texts)
        for tc in tr.iterchildren(f"{_W}tc"):
            span, merge = _properties(tc, f"{_W}tcPr", f"{_W}gridSpan", f"{_W}vMerge")
            # <w:vMerge/> without a value, or "continue": the cell above goes on.
            continues = merge is not None and merge.get(_VAL, "continue") == "continue"
            text = above.get(column, "") if continues else _cell_text(tc)
            above[column] = text
            width = _number(span, 1)
            texts += [text] + [""] * (width - 1)
            column += width
        texts += [""] * _number(after, 0)
        rows.append(RawRow(tuple(texts), number))
    return RawTable(index, tuple(rows))


def _properties(element: Any, container: str, *names: str) -> list[Any]:
    """The named children of the element's properties (`<w:tcPr>`, `<w:trPr>`), or None."""
    found: list[Any] = [None] * len(names)
    properties = element.find(container)
    if properties is not None:
        for child in properties:
            if child.tag in names:
                found[names.index(child.tag)] = child
    return found


def _number(element: Any, default: int) -> int:
    value = element.get(_VAL) if element is not None else None
    return int(value) if value and value.isdigit() else default


def _cell_text(tc: Any) -> str:
    """The cell's paragraphs, one per line, as python-docx's `_Cell.text` gives them."""
    lines = []
    for paragraph in tc.iterchildren(f"{_W}p"):
        parts = []
        for element in paragraph.iter(f"{_W}t", *_BREAKS):
            if element.tag == f"{_W}t":
                parts.append(element.text or "")
            else:
                parts.append("\t" if element.tag == f"{_W}tab" else "\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
