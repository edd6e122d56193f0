"""Plain-text exports of a Word plan, in the two shapes offices send.

- Tab-separated: one table row per line, cells separated by tabs, with HTML fragments
  ("<ul><li>", "<p>", "<i>") left inside cells. A blank line is where a page ended; a
  row cut by it continues on the next line with empty leading cells.
- One cell per line: each cell starts with a tab on a new line, its further lines follow
  without a tab, and nothing marks where a row ends (see `text_cells`).
"""

from __future__ import annotations

from rules.importers.grid import Block, RawDocument, RawRow, RawTable
from rules.importers.text_cells import cells_document
from rules.plan import PlanImportError

_ENCODINGS = ("utf-8-sig", "utf-16", "cp1258")
_TSV_MIN_TABS = 3


def decode_text(data: bytes, source: str) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258."""
    has_utf16_bom = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if b"\x00" in data and not has_utf16_bom:
        raise PlanImportError(source, "không phải tệp văn bản, Word (.docx) hay Excel (.xlsx).")
    for encoding in _ENCODINGS:
        if encoding == "utf-16" and not has_utf16_bom:
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanImportError(source, "không đọc được mã ký tự của tệp văn bản (cần UTF-8).")


def read_text(data: bytes, file: str, source: str) -> RawDocument:
    text = decode_text(data, source).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if any(line.count("\t") >= _TSV_MIN_TABS for line in lines):
        blocks = _tab_separated(lines)
    else:
        blocks = cells_document(lines, source)
    return RawDocument(file, tuple(blocks), text_export=True)


def _tab_separated(lines: list[str]) -> list[Block]:
    """Lines with tabs are table rows; other lines are paragraphs and end the table."""
    blocks: list[Block] = []
    rows: list[RawRow] = []
    blank_before = False
    for number, line in enumerate(lines, start=1):
        if "\t" in line:
            rows.append(RawRow(tuple(line.split("\t")), number, after_break=blank_before))
            blank_before = False
        elif not line.strip():
            blank_before = bool(rows)
        else:
            _close_table(blocks, rows)
            blocks.append(line)
            blank_before = False
    _close_table(blocks, rows)
    return blocks


def _close_table(blocks: list[Block], rows: list[RawRow]) -> None:
    if rows:
        index = sum(1 for block in blocks if isinstance(block, RawTable)) + 1
        blocks.append(RawTable(index, tuple(rows)))
        rows.clear()
