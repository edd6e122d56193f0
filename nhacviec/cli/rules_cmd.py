"""`nhacviec rules explain "PHRASE" --year 2024`: how a timing phrase is read, with its dates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nhacviec.cli.common import CommandError
from rules.calendar import WorkingCalendar
from rules.timing import Deadline, Schedule, TimingError, TimingOptions, compile_phrase
from rules.timing.expand import rule_deadlines
from rules.vndate import vietnamese_date

app = typer.Typer(
    help="Luật đọc thời hạn: thử cách đọc cột «Thời gian thực hiện».",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

KIND_NAMES = {
    "once": "một lần",
    "window": "đợt",
    "yearly": "hằng năm",
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "halfyearly": "6 tháng/lần",
    "weekly": "hằng tuần",
    "ongoing": "kiểm tra định kỳ",
    "adhoc": "đột xuất",
    "after": "sau sự kiện",
    "nth_weekday": "tuần thứ N",
    "count": "số lần mỗi kỳ",
    "term": "mỗi học kỳ",
}


@app.callback()
def _rules() -> None:
    """Luật đọc thời hạn: thử cách đọc cột «Thời gian thực hiện»."""


@app.command()
def explain(
    phrase: Annotated[
        str, typer.Argument(metavar="CỤM", help="Cụm «Thời gian thực hiện», như trong kế hoạch.")
    ],
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm kế hoạch.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="config.toml: ngày nghỉ bổ sung, ngày làm bù, mục [timing].",
        ),
    ] = None,
) -> None:
    """Show how PHRASE is read and its dated deadlines for the plan year."""
    plan_year = year if year is not None else date.today().year
    try:
        calendar, options = settings(config)
        schedule = compile_phrase(phrase, plan_year, options)
    except (TimingError, ValueError, CommandError) as exc:
        # Printed here too: tests and other tools run this sub-app on its own.
        typer.echo(f"Lỗi: {' '.join(str(exc).split())}", err=True)
        raise typer.Exit(1) from None
    per_rule = rule_deadlines(schedule, plan_year, calendar)
    if as_json:
        typer.echo(json.dumps(explain_json(schedule, per_rule), ensure_ascii=False, indent=2))
    else:
        _print_human(schedule, per_rule)


def settings(path: Path | None) -> tuple[WorkingCalendar, TimingOptions]:
    """The calendar and timing options of config.toml, or the defaults without one."""
    if path is None:
        return WorkingCalendar(), TimingOptions()
    from nhacviec.config import ConfigError, load_config

    try:
        config = load_config(path)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    return config.calendar.working_calendar(), config.timing.options()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def explain_json(schedule: Schedule, per_rule: list[list[Deadline]]) -> dict[str, Any]:
    """The JSON of `explain --json`; a rule with a single deadline carries its dates."""
    rules = []
    for rule, dated in zip(schedule.rules, per_rule, strict=True):
        single = dated[0] if len(dated) == 1 else None
        rules.append(
            {
                "kind": rule.kind,
                "label": rule.label,
                "opens": _iso(single.opens) if single else None,
                "due": _iso(single.due) if single else None,
                **{k: v for k, v in rule.to_json().items() if k not in ("kind", "label")},
            }
        )
    flat = sorted((d for dated in per_rule for d in dated), key=lambda d: (d.due, d.key))
    return {
        "phrase": schedule.phrase,
        "year": schedule.year,
        "description": schedule.describe(),
        "rules": rules,
        "deadlines": [d.to_json() for d in flat],
        "note": schedule.note,
        "assumptions": list(schedule.assumptions),
    }


def _print_human(schedule: Schedule, per_rule: list[list[Deadline]]) -> None:
    console = Console(highlight=False)
    console.print(
        f"[bold]Thời gian thực hiện:[/bold] «{escape(schedule.phrase)}» "
        f"(năm kế hoạch {schedule.year})"
    )
    console.print("[bold]Cách hiểu:[/bold]")
    for line in schedule.describe().splitlines():
        console.print(f"  • {escape(line)}")
    if schedule.note:
        console.print(f"[bold]Ghi chú giữ lại:[/bold] {escape(schedule.note)}")
    if schedule.assumptions:
        console.print("[bold]Giả định:[/bold]")
        for assumption in schedule.assumptions:
            console.print(f"  – {escape(assumption)}")
    flat = sorted((d for dated in per_rule for d in dated), key=lambda d: (d.due, d.key))
    if not flat:
        console.print("Không có hạn cố định trong năm: việc được khởi động khi phát sinh.")
        return
    table = Table(title=f"Các hạn trong năm {schedule.year}")
    table.add_column("Hạn", no_wrap=True)
    table.add_column("Mở từ", no_wrap=True)
    table.add_column("Việc")
    table.add_column("Loại", no_wrap=True)
    table.add_column("Khoá", no_wrap=True)
    for deadline in flat:
        table.add_row(
            vietnamese_date(deadline.due),
            vietnamese_date(deadline.opens) if deadline.opens else "",
            escape(deadline.label),
            KIND_NAMES.get(deadline.kind, deadline.kind),
            deadline.key,
        )
    console.print(table)
