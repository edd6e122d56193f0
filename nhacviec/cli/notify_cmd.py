"""`nhacviec notify test PERSON`: send the test message on each of a person's channels."""

from __future__ import annotations

import asyncio
import difflib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from nhacviec.cli.common import DEFAULT_CONFIG, ConfigOption
from nhacviec.config import Config, ConfigError, load_config
from nhacviec.parser_cache import compiled_templates
from nhacviec.wiring import configured_channels
from notifications.base import DeliveryError, Recipient
from notifications.render import Renderer
from rules.directory import Directory, Person
from scheduler.db import make_engine
from scheduler.people import linked_chats

CHANNEL_NAMES = {"email": "email", "telegram": "Telegram"}

app = typer.Typer(
    name="notify",
    help="Thông báo: gửi thử tới một người.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass(frozen=True)
class Outcome:
    channel: str
    address: str | None  # None: the person has no address on this channel
    sent: bool
    detail: str


@app.callback()
def notify() -> None:
    """Thông báo qua email và Telegram."""


@app.command("test")
def test_cmd(
    person: Annotated[
        str, typer.Argument(metavar="NGƯỜI", help="Mã người trong danh bạ (config.toml).")
    ],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Gửi tin nhắn thử tới NGƯỜI trên từng kênh (email, Telegram) và in kết quả từng kênh."""
    try:
        cfg = load_config(config)
    except ConfigError as exc:
        _fail(str(exc))
    directory = cfg.directory()
    found = directory.people.get(person)
    if found is None:
        _fail(unknown_person(person, directory))
    console = Console()
    outcomes = asyncio.run(send_test(cfg, found, console, chat_id=_linked_chat(cfg, found)))
    typer.echo(f"Gửi thử tới {found.name} ({found.id}):")
    for outcome in outcomes:
        name = f"{CHANNEL_NAMES[outcome.channel]:<8}"
        if outcome.address is None:
            typer.echo(f"  {name} —  bỏ qua: chưa khai báo địa chỉ")
        elif outcome.sent:
            typer.echo(f"  {name} → {outcome.address}: đã gửi ({outcome.detail})")
        else:
            typer.echo(f"  {name} → {outcome.address}: thất bại — {outcome.detail}")
    if all(o.address is None for o in outcomes):
        _fail(f"{found.name} ({found.id}) chưa có email hay Telegram nào trong danh bạ.")
    if any(o.address is not None and not o.sent for o in outcomes):
        raise typer.Exit(1)


async def send_test(
    config: Config,
    person: Person,
    console: Console | None = None,
    *,
    chat_id: int | None = None,
    now: datetime | None = None,
) -> list[Outcome]:
    """Render the `test` template and send it on each channel the person has, directly."""
    channels = configured_channels(config, console=console)
    chat = chat_id if chat_id is not None else person.telegram_chat_id
    recipient = Recipient(person.id, person.name, person.email, chat)
    now = now or datetime.now(UTC)
    addresses = {"email": person.email, "telegram": str(chat) if chat is not None else None}
    renderer = Renderer(compiled_dir=compiled_templates())
    outcomes: list[Outcome] = []
    try:
        for name, address in addresses.items():
            if address is None:
                outcomes.append(Outcome(name, None, False, ""))
                continue
            context = {
                "as_of": now.astimezone(config.tz).date().isoformat(),
                "channel": CHANNEL_NAMES[name],
            }
            key = f"test/{person.id}/{name}/{now:%Y%m%dT%H%M%S%f}"
            message = renderer.render("test", context, recipient, key)
            try:
                result = await channels[name].send(message)
            except DeliveryError as exc:
                outcomes.append(Outcome(name, address, False, str(exc)))
            else:
                outcomes.append(
                    Outcome(name, address, True, result.detail or result.external_id or "ok")
                )
    finally:
        for channel in channels.values():
            await channel.close()
    return outcomes


def unknown_person(person_id: str, directory: Directory) -> str:
    """The error for an id not in the directory, with the nearest ids and names."""
    names = {p.id: p for p in directory.people.values()}
    by_name = {p.name.casefold(): p.id for p in directory.people.values()}
    close = difflib.get_close_matches(person_id, list(names), n=3, cutoff=0.5)
    close += [
        by_name[n]
        for n in difflib.get_close_matches(person_id.casefold(), list(by_name), n=3, cutoff=0.5)
    ]
    hint = ", ".join(f"{i} ({names[i].name})" for i in dict.fromkeys(close))
    return f"không có người '{person_id}' trong danh bạ." + (
        f" Có phải: {hint}?" if hint else " Xem mục [[people]] trong config.toml."
    )


def _linked_chat(config: Config, person: Person) -> int | None:
    """The chat the person linked through the bot, when there is a database to ask.

    Read-only: a test message must not create or migrate the database."""
    url = config.database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    try:
        with Session(make_engine(url)) as session:
            return linked_chats(session).get(person.id)
    except (SQLAlchemyError, OSError):
        return None


def _fail(message: str) -> NoReturn:
    typer.echo(f"Lỗi: {message}", err=True)
    raise typer.Exit(1)
