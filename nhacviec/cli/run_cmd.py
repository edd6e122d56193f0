"""`nhacviec run`: the engine process, quiet by default, careful with a past year."""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load, parse_day

if TYPE_CHECKING:
    from datetime import date, datetime

    from rich.console import Console
    from sqlalchemy import Engine

    from nhacviec.config import Config
    from nhacviec.onboarding.catchup import Estimate
    from scheduler.clock import Clock
    from scheduler.loading import CompiledPlan
    from scheduler.runner import Prepared
    from scheduler.timeline import Timeline

ReplayOption = Annotated[
    str | None,
    typer.Option(
        "--replay-from",
        help="Chạy trên đồng hồ ảo từ ngày này (dd/mm/yyyy), để xem lại kế hoạch năm đã qua.",
    ),
]
SpeedOption = Annotated[
    float, typer.Option(help="Với --replay-from: thời gian ảo trôi nhanh gấp bao nhiêu lần.")
]


def run(
    config: ConfigOption = DEFAULT_CONFIG,
    replay_from: ReplayOption = None,
    speed: SpeedOption = 43200.0,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ in những gì sẽ gửi bây giờ, không gửi.")
    ] = False,
    catch_up: Annotated[
        bool, typer.Option("--catch-up", help="Gửi bù mọi việc còn mở tới từng người.")
    ] = False,
    from_today: Annotated[
        bool, typer.Option("--from-today", help="Không theo dõi các hạn đã qua trước hôm nay.")
    ] = False,
    allow_unresolved: Annotated[
        bool,
        typer.Option("--allow-unresolved", help="Vẫn chạy khi có tên chưa chỉ tới ai."),
    ] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="In thêm nhật ký (-vv: gỡ lỗi).")
    ] = 0,
) -> None:
    """Chạy bộ máy nhắc việc: nhắc hạn, báo lên cấp trên, gửi thư và Telegram. Dừng bằng Ctrl-C."""
    from rich.console import Console

    from nhacviec.logs import setup_logging
    from nhacviec.onboarding.reach import plan_error_refusal, plan_errors, refusal, unreachable
    from nhacviec.wiring import configured_plans

    if catch_up and from_today:
        raise CommandError("chọn một trong hai: --catch-up hoặc --from-today")
    start_day = parse_day(replay_from, "--replay-from") if replay_from else None
    cfg = load(config)
    console = Console()
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    setup_logging(console, level)
    plans = configured_plans(cfg)
    problems = unreachable(cfg.directory(), plans)
    if problems and not allow_unresolved:
        raise CommandError(refusal(problems))
    errors = plan_errors(plans)
    if errors and not cfg.run.accept_plan_errors:
        raise CommandError(plan_error_refusal(errors))
    prepared, clock, timeline = _prepare(cfg, plans, start_day, speed)
    # Without a bot token Telegram messages go to the console: shown in full only with -v,
    # else the one line per delivered message below says what went out.
    channel_console = console if verbose else Console(quiet=True)
    try:
        if dry_run:
            _print_dry_run(prepared, clock.now())
            return
        if start_day is None:
            _guard_real_clock(cfg, prepared, clock.now(), catch_up=catch_up, from_today=from_today)
        _serve(cfg, prepared, clock, channel_console, replay=start_day is not None)
    finally:
        timeline.close()


def _prepare(
    cfg: Config, plans: list[CompiledPlan], start_day: date | None, speed: float
) -> tuple[Prepared, Clock, Timeline]:
    from sqlmodel import Session, func, select

    from nhacviec.wiring import engine_context
    from rules.vndate import vietnamese_date
    from scheduler.db import open_database
    from scheduler.models import Occurrence
    from scheduler.runner import prepare
    from scheduler.timeline import Timeline

    db = open_database(cfg.database_url())
    timeline = Timeline(db)  # left when the command ends, however it ends
    clock = _clock(db, cfg, start_day, speed, timeline)
    with Session(db) as session:
        before = session.exec(select(func.count()).select_from(Occurrence)).one()
    now = clock.now()  # read once: an accelerated clock moves on while the plans sync
    prepared = prepare(engine_context(cfg), plans, db, now)
    with Session(db) as session:
        total = session.exec(select(func.count()).select_from(Occurrence)).one()
    for plan in plans:
        typer.echo(
            f"Kế hoạch {plan.key} ({plan.plan.organisation or '?'}, năm {plan.plan.year}): "
            f"{len(plan.rows)} dòng."
        )
    now = now.astimezone(cfg.tz)
    where = f"đồng hồ ảo, từ {vietnamese_date(now.date())}" if start_day else "đồng hồ thật"
    typer.echo(f"Việc mới {total - before}, đang theo dõi {total}; {where}.")
    return prepared, clock, timeline


def _clock(
    db: Engine, cfg: Config, start_day: date | None, speed: float, timeline: Timeline
) -> Clock:
    from datetime import datetime, time

    from scheduler.clock import SystemClock
    from scheduler.state import load_state

    if start_day is None:
        return SystemClock()
    start = datetime.combine(start_day, time(0, 0), tzinfo=cfg.tz)
    # A second replay carries on where the last one stopped, or joins one still running.
    resumed = load_state(db, "clock")
    return timeline.clock(start, datetime.fromisoformat(resumed) if resumed else None, speed)


