"""Put the parts together for the engine process: channels, renderer, dispatcher, periodic checks."""

from __future__ import annotations

from rich.console import Console
from sqlmodel import Session

from nhacviec.config import Config, ConfigError
from notifications.factory import build_channels
from notifications.render import Renderer
from notifications.web.deps import WebDeps
from notifications.web.links import link_maker
from scheduler.clock import Clock
from scheduler.digest import DigestCheck
from scheduler.dispatcher import Dispatcher
from scheduler.people import linked_chat
from scheduler.runner import EngineProcess, Prepared


def build_dispatcher(
    config: Config,
    prepared: Prepared,
    clock: Clock,
    console: Console | None = None,
    web: WebDeps | None = None,
) -> Dispatcher:
    directory = prepared.ctx.directory

    def chat_id(person_id: str) -> int | None:
        with Session(prepared.db) as session:
            linked = linked_chat(session, person_id)
        person = directory.people.get(person_id)
        return linked if linked is not None else (person.telegram_chat_id if person else None)

    return Dispatcher(
        prepared.db,
        build_channels(config, console=console),
        Renderer(links=link_maker(web)),
        directory,
        clock,
        defer=prepared.ctx.sending_moment,
        chat_ids=chat_id,
    )


def register_checks(
    process: EngineProcess, config: Config, prepared: Prepared, clock: Clock, dispatcher: Dispatcher
) -> None:
    """Periodic work that runs on the engine's clock: the QMR's weekly digest."""
    problems = [problem for plan in prepared.plans for problem in plan.problems]
    try:
        digest = DigestCheck(
            prepared.db, prepared.ctx, config.digest, problems, dispatch=dispatcher.dispatch_due
        )
    except ValueError as exc:
        raise ConfigError(
            f"digest.cron: '{config.digest.cron}' is not a crontab line "
            f"(minute hour day month weekday): {exc}"
        ) from None
    process.add_check("digest", digest)
