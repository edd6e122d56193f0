"""`nhacviec calendar`: the deadlines of a unit or a person as an .ics calendar."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.wiring import engine_context
from notifications.reports.calendar_ics import write_calendar
from notifications.reports.facts import OccurrenceFact, occurrence_facts
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.queries import engine_now


def person_facts(
    facts: list[OccurrenceFact], ctx: EngineContext, person_id: str
) -> list[OccurrenceFact]:
    """A person's work: what their unit leads, and the rows they monitor."""
    person = ctx.directory.people[person_id]
    return [
        f
        for f in facts
        if (person.unit and f.occurrence.unit_id == person.unit)
        or person_id in json.loads(f.row.monitors_json)
    ]


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
    facts = occurrence_facts(db, ctx, today, unit=unit)
    name = "Nhắc việc ISO"
    if person:
        facts = person_facts(facts, ctx, person)
        name += f" — {ctx.directory.people[person].name}"
    elif unit:
        name += f" — {ctx.directory.display_name(unit)}"
    data = write_calendar(
        facts,
        name,
        datetime.now(UTC).replace(microsecond=0),
        alarm_days=cfg.reports.calendar_alarm_days,
        work_start=cfg.calendar.work_start,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(f"Đã xuất lịch {out}: {len(facts)} việc.")
