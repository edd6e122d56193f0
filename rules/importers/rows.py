"""The body of the plan table: section rows, measure rows, and rows it cannot place.

Each row is skipped as structure (blank, a repeated header or sub-header, "(1) (2) (3)");
or a section, when its number's shape is shallower than the measures' ("I." or "1." above
"1.1", see `numbers`; the measures' shape is read from the rows that have a lead, a time
or a monitor), or when it holds only a title (a warning says it had no number); or a
measure; or the rest of the row above (in a text export, where a page break cut it; in
Word or Excel only with no number, no lead and a time or proof, and with a warning).
Anything else is reported with its table, row number and text, never dropped without a
word. A table continuing the plan on the next page (or sheet) continues its section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rules.importers.cells import join_field, repair_split_words
from rules.importers.columns import TIME_ROLES, Header
from rules.importers.grid import RawTable
from rules.importers.kpi import kpi_targets
from rules.importers.numbering import format_number
from rules.importers.numbers import Marker, split_marker
from rules.importers.row_cells import (
    RowView,
    finish_row,
    is_column_numbering,
    row_problem,
    view_row,
)
from rules.importers.text_rows import continues, continues_title
from rules.plan import Heading, PlanProblem, PlanRow, SourceLocation

_DEFAULT_MEASURE_RANK = 2  # "1", "2": what measures are numbered with when nothing says


@dataclass(frozen=True)
class Part:
    """A table of the plan, its header, and the section its title opens (sheet per objective)."""

    table: RawTable
    header: Header
    opening: tuple[str, str] | None = None


@dataclass
class TableContent:
    rows: list[PlanRow] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)


@dataclass
class _Draft:
    view: RowView
    section: tuple[str, str]
    heading: int  # index of the heading it sits under, -1 for none
    number: str
    extra: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _State:
    file: str
    text_export: bool
    measure_rank: int
    section_rank: int
    heading: int = -1
    last: str = ""  # "section" or "row": what the previous placed row was
    after_gap: bool = False  # a blank row came just before
    taken: set[str] = field(default_factory=set)  # section numbers the table writes
    drafts: list[_Draft] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)

    @property
    def section(self) -> tuple[str, str]:
        if self.heading < 0:
            return "", ""
        heading = self.headings[self.heading]
        return heading.key, heading.title


def read_rows(file: str, parts: list[Part], *, text_export: bool = False) -> TableContent:
    """The plan rows, sections and unplaced rows of a table and its continuations."""
    views = [(part, view) for part in parts for view in _body(part)]
    measure_rank, section_rank = _ranks([view for _, view in views if view is not None])
    state = _State(file, text_export, measure_rank, section_rank)
    state.taken = {
        view.marker.label
        for _, view in views
        if view is not None and view.marker and view.marker.rank < measure_rank
    }
    opened: set[int] = set()
    for part, view in views:
        if part.opening is not None and id(part) not in opened:
            opened.add(id(part))
            if not _starts_with_heading(state, part, views):
                where = SourceLocation(file, part.table.index)
                _open(state, Heading(*part.opening, source=where))
        if view is None:
            state.after_gap = True
        else:
            _place(state, view)
    rows = [
        finish_row(d.view, file, _final_section(state, d), d.number, d.extra, text_export)
        for d in state.drafts
    ]
    headings = [_tidy_heading(heading, text_export) for heading in state.headings]
    return TableContent(rows, headings, state.problems)


def _starts_with_heading(
    state: _State, part: Part, views: list[tuple[Part, RowView | None]]
) -> bool:
    """A table whose first row is a section row needs no section from its title."""
    first = next((view for owner, view in views if owner is part and view is not None), None)
    return bool(first and first.marker and first.marker.rank < state.measure_rank)


def _body(part: Part) -> list[RowView | None]:
    """The table's rows after its header, as views; None marks a blank row."""
    views: list[RowView | None] = []
    for row in part.table.rows[part.header.first_row + part.header.height :]:
        if not any(text.strip() for text in row.cells):
            views.append(None)
        elif not (part.header.is_repeat(row) or is_column_numbering(row)):
            views.append(view_row(part.table, row, part.header))
    return views


def _ranks(views: list[RowView]) -> tuple[int, int]:
    """(the measures' rank, the sections' rank): where the table's rows sit."""
    measured = Counter(view.marker.rank for view in views if view.marker and view.measure_like)
    # On a tie (one measure per section), the deeper shape is the measures'.
    measure_rank = max(measured, key=lambda rank: (measured[rank], rank), default=None)
    if measure_rank is None:
        measure_rank = _DEFAULT_MEASURE_RANK
    above = [view.marker.rank for view in views if view.marker and view.marker.rank < measure_rank]
    return measure_rank, max(above, default=measure_rank - 1)


def _place(state: _State, view: RowView) -> None:
    if _objective_changes(state, view):
        key, title = _objective_section(state, view)
        _open(state, Heading(key, title, source=_where(state, view)))
        if not view.task:
            return
    marker = view.marker
    if marker is not None and _is_heading(state, view, marker):
        _open_heading(state, view, marker)
    elif state.text_export and continues(view, state.last, state.after_gap):
        state.drafts[-1].extra.append(view.cells)
    elif state.text_export and continues_title(view, state.last):
        heading = state.headings[state.heading]
        state.headings[state.heading] = _retitled(heading, f"{heading.title}\n{view.task}")
    elif _broken_row(state, view):
        draft = state.drafts[-1]
        draft.extra.append(view.cells)
        _report(state, view, "joined-row",
                f"không có số thứ tự và chủ trì: đã ghép vào dòng ở trên ({_ref(draft)}).")  # fmt: skip
    elif view.task and (view.measure_like or (marker and view.number)):
        _add_measure(state, view)
    elif view.is_note:
        _report(state, view, "skipped-note", "là ghi chú, không phải nhiệm vụ: không nhắc việc.")
    elif marker is None and (view.merged_title or view.task_only):
        key = _next_key(state)
        _open(state, Heading(key, view.task or view.texts[0], source=_where(state, view)))
        _report(state, view, "unnumbered-section",
                f"là tiêu đề mục không có số; đã đặt số mục “{key}”.")  # fmt: skip
    elif view.cells.get("lead", "").strip() and view.measure_like and not state.after_gap:
        _add_measure(state, view)
    else:
        _report(state, view, "unplaced-row", _unplaced_reason(state, view))
    state.after_gap = False


