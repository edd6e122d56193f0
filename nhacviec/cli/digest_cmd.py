"""`nhacviec digest`: the QMR's weekly digest, previewed for any moment, or sent now."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer
from sqlalchemy import Engine

from nhacviec.cli.common import (
    DEFAULT_CONFIG,
    CommandError,
    ConfigOption,
    load,
    parse_evidence,
    parse_moment,
)
from nhacviec.config import Config
from nhacviec.parser_cache import compiled_templates
from notifications.base import OutgoingMessage
from notifications.digest import render_digest, unit_heads
from notifications.digest_data import build_digest
from notifications.digest_model import Digest
from notifications.digest_moment import digest_at
from rules.directory import Person
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan, load_configured_plans
from scheduler.moment import prepare, scratch_database, year_start
from scheduler.queries import engine_now
from scheduler.simulate import EvidenceAt


class Format(StrEnum):
    text = "text"
    html = "html"
    telegram = "telegram"


app = typer.Typer(
    name="digest",
    help="Bản tổng hợp tuần gửi Đại diện lãnh đạo về chất lượng.",
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def digest(
    preview: Annotated[bool, typer.Option("--preview", help="In bản tổng hợp, không gửi.")] = False,
    send: Annotated[bool, typer.Option("--send", help="Gửi ngay qua email và Telegram.")] = False,
    at_text: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Ngày (dd/mm/yyyy, có thể kèm giờ HH:MM). "
            "Với --preview: tình hình lúc đó tính thẳng từ kế hoạch và minh chứng giả định "
            "(--evidence), như hệ thống đã chạy từ 1/1; chỉ ghi ngày thì lấy giờ bắt đầu "
            "làm việc.",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Định dạng in ra.")] = Format.text,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="Xem như người nhận này (id, họ tên hoặc vai trò); mặc định: QMR."
        ),
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", help="Với --at: giả định minh chứng DÒNG=NGÀY (dd/mm/yyyy)."),
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Xem trước (--preview) hoặc gửi ngay (--send) bản tổng hợp tuần."""
    at = parse_moment(at_text, "--at") if at_text else None
    if preview == send:
        raise CommandError("Chọn một trong hai: --preview (xem trước) hoặc --send (gửi ngay).")
    if send and (at or evidence):
        raise CommandError("--at và --evidence chỉ dùng với --preview.")
    cfg = load(config)
    if send:
        asyncio.run(send_now(cfg))
        return
    message = preview_message(cfg, at, to, parse_evidence(evidence or []))
    if fmt is Format.text:
        typer.echo(f"Tiêu đề: {message.subject}\n\n{message.text}")
    else:
        typer.echo(message.html if fmt is Format.html else message.telegram_html)


def preview_message(
    cfg: Config, at: datetime | None, person_id: str | None, evidence: Sequence[EvidenceAt] = ()
) -> OutgoingMessage:
    """The digest `person_id` (default: the QMR) would get now, or at `at` computed from
    the plan and the assumed evidence (scheduler.moment), as if the engine ran from 1/1."""
    ctx, plans = context_and_plans(cfg)
    person = _recipient(ctx, cfg, person_id)
    heads = unit_heads(ctx.directory)
    qmr = {p.id for p in ctx.directory.role_people(cfg.digest.to_role)}
    units = heads.get(person.id) if person.id not in qmr else None
    if at is None:
        db = open_database(cfg.database_url())
        digest = _digest(db, ctx, plans, engine_now(db), units)
        return render_digest(digest, person, compiled_dir=compiled_templates())
    moment = at.replace(tzinfo=ctx.tz)
    if at.hour == 0 and at.minute == 0:
        moment = datetime.combine(at.date(), ctx.work_start, ctx.tz)
    start = year_start(plans, ctx, moment.year)
    if moment < start:
        raise CommandError(f"--at phải từ ngày {start:%d/%m/%Y} (năm của kế hoạch) trở đi.")
    db = scratch_database()
    for problem in prepare(db, ctx, plans, start, evidence):
        typer.echo(f"Cảnh báo: {problem}", err=True)
    problems = [p for plan in plans for p in plan.problems]
    digest = digest_at(db, ctx, problems, moment, units=units)
    message = render_digest(digest, person, compiled_dir=compiled_templates())
    db.dispose()
    return message


def context_and_plans(cfg: Config) -> tuple[EngineContext, list[CompiledPlan]]:
    """The engine's context and the compiled plans, as nhacviec.wiring builds them, without
    importing the channels and the bot a preview does not need (half its run time)."""
    ctx = EngineContext.build(
        cfg.directory(), cfg.tz, cfg.calendar, cfg.timing, cfg.escalation, cfg.delivery
    )
    plans = load_configured_plans(cfg.plans, cfg.base_dir, cfg.directory(), cfg.timing.options())
    return ctx, plans


def _digest(
    db: Engine,
    ctx: EngineContext,
    plans: list[CompiledPlan],
    now: datetime,
    units: tuple[str, ...] | None,
) -> Digest:
    problems = [p for plan in plans for p in plan.problems]
    return build_digest(db, ctx, problems, now, units=units)


def simulate_until(
    db: Engine,
    ctx: EngineContext,
    plans: list[CompiledPlan],
    moment: datetime,
    evidence: Sequence[EvidenceAt] = (),
) -> None:
    """The engine replayed from 1 January up to `moment` (scheduler.moment_replay): the
    reference the direct preview is tested and measured against."""
    from scheduler.moment_replay import replay_until

    if moment < year_start(plans, ctx, moment.year):
        raise CommandError("--at phải từ ngày 01/01 của năm kế hoạch trở đi.")
    for problem in replay_until(db, ctx, plans, moment, evidence):
        typer.echo(f"Cảnh báo: {problem}", err=True)


async def send_now(cfg: Config) -> None:
    """Write a digest for each recipient to the outbox and deliver what is due."""
    from rich.console import Console

    from nhacviec.wiring import build_dispatcher
    from notifications.digest import write_now
    from scheduler.clock import ManualClock
    from scheduler.runner import Prepared

    db = open_database(cfg.database_url())
    ctx, plans = context_and_plans(cfg)
    now = engine_now(db)
    rows = write_now(db, ctx, cfg.digest, [p for plan in plans for p in plan.problems], now)
    if not rows:
        raise CommandError(
            f"Không có người nhận: vai trò «{cfg.digest.to_role}» chưa có ai trong danh bạ."
        )
    dispatcher = build_dispatcher(cfg, Prepared(db, ctx, plans), ManualClock(now), Console())
    try:
        summary = await dispatcher.dispatch_due()
    finally:
        for channel in dispatcher.channels.values():
            await channel.close()
    typer.echo(
        f"Bản tổng hợp: {len(rows)} thông báo. Đã gửi {summary.sent}, chờ gửi lại "
        f"{summary.retrying}, lỗi {summary.failed}."
    )
    if summary.failed:
        raise typer.Exit(1)


def _recipient(ctx: EngineContext, cfg: Config, person_id: str | None) -> Person:
    directory = ctx.directory
    if person_id is None:
        qmr = directory.role_people(cfg.digest.to_role)
        if not qmr:
            raise CommandError(
                f"Vai trò «{cfg.digest.to_role}» chưa có ai trong danh bạ; dùng --to MÃ_NGƯỜI."
            )
        return qmr[0]
    from nhacviec.cli.resolve import resolve_person

    return directory.people[resolve_person(directory, person_id)]
