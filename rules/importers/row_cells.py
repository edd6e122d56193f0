"""One body row of the plan table, seen through its header: cells by role, number, shape."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.importers.cells import clean_text, evidence_items, join_field, repair_split_words
from rules.importers.columns import TIME_ROLES, Header
from rules.importers.grid import RawRow, RawTable
from rules.importers.kpi import kpi_targets
from rules.importers.numbers import Marker, parse_marker, split_marker
from rules.importers.timing_parts import compose_timing
from rules.plan import PlanProblem, PlanRow, SourceLocation

# Cells that make a row a measure: someone to remind, a time, someone watching, a proof.
MEASURE_ROLES = ("lead", *TIME_ROLES, "monitors", "evidence")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_NOTE = re.compile(r"^(?:ghi\s+chú|lưu\s+ý|nơi\s+nhận)\s*:", re.IGNORECASE)
_NOTE_WORDS = 3  # more words than this alone in the TT column is a note, not a number
_MERGED_COLUMNS = 3  # a text merged over this many columns is a title, not a cell
_TEXT_FIELDS = ("task", "lead", "coordinating", "monitors", "remarks")


@dataclass
class RowView:
    table: RawTable
    row: RawRow
    header: Header
    cells: dict[str, str]  # role -> text as read (number and objective taken out)
    number: str  # the TT cell, tidied
    marker: Marker | None  # the number's shape, from TT or from the front of a lone title
    title: str  # a lone text's words after its marker (a section row's title)
    objective: str  # the objective column's text, when the table has one
    objective_continued: bool  # ... and it continues a vertical merge from above

    @property
    def has_measure_fields(self) -> bool:
        return any(self.cells.get(role, "").strip() for role in MEASURE_ROLES)

    @property
    def task(self) -> str:
        return self.cells.get("task", "").strip()

    @property
    def texts(self) -> list[str]:
        return [text for text in self.cells.values() if text.strip()]

    @property
    def is_note(self) -> bool:
        texts = [text for text in (self.number, *self.texts) if text.strip()]
        if len(texts) != 1:
            return False
        return len(self.number.split()) > _NOTE_WORDS or bool(_NOTE.match(clean_text(texts[0])))

    @property
    def task_only(self) -> bool:
        """Only the task cell holds text: an objective's title, not a measure (no lead)."""
        return bool(self.task) and not any(
            text.strip() for role, text in self.cells.items() if role not in ("task", "kpi")
        )

    @property
    def measure_like(self) -> bool:
        """Has a measure's cells, and is not one title text merged across them."""
        return self.has_measure_fields and not self.merged_title

    @property
    def merged_title(self) -> bool:
        """One text besides the number, merged across the row: how a section row looks.

        Without merge information (text exports), one text in the task column alone.
        """
        number_column = self.header.columns.get("number")
        filled = [
            column
            for column, text in enumerate(self.row.cells)
            if text.strip() and column != number_column
        ]
        if len(filled) != 1:
            return False
        if self.row.spans:
            return self.row.merged_across(filled[0]) >= _MERGED_COLUMNS
        return filled[0] == self.header.columns.get("task")

    def source(self) -> SourceLocation:
        return SourceLocation("", self.table.index, self.row.number)

    def quoted(self) -> str:
        text = " | ".join(" ".join(cell.split()) for cell in self.row.cells if cell.strip())
        return text if len(text) <= 160 else f"{text[:159]}…"


def view_row(table: RawTable, row: RawRow, header: Header) -> RowView:
    cells = {role: _cell(row, column) for role, column in header.columns.items()}
    number = clean_text(cells.pop("number", "")).replace("\n", " ")
    objective = clean_text(cells.pop("objective", ""))
    objective_column = header.columns.get("objective")
    continued = objective_column is not None and objective_column in row.continued
    marker = parse_marker(number) if number else None
    title = ""
    lone = [text for text in cells.values() if text.strip()]
    if marker is None and not number and len(lone) == 1:
        if found := split_marker(clean_text(lone[0])):
            marker, title = found
    elif marker is None and number and not lone:  # "I. MỤC TIÊU ..." merged from the TT column
        if found := split_marker(number):
            (marker, title), number = found, ""
            cells["task"] = title
        elif row.merged_across(header.columns.get("number", 0)) >= _MERGED_COLUMNS:
            cells["task"], number = number, ""  # a title merged over the whole row, unnumbered
    elif marker is None and not number and (found := split_marker(cells.get("task", ""))):
        if found[0].kind in ("arabic", "letter"):  # "1.2. Khảo sát ..." typed in the task
            marker, number, cells["task"] = found[0], found[0].label, found[1]
    elif marker is not None:
        title = cells.get("task", "").strip() or next(
            (text for role, text in cells.items() if text.strip() and role != "kpi"), ""
        )
    return RowView(table, row, header, cells, number, marker, title, objective, continued)


