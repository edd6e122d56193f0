"""The lines under a measure in the results report: one per occurrence, or one per unit.

A monthly row led by ten units has 120 occurrences a year; listed one by one they would
bury the report. A unit with more than DETAIL_LIMIT occurrences of a measure gets one line:
its counts, the late and unfinished rounds by name, and the evidence cited once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from notifications.reports.facts import (
    EXEMPT,
    LATE,
    NOT_DONE,
    NOT_DUE,
    ON_TIME,
    OccurrenceFact,
    evidence_text,
    outcome_text,
)
from notifications.reports.vn_text import short_date

DETAIL_LIMIT = 2


def _label(fact: OccurrenceFact) -> str:
    return fact.occurrence.label or short_date(fact.occurrence.due_on)


def _detail(fact: OccurrenceFact) -> dict[str, Any]:
    o = fact.occurrence
    evidence = evidence_text(fact)
    text = f"{_label(fact)}, {fact.unit}, hạn {short_date(o.due_on)}: {outcome_text(fact)}"
    return {
        "text": text + (f"; minh chứng: {evidence}" if evidence else ""),
        "code": o.code,
        "label": _label(fact),
        "unit": fact.unit,
        "due": short_date(o.due_on),
        "closed": short_date(fact.closed_on),
        "state": outcome_text(fact),
        "outcome": fact.outcome,
        "evidence": evidence,
    }


def _unit_line(unit: str, facts: list[OccurrenceFact]) -> dict[str, Any]:
    def having(*outcomes: str) -> list[OccurrenceFact]:
        return [f for f in facts if f.outcome in outcomes]

    first, last = facts[0].occurrence.due_on, facts[-1].occurrence.due_on
    parts = [f"đúng hạn {len(having(ON_TIME))}"]
    if late := having(LATE):
        rounds = "; ".join(f"{_label(f)} trễ {f.late_days} ngày làm việc" for f in late)
        parts.append(f"trễ hạn {len(late)} ({rounds})")
    if open_ := having(NOT_DONE, NOT_DUE):
        parts.append(f"chưa hoàn thành {len(open_)} ({', '.join(_label(f) for f in open_)})")
    if exempt := having(EXEMPT):
        parts.append(f"được miễn {len(exempt)} ({', '.join(outcome_text(f) for f in exempt)})")
    cited = list(dict.fromkeys(e for f in facts if (e := evidence_text(f))))
    text = (
        f"{unit}, {len(facts)} đợt (hạn từ {short_date(first)} đến {short_date(last)}): "
        + ", ".join(parts)
        + (f"; minh chứng: {'; '.join(cited)}" if cited else "")
    )
    return {
        "text": text,
        "code": "",
        "label": f"{len(facts)} đợt",
        "unit": unit,
        "due": f"{short_date(first)}–{short_date(last)}",
        "closed": "",
        "state": ", ".join(parts),
        "outcome": "",
        "evidence": "; ".join(cited),
    }


def measure_lines(facts: Sequence[OccurrenceFact]) -> list[dict[str, Any]]:
    """`facts` of one row: per unit, its occurrences one by one, or one line for them all."""
    by_unit: dict[str, list[OccurrenceFact]] = {}
    for fact in sorted(facts, key=lambda f: (f.unit, f.occurrence.due_on)):
        by_unit.setdefault(fact.unit, []).append(fact)
    lines: list[dict[str, Any]] = []
    for unit, unit_facts in by_unit.items():
        if len(unit_facts) > DETAIL_LIMIT:
            lines.append(_unit_line(unit, unit_facts))
        else:
            lines += [_detail(f) for f in unit_facts]
    return lines
