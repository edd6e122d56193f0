"""Dated deadlines of a schedule for one plan year, with keys unique within the row."""

from __future__ import annotations

import re
from collections import Counter

from rules.calendar import WorkingCalendar
from rules.timing.model import Deadline
from rules.timing.rule_base import Expansion
from rules.timing.schedule import Schedule
from rules.timing.words import strip_diacritics


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text)).strip("-")


def rule_deadlines(
    schedule: Schedule, year: int, calendar: WorkingCalendar
) -> list[list[Deadline]]:
    """The deadlines of each rule, in rule order (ad hoc and after rules have none)."""
    ctx = Expansion(year, calendar, schedule.options)
    per_rule = [
        sorted(rule.expand(ctx), key=lambda item: (item[3], item[0])) for rule in schedule.rules
    ]
    counts = Counter(item[0] for items in per_rule for item in items)
    result: list[list[Deadline]] = []
    used: set[str] = set()
    for index, (rule, items) in enumerate(zip(schedule.rules, per_rule, strict=True)):
        dated: list[Deadline] = []
        for key, label, opens, due in items:
            if counts[key] > 1:  # two rules give the same key: tell them apart by label
                key = f"{_slug(rule.label) or f'r{index + 1}'}/{key}"
                if key in used:
                    key = f"{key}-{index + 1}"
            used.add(key)
            dated.append(Deadline(key, rule.kind, label, opens, due))
        result.append(dated)
    return result


def deadlines(schedule: Schedule, year: int, calendar: WorkingCalendar) -> list[Deadline]:
    """Every dated due date of `schedule` for `year`, sorted (check-ins included)."""
    flat = [deadline for dated in rule_deadlines(schedule, year, calendar) for deadline in dated]
    return sorted(flat, key=lambda deadline: (deadline.due, deadline.key))
