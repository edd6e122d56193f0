"""`nhacviec simulate` (and the loop `nhacviec run` shares with the bot)."""

from __future__ import annotations

import asyncio
import json
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from telegram.ext import Application

from nhacviec.cli.common import (
    DEFAULT_CONFIG,
    CommandError,
    ConfigOption,
    load,
    parse_day,
    parse_evidence,
)
from nhacviec.wiring import (
    configured_plans,
    engine_context,
)
from notifications.bot import run_bot
from notifications.dispatcher import Dispatcher
from notifications.web.server import WebServer
from rules.vndate import vietnamese_date
from scheduler.db import open_database
from scheduler.runner import EngineProcess
from scheduler.simulate import Simulation


async def run_until_signalled(
    process: EngineProcess,
    bot: Application | None,
    dispatcher: Dispatcher,
    on_ready: Callable[[], None] | None = None,
    web: WebServer | None = None,
) -> None:
    """The scheduler, the bot and the web app share one loop and stop together on
    Ctrl-C / SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if on_ready is not None:  # only now is Ctrl-C a clean stop
        on_ready()
    parts = [process.run(stop)]
    if bot is not None:
        parts.append(run_bot(bot, stop))
    if web is not None:
        parts.append(web.run(stop))
    try:
        await asyncio.gather(*parts)
    finally:
        await dispatcher.close()


def simulate(
    start: Annotated[str, typer.Option("--from", help="Ngày bắt đầu (dd/mm/yyyy).")],
    end: Annotated[str, typer.Option("--to", help="Ngày kết thúc (dd/mm/yyyy).")],
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", help="Giả định minh chứng: DÒNG=NGÀY (ví dụ I.3=20/08/2024)."),
    ] = None,
    row: Annotated[list[str] | None, typer.Option("--row", help="Chỉ in các dòng này.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="In JSON, mỗi dòng một thông báo.")
    ] = False,
    allow_unresolved: Annotated[
        bool,
        typer.Option("--allow-unresolved", help="Vẫn chạy khi có tên chưa chỉ tới ai."),
    ] = False,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Chạy thử bộ máy trên đồng hồ ảo (cơ sở dữ liệu tạm) và in dòng thời gian các thông báo."""
    from nhacviec.onboarding.reach import refusal, unreachable

    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    cfg = load(config)
    if last < first:
        raise CommandError("--to phải sau --from")
    plans = configured_plans(cfg)
    problems = unreachable(cfg.directory(), plans)
    if problems and not allow_unresolved:
        raise CommandError(refusal(problems))
    with tempfile.TemporaryDirectory(prefix="nhacviec-sim-") as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'simulate.db'}")
        simulation = Simulation(db, engine_context(cfg), plans)
        entries = simulation.run(first, last, parse_evidence(evidence or []))
        wanted = set(row or [])
        chosen = [e for e in entries if not wanted or e.row in wanted]
        db.dispose()
    if as_json:
        for entry in chosen:
            typer.echo(json.dumps(entry.to_json(), ensure_ascii=False))
    else:
        _print_timeline(chosen)
    for problem in simulation.problems:
        typer.echo(f"Cảnh báo: {problem}", err=True)


def _print_timeline(entries: list) -> None:
    table = Table(title=f"Dòng thời gian mô phỏng: {len(entries)} thông báo")
    for column in ("Lúc", "Dòng", "Hạn", "Bước", "Gửi đến", "Kênh"):
        table.add_column(column)
    for e in entries:
        table.add_row(
            f"{vietnamese_date(e.at.date())} {e.at:%H:%M}",
            e.row,
            e.label,
            e.step,
            ", ".join(e.to),
            e.channel,
        )
    Console().print(table)
