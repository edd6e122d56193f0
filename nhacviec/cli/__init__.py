"""The `nhacviec` command: a thin layer over the library.

Commands are imported only when they run (`nhacviec --help` lists them from the table
below without importing any), and every error reaches people as one Vietnamese line.
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from nhacviec.cli import clicklib as click
from nhacviec.cli.click_errors import help_hint, vietnamese
from nhacviec.stopping import stopped

_INTERRUPTED = 130  # typer's exit code for a KeyboardInterrupt inside a command

# name -> (module, attribute, one-line help). An attribute is a Typer app or a function.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("nhacviec.cli.init_cmd", "init", "Tạo config.toml từ tệp kế hoạch."),
    "run": ("nhacviec.cli.run_cmd", "run", "Chạy bộ máy nhắc việc."),
    "simulate": ("nhacviec.cli.engine_cmd", "simulate", "Chạy thử trên đồng hồ ảo."),
    "status": ("nhacviec.cli.tasks_cmd", "status", "Việc quá hạn, sắp đến hạn, theo đơn vị."),
    "done": ("nhacviec.cli.tasks_cmd", "done", "Ghi minh chứng, báo hoàn thành."),
    "undo": ("nhacviec.cli.tasks_cmd", "undo", "Hoàn tác lần báo hoàn thành gần nhất."),
    "waive": ("nhacviec.cli.tasks_cmd", "waive_cmd", "QMR miễn một việc."),
    "start": ("nhacviec.cli.tasks_cmd", "start", "Bắt đầu một việc đột xuất."),
    "plan": ("nhacviec.cli.plan_cmd", "app", "Đọc và kiểm tra tệp kế hoạch."),
    "rules": ("nhacviec.cli.rules_cmd", "app", "Thử cách đọc cột «Thời gian thực hiện»."),
    "notify": ("nhacviec.cli.notify_cmd", "app", "Gửi thử thông báo tới một người."),
    "people": ("nhacviec.cli.people_cmd", "people_app", "Danh sách người, liên kết Telegram."),
    "digest": ("nhacviec.cli.digest_cmd", "app", "Bản tổng hợp tuần cho QMR."),
    "config": ("nhacviec.cli.admin", "config_app", "Kiểm tra cấu hình."),
    "db": ("nhacviec.cli.admin", "db_app", "Cơ sở dữ liệu."),
    "report": ("nhacviec.cli.report_cmd", "app", "Báo cáo kết quả MTCL, sổ minh chứng."),
    "calendar": ("nhacviec.cli.calendar_cmd", "calendar", "Lịch hạn việc (.ics)."),
    "web": ("nhacviec.cli.web_cmd", "app", "Trang web: đăng nhập bảng theo dõi, thu hồi liên kết."),
}


# Commands that compile timing phrases: they start faster with the saved parser tables.
_READS_PHRASES = frozenset(COMMANDS) - {"notify", "db", "people", "web", "done", "undo"}


def _load(name: str) -> click.Command:
    module, attribute, _help = COMMANDS[name]
    if name in _READS_PHRASES:
        from nhacviec.parser_cache import warm_timing_parser

        warm_timing_parser()
    target = getattr(importlib.import_module(module), attribute)
    if not gc.isenabled():  # nhacviec.entry held it off while the modules loaded
        gc.freeze()
        gc.enable()
    command: click.Command
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


def _is_user_error(exc: Exception) -> bool:
    from nhacviec.cli.common import user_errors

    return isinstance(exc, user_errors())


class LazyGroup(TyperGroup):
    """Imports a command's module only when that command runs; speaks Vietnamese on errors."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:  # the help page needs only the one-line help
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][2])
        return _load(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone_mode = kwargs.pop("standalone_mode", True)
        kwargs["standalone_mode"] = False  # errors are ours to say, in Vietnamese
        try:
            result = super().main(*args, **kwargs)
        except KeyboardInterrupt:
            stopped()
        except click.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(0)
        except click.ClickException as exc:
            typer.echo(f"Lỗi: {vietnamese(exc).rstrip('.')}. {help_hint(exc)}.", err=True)
            sys.exit(exc.exit_code)
        except click.Abort as exc:
            if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
                stopped()  # Click's own word for Ctrl-C while it parsed the command line
            typer.echo("Đã dừng.", err=True)
            sys.exit(1)
        except Exception as exc:
            from scheduler.db import database_fault

            fault = database_fault(exc)  # read-only or full: the user's to fix, not a bug
            if fault:
                typer.echo(f"Lỗi: {fault}", err=True)
                sys.exit(1)
            if not _is_user_error(exc):
                _internal_error(exc)
            typer.echo(f"Lỗi: {exc}", err=True)
            sys.exit(1)
        if result == _INTERRUPTED:  # typer turns Ctrl-C inside a command into exit 130
            stopped()
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _internal_error(exc: Exception) -> None:
    """A fault of ours, not of the user's data: one Vietnamese line, the traceback in a file."""
    import os
    import tempfile
    import time
    import traceback

    if os.environ.get("NHACVIEC_DEBUG"):
        raise exc
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = os.path.join(tempfile.gettempdir(), f"nhacviec-loi-{stamp}-{os.getpid()}.txt")
    try:
        with open(path, "w", encoding="utf-8") as log:
            log.write(" ".join(sys.argv) + "\n\n")
            traceback.print_exception(exc, file=log)
        where = f"Chi tiết đã ghi vào {path}; xin gửi tệp này cho người quản trị"
    except OSError:
        where = "Chạy lại với NHACVIEC_DEBUG=1 để xem chi tiết"
    typer.echo(
        f"Lỗi nội bộ của nhacviec (không phải do dữ liệu của bạn): {type(exc).__name__}. {where}.",
        err=True,
    )
    sys.exit(70)


app = typer.Typer(
    name="nhacviec",
    cls=LazyGroup,
    help="Nhắc việc: nhắc hạn và đôn đốc thực hiện Kế hoạch Mục tiêu chất lượng ISO 9001.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Nhắc việc: nhắc hạn và đôn đốc thực hiện Kế hoạch Mục tiêu chất lượng ISO 9001."""


def main() -> None:
    """Console entry point."""
    import logging

    # A library's warning (SQLAlchemy, PTB) is for developers: it goes to the log, shown
    # with -v, and never as an English line under a command's Vietnamese output.
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").addHandler(logging.NullHandler())
    app()
