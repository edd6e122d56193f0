"""`nhacviec calendar`: the deadlines of a unit or a person as an .ics calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.wiring import engine_context
from notifications.reports.calendar_ics import calendar_for
from scheduler.db import open_database
from scheduler.queries import engine_now


def calendar(
    out: Annotated[Path, typer.Option("--out", help="Tệp lịch .ics sẽ ghi.")],
    unit: Annotated[
        str | None, typer.Option("--unit", help="Chỉ việc của đơn vị này (id).")
    ] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", help="Chỉ việc của người này: đơn vị chủ trì và dòng theo dõi."),
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Xuất lịch hạn chót (.ics) để thêm vào Google Calendar, Outlook, điện thoại."""
    if unit and person:
        raise CommandError("chỉ chọn một trong --unit và --person")
    cfg = load(config)
    db = open_database(cfg.database_url())
    ctx = engine_context(cfg)
    if unit and unit not in ctx.directory.units:
        raise CommandError(
            f"không có đơn vị «{unit}»; các đơn vị: " + ", ".join(ctx.directory.units)
        )
    if person and person not in ctx.directory.people:
        raise CommandError(f"không có người «{person}» trong danh bạ (config.toml [[people]])")
    today = engine_now(db).astimezone(cfg.tz).date()
    data, count = calendar_for(
        db,
        ctx,
        today,
        datetime.now(UTC).replace(microsecond=0),
        unit=unit,
        person=person,
        alarm_days=cfg.reports.calendar_alarm_days,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(f"Đã xuất lịch {out}: {count} việc.")
