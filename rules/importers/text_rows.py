"""Rows a page break cut in a text export, read back into the row above.

A text export (tab-separated, or one cell per line) loses where a Word row ended; a row
the page break cut shows as a row of its own with no number. Word and Excel files keep
their rows whole, so these rules apply to text exports only.
"""

from __future__ import annotations

from rules.importers.columns import TIME_ROLES
from rules.importers.row_cells import RowView


def continues(view: RowView, last: str, after_gap: bool) -> bool:
    """In a text export, the rest of a row a page break cut: no number, after a measure.

    The export marks the break with a blank line (tab-separated) or not at all (one cell
    per line); there, a row without a number that lacks a lead or a time is the rest.
    """
    if view.number or view.marker or last != "row":
        return False
    if after_gap and not view.row.after_break:
        return False
    complete = bool(view.cells.get("lead", "").strip()) and any(
        view.cells.get(role, "").strip() for role in TIME_ROLES
    )
    return view.row.after_break or ("number" in view.header.columns and not complete)


def continues_title(view: RowView, last: str) -> bool:
    """In a text export, a section title a page break cut: only the task column holds text."""
    others = (text for role, text in view.cells.items() if role != "task")
    return (
        last == "section"
        and view.row.after_break
        and not view.number
        and bool(view.task)
        and not any(text.strip() for text in others)
    )
