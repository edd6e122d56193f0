"""`nhacviec run` and `nhacviec simulate`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import tempfile
from datetime import datetime, time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine
from telegram.ext import Application

from nhacviec.cli.common import (
    DEFAULT_CONFIG,
    CommandError,
    ConfigOption,
    load,
    parse_evidence,
)
from nhacviec.logs import setup_logging
from nhacviec.wiring import (
    build_dispatcher,
    configured_bot,
    configured_plans,
    engine_context,
    prepare_engine,
    register_checks,
)
from notifications.bot import BotConfigError, run_bot
from notifications.dispatcher import Dispatcher
from rules.vndate import vietnamese_date
from scheduler.clock import AcceleratedClock, Clock, SystemClock
from scheduler.db import open_database
from scheduler.liveness import Leadership, Liveness
from scheduler.runner import EngineProcess
from scheduler.simulate import Simulation
from scheduler.state import load_state, save_state

log = logging.getLogger("nhacviec.engine")
LEADER_RETRY_SECONDS = 10.0  # a dead leader's Telegram polling moves within this


def run(
    config: ConfigOption = DEFAULT_CONFIG,
    replay_from: Annotated[
        datetime | None,
        typer.Option(
            "--replay-from",
            formats=["%Y-%m-%d"],
            help="Chạy trên đồng hồ ảo từ ngày này (để xem lại kế hoạch của năm đã qua).",
        ),
    ] = None,
    speed: Annotated[
        float, typer.Option(help="Với --replay-from: thời gian ảo trôi nhanh gấp bao nhiêu lần.")
    ] = 43200.0,
) -> None:
    """Chạy bộ máy nhắc việc: nhắc hạn, báo lên cấp trên, gửi thư và Telegram. Dừng bằng Ctrl-C."""
    cfg = load(config)
    console = Console()
    setup_logging(console)
    db = open_database(cfg.database_url())
    clock = _clock(db, cfg.tz, replay_from, speed)
    prepared = prepare_engine(cfg, db, clock.now())
    save_state(prepared.db, "clock_mode", "virtual" if replay_from else "real")
    liveness = Liveness(prepared.db)  # held until the process ends, however it ends
    dispatcher = build_dispatcher(cfg, prepared, clock, console, liveness)
    process = EngineProcess(
        prepared, clock, dispatcher.dispatch_due, tick_seconds=0.5 if replay_from else 60.0
    )
    process.housekeeping.append(dispatcher.recover)
    process.on_stop.append(dispatcher.stop)
    register_checks(process, cfg, prepared, clock, dispatcher)
    bot = None
    if cfg.telegram.token():
        try:
            bot = configured_bot(cfg, prepared.db, prepared.ctx, clock)
        except BotConfigError as exc:
            raise CommandError(str(exc)) from None
    try:
        asyncio.run(_run_until_signalled(process, bot, dispatcher))
    finally:
        liveness.close()
    if process.fault:
        raise CommandError(process.fault)


def _clock(db: Engine, tz: ZoneInfo, replay_from: datetime | None, speed: float) -> Clock:
    if replay_from is None:
        return SystemClock()
    start = datetime.combine(replay_from.date(), time(0, 0), tzinfo=tz)
    resumed = load_state(db, "clock")
    if resumed and datetime.fromisoformat(resumed) > start:
        start = datetime.fromisoformat(
            resumed
        )  # a second replay carries on where the first stopped
    return AcceleratedClock(start, speed)


async def _run_until_signalled(
    process: EngineProcess, bot: Application | None, dispatcher: Dispatcher
) -> None:
    """The scheduler and the bot share one loop and stop together on Ctrl-C / SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        if bot is None:
            await process.run(stop)
        else:
            await asyncio.gather(process.run(stop), _lead_then_run_bot(process, bot, stop))
    finally:
        await dispatcher.close()


async def _lead_then_run_bot(process: EngineProcess, bot: Application, stop: asyncio.Event) -> None:
    """Only one engine polls Telegram (a second poller on the token gets 409 Conflict):
    the others keep asking, and the first to ask after the leader dies takes over."""
    leadership = Leadership(process.prepared.db, "telegram")
    try:
        while not stop.is_set():
            if await asyncio.to_thread(leadership.try_lead):
                log.info("Engine này nhận lệnh Telegram (các engine khác chỉ gửi).")
                await run_bot(bot, stop)
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), LEADER_RETRY_SECONDS)
    finally:
        leadership.close()


def simulate(
    start: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="Ngày bắt đầu.")],
    end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Ngày kết thúc.")],
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence", help="Giả định minh chứng: DÒNG=YYYY-MM-DD (ví dụ I.3=2024-08-20)."
        ),
    ] = None,
    row: Annotated[list[str] | None, typer.Option("--row", help="Chỉ in các dòng này.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="In JSON, mỗi dòng một thông báo.")
    ] = False,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Chạy thử bộ máy trên đồng hồ ảo (cơ sở dữ liệu tạm) và in dòng thời gian các thông báo."""
    cfg = load(config)
    if end < start:
        raise CommandError("--to phải sau --from")
    plans = configured_plans(cfg)
    with tempfile.TemporaryDirectory(prefix="nhacviec-sim-") as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'simulate.db'}")
        simulation = Simulation(db, engine_context(cfg), plans)
        entries = simulation.run(start.date(), end.date(), parse_evidence(evidence or []))
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
