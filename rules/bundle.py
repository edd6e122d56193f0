"""What a person's daily bundle says: its items grouped, their deadlines in words, its subject.

A bundle carries facts (occurrence, step, person); several facts about one occurrence
(a catch-up after downtime) make one item. Items are grouped by why the person hears
about them: their own work, the units they monitor, what was escalated to them. Pure:
the calendar and the day are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from rules.vndate import vietnamese_date

OWN, MONITORED, ESCALATED = "own", "monitored", "escalated"
GROUP_TITLES = {
    OWN: "Việc của anh/chị",
    MONITORED: "Đơn vị anh/chị theo dõi",
    ESCALATED: "Việc đã báo lên anh/chị",
}


class WorkingDays(Protocol):
    def working_days_between(self, start: date, end: date) -> int: ...
    def __hash__(self) -> int: ...  # deadline_words is memoised per calendar


def group_of(reason: str) -> str:
    """lead / coordinating -> own work; monitor -> monitored units; a role -> escalated."""
    if reason in ("lead", "coordinating"):
        return OWN
    return MONITORED if reason == "monitor" else ESCALATED


@lru_cache(maxsize=8192)  # a bundle asks it for every line, and lines share their dates
def deadline_words(today: date, due: date, calendar: WorkingDays) -> str:
    """ "còn 3 ngày", "đến hạn hôm nay", "quá hạn 5 ngày làm việc"."""
    if due > today:
        return f"còn {(due - today).days} ngày"
    if due == today:
        return "đến hạn hôm nay"
    late = -calendar.working_days_between(today, due)
    return f"quá hạn {late} ngày làm việc" if late > 0 else "quá hạn"


class Fact(NamedTuple):
    """What the bundle needs of one fact: why the person hears of it and the reminder's
    context. A tuple: a busy morning makes tens of thousands."""

    fact_id: int
    step: str
    level: int
    reason: str
    context: Mapping[str, Any]  # the reminder context (scheduler.template_data)


_GROUP_ORDER = {group: n for n, group in enumerate(GROUP_TITLES)}


def _fact_order(fact: Fact) -> tuple[int, int]:
    return fact.level, fact.fact_id


def bundle_subject(due: int, overdue: int, day: date) -> str:
    """ "[Nhắc việc] 2 việc đến hạn, 1 việc quá hạn — thứ Hai, 09/09/2024"."""
    parts = []
    if due:
        parts.append(f"{due} việc đến hạn")
    if overdue:
        parts.append(f"{overdue} việc quá hạn")
    return f"[Nhắc việc] {', '.join(parts) or 'không có việc mới'} — {vietnamese_date(day)}"


def _occurrence_line(context: Mapping[str, Any], today: date, calendar: WorkingDays) -> Any:
    """What an item says of its occurrence, the same in every bundle of the day."""
    row, occurrence = context["row"], context["occurrence"]
    due = date.fromisoformat(occurrence["due_on"])
    return {
        "code": occurrence["code"],
        "ref": row["ref"],
        "task": row["task"],
        "label": occurrence["label"],
        "unit": occurrence["unit"],
        "due_on": occurrence["due_on"],
        "deadline": deadline_words(today, due, calendar),
        "overdue": due < today,
    }


def bundle_context(
    person: Mapping[str, Any],
    day: date,
    facts: Sequence[Fact],
    calendar: WorkingDays,
    lines: MutableMapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The template context of one bundle: groups of items in deadline order, counts, subject.

    `lines` keeps what items say of their occurrences, by code, for the day's other
    bundles: an occurrence's lead, monitors and QMR each get a line about it."""
    lines = {} if lines is None else lines
    items: dict[str, dict[str, Any]] = {}
    for fact in sorted(facts, key=_fact_order):
        code = fact.context["occurrence"]["code"]
        line = lines.get(code)
        if line is None:
            line = lines[code] = _occurrence_line(fact.context, day, calendar)
        group = group_of(fact.reason)
        known = items.get(code)
        if known is None:
            items[code] = {**line, "group": group, "step": fact.step, "level": fact.level}
            continue
        # The same occurrence twice (a step missed while down): one line, the latest step,
        # the closest reason to the person (own work before monitoring).
        known["step"], known["level"] = fact.step, fact.level
        if _GROUP_ORDER[group] < _GROUP_ORDER[known["group"]]:
            known["group"] = group
    ordered = sorted(items.values(), key=lambda i: (i["due_on"], i["ref"], i["unit"]))
    groups = [
        {"id": g, "title": title, "items": [i for i in ordered if i["group"] == g]}
        for g, title in GROUP_TITLES.items()
    ]
    overdue = sum(1 for i in ordered if i["overdue"])
    return {
        "kind": "bundle",
        "person": dict(person),
        "as_of": day.isoformat(),
        "plan": facts[0].context["plan"],
        "groups": [g for g in groups if g["items"]],
        "count": len(ordered),
        "due": len(ordered) - overdue,
        "overdue": overdue,
        "subject_text": bundle_subject(len(ordered) - overdue, overdue, day),
    }
