"""Make the results report for a plan and period: gather, scope, render. Used by the CLI and
the draft job alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from notifications.reports.facts import OccurrenceFact, occurrence_facts
from notifications.reports.report_rows import report_occurrences
from notifications.reports.results import Period
from notifications.reports.results_docx import (
    ResultsRequest,
    render_results,
    results_context,
    scoped,
)
from notifications.reports.settings import ReportsConfig
from rules.plan import Plan
from scheduler.engine_context import EngineContext


class ReportError(Exception):
    """The report cannot be made as asked (unknown plan, no such period); Vietnamese."""


@dataclass(frozen=True)
class MadeReport:
    path: Path
    plan_key: str
    facts: tuple[OccurrenceFact, ...]  # the period's occurrences, as counted
    report_rows: tuple[OccurrenceFact, ...]  # the plan's own report occurrences for the period


def plan_facts(
    db: Engine, ctx: EngineContext, at: date, plan_key: str | None
) -> tuple[str, list[OccurrenceFact]]:
    """The facts of one plan: the one named, or the only one there is."""
    facts = occurrence_facts(db, ctx, at)
    keys = list(dict.fromkeys(f.plan.key for f in facts))
    if plan_key is None:
        if len(keys) > 1:
            raise ReportError("Có nhiều kế hoạch; chọn bằng --plan: " + ", ".join(keys))
        if not keys:
            raise ReportError("Cơ sở dữ liệu chưa có việc nào: chạy `nhacviec run` trước.")
        plan_key = keys[0]
    elif plan_key not in keys:
        raise ReportError(f"Không có kế hoạch «{plan_key}»; các kế hoạch: " + ", ".join(keys))
    return plan_key, [f for f in facts if f.plan.key == plan_key]


def signer(ctx: EngineContext, role: str) -> str:
    people = ctx.directory.role_people(role)
    return people[0].name if people else ""


def make_results(
    db: Engine,
    ctx: EngineContext,
    settings: ReportsConfig,
    out: Path,
    *,
    period: Period,
    at: date,
    year: int | None = None,
    plan_key: str | None = None,
    plan: Plan | None = None,
    template: Path | None = None,
) -> MadeReport:
    key, facts = plan_facts(db, ctx, at, plan_key)
    record = facts[0].plan
    request = ResultsRequest(
        period=period,
        year=year or record.year,
        at=at,
        organisation=record.organisation,
        signer_name=signer(ctx, settings.draft_role),
    )
    chosen = scoped(facts, request)
    context = results_context(chosen, request, settings, plan)
    render_results(context, out, template)
    rows = report_occurrences(facts, period, request.year)
    return MadeReport(out, key, tuple(chosen), tuple(rows))
