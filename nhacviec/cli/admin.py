"""`nhacviec config check` and `nhacviec db upgrade`."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.syntax import Syntax

from nhacviec.cli.common import DEFAULT_CONFIG, ConfigOption, load
from nhacviec.config import masked
from scheduler.db import upgrade

config_app = typer.Typer(help="Kiểm tra cấu hình.", no_args_is_help=True)
db_app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)


@config_app.command("check")
def config_check(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Kiểm tra config.toml và in cấu hình đã đọc (che mật khẩu, token)."""
    cfg = load(config)
    text = json.dumps(masked(cfg), ensure_ascii=False, indent=2)
    console = Console()
    if console.is_terminal:  # colours for a person; plain JSON (and fast) for a pipe or a file
        console.print(Syntax(text, "json", word_wrap=True))
    else:
        typer.echo(text)
    directory = cfg.directory()
    typer.echo(
        f"OK: {len(directory.units)} đơn vị, {len(directory.groups)} nhóm, "
        f"{len(directory.roles)} vai trò, {len(directory.people)} người, "
        f"{len(cfg.plans)} kế hoạch."
    )


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu (Alembic)."""
    cfg = load(config)
    upgrade(cfg.database_url())
    typer.echo(f"Cơ sở dữ liệu đã cập nhật: {cfg.database_url()}")
