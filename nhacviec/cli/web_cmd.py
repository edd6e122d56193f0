"""`nhacviec web login PERSON` prints a one-time sign-in link to the board;
`nhacviec web revoke PERSON` revokes a person's links and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlmodel import Session

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.web_wiring import build_web
from nhacviec.wiring import engine_context
from notifications.web.access import may_sign_in
from notifications.web.signin import login_link
from scheduler.db import open_database
from scheduler.queries import engine_now
from scheduler.service import ServiceError, find_occurrence
from scheduler.web_tokens import revoke as revoke_tokens

app = typer.Typer(
    help="Trang web: đăng nhập bảng theo dõi, thu hồi đường liên kết.", no_args_is_help=True
)


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
    ctx = engine_context(cfg)
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


@app.command()
def revoke(
    person: Annotated[str, typer.Argument(help="Người có đường liên kết cần thu hồi (id).")],
    occurrence: Annotated[
        str | None, typer.Option("--occurrence", help="Chỉ đường liên kết tới việc này (mã).")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Thu hồi các đường liên kết và phiên đăng nhập của một người (ví dụ khi lộ thư)."""
    cfg = load(config)
    db = open_database(cfg.database_url())
    occurrence_id = None
    if occurrence is not None:
        with Session(db) as session:
            try:
                occurrence_id = find_occurrence(session, occurrence).id
            except ServiceError as exc:
                raise CommandError(str(exc)) from None
    count = revoke_tokens(db, engine_now(db), person_id=person, occurrence_id=occurrence_id)
    typer.echo(f"Đã thu hồi {count} đường liên kết / phiên đăng nhập của {person}.")
