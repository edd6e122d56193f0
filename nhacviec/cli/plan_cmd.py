"""`nhacviec plan check FILE`: read a plan as the office wrote it and say what to fix."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from nhacviec.cli.audience_view import audience_json, audiences, compiled_rows, print_audiences
from nhacviec.config import ConfigError, load_config
from rules.importers import load_plan
from rules.plan import Heading, Plan, PlanImportError, PlanProblem, PlanRow
from rules.plan_check import TimingProblem, check_plan

app = typer.Typer(
    help="Kế hoạch thực hiện Mục tiêu chất lượng: đọc và kiểm tra tệp kế hoạch.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_TASK_CHARS = 70
_SEVERITY_NAMES = {"error": "Lỗi", "warning": "Cảnh báo"}


@app.callback()
def _plan() -> None:
    """Kế hoạch thực hiện Mục tiêu chất lượng: đọc và kiểm tra tệp kế hoạch."""


@app.command()
def check(
    file: Annotated[
        Path, typer.Argument(metavar="TỆP", help="Tệp kế hoạch: .docx, .xlsx, .txt, .toml, .csv.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="Với config.toml: liệt kê theo từng dòng ai được nhắc, báo lên."
        ),
    ] = None,
) -> None:
    """Đọc kế hoạch, liệt kê các dòng và các chỗ cần sửa; mã thoát 1 khi có lỗi."""
    try:
        plan = load_plan(file)
        cfg = load_config(config) if config else None
    except (PlanImportError, ConfigError) as exc:
        typer.echo(f"Lỗi: {' '.join(str(exc).split())}", err=True)
        raise typer.Exit(1) from None
    problems = check_plan(
        plan, timing_problem=timing_checker(), directory=cfg.directory() if cfg else None
    )
    found = audiences(cfg, compiled_rows(plan, cfg)) if cfg else None
    if as_json:
        report = plan_report(plan, problems)
        if cfg and found is not None:
            report["audience"] = audience_json(cfg, found)
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_human(plan, problems)
        if cfg and found is not None:
            print_audiences(Console(highlight=False), cfg, found)
    if any(problem.severity == "error" for problem in problems):
        raise typer.Exit(1)


def timing_checker() -> TimingProblem | None:
    """The timing compiler as a check, or None while `rules.timing` is not available."""
    try:
        from rules.timing import TimingError, compile_phrase
    except ImportError:
        return None

    def problem(text: str, year: int) -> str | None:
        try:
            compile_phrase(text, year)
        except TimingError as exc:
            return str(exc)
        return None

    return problem


def plan_report(plan: Plan, problems: list[PlanProblem]) -> dict[str, Any]:
    """The JSON form: the plan, its objectives, its rows and its problems."""
    first, last = plan.span
    headings = {heading.key: heading for heading in plan.headings if heading.level == 0}
    return {
        "plan": {
            "organisation": plan.organisation,
            "year": plan.year,
            "title": plan.title,
            "source": plan.source,
            "kind": plan.kind,
            "start": first.isoformat(),
            "end": last.isoformat(),
            "years": list(plan.years),
            "missing_columns": list(plan.missing_columns),
            "sections": [_section(s, title, headings.get(s)) for s, title in plan.sections()],
            "parts": [asdict(h) for h in plan.headings if h.level > 0],
        },
        "objectives": [asdict(objective) for objective in plan.objectives],
        "rows": [row.to_dict() for row in plan.rows],
        "problems": [asdict(problem) for problem in problems],
    }


def _section(key: str, title: str, heading: Heading | None) -> dict[str, Any]:
    """A section as the rows name it, with its KPI and where its row is."""
    return {
        "section": key,
        "title": title,
        "kpi": heading.kpi if heading else "",
        "targets": [asdict(target) for target in heading.targets] if heading else [],
        "source": asdict(heading.source) if heading and heading.source else None,
    }


def _print_human(plan: Plan, problems: list[PlanProblem]) -> None:
    console = Console(highlight=False)
    heading = plan.title or f"Kế hoạch năm {plan.year}"
    who = f" — {plan.organisation}" if plan.organisation else ""
    console.print(f"[bold]{escape(heading)}[/bold]{escape(who)} ({escape(plan.source)})")
    table = Table("Mục", "Nội dung", "Chủ trì", "Thời gian", "Theo dõi", show_lines=False)
    for row in plan.rows:
        cells = (row.ref, _shorten(row.task), row.lead, _timing(row), row.monitors)
        table.add_row(*(Text(cell) for cell in cells))  # plan text is never markup
    console.print(table)
    errors = sum(1 for problem in problems if problem.severity == "error")
    console.print(
        f"{len(plan.rows)} dòng, {len(plan.sections())} mục; "
        f"{errors} lỗi, {len(problems) - errors} cảnh báo.",
        highlight=False,
    )
    for problem in problems:
        _print_problem(console, problem)


def _print_problem(console: Console, problem: PlanProblem) -> None:
    style = "red" if problem.severity == "error" else "yellow"
    located = problem.source is not None and problem.message.startswith(problem.source.describe())
    where = f" ({problem.source.describe()})" if problem.source and not located else ""
    label = _SEVERITY_NAMES[problem.severity]
    console.print(f"[{style}]{label}[/{style}]{escape(where)}: {escape(problem.message)}")
    if problem.text:
        console.print(f"    «{problem.text}»", highlight=False, markup=False)
    if problem.hint:
        console.print(f"    → {problem.hint}", highlight=False, markup=False)


_PART_NAMES = {"frequency": "Tần suất", "deadline": "Thời hạn", "start": "Bắt đầu",
               "end": "Kết thúc", "timing": "Thời gian"}  # fmt: skip


def _timing(row: PlanRow) -> str:
    """The phrase, and the cells it was composed from when the plan splits the time."""
    if not row.timing_parts:
        return row.timing
    parts = "; ".join(f"{_PART_NAMES[role]}: {text or '—'}" for role, text in row.timing_parts)
    return f"{row.timing}\n({parts})"


def _shorten(text: str) -> str:
    return text if len(text) <= _TASK_CHARS else f"{text[: _TASK_CHARS - 1]}…"