def _print_dry_run(prepared: Prepared, now: datetime) -> None:
    from nhacviec.onboarding.catchup import estimate

    found = estimate(prepared, now)
    directory = prepared.ctx.directory
    moment = now.astimezone(prepared.ctx.tz)
    typer.echo(
        f"Chạy thử (không gửi) lúc {moment:%H:%M %d/%m/%Y}: {len(found.outgoing)} thông báo "
        f"cho {found.people} người."
    )
    per_person: dict[tuple[str, str], list[str]] = {}
    for item in found.outgoing:
        per_person.setdefault((item.person_id, item.channel), []).append(item.row)
    for (person, channel), rows in per_person.items():
        typer.echo(
            f"  {directory.display_name(person)} ({channel}): "
            + ", ".join(f"{r}×{n}" if n > 1 else r for r, n in Counter(rows).items())
        )


def _too_many(cfg: Config, prepared: Prepared, found: Estimate) -> bool:
    from scheduler.state import load_state

    if len(found.outgoing) > cfg.run.catch_up_limit:
        return True
    acknowledged = load_state(prepared.db, "past_acknowledged")
    return found.past_share > cfg.run.past_share_limit and not acknowledged


def _guard_real_clock(
    cfg: Config, prepared: Prepared, now: datetime, *, catch_up: bool, from_today: bool
) -> None:
    """On the real clock, a mostly-past plan or a big backlog needs the user's choice."""
    from nhacviec.onboarding.catchup import estimate, untrack_past
    from rules.vndate import vietnamese_date
    from scheduler.state import save_state

    today = now.astimezone(cfg.tz).date()
    if from_today:
        closed = untrack_past(prepared.db, today, now)
        typer.echo(f"Không theo dõi {closed} việc có hạn trước {vietnamese_date(today)}.")
    if catch_up or from_today:
        save_state(prepared.db, "past_acknowledged", today.isoformat())
        return
    found = estimate(prepared, now)
    if not _too_many(cfg, prepared, found):
        return
    raise CommandError(
        f"chưa chạy: hôm nay là {vietnamese_date(today)}, {found.past}/{found.total} hạn của "
        f"kế hoạch đã qua mà chưa xong; chạy bây giờ sẽ gửi ngay {len(found.outgoing)} thông "
        f"báo cho {found.people} người.\n"
        "  Chọn một:\n"
        "  --catch-up    gửi bù ngay mọi việc còn mở tới từng người (trong giờ làm việc);\n"
        "  --from-today  không theo dõi các hạn đã qua, chỉ nhắc từ hôm nay;\n"
        "  --dry-run     xem trước danh sách, không gửi.\n"
        "  Xem lại một năm đã qua thì dùng --replay-from 02/01/NĂM."
    )


def _serve(
    cfg: Config, prepared: Prepared, clock: Clock, console: Console, *, replay: bool
) -> None:
    import asyncio
    import gc

    from nhacviec.cli.run_output import DeliveryPrinter
    from nhacviec.web_wiring import build_web, housekeeping, web_server
    from nhacviec.wiring import build_dispatcher, configured_bot, register_checks
    from notifications.bot import BotConfigError
    from notifications.bot.elsewhere import reminder_editor
    from notifications.ratelimit import RateLimiter
    from scheduler.leader import Leader
    from scheduler.liveness import Liveness
    from scheduler.runner import EngineProcess
    from scheduler.state import save_state

    save_state(prepared.db, "clock_mode", "virtual" if replay else "real")
    web = build_web(cfg, prepared.db, prepared.ctx, clock)
    liveness = Liveness(prepared.db)  # held until the process ends, however it ends
    limiter = RateLimiter()  # one Telegram budget for the reminders and the bot's replies
    leader = Leader(prepared.db)
    dispatcher = build_dispatcher(
        cfg, prepared, clock, console, web, liveness, limiter, leader=leader
    )
    printer = DeliveryPrinter(prepared.db, prepared.ctx.directory, cfg.tz)
    printer.start()

    first = True

    async def dispatch() -> object:
        nonlocal first
        summary = await dispatcher.dispatch_due()
        await asyncio.to_thread(printer.print_new)
        if first:  # after the first cycle, say what waits (e.g. for working hours)
            first = False
            waiting = await asyncio.to_thread(printer.waiting)
            typer.echo(f"Lượt đầu xong: {waiting} thông báo chờ gửi (chỉ gửi trong giờ làm việc).")
        return summary

    tick = 0.5 if replay else 60.0
    process = EngineProcess(prepared, clock, dispatch, tick_seconds=tick, leader=leader)
    process.housekeeping.append(dispatcher.recover)
    process.on_stop.append(dispatcher.stop)
    register_checks(process, cfg, prepared, clock, dispatcher)
    bot = None
    if cfg.telegram.token():
        try:
            bot = configured_bot(cfg, prepared.db, prepared.ctx, clock, limiter=limiter)
        except BotConfigError as exc:
            raise CommandError(str(exc)) from None
    from nhacviec.cli.engine_cmd import run_until_signalled

    server = None
    if web is not None:
        if bot is not None:
            web.on_change.append(reminder_editor(bot))
        process.housekeeping.append(housekeeping(web))
        public = web.settings.base_url
        server = web_server(web, lambda origin: typer.echo(f"Trang web đang chạy: {public}"))

    def ready() -> None:
        typer.echo("Đang chạy. Nhấn Ctrl-C để dừng.")

    try:
        asyncio.run(run_until_signalled(process, bot, dispatcher, ready, server))
    finally:
        leader.close()
        liveness.close()
    if process.fault:
        raise CommandError(process.fault)
    printer.print_new()
    typer.echo(printer.summary(clock.now()))
    # The interpreter's last full garbage collection walks every object the engine built
    # (compiled plans, calendars, ORM state): measured at 4-5 s, most of a stop's time.
    # Nothing is left to clean up that the OS does not reclaim, so skip that walk.
    gc.freeze()
