"""The weekly digest's shape: what each section holds, and the context its template gets.

digest_data fills it from the database; digest renders and sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from notifications.digest_reading import reading_context
from rules.plan import PlanProblem

DUE_SOON_DAYS = 14
TOP_OVERDUE = 5
BAR_CELLS = 10
SHARES = ("on_time", "late", "open", "overdue")


@dataclass(frozen=True)
class Task:
    code: str
    ref: str
    task: str
    label: str
    unit_id: str  # "" when the plan's lead did not resolve to a unit
    unit: str
    due_on: date


@dataclass(frozen=True)
class OverdueItem(Task):
    days_late: int  # working days
    level: int  # escalation steps fired so far
    reached: str  # audience of the last step fired: lead | monitors | role:<id> | ""
    reached_name: str  # the role's name when `reached` is a role


@dataclass(frozen=True)
class UnitOverdue:
    unit_id: str
    unit: str
    entries: tuple[OverdueItem, ...]  # the latest first


@dataclass(frozen=True)
class EscalationItem(Task):
    on: date
    step: str
    level: int
    repeat: bool  # the last step repeating, not a new rung of the ladder
    reached: str
    reached_name: str
    recipients: tuple[str, ...]
    failed: tuple[str, ...]  # recipients no channel reached
    waiting: tuple[str, ...]  # recipients still queued (outside working hours, retrying)


@dataclass(frozen=True)
class DueItem(Task):
    working_days_left: int


@dataclass(frozen=True)
class DoneItem(Task):
    closed_on: date
    days_late: int  # working days; 0 = on time
    evidence: tuple[str, ...]
    by: str
    on_behalf: bool  # a monitor recorded it for the lead unit


@dataclass(frozen=True)
class ObjectiveStats:
    plan: str
    section: str
    title: str  # the quality objective
    on_time: int = 0
    late: int = 0
    open: int = 0  # not yet due
    overdue: int = 0
    # The objective's KPI target when the plan states one ("đạt 90%"); the slot the digest
    # shows once the imported objectives reach the database (#19 gives them their targets).
    kpi: str = ""


@dataclass(frozen=True)
class DeliveryIssue:
    person_id: str
    person: str
    channel: str
    problem: str  # bounced | blocked | rejected | no-channel | unknown-person
    detail: str
    since: date


@dataclass(frozen=True)
class Digest:
    as_of: datetime  # local time
    since: datetime  # local time: the digest reports what happened after it
    plans: tuple[str, ...]  # titles ("" when the document has none) or keys
    units: tuple[str, ...]  # unit names when the digest is for some units only
    overdue: tuple[UnitOverdue, ...]
    escalated: tuple[EscalationItem, ...]
    due_soon: tuple[DueItem, ...]
    completed: tuple[DoneItem, ...]
    objectives: tuple[ObjectiveStats, ...]
    delivery: tuple[DeliveryIssue, ...]
    plan_problems: tuple[PlanProblem, ...]

    @property
    def overdue_items(self) -> list[OverdueItem]:
        """Every overdue item, the latest first."""
        items = [i for group in self.overdue for i in group.entries]
        return sorted(items, key=lambda i: (-i.days_late, i.due_on, i.ref, i.unit))

    @property
    def quiet(self) -> bool:
        """Nothing needs the reader: nothing late, nothing escalated, nothing broken."""
        return not (self.overdue or self.escalated or self.delivery or self.plan_problems)

    @property
    def empty(self) -> bool:
        return self.quiet and not (self.due_soon or self.completed or self.objectives)

    def to_context(self) -> dict[str, Any]:
        """Plain JSON values for the templates (dates as ISO strings), with counts and bars."""
        on_time = sum(1 for d in self.completed if d.days_late == 0)
        context = {
            "as_of": self.as_of.date().isoformat(),
            "as_of_time": f"{self.as_of:%H:%M}",
            "since": self.since.date().isoformat(),
            "week": self.as_of.isocalendar().week,
            "year": self.as_of.year,
            "due_soon_days": DUE_SOON_DAYS,
            "quiet": self.quiet,
            "plans": list(self.plans),
            "units": list(self.units),
            "counts": {
                "overdue": sum(len(g.entries) for g in self.overdue),
                "overdue_units": len(self.overdue),
                "escalated": len(self.escalated),
                "due_soon": len(self.due_soon),
                "done": len(self.completed),
                "done_on_time": on_time,
                "done_late": len(self.completed) - on_time,
                "delivery": len(self.delivery),
                "plan_problems": len(self.plan_problems),
            },
            "overdue": [_plain(g) | {"count": len(g.entries)} for g in self.overdue],
            "top_overdue": _plain(self.overdue_items[:TOP_OVERDUE]),
            "escalated": _plain(self.escalated),
            "due_soon": _plain(self.due_soon),
            "completed": _plain(self.completed),
            "delivery": _plain(self.delivery),
            "objectives": [_objective_context(o) for o in self.objectives],
            "plan_problems": [
                {"severity": p.severity, "message": p.message, "hint": p.hint, "row_ref": p.row_ref}
                for p in self.plan_problems
            ],
        }
        return context | reading_context(context)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def shares(counts: Sequence[int], whole: int = 100) -> list[int]:
    """Split `whole` in proportion to `counts` so the parts add up exactly (largest remainder)."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    exact = [c * whole / total for c in counts]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: whole - sum(parts)]:
        parts[i] += 1
    return parts


def _objective_context(stats: ObjectiveStats) -> dict[str, Any]:
    counts = [getattr(stats, name) for name in SHARES]
    total, done = sum(counts), stats.on_time + stats.late
    cells = shares([done, total - done], BAR_CELLS)[0]
    plain: dict[str, Any] = _plain(stats)
    return plain | {
        "total": total,
        "pct": dict(zip(SHARES, shares(counts), strict=True)),
        "done_pct": shares([done, total - done])[0],
        "cells_done": cells,
        "cells_rest": BAR_CELLS - cells if total else 0,
    }
