"""Read the configured plans and compile each row with the directory and the timing compiler.

Nothing here touches the database: the result says, row by row, what the plan asks
for and what could not be understood, so the same problems show in `plan check`,
at engine start and in the QMR's digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rules.directory import Directory, Resolution
from rules.importers import load_plan
from rules.plan import Plan, PlanProblem, PlanRow
from rules.plan_check import check_plan
from rules.timing import Schedule, TimingError, TimingOptions, compile_phrase
from scheduler.settings import PlanSource


@dataclass(frozen=True)
class CompiledRow:
    row: PlanRow
    timing_text: str  # the phrase compiled: the document's, or config's override
    schedule: Schedule | None
    lead: Resolution
    coordinating: Resolution
    monitors: Resolution


@dataclass
class CompiledPlan:
    key: str
    plan: Plan
    rows: list[CompiledRow] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)


def compile_row(
    row: PlanRow,
    year: int,
    directory: Directory,
    options: TimingOptions,
    override: str | None = None,
) -> tuple[CompiledRow, str | None]:
    """The row compiled, and why its timing could not be (None when it could)."""
    timing_text = override or row.timing
    schedule: Schedule | None = None
    reason: str | None = None
    try:
        schedule = compile_phrase(timing_text, year, options)
    except TimingError as exc:
        reason = f"{exc.message}. Gợi ý: {exc.hint}" if exc.hint else exc.message
    lead = directory.resolve(row.lead)
    coordinating = directory.resolve(row.coordinating)
    monitors = directory.resolve(row.monitors)
    return CompiledRow(row, timing_text, schedule, lead, coordinating, monitors), reason


def compile_loaded_plan(
    plan: Plan,
    key: str,
    directory: Directory,
    options: TimingOptions,
    overrides: dict[str, str] | None = None,
) -> CompiledPlan:
    """The plan's rows compiled, and its problems from the one pipeline (`check_plan`)."""
    compiled = CompiledPlan(key=key, plan=plan)
    overrides = overrides or {}
    reasons: dict[str, str] = {}
    for row in plan.rows:
        compiled_row, reason = compile_row(
            row, plan.year, directory, options, overrides.get(row.ref)
        )
        compiled.rows.append(compiled_row)
        if reason is not None:
            reasons[compiled_row.timing_text] = reason
    compiled.problems = check_plan(
        plan,
        timing_problem=lambda text, _year: reasons.get(text),
        directory=directory,
        overrides=overrides,
    )
    return compiled


def load_configured_plans(
    sources: Sequence[PlanSource], base_dir: Path, directory: Directory, options: TimingOptions
) -> list[CompiledPlan]:
    """Every configured plan ([[plans]], files relative to `base_dir`), imported and compiled.
    Import errors propagate (PlanImportError)."""
    result = []
    for source in sources:
        path = source.file if source.file.is_absolute() else base_dir / source.file
        plan = load_plan(path)
        if source.year is not None and source.year != plan.year:
            plan = replace(plan, year=source.year)
        result.append(
            compile_loaded_plan(plan, str(source.file), directory, options, source.schedules)
        )
    return result
