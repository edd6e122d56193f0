"""`nhacviec done | undo | waive | start | status`: what people do from the command line.

People are named by id, name or alias (`--by QMR`), units likewise, and a task by its code
or by row and period ("I.3 2024"). Heavy modules are imported inside each command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.config_messages import os_reason

if TYPE_CHECKING:
    from scheduler.evidence_store import StoredFile

STATUS_NAMES = {
    "open": "chưa đến hạn",
    "due": "sắp đến hạn",
    "overdue": "quá hạn",
    "done": "đã hoàn thành",
    "waived": "được miễn",
}
SOON_DAYS = 14  # status by default: overdue, and due within this many days

TaskArg = Annotated[
    str,
    typer.Argument(
        metavar="VIỆC", help="Việc: mã (ví dụ K7M2QX), hoặc dòng và kỳ («I.3 2024», «II.1 quý 3»)."
    ),
]
ByOption = Annotated[str, typer.Option("--by", help="Người: id, họ tên hoặc vai trò (QMR).")]


def _setup(config: Path) -> tuple[Any, Any, Any]:
    # Not nhacviec.wiring: it pulls in the channels and the bot, which no command here needs.
    from scheduler.db import open_database
    from scheduler.engine_context import EngineContext

    cfg = load(config)
    ctx = EngineContext.build(cfg.directory(), cfg.tz, cfg.calendar, cfg.timing, cfg.escalation)
    return cfg, open_database(cfg.database_url()), ctx


def _person(ctx: Any, text: str) -> str:
    from nhacviec.cli.resolve import resolve_person

    return resolve_person(ctx.directory, text)


def _task(db: Any, text: str) -> str:
    from nhacviec.cli.task_ref import resolve_task

    return resolve_task(db, text)


def _store(data_dir: Path, paths: list[Path]) -> list[StoredFile]:
    from scheduler.evidence_store import store_bytes

    stored = []
    for path in paths:
        try:
            stored.append(store_bytes(data_dir, path.read_bytes(), path.name))
        except OSError as exc:
            raise CommandError(f"không đọc được tệp {path}: {os_reason(exc)}") from None
    return stored


def _service(call: Any, *args: Any) -> Any:
    from scheduler.service import ServiceError

    try:
        return call(*args)
    except ServiceError as exc:
        raise CommandError(str(exc)) from None


def done(
    occurrence: TaskArg,
    by: ByOption,
    evidence: Annotated[
        str, typer.Option("--evidence", help="Minh chứng: số văn bản, nội dung.")
    ] = "",
    file: Annotated[list[Path] | None, typer.Option("--file", help="Tệp minh chứng.")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Ghi minh chứng và báo hoàn thành một việc: ngừng nhắc."""
    from rules.vndate import vietnamese_date
    from scheduler.queries import engine_now
    from scheduler.service import record_evidence

    cfg, db, ctx = _setup(config)
    person, code = _person(ctx, by), _task(db, occurrence)
    files = _store(cfg.path(cfg.data_dir), file or [])
    closure = _service(
        record_evidence, db, ctx, code, person, evidence, files, "cli", engine_now(db)
    )
    timing = "đúng hạn" if closure.late_days == 0 else f"trễ {closure.late_days} ngày làm việc"
    typer.echo(
        f"Đã ghi nhận: việc {closure.occurrence.code} — dòng {closure.row.ref} "
        f"«{closure.row.task[:80]}», hạn {vietnamese_date(closure.occurrence.due_on)}, "
        f"{timing}." + (" (thay mặt đơn vị chủ trì)" if closure.on_behalf else "")
    )
    for started in closure.started:
        typer.echo(f"Bắt đầu việc tiếp theo {started.code}: hạn {vietnamese_date(started.due_on)}.")


