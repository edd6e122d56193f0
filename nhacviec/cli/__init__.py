"""The `nhacviec` command: a thin layer over the library. Errors are one clean line, exit 1."""

from __future__ import annotations

import sys

import typer

from nhacviec.cli import common, digest_cmd, notify_cmd, plan_cmd, report_cmd, rules_cmd, web_cmd
from nhacviec.cli.admin import config_app, db_app
from nhacviec.cli.calendar_cmd import calendar
from nhacviec.cli.engine_cmd import run, simulate
from nhacviec.cli.people_cmd import people_app
from nhacviec.cli.tasks_cmd import done, start, status, undo, waive_cmd

app = typer.Typer(
    name="nhacviec",
    help="Nhắc việc: nhắc hạn và đôn đốc thực hiện Kế hoạch Mục tiêu chất lượng ISO 9001.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(run)
app.command()(simulate)
app.command()(status)
app.command()(done)
app.command()(undo)
app.command("waive")(waive_cmd)
app.command()(start)
app.add_typer(plan_cmd.app, name="plan")
app.add_typer(rules_cmd.app, name="rules")
app.add_typer(notify_cmd.app, name="notify")
app.add_typer(people_app, name="people")
app.add_typer(digest_cmd.app, name="digest")
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(report_cmd.app, name="report")
app.command()(calendar)
app.add_typer(web_cmd.app, name="web")


def main() -> None:
    """Console entry point: known errors become one `Error: …` line and exit code 1."""
    try:
        app()
    except common.USER_ERRORS as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
