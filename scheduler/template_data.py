"""The context a reminder's template receives: plan, row, occurrence, step, days left."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Protocol

from rules.escalation import Firing
from scheduler.due import DueOccurrence
from scheduler.engine_context import EngineContext
from scheduler.models import Occurrence, PlanRecord, RowRecord


def row_context(row: RowRecord) -> dict[str, Any]:
    return {
        "ref": row.ref,
        "section": row.section,
        "section_title": row.section_title,
        "number": row.number,
        "task": row.task,
        "lead": row.lead_text,
        "coordinating": row.coordinating_text,
        "monitors": row.monitors_text,
        "timing": row.timing_text,
        "evidence": json.loads(row.evidence_json),
        "source": row.source,
    }


class PlanFields(Protocol):
    """What a plan's context needs: a PlanRecord, or a row selected with those columns."""

    @property
    def title(self) -> str: ...
    @property
    def organisation(self) -> str: ...
    @property
    def year(self) -> int: ...


def unit_name(ctx: EngineContext, unit_id: str) -> str:
    return ctx.directory.display_name(unit_id) if unit_id else "(chưa xác định đơn vị chủ trì)"


def plan_context(plan: PlanFields) -> dict[str, Any]:
    return {
        "title": plan.title or f"Kế hoạch thực hiện MTCL năm {plan.year}",
        "organisation": plan.organisation,
        "year": plan.year,
    }


def occurrence_context(
    ctx: EngineContext, occurrence: Occurrence | DueOccurrence
) -> dict[str, Any]:
    return {
        "id": occurrence.id,
        "code": occurrence.code,
        "label": occurrence.label,
        "kind": occurrence.kind,
        "opens_on": occurrence.opens_on.isoformat() if occurrence.opens_on else None,
        "due_on": occurrence.due_on.isoformat(),
        "unit": unit_name(ctx, occurrence.unit_id),
    }


def notification_context(
    ctx: EngineContext,
    plan: PlanRecord,
    row: RowRecord,
    occurrence: Occurrence | DueOccurrence,
    firing: Firing,
    reason: str,
    today: date,
) -> dict[str, Any]:
    return {
        "plan": plan_context(plan),
        "row": row_context(row),
        "occurrence": occurrence_context(ctx, occurrence),
        "step": {
            "name": firing.step.name,
            "level": firing.level,
            "audience": ",".join(firing.step.audience),
        },
        "recipient_role": reason,
        "as_of": today.isoformat(),
        "days_left": (occurrence.due_on - today).days,
        "working_days_left": ctx.calendar.working_days_between(today, occurrence.due_on),
    }