def _cell(row: RawRow, column: int) -> str:
    return row.cells[column] if column < len(row.cells) else ""


def finish_row(
    view: RowView,
    file: str,
    section: tuple[str, str],
    number: str,
    extra: list[dict[str, str]],
    text_export: bool,
) -> PlanRow:
    """The plan row: cells joined into fields, the timing composed when it is split."""

    def tidy(text: str) -> str:
        return repair_split_words(text) if text_export else text

    cells = dict(view.cells)
    for more in extra:  # a row a page break cut in a text export
        for role, text in more.items():
            if text.strip():
                cells[role] = f"{cells[role]}\n{text}" if cells.get(role, "").strip() else text
    values = {role: tidy(join_field(cells.get(role, ""))) for role in _TEXT_FIELDS}
    if not values["coordinating"]:
        values["lead"], values["coordinating"] = split_lead(values["lead"])
    time_roles = [role for role in TIME_ROLES if role in view.header.columns]
    parts = {role: tidy(join_field(cells.get(role, ""))) for role in time_roles}
    if time_roles == ["timing"]:
        timing, timing_parts = parts["timing"], ()
    else:
        timing, timing_parts = compose_timing(parts), tuple(parts.items())
    kpi = tidy(join_field(cells.get("kpi", "")))
    return PlanRow(
        section=section[0],
        section_title=section[1],
        number=number,
        timing=timing,
        evidence=tuple(tidy(item) for item in evidence_items(cells.get("evidence", ""))),
        source=SourceLocation(file, view.table.index, view.row.number),
        kpi=kpi,
        targets=kpi_targets(kpi),
        timing_parts=timing_parts,
        **values,
    )


_LABELLED = re.compile(r"(?:^|[;.\n]\s*|\s)(chủ\s+trì|phối\s+hợp)\s*:\s*", re.IGNORECASE)


def split_lead(text: str) -> tuple[str, str]:
    """ "Chủ trì: Văn phòng; Phối hợp: Các phòng" in one column: (lead, coordinating)."""
    found = list(_LABELLED.finditer(text))
    if not any(match.group(1).casefold().startswith("ph") for match in found):
        return text, ""
    parts = {"lead": "", "coordinating": ""}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        role = "coordinating" if match.group(1).casefold().startswith("ph") else "lead"
        parts[role] = text[match.end() : end].strip(" ;,.-–\n")
    if found[0].start() > 0 and not parts["lead"]:
        parts["lead"] = text[: found[0].start()].strip(" ;,.-–\n")
    return parts["lead"], parts["coordinating"]


def row_problem(view: RowView, file: str, code: str, what: str) -> PlanProblem:
    """A row the importer did not take as a measure, said with its place and its text."""
    where = SourceLocation(file, view.table.index, view.row.number)
    return PlanProblem(
        severity="warning",
        code=code,
        message=f"{where.describe()}: dòng này {what}",
        source=where,
        text=view.quoted(),
        hint="Nếu đây là một nhiệm vụ, ghi đủ nội dung, chủ trì và thời gian trên cùng "
        "một dòng; nếu là tiêu đề mục, ghi số mục (I, II… hoặc 1, 2…).",
    )


def is_column_numbering(row: RawRow) -> bool:
    """The "(1) (2) (3)" row under a header that numbers its columns."""
    numbers = [text.strip() for text in row.cells if text.strip()]
    return len(numbers) >= 3 and all(_COLUMN_NUMBER.match(text) for text in numbers)