def _broken_row(state: _State, view: RowView) -> bool:
    """Part of the measure above, carried to a new table row: no number, no lead, some
    other cell of a measure, right after a numbered measure in a table with a TT column.
    A lone text (a title) or a task alone is never taken as such."""
    if view.number or view.marker or state.last != "row" or state.after_gap:
        return False
    if "number" not in view.header.columns or not state.drafts[-1].number:
        return False
    if view.cells.get("lead", "").strip() or view.merged_title:
        return False
    return any(view.cells.get(role, "").strip() for role in ("evidence", "monitors", *TIME_ROLES))


def _unplaced_reason(state: _State, view: RowView) -> str:
    if state.after_gap:
        return "nằm sau một dòng trống và không đủ nội dung, chủ trì: không nhắc việc."
    if view.task:
        return "chỉ có nội dung, không có số thứ tự, chủ trì hay thời gian: không xếp được."
    return "không có nội dung công việc, không xếp được vào kế hoạch."


def _ref(draft: _Draft) -> str:
    section = draft.section[0]
    return f"{section}.{draft.number}" if draft.number and section else section or draft.number


def _is_heading(state: _State, view: RowView, marker: Marker) -> bool:
    if marker.rank < state.measure_rank:
        return True
    # Objectives and measures both "1.": the objective row holds only its title.
    same_shape = marker.rank == state.measure_rank and not view.has_measure_fields
    return same_shape and (view.merged_title or view.task_only)


def _open_heading(state: _State, view: RowView, marker: Marker) -> None:
    level = 0 if marker.rank >= state.section_rank else state.section_rank - marker.rank
    kpi = join_field(view.cells.get("kpi", ""))
    title = view.title
    heading = Heading(marker.label, title, kpi, kpi_targets(kpi), _where(state, view), level)
    _open(state, heading)
    if view.cells.get("lead", "").strip() and any(
        view.cells.get(role, "").strip() for role in TIME_ROLES
    ):
        _report(state, view, "section-with-lead",
                "là tiêu đề mục (theo số thứ tự) nhưng có ghi chủ trì và thời gian: "
                "các ô đó không được nhắc việc; tách thành một dòng nhiệm vụ riêng nếu cần.")  # fmt: skip


def _open(state: _State, heading: Heading) -> None:
    state.headings.append(heading)
    state.heading = len(state.headings) - 1
    state.last = "section"


def _add_measure(state: _State, view: RowView) -> None:
    arabic = view.marker is not None and view.marker.kind == "arabic" and view.number
    number = view.marker.label if arabic and view.marker else view.number.rstrip(".)")
    section = state.section[0]
    if view.marker and section and number.startswith(f"{section}."):
        number = number[len(section) + 1 :]
    state.drafts.append(_Draft(view, state.section, state.heading, number))
    state.last = "row"


def _objective_changes(state: _State, view: RowView) -> bool:
    """In a table with an objective column, a new objective opens a section."""
    if not view.objective or view.objective_continued:
        return False
    return state.heading < 0 or view.objective != state.headings[state.heading].title


def _objective_section(state: _State, view: RowView) -> tuple[str, str]:
    if found := split_marker(view.objective):
        return found[0].label, found[1]
    if view.marker and view.marker.rank < state.measure_rank:
        return view.marker.label, view.objective
    return _next_key(state), view.objective


def _next_key(state: _State) -> str:
    """The key an unnumbered section gets: the one after the previous section's, in its
    shape, unless the table numbers a later section so ("II" taken: "I-a")."""
    keys = [heading.key for heading in state.headings if heading.level == 0]
    count = len(keys) + 1
    roman = bool(keys) and re.fullmatch(r"[IVXLC]+", keys[-1]) is not None
    key = format_number(count, "upperRoman") if roman else str(count)
    used = state.taken | set(keys)
    suffix = 0
    while key in used:
        suffix += 1
        key = f"{keys[-1] if keys else ''}-{format_number(suffix, 'lowerLetter')}"
    return key


def _final_section(state: _State, draft: _Draft) -> tuple[str, str]:
    """The section with its title as finally read (a text export may continue a title)."""
    if draft.heading < 0:
        return draft.section
    heading = state.headings[draft.heading]
    return heading.key, _tidy(join_field(heading.title), state.text_export)


def _tidy_heading(heading: Heading, text_export: bool) -> Heading:
    return _retitled(heading, _tidy(join_field(heading.title), text_export))


def _retitled(heading: Heading, title: str) -> Heading:
    return Heading(heading.key, title, heading.kpi, heading.targets, heading.source, heading.level)


def _tidy(text: str, text_export: bool) -> str:
    return repair_split_words(text) if text_export else text


def _where(state: _State, view: RowView) -> SourceLocation:
    return SourceLocation(state.file, view.table.index, view.row.number)


def _report(state: _State, view: RowView, code: str, what: str) -> None:
    state.problems.append(row_problem(view, state.file, code, what))
