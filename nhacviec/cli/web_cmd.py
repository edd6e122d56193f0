"""`nhacviec web login PERSON`: a one-time sign-in link to the board, printed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from sqlalchemy import Engine

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.web_wiring import build_web
from notifications.web.access import may_sign_in
from notifications.web.signin import login_link
from scheduler.context import EngineContext
from scheduler.db import open_database
from scheduler.queries import engine_now

app = typer.Typer(help="Trang web: đường liên kết đăng nhập bảng theo dõi.", no_args_is_help=True)


class _EngineTime:
    """The engine's clock as the running engine sees it (virtual during a replay)."""

    def __init__(self, db: Engine) -> None:
        self.db = db

    def now(self) -> datetime:
        return engine_now(self.db)


@app.command()
def login(
    person: Annotated[str, typer.Argument(help="Người đăng nhập (id trong danh bạ).")],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """In một đường liên kết đăng nhập bảng theo dõi, dùng một lần."""
    cfg = load(config)
    if cfg.web is None:
        raise CommandError("chưa bật trang web: thêm mục [web] vào config.toml (xem README).")
    db = open_database(cfg.database_url())
    ctx = EngineContext.from_config(cfg)
    if person not in ctx.directory.people:
        raise CommandError(f"không có người «{person}» trong danh bạ (config.toml [[people]]).")
    if not may_sign_in(ctx, person):
        raise CommandError(
            f"{ctx.directory.display_name(person)} không được xem bảng theo dõi: chỉ QMR, "
            "Thư ký ISO, Ban chỉ đạo ISO, lãnh đạo và thủ trưởng đơn vị."
        )
    web = build_web(cfg, db, ctx, _EngineTime(db))
    assert web is not None
    typer.echo(login_link(web, person))
    typer.echo(f"Đường liên kết dùng được một lần, trong {cfg.web.login_minutes} phút.", err=True)
