"""Build plan documents for tests: Word and Excel tables in the shapes offices use.

A `PlanSpec` says which columns, in which order, under which header words, and holds
the body rows: `Section("I", title)` or a dict of role -> cell text. The same spec is
rendered to .docx (merged section rows, optional two-row header, optional split into a
second table as when a table continues on a new page) or .xlsx (merged cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
from docx.document import Document as DocxDocument
from docx.table import Table, _Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

ROLES = ("number", "task", "lead", "coordinating", "timing", "monitors", "evidence")
LABELS = {
    "number": "TT",
    "task": "Mục tiêu chất lượng và biện pháp thực hiện MTCL",
    "lead": "Chủ trì",
    "coordinating": "Phối hợp",
    "timing": "Thời gian thực hiện",
    "monitors": "Trách nhiệm theo dõi MTCL",
    "evidence": "Cách thức theo dõi và kết quả",
    "notes": "Ghi chú",
}
PARENT = "Trách nhiệm thực hiện"
BEFORE = (
    "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH",
    "MỤC TIÊU CHẤT LƯỢNG NĂM 2024",
    "1. 100% hồ sơ thủ tục hành chính được giải quyết đúng hạn.",
    "2. Thu nhập bình quân đầu người: 45,5 triệu đồng.",
    "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024",
)


@dataclass(frozen=True)
class Section:
    marker: str
    title: str


Row = Section | dict[str, str]


@dataclass
class PlanSpec:
    rows: list[Row]
    columns: tuple[str, ...] = ROLES
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))
    two_row_header: bool = True  # PARENT over the adjacent lead and coordinating columns
    before: tuple[str, ...] = BEFORE
    split_after: int | None = None  # .docx: body rows before the table continues anew
    repeat_header: bool = True  # .docx: the continued table repeats the header
    letterhead: tuple[str, str] | None = None  # .docx: a two-cell layout table on top

    def header_rows(self) -> list[list[str]]:
        leaves = [self.labels[role] for role in self.columns]
        if not self.two_row_header:
            return [leaves]
        parent = {"lead": PARENT, "coordinating": ""}
        top = [parent.get(role, label) for role, label in zip(self.columns, leaves, strict=True)]
        return [top, leaves]

    def cells(self, row: Row) -> list[str]:
        if isinstance(row, Section):
            return [row.marker, row.title, *[""] * (len(self.columns) - 2)]
        return [row.get(role, "") for role in self.columns]


def measure(number: str, task: str, **cells: str) -> dict[str, str]:
    """A measure row with sensible defaults for the cells not given."""
    row = {
        "number": number,
        "task": task,
        "lead": "Công chức VP-TK xã",
        "coordinating": "Các ngành",
        "timing": "Thường xuyên",
        "monitors": "- QMR;\n- Thư ký ISO.",
        "evidence": "- Báo cáo kết quả;\n- Sổ theo dõi.",
    }
    row.update(cells)
    return row


def sample_rows(count: int, per_section: int = 10) -> list[Row]:
    """`count` measures in sections of `per_section`, numbered I, II, ... and 1, 2, ..."""
    rows: list[Row] = []
    for index in range(count):
        if index % per_section == 0:
            section = index // per_section + 1
            rows.append(Section(_roman(section), f"Mục tiêu số {section} của năm 2024"))
        rows.append(measure(str(index % per_section + 1), f"Nhiệm vụ số {index + 1}"))
    return rows


def _roman(number: int) -> str:
    numerals = (
        (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
        (1, "I"),
    )  # fmt: skip
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text, number = text + numeral, number - value
    return text


def build_docx(spec: PlanSpec, path: Path) -> Path:
    document = docx.Document()
    if spec.letterhead is not None:
        cells = document.add_table(rows=1, cols=2).rows[0].cells
        cells[0].text, cells[1].text = spec.letterhead
    for text in spec.before:
        document.add_paragraph(text)
    body = spec.rows
    first, rest = (body, []) if spec.split_after is None else _split(body, spec.split_after)
    _add_table(document, spec, first, with_header=True)
    if spec.split_after is not None:
        _add_table(document, spec, rest, with_header=spec.repeat_header)
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    document.save(str(path))
    return path


def _split(rows: list[Row], count: int) -> tuple[list[Row], list[Row]]:
    return rows[:count], rows[count:]


def _add_table(
    document: DocxDocument, spec: PlanSpec, rows: list[Row], *, with_header: bool
) -> None:
    header = spec.header_rows() if with_header else []
    table = document.add_table(rows=len(header) + len(rows), cols=len(spec.columns))
    table_rows = list(table.rows)
    for texts, row in zip(header, table_rows, strict=False):
        _fill(row.cells, texts)
    if len(header) == 2:
        _merge_header(table, spec)
    for source, row in zip(rows, table_rows[len(header) :], strict=True):
        cells = row.cells
        if isinstance(source, Section):
            cells[0].text = source.marker
            cells[1].merge(cells[-1]).text = source.title
        else:
            _fill(cells, spec.cells(source))


def _fill(cells: tuple[_Cell, ...], texts: list[str]) -> None:
    for cell, text in zip(cells, texts, strict=True):
        cell.text = text


def _merge_header(table: Table, spec: PlanSpec) -> None:
    top, bottom = table.rows[0].cells, table.rows[1].cells
    for column, role in enumerate(spec.columns):
        if role == "lead":
            top[column].merge(top[column + 1]).text = PARENT
        elif role != "coordinating":
            text = top[column].text
            top[column].merge(bottom[column]).text = text


def build_xlsx(spec: PlanSpec, path: Path, *, sheet_title: str = "KH MTCL") -> Path:
    workbook = openpyxl.Workbook()
    sheet = active_sheet(workbook)
    sheet.title = sheet_title
    width = len(spec.columns)
    for text in spec.before[-1:]:
        sheet.append([text])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
    header = spec.header_rows()
    first_header = sheet.max_row + 1
    for texts in header:
        sheet.append([text or None for text in texts])
    if len(header) == 2:
        _merge_xlsx_header(sheet, spec, first_header)
    for row in spec.rows:
        sheet.append([_xlsx_value(text) for text in spec.cells(row)])
        if isinstance(row, Section):
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=width
            )
    workbook.save(str(path))
    return path


def _xlsx_value(text: str) -> str | int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else text


def active_sheet(workbook: Workbook) -> Worksheet:
    """The sheet a new workbook opens on (openpyxl types `active` as any sheet or none)."""
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    return sheet


def _merge_xlsx_header(sheet: Worksheet, spec: PlanSpec, row: int) -> None:
    for column, role in enumerate(spec.columns, start=1):
        if role == "lead":
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row, end_column=column + 1
            )
        elif role != "coordinating":
            sheet.cell(row + 1, column).value = None
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + 1, end_column=column
            )
