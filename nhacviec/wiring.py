"""Put the parts together from config's sections: the engine's context, the plans, the
channels, the bot, the dispatcher and the periodic checks. Each part receives only the
sections it uses."""

from __future__ import annotations

import ssl
from datetime import datetime, timedelta
from functools import partial

from rich.console import Console
from sqlalchemy import Engine
from telegram.ext import Application

from nhacviec.config import Config, ConfigError
from nhacviec.parser_cache import compiled_templates
from notifications.base import Channel
from notifications.bot import build_application
from notifications.digest import DigestCheck
from notifications.dispatcher import Dispatcher
from notifications.factory import build_channels
from notifications.ratelimit import RateLimiter
from notifications.render import Renderer
from notifications.reports.drafts import DraftCheck
from notifications.retry_budget import working_time
from notifications.send_journal import journal_folder
from notifications.web.deps import WebDeps
from notifications.web.links import link_maker
from scheduler.clock import Clock
from scheduler.engine_context import EngineContext
from scheduler.leader import Leader, when_leading
from scheduler.liveness import Liveness
from scheduler.loading import CompiledPlan, load_configured_plans
from scheduler.runner import EngineProcess, Prepared, prepare


def engine_context(config: Config) -> EngineContext:
    return EngineContext.build(
        config.directory(),
        config.tz,
        config.calendar,
        config.timing,
        config.escalation,
        config.delivery,
    )


def configured_plans(config: Config) -> list[CompiledPlan]:
    """Every plan of config.toml, imported and compiled. Import errors propagate."""
    return load_configured_plans(
        config.plans, config.base_dir, config.directory(), config.timing.options()
    )


def prepare_engine(config: Config, db: Engine, now: datetime) -> Prepared:
    """Import and compile the plans, and bring the database's occurrences up to date."""
    return prepare(engine_context(config), configured_plans(config), db, now)


def configured_channels(
    config: Config,
    *,
    console: Console | None = None,
    smtp_tls_context: ssl.SSLContext | None = None,
    telegram_limiter: RateLimiter | None = None,
) -> dict[str, Channel]:
    return build_channels(
        config.email,
        config.telegram,
        outbox_dir=config.path(config.email.outbox_dir),
        console=console,
        smtp_tls_context=smtp_tls_context,
        telegram_limiter=telegram_limiter,
    )


def configured_bot(
    config: Config,
    db: Engine,
    ctx: EngineContext,
    clock: Clock,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    token: str | None = None,
    limiter: RateLimiter | None = None,
) -> Application:
    """The Telegram bot of [telegram]; raises BotConfigError. Pass the `limiter` the
    dispatcher's Telegram channel uses: replies and reminders share one budget."""
    return build_application(
        config.telegram,
        config.path(config.data_dir),
        db,
        ctx,
        clock,
        base_url=base_url,
        base_file_url=base_file_url,
        token=token,
        limiter=limiter,
    )


def build_dispatcher(
    config: Config,
    prepared: Prepared,
    clock: Clock,
    console: Console | None = None,
    web: WebDeps | None = None,
    liveness: Liveness | None = None,
    telegram_limiter: RateLimiter | None = None,
    leader: Leader | None = None,
) -> Dispatcher:
    return Dispatcher(
        prepared.db,
        configured_channels(config, console=console, telegram_limiter=telegram_limiter),
        Renderer(links=link_maker(web), compiled_dir=compiled_templates()),
        prepared.ctx.directory,
        clock,
        defer=prepared.ctx.sending_moment,
        liveness=liveness,
        leads=(lambda: leader.leading) if leader is not None else None,
        journal_dir=journal_folder(prepared.db, config.path(config.data_dir)),
        retry_budget=timedelta(hours=config.delivery.retry_hours),
        working_time=working_time(
            prepared.ctx.calendar, prepared.ctx.tz, prepared.ctx.work_start, prepared.ctx.work_end
        ),
    )


def register_checks(
    process: EngineProcess, config: Config, prepared: Prepared, clock: Clock, dispatcher: Dispatcher
) -> None:
    """Periodic work that runs on the engine's clock: the QMR's weekly digest, report drafts."""
    problems = [problem for plan in prepared.plans for problem in plan.problems]
    try:
        digest = DigestCheck(
            prepared.db,
            prepared.ctx,
            config.digest,
            problems,
            dispatch=partial(dispatcher.dispatch_due, again=True),
        )
    except ValueError as exc:
        raise ConfigError(
            f"digest.cron: '{config.digest.cron}' is not a crontab line "
            f"(minute hour day month weekday): {exc}"
        ) from None
    process.add_check("digest", when_leading(process.leader, digest))
    reports = config.reports
    template = config.path(reports.results_template) if reports.results_template else None
    drafts = DraftCheck(
        prepared.db,
        prepared.ctx,
        reports,
        config.path(reports.drafts_dir),
        {plan.key: plan.plan for plan in prepared.plans},
        template=template,
        dispatch=partial(dispatcher.dispatch_due, again=True),
    )
    process.add_check("report-draft", drafts)
