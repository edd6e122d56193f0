"""`nhacviec done | undo | waive | start | status`: what people do from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.config import Config
from nhacviec.wiring import engine_context
from rules.vndate import vietnamese_date
from scheduler.db import open_database
from scheduler.delivery_view import DeliveryTrouble, delivery_troubles
from scheduler.engine_context import EngineContext
from scheduler.evidence_store import StoredFile, store_bytes
from scheduler.queries import engine_now, status_lines
from scheduler.service import ServiceError, record_evidence, start_adhoc, undo_evidence, waive

STATUS_NAMES = {
    "open": "chưa đến hạn",
    "due": "sắp đến hạn",
    "overdue": "quá hạn",
    "done": "đã hoàn thành",
    "waived": "được miễn",
}


def _setup(config: Path) -> tuple[Config, Engine, EngineContext]:
    cfg = load(config)
    return cfg, open_database(cfg.database_url()), engine_context(cfg)


def _store(data_dir: Path, paths: list[Path]) -> list[StoredFile]:
    stored = []
    for path in paths:
        try:
            stored.append(store_bytes(data_dir, path.read_bytes(), path.name))
        except OSError as exc:
            raise CommandError(f"không đọc được tệp {path}: {exc.strerror}") from None
    return stored


def done(
    occurrence: Annotated[str, typer.Argument(help="Mã việc (ví dụ K7M2QX) hoặc số.")],
    by: Annotated[str, typer.Option("--by", help="Người báo hoàn thành (id trong danh bạ).")],
    evidence: Annotated[
        str, typer.Option("--evidence", help="Minh chứng: số văn bản, nội dung.")
    ] = "",
    file: Annotated[list[Path] | None, typer.Option("--file", help="Tệp minh chứng.")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Ghi minh chứng và báo hoàn thành một việc: ngừng nhắc."""
    cfg, db, ctx = _setup(config)
    files = _store(cfg.path(cfg.data_dir), file or [])
    try:
        closure = record_evidence(db, ctx, occurrence, by, evidence, files, "cli", engine_now(db))
    except ServiceError as exc:
        raise CommandError(str(exc)) from None
    timing = "đúng hạn" if closure.late_days == 0 else f"trễ {closure.late_days} ngày làm việc"
    typer.echo(
        f"Đã ghi nhận: việc {closure.occurrence.code} — dòng {closure.row.ref} "
        f"«{closure.row.task[:80]}», hạn {vietnamese_date(closure.occurrence.due_on)}, "
        f"{timing}." + (" (thay mặt đơn vị chủ trì)" if closure.on_behalf else "")
    )
    for started in closure.started:
        typer.echo(f"Bắt đầu việc tiếp theo {started.code}: hạn {vietnamese_date(started.due_on)}.")


def undo(
    by: Annotated[str, typer.Option("--by", help="Người đã báo hoàn thành.")],
    occurrence: Annotated[
        str | None, typer.Argument(help="Mã việc (mặc định: lần gần nhất).")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Hoàn tác lần báo hoàn thành gần nhất (trong 24 giờ): việc mở lại."""
    _cfg, db, ctx = _setup(config)
    try:
        reopened = undo_evidence(db, ctx, by, engine_now(db), occurrence)
    except ServiceError as exc:
        raise CommandError(str(exc)) from None
    typer.echo(f"Đã hoàn tác: việc {reopened.code} mở lại.")


def waive_cmd(
    occurrence: Annotated[str, typer.Argument(help="Mã việc.")],
    reason: Annotated[str, typer.Option("--reason", help="Lý do miễn.")],
    by: Annotated[str, typer.Option("--by", help="QMR (id trong danh bạ).")],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Miễn một việc (chỉ QMR), có lý do: ngừng nhắc."""
    _cfg, db, ctx = _setup(config)
    try:
        waived = waive(db, ctx, occurrence, by, reason, engine_now(db))
    except ServiceError as exc:
        raise CommandError(str(exc)) from None
    typer.echo(f"Đã miễn việc {waived.code}: {reason}")


def start(
    row: Annotated[str, typer.Argument(help="Dòng của kế hoạch, ví dụ I.4.")],
    by: Annotated[str, typer.Option("--by", help="Người yêu cầu.")],
    plan: Annotated[str | None, typer.Option("--plan", help="Kế hoạch (khi có nhiều).")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Bắt đầu một việc đột xuất của một dòng kế hoạch."""
    _cfg, db, ctx = _setup(config)
    try:
        created = start_adhoc(db, ctx, row, by, engine_now(db), plan)
    except ServiceError as exc:
        raise CommandError(str(exc)) from None
    for occurrence in created:
        typer.echo(
            f"Đã tạo việc {occurrence.code} ({ctx.directory.display_name(occurrence.unit_id)})"
            f": hạn {vietnamese_date(occurrence.due_on)}."
        )


def status(
    unit: Annotated[str | None, typer.Option("--unit", help="Chỉ đơn vị này (id).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Chỉ việc quá hạn.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON.")] = False,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Liệt kê các việc và trạng thái: sắp đến hạn, quá hạn (mức báo), đã xong, được miễn."""
    cfg, db, ctx = _setup(config)
    if unit and unit not in ctx.directory.units:
        raise CommandError(
            f"không có đơn vị «{unit}»; các đơn vị: " + ", ".join(ctx.directory.units)
        )
    today = engine_now(db).astimezone(cfg.tz).date()
    lines = status_lines(db, ctx, today, unit=unit, overdue_only=overdue)
    troubles = delivery_troubles(db)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "as_of": today.isoformat(),
                    "occurrences": [line.to_json() for line in lines],
                    "delivery_problems": [t.to_json() for t in troubles],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    table = Table(title=f"Tình hình thực hiện đến {vietnamese_date(today)}")
    for column in ("Mã", "Dòng", "Đơn vị", "Hạn", "Nhãn", "Trạng thái"):
        table.add_column(column)
    for line in lines:
        state = STATUS_NAMES.get(line.status, line.status)
        if line.status == "overdue":
            state += f" {line.days_late} ngày (mức {line.occurrence.level})"
        table.add_row(
            line.occurrence.code,
            line.row.ref,
            line.unit,
            line.occurrence.due_on.strftime("%d/%m/%Y"),
            line.occurrence.label,
            state,
        )
    Console().print(table)
    if troubles:
        Console().print(_troubles_table(ctx, troubles))


def _troubles_table(ctx: EngineContext, troubles: list[DeliveryTrouble]) -> Table:
    """Who the engine cannot reach now, per person and channel: the outage is visible."""
    table = Table(title="Thông báo chưa gửi được")
    for column in ("Người nhận", "Kênh", "Vấn đề", "Từ lúc", "Đang chờ", "Chi tiết"):
        table.add_column(column)
    for t in troubles:
        table.add_row(
            ctx.directory.display_name(t.person_id) or t.person_id,
            t.channel,
            TROUBLE_NAMES.get(t.problem, t.problem),
            t.since.astimezone(ctx.tz).strftime("%d/%m/%Y %H:%M"),
            str(t.waiting),
            t.detail[:80],
        )
    return table


TROUBLE_NAMES = {
    "delayed": "máy chủ chưa nhận, đang gửi lại",
    "gave-up": "đã ngừng gửi lại",
    "bounced": "email bị trả lại",
    "blocked": "đã chặn bot",
    "rejected": "Telegram từ chối",
    "no-channel": "chưa có địa chỉ",
    "unknown-person": "không có trong danh bạ",
}
