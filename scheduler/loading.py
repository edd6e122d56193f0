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


def _name_problems(
    row: PlanRow, column: str, text: str, resolution: Resolution
) -> list[PlanProblem]:
    problems = []
    for part in resolution.unresolved:
        close = resolution.suggestions.get(part, ())
        hint = "Gần giống: " + ", ".join(f"«{c}»" for c in close) + ". " if close else ""
        problems.append(
            PlanProblem(
                severity="error",
                code="unresolved-name",
                message=f"Cột «{column}» của dòng {row.ref} có tên không có trong danh bạ: «{part}».",
                source=row.source,
                row_ref=row.ref,
                text=text,
                hint=hint + "Thêm tên này (hoặc bí danh) vào [[units]], [[groups]] hoặc [[roles]] "
                "trong config.toml.",
            )
        )
    return problems


def compile_row(
    row: PlanRow,
    year: int,
    directory: Directory,
    options: TimingOptions,
    override: str | None = None,
) -> tuple[CompiledRow, list[PlanProblem]]:
    timing_text = override or row.timing
    problems: list[PlanProblem] = []
    schedule: Schedule | None = None
    try:
        schedule = compile_phrase(timing_text, year, options)
    except TimingError as exc:
        problems.append(
            PlanProblem(
                severity="error",
                code="unreadable-timing",
                message=f"Dòng {row.ref}: không đọc được thời gian thực hiện. {exc.message}",
                source=row.source,
                row_ref=row.ref,
                text=timing_text,
                hint=(exc.hint + ". " if exc.hint else "")
                + f'Hoặc ghi lịch cho dòng này trong config.toml: [plans.schedules] "{row.ref}" = "…"',
            )
        )
    lead = directory.resolve(row.lead)
    coordinating = directory.resolve(row.coordinating)
    monitors = directory.resolve(row.monitors)
    problems += _name_problems(row, "Chủ trì", row.lead, lead)
    problems += _name_problems(row, "Phối hợp", row.coordinating, coordinating)
    problems += _name_problems(row, "Trách nhiệm theo dõi", row.monitors, monitors)
    return CompiledRow(row, timing_text, schedule, lead, coordinating, monitors), problems


def compile_loaded_plan(
    plan: Plan,
    key: str,
    directory: Directory,
    options: TimingOptions,
    overrides: dict[str, str] | None = None,
) -> CompiledPlan:
    compiled = CompiledPlan(key=key, plan=plan)
    overrides = overrides or {}
    for row in plan.rows:
        compiled_row, problems = compile_row(
            row, plan.year, directory, options, overrides.get(row.ref)
        )
        compiled.rows.append(compiled_row)
        compiled.problems.extend(problems)
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
