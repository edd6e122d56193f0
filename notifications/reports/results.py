"""The results report's content: which work the period covers, per objective, and the totals.

The period is the first half (1/1–30/6) or the whole year. It counts the occurrences due in
the period up to the report date, and those due later in the period that were already
closed (work done early is work done). The numbers are those of `nhacviec status`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from notifications.reports.facts import (
    EXEMPT,
    LATE,
    NOT_DONE,
    NOT_DUE,
    ON_TIME,
    OccurrenceFact,
)
from notifications.reports.measure_lines import measure_lines
from notifications.reports.vn_text import clip, percent, roman_value, short_date
from rules.plan import Objective, Plan, PlanRow

Period = Literal["6m", "year"]
PERIOD_NAMES: dict[str, str] = {"6m": "6 tháng đầu năm", "year": "năm"}


def period_bounds(period: Period, year: int) -> tuple[date, date]:
    return (date(year, 1, 1), date(year, 6, 30) if period == "6m" else date(year, 12, 31))


def in_scope(fact: OccurrenceFact, first: date, last: date, at: date) -> bool:
    due = fact.occurrence.due_on
    if not first <= due <= last:
        return False
    return due <= at or fact.outcome in (ON_TIME, LATE, EXEMPT)


@dataclass
class Tally:
    total: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    exempt: int = 0

    def add(self, outcome: str) -> None:
        self.total += 1
        if outcome == ON_TIME:
            self.on_time += 1
        elif outcome == LATE:
            self.late += 1
        elif outcome == EXEMPT:
            self.exempt += 1
        elif outcome in (NOT_DONE, NOT_DUE):
            self.not_done += 1

    @property
    def done(self) -> int:
        return self.on_time + self.late

    def to_context(self, name: str) -> dict[str, Any]:
        counted = self.total - self.exempt
        return {
            "name": name,
            "total": self.total,
            "on_time": self.on_time,
            "late": self.late,
            "not_done": self.not_done,
            "exempt": self.exempt,
            "rate": percent(self.done, counted),
            "on_time_rate": percent(self.on_time, counted),
        }


@dataclass
class _Section:
    section: str
    title: str
    rows: dict[str, list[OccurrenceFact]] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)


def kpi_text(value: object) -> str:
    """A KPI as written, whatever shape the importer (#19) gives it: text, a Target (its
    .text), several of them, or nothing."""
    if not value:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return "; ".join(t for item in value if (t := kpi_text(item)))
    text = getattr(value, "text", None)
    return str(text).strip() if text else str(value)


def _targets(objective: Objective | None) -> list[str]:
    if objective is None:
        return []
    kpi = kpi_text(getattr(objective, "kpi", None))
    found = [kpi] if kpi else []
    for target in objective.targets:
        found.append(f"{target.label}: {target.text}" if target.label else target.text)
    return list(dict.fromkeys(found))


def _objective_for(plan: Plan | None, section: str) -> Objective | None:
    if plan is None:
        return None
    number = roman_value(section)
    for objective in plan.objectives:
        if number is not None and objective.number.strip().rstrip(".") == str(number):
            return objective
    return None


def _plan_row(plan: Plan | None, ref: str) -> PlanRow | None:
    if plan is None:
        return None
    return next((row for row in plan.rows if row.ref == ref), None)


def _sections(facts: Sequence[OccurrenceFact]) -> list[_Section]:
    ordered = sorted(facts, key=lambda f: (f.row.id or 0, f.occurrence.due_on, f.unit))
    sections: dict[str, _Section] = {}
    for fact in ordered:
        row = fact.row
        entry = sections.setdefault(row.section, _Section(row.section, row.section_title))
        entry.rows.setdefault(row.ref, []).append(fact)
        entry.tally.add(fact.outcome)
    return list(sections.values())


def _row_context(plan: Plan | None, facts: list[OccurrenceFact]) -> dict[str, Any]:
    row = facts[0].row
    tally = Tally()
    for fact in facts:
        tally.add(fact.outcome)
    kpi = kpi_text(getattr(_plan_row(plan, row.ref), "kpi", None))
    return {
        "ref": row.ref,
        "task": row.task,
        "lead": row.lead_text,
        "kpi": kpi,
        "summary": f"{tally.done}/{tally.total - tally.exempt} việc hoàn thành"
        + (f", {tally.exempt} được miễn" if tally.exempt else ""),
        "lines": measure_lines(facts),
    }


def objectives_context(plan: Plan | None, facts: Sequence[OccurrenceFact]) -> list[dict[str, Any]]:
    """Per objective: its target, what was achieved, and the measures with their state."""
    result = []
    for entry in _sections(facts):
        objective = _objective_for(plan, entry.section)
        t = entry.tally
        achieved = (
            f"Hoàn thành {t.done}/{t.total - t.exempt} việc ({percent(t.done, t.total - t.exempt)}), "
            f"trong đó đúng hạn {t.on_time}, trễ hạn {t.late}; chưa hoàn thành {t.not_done}"
            + (f"; được miễn {t.exempt}" if t.exempt else "")
            + "."
        )
        result.append(
            {
                "section": entry.section,
                "title": objective.text if objective else entry.title,
                "targets": _targets(objective),
                "achieved": achieved,
                "measures": [_row_context(plan, rows) for rows in entry.rows.values()],
                "tally": t.to_context(f"Mục tiêu {entry.section}"),
            }
        )
    return result


def overall(facts: Sequence[OccurrenceFact]) -> Tally:
    tally = Tally()
    for fact in facts:
        tally.add(fact.outcome)
    return tally


def open_nonconformities(facts: Sequence[OccurrenceFact]) -> list[dict[str, Any]]:
    """The overdue work, for the corrective-action follow-up."""
    late = [f for f in facts if f.outcome == NOT_DONE]
    late.sort(key=lambda f: (-f.late_days, f.row.id or 0, f.unit))
    return [
        {
            "ref": f.row.ref,
            "task": clip(f.row.task, 90),
            "label": f.occurrence.label,
            "unit": f.unit,
            "due": short_date(f.occurrence.due_on),
            "late_days": f.late_days,
            "code": f.occurrence.code,
        }
        for f in late
    ]
