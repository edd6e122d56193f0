"""CSV: the plan table as a spreadsheet saves it (see examples/ke-hoach-mau.csv).

Lines above the header carry the letterhead, the title and the numbered objectives,
one per line in the first column; then the header row ("TT", "Nội dung", "Chủ trì",
"Phối hợp", "Thời gian thực hiện", "Trách nhiệm theo dõi", "Kết quả đầu ra"); then
section rows ("I", objective) and numbered rows. Items of a cell go on separate lines
of a quoted cell or on one line as "- A; - B". Separator: comma, semicolon or tab.
"""

from __future__ import annotations

import csv
from collections import Counter

from rules.importers.grid import RawDocument, RawRow, RawTable
from rules.importers.text_reader import decode_text
from rules.plan import PlanImportError

_SAMPLE_CHARS = 8192
_DELIMITERS = (",", ";", "\t")


def read_csv(data: bytes, file: str, source: str) -> RawDocument:
    text = decode_text(data, source)
    delimiter = _delimiter(text[:_SAMPLE_CHARS])
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    rows: list[RawRow] = []
    first_line = 1
    try:
        for record in reader:
            rows.append(RawRow(tuple(record), first_line))
            first_line = reader.line_num + 1
    except csv.Error as exc:
        raise PlanImportError(source, f"tệp CSV sai cú pháp ở dòng {first_line} ({exc}).") from exc
    return RawDocument(file, (RawTable(1, tuple(rows)),))


def _delimiter(sample: str) -> str:
    """The separator under which many rows share one width: a table's rows all have its columns.

    A comma inside cell text ("Các cơ quan, đơn vị") gives ragged rows, not a steady width.
    """

    def steadiness(delimiter: str) -> int:
        try:
            rows = csv.reader(sample.splitlines(keepends=True), delimiter=delimiter)
            widths = Counter(len(row) for row in rows if len(row) > 1)
        except csv.Error:
            return 0
        return max((width * count for width, count in widths.items()), default=0)

    return max(_DELIMITERS, key=steadiness)
