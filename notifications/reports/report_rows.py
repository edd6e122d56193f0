"""The plan's own report row ("Báo cáo kết quả thực hiện MTCL 6 tháng, năm") and its occurrences.

The results report closes them: `report results --log-evidence` logs the file as their
evidence, and the draft job prepares the document before their deadline.
"""

from __future__ import annotations

from collections.abc import Iterable

from notifications.reports.facts import OccurrenceFact
from notifications.reports.results import Period
from rules.plan import normalise_key

_SUBJECTS = ("mtcl", "mục tiêu chất lượng")
_HALF = ("6 tháng", "06 tháng", "sáu tháng")


def is_report_row(task: str) -> bool:
    key = normalise_key(task)
    return "báo cáo" in key and any(s in key for s in _SUBJECTS)


def _is_half(label: str) -> bool:
    key = normalise_key(label)
    return any(h in key for h in _HALF)


def report_occurrences(
    facts: Iterable[OccurrenceFact], period: Period, year: int
) -> list[OccurrenceFact]:
    """The report row's occurrences for this period: by their label ("Báo cáo 6 tháng",
    "Báo cáo năm"), else the row's first (6m) or last (year) deadline of the year."""
    candidates = [
        f for f in facts if is_report_row(f.row.task) and f.occurrence.due_on.year == year
    ]
    by_row: dict[int, list[OccurrenceFact]] = {}
    for fact in candidates:
        by_row.setdefault(fact.row.id or 0, []).append(fact)
    chosen: list[OccurrenceFact] = []
    for row_facts in by_row.values():
        labelled = [f for f in row_facts if _is_half(f.occurrence.label) == (period == "6m")]
        if labelled and len(labelled) < len(row_facts):
            chosen += labelled
            continue
        dates = sorted({f.occurrence.due_on for f in row_facts})
        pick = dates[0] if period == "6m" else dates[-1]
        chosen += [f for f in row_facts if f.occurrence.due_on == pick]
    return chosen
