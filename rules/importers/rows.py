"""The body of the plan table: section rows, measure rows and rows broken by a page.

Rules, in the order they are tried on each grid row:
- blank rows, repeated header rows and "(1) (2) (3)" column-numbering rows are skipped;
- a row numbered with a Roman numeral or a capital letter ("I.", "IV", "B") opens a
  section; its title is the row's first text after the number (merged across columns);
- a row holding only a note ("Ghi chú: ...", or a sentence in the TT column) is skipped;
- a row with no number right after a measure row continues that measure when a page
  break came just before it (text exports mark it) or, in a table with a TT column,
  when it lacks a lead or a timing, so it could not stand as a measure of its own; its
  cells are appended line by line;
- any other row is a measure (Nam Đông section IX has one without a number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rules.importers.cells import (
    clean_text,
    evidence_items,
    join_field,
    repair_split_words,
)
from rules.importers.columns import Header
from rules.importers.grid import RawRow, RawTable
from rules.plan import PlanRow, SourceLocation

_ROMAN = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
SECTION_MARKER = re.compile(rf"^({_ROMAN}|[A-ZĐ])[.)]?$")
_MARKED_TITLE = re.compile(rf"^({_ROMAN}|[A-ZĐ])[.)]\s+(\S.*)$", re.DOTALL)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_NOTE = re.compile(r"^(?:ghi\s+chú|lưu\s+ý|nơi\s+nhận)\s*:", re.IGNORECASE)
_TEXT_FIELDS = ("task", "lead", "coordinating", "timing", "monitors")
_NOTE_WORDS = 3  # more words than this alone in the TT column is a note, not a number


@dataclass
class _Draft:
    section: str
    section_title: str
    number: str
    cells: dict[str, str]
    source: SourceLocation

    def extend(self, cells: dict[str, str]) -> None:
        for role, text in cells.items():
            if text.strip():
                before = self.cells.get(role, "")
                self.cells[role] = f"{before}\n{text}" if before.strip() else text


@dataclass
class _State:
    file: str
    section: str = ""
    section_title: str = ""
    last: str = ""  # "section" or "row": what the previous meaningful row was
    after_gap: bool = False
    drafts: list[_Draft] = field(default_factory=list)


def read_rows(
    file: str, parts: list[tuple[RawTable, Header]], *, text_export: bool = False
) -> list[PlanRow]:
    """The plan rows of a table, or of a table and its continuations on later pages."""
    state = _State(file)
    for table, header in parts:
        for row in table.rows[header.first_row + header.height :]:
            _read_row(state, table, header, row)
    return [_finish(draft, text_export) for draft in state.drafts]


def _read_row(state: _State, table: RawTable, header: Header, row: RawRow) -> None:
    if not any(text.strip() for text in row.cells):
        state.after_gap = True
        return
    if header.is_repeat(row) or _is_column_numbering(row):
        return
    cells = {role: _cell(row, column) for role, column in header.columns.items()}
    number = clean_text(cells.pop("number", "")).replace("\n", " ")
    cells.pop("ignore", None)
    section = _section_of(number, row, header)
    if section is not None:
        state.section, state.section_title = section
        state.last, state.after_gap = "section", False
        return
    if _is_note(number, cells):
        return  # a note merged across the table ("Ghi chú: ..."), not a measure
    number = number.rstrip(".)")
    if not number and _continues(state, row, cells, "number" in header.columns):
        state.drafts[-1].extend(cells)
        return
    if not number and _continues_title(state, row, cells):
        state.section_title = f"{state.section_title}\n{cells['task']}"
        return
    if not number and state.after_gap and not _complete(cells):
        return  # text under the table (signatures, notes), not a measure
    source = SourceLocation(state.file, table.index, row.number)
    state.drafts.append(_Draft(state.section, state.section_title, number, cells, source))
    state.last, state.after_gap = "row", False


def _is_note(number: str, cells: dict[str, str]) -> bool:
    texts = [text for text in (number, *cells.values()) if text.strip()]
    if len(texts) != 1:
        return False
    return len(number.split()) > _NOTE_WORDS or bool(_NOTE.match(clean_text(texts[0])))


def _cell(row: RawRow, column: int) -> str:
    return row.cells[column] if column < len(row.cells) else ""


def _section_of(number: str, row: RawRow, header: Header) -> tuple[str, str] | None:
    """(marker, title) when the row opens a section."""
    number_column = header.columns.get("number")
    texts = [
        (column, text)
        for column, text in enumerate(row.cells)
        if text.strip() and column != number_column
    ]
    if SECTION_MARKER.match(number):
        title = texts[0][1] if texts else ""
        return number.rstrip(".)"), title
    whole = [text for _, text in texts] if not number else [number, *(t for _, t in texts)]
    if len(whole) == 1 and (match := _MARKED_TITLE.match(clean_text(whole[0]))):
        return match.group(1), match.group(2)
    return None


def _continues(state: _State, row: RawRow, cells: dict[str, str], numbered: bool) -> bool:
    """A row carried over from the row above, not a measure of its own.

    Without a TT column every row lacks a number, so only a marked page break counts.
    """
    if state.last != "row" or (state.after_gap and not row.after_break):
        return False
    return row.after_break or (numbered and not _complete(cells))


def _continues_title(state: _State, row: RawRow, cells: dict[str, str]) -> bool:
    """A section title broken by a page: only the task column holds text."""
    others = (text for role, text in cells.items() if role != "task")
    return (
        state.last == "section"
        and row.after_break
        and bool(cells.get("task", "").strip())
        and not any(text.strip() for text in others)
    )


def _complete(cells: dict[str, str]) -> bool:
    return bool(cells.get("lead", "").strip() and cells.get("timing", "").strip())


def _is_column_numbering(row: RawRow) -> bool:
    numbers = [text.strip() for text in row.cells if text.strip()]
    return len(numbers) >= 3 and all(_COLUMN_NUMBER.match(text) for text in numbers)


def _finish(draft: _Draft, text_export: bool) -> PlanRow:
    def tidy(text: str) -> str:
        return repair_split_words(text) if text_export else text

    values = {role: tidy(join_field(draft.cells.get(role, ""))) for role in _TEXT_FIELDS}
    evidence = tuple(tidy(item) for item in evidence_items(draft.cells.get("evidence", "")))
    return PlanRow(
        section=draft.section,
        section_title=tidy(join_field(draft.section_title)),
        number=draft.number,
        evidence=evidence,
        source=draft.source,
        **values,
    )