def undo(
    by: ByOption,
    occurrence: Annotated[
        str | None,
        typer.Argument(metavar="VIỆC", help="Việc: mã, hoặc dòng và kỳ (mặc định: lần gần nhất)."),
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Hoàn tác lần báo hoàn thành gần nhất (trong 24 giờ): việc mở lại."""
    from scheduler.queries import engine_now
    from scheduler.service import undo_evidence

    _cfg, db, ctx = _setup(config)
    person = _person(ctx, by)
    code = _task(db, occurrence) if occurrence else None
    reopened = _service(undo_evidence, db, ctx, person, engine_now(db), code)
    typer.echo(f"Đã hoàn tác: việc {reopened.code} mở lại.")


def waive_cmd(
    occurrence: TaskArg,
    reason: Annotated[str, typer.Option("--reason", help="Lý do miễn.")],
    by: Annotated[str, typer.Option("--by", help="QMR: id, họ tên, hoặc «QMR».")],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Miễn một việc (chỉ QMR), có lý do: ngừng nhắc."""
    from scheduler.queries import engine_now
    from scheduler.service import waive

    _cfg, db, ctx = _setup(config)
    person, code = _person(ctx, by), _task(db, occurrence)
    waived = _service(waive, db, ctx, code, person, reason, engine_now(db))
    typer.echo(f"Đã miễn việc {waived.code}: {reason}")


def start(
    row: Annotated[str, typer.Argument(metavar="DÒNG", help="Dòng của kế hoạch, ví dụ I.4.")],
    by: ByOption,
    plan: Annotated[str | None, typer.Option("--plan", help="Kế hoạch (khi có nhiều).")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Bắt đầu một việc đột xuất của một dòng kế hoạch."""
    from rules.vndate import vietnamese_date
    from scheduler.queries import engine_now
    from scheduler.service import start_adhoc

    _cfg, db, ctx = _setup(config)
    person = _person(ctx, by)
    created = _service(start_adhoc, db, ctx, row, person, engine_now(db), plan)
    for occurrence in created:
        typer.echo(
            f"Đã tạo việc {occurrence.code} ({ctx.directory.display_name(occurrence.unit_id)})"
            f": hạn {vietnamese_date(occurrence.due_on)}."
        )


def status(
    unit: Annotated[
        str | None, typer.Option("--unit", help="Chỉ đơn vị này (id, tên hoặc bí danh).")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Chỉ việc quá hạn.")] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Mọi việc của năm, kể cả đã xong.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON (mọi việc).")] = False,
    at_text: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Tình hình vào ngày này (dd/mm/yyyy, có thể kèm giờ HH:MM), tính thẳng từ "
            "kế hoạch và minh chứng đã ghi (chưa có cơ sở dữ liệu: theo kế hoạch, chưa có "
            "minh chứng); chỉ ghi ngày thì lấy giờ bắt đầu làm việc.",
        ),
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Việc cần chú ý bây giờ: quá hạn và đến hạn trong 14 ngày, theo đơn vị (--all: cả năm)."""
    import json

    from nhacviec.cli.delivery_status import print_troubles
    from nhacviec.cli.resolve import resolve_unit
    from scheduler.delivery_view import delivery_troubles
    from scheduler.queries import engine_now, status_lines

    cfg, db, ctx = _setup(config)
    unit_id = resolve_unit(ctx.directory, unit) if unit else None
    if at_text is not None:
        today, lines = _lines_at(cfg, db, ctx, at_text, unit_id)
        lines = [ln for ln in lines if ln.status == "overdue"] if overdue else lines
    else:
        today = engine_now(db).astimezone(cfg.tz).date()
        lines = status_lines(db, ctx, today, unit=unit_id, overdue_only=overdue)
    troubles = delivery_troubles(db)
    if as_json:
        payload = {
            "as_of": today.isoformat(),
            "occurrences": [ln.to_json() for ln in lines],
            "delivery_problems": [t.to_json() for t in troubles],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not show_all:
        lines = _now_matters(lines, today)
    _print_status(lines, today, show_all)
    print_troubles(ctx, troubles)


def _lines_at(cfg: Any, db: Any, ctx: Any, at_text: str, unit_id: str | None) -> tuple[Any, Any]:
    """`status --at`: the day, and every occurrence as it stood at that moment."""
    from datetime import datetime

    from nhacviec.cli.common import parse_moment
    from scheduler.loading import load_configured_plans
    from scheduler.moment import known_or_planned, state_at

    at = parse_moment(at_text, "--at")
    moment = datetime.combine(
        at.date(), at.time() if at.time() != at.min.time() else ctx.work_start, cfg.tz
    )
    plans = load_configured_plans(cfg.plans, cfg.base_dir, ctx.directory, ctx.options)
    source, planned = known_or_planned(db, ctx, plans, moment)
    if planned:
        typer.echo(
            "Cơ sở dữ liệu chưa có việc nào: tính theo kế hoạch, chưa có minh chứng.", err=True
        )
    return moment.date(), list(state_at(source, ctx, moment, unit=unit_id).lines)


def _now_matters(lines: list[Any], today: Any) -> list[Any]:
    from datetime import timedelta

    horizon = today + timedelta(days=SOON_DAYS)
    wanted = [
        ln
        for ln in lines
        if ln.status in ("overdue", "due", "open") and ln.occurrence.due_on <= horizon
    ]
    return sorted(wanted, key=lambda ln: (ln.unit, ln.occurrence.due_on, ln.row.ref))


def _print_status(lines: list[Any], today: Any, show_all: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from rules.vndate import vietnamese_date

    scope = "cả năm" if show_all else f"quá hạn và đến hạn trong {SOON_DAYS} ngày"
    table = Table(title=f"Tình hình thực hiện đến {vietnamese_date(today)} ({scope})")
    for column in ("Đơn vị", "Dòng", "Mã", "Hạn", "Nhãn", "Trạng thái"):
        table.add_column(column)
    previous = None
    for line in lines:
        state = STATUS_NAMES.get(line.status, line.status)
        if line.status == "overdue":
            state += f" {line.days_late} ngày (mức {line.occurrence.level})"
        table.add_row(
            line.unit if line.unit != previous else "",
            line.row.ref,
            line.occurrence.code,
            line.occurrence.due_on.strftime("%d/%m/%Y"),
            line.occurrence.label,
            state,
        )
        previous = line.unit
    console = Console()
    console.print(table)
    if not lines:
        console.print("Không có việc nào quá hạn hay sắp đến hạn." if not show_all else "")
