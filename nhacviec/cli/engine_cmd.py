"""`nhacviec simulate` (and the loop `nhacviec run` shares with the bot)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from telegram.ext import Application

from nhacviec.cli.audience_view import audiences, print_audiences
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
from scheduler.liveness import Leadership
from scheduler.runner import EngineProcess
from scheduler.simulate import Message, Simulation
from scheduler.simulate_summary import PersonSummary, summarise

log = logging.getLogger("nhacviec.engine")
LEADER_RETRY_SECONDS = 10.0  # a dead leader's Telegram polling moves within this


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
        parts.append(_lead_then_run_bot(process, bot, stop))
    if web is not None:
        parts.append(web.run(stop))
    try:
        await asyncio.gather(*parts)
    finally:
        await dispatcher.close()


async def _lead_then_run_bot(process: EngineProcess, bot: Application, stop: asyncio.Event) -> None:
    """Only one engine polls Telegram (a second poller on the token gets 409 Conflict):
    the others keep asking, and the first to ask after the leader dies takes over."""
    if process.leader is not None:  # the engine's leader polls, as it runs the singletons
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.leader.became.wait(), LEADER_RETRY_SECONDS)
            if process.leader.leading:
                await run_bot(bot, stop)
                return
        return
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
    start: Annotated[str, typer.Option("--from", help="Ngày bắt đầu (dd/mm/yyyy).")],
    end: Annotated[str, typer.Option("--to", help="Ngày kết thúc (dd/mm/yyyy).")],
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", help="Giả định minh chứng: DÒNG=NGÀY (ví dụ I.3=20/08/2024)."),
    ] = None,
    row: Annotated[
        list[str] | None,
        typer.Option("--row", help="Chỉ các dòng này; in kèm ai được nhắc, báo lên."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="In JSON, mỗi dòng một tin nhắn đã gửi.")
    ] = False,
    summary: Annotated[
        bool,
        typer.Option("--summary", help="Theo từng người: số tin mỗi tuần, nhiều nhất một ngày."),
    ] = False,
    allow_unresolved: Annotated[
        bool,
        typer.Option("--allow-unresolved", help="Vẫn chạy khi có tên chưa chỉ tới ai."),
    ] = False,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Chạy thử bộ máy trên đồng hồ ảo (cơ sở dữ liệu tạm) và in các tin nhắn mỗi người nhận."""
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
        messages = simulation.run(first, last, parse_evidence(evidence or []))
        wanted = set(row or [])
        chosen = [m for m in messages if not wanted or any(i.row in wanted for i in m.items)]
        db.dispose()
    if summary:
        people = summarise(chosen, first, last)
        if as_json:
            for person in people:
                typer.echo(json.dumps(person.to_json(), ensure_ascii=False))
        else:
            _print_summary(people, len(chosen))
    elif as_json:
        for message in chosen:
            typer.echo(json.dumps(message.to_json(), ensure_ascii=False))
    else:
        if wanted:
            rows = [r for p in plans for r in p.rows if r.row.ref in wanted]
            print_audiences(Console(highlight=False), cfg, audiences(cfg, rows))
        _print_timeline(chosen, wanted)
    for problem in simulation.problems:
        typer.echo(f"Cảnh báo: {problem}", err=True)


def _print_timeline(messages: list[Message], wanted: set[str]) -> None:
    table = Table(title=f"Mô phỏng: {len(messages)} tin nhắn")
    for column in ("Lúc", "Gửi đến", "Kênh", "Loại", "Việc (dòng · bước · mã)"):
        table.add_column(column)
    for m in messages:
        items = [i for i in m.items if not wanted or i.row in wanted]
        table.add_row(
            f"{vietnamese_date(m.at.date())} {m.at:%H:%M}",
            m.name,
            m.channel,
            "gộp trong ngày" if m.kind == "bundle" else m.kind,
            "\n".join(f"{i.row} · {i.step} · {i.code}" for i in items),
        )
    Console().print(table)


def _print_summary(people: list[PersonSummary], total: int) -> None:
    table = Table(title=f"Mô phỏng: {total} tin nhắn, {len(people)} người nhận")
    for column in ("Người nhận", "Tin nhắn", "Mỗi tuần", "Nhiều nhất/ngày/kênh", "Việc mang theo"):
        table.add_column(column)
    for p in people:
        table.add_row(
            p.name, str(p.messages), f"{p.per_week:.1f}", str(p.max_per_day), str(p.items)
        )
    Console().print(table)
