"""`nhacviec people invite | links | unlink`: Telegram links of people and units."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from telegram import Bot
from telegram.error import TelegramError

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.config import Config
from notifications.bot.linking import DEFAULT_HOURS, active_links, create_invite, deep_link, unlink
from notifications.telegram import BOT_API_FILE_URL, BOT_API_URL
from scheduler.db import open_database
from scheduler.queries import engine_now
from scheduler.service import ServiceError

people_app = typer.Typer(help="Liên kết Telegram của người và đơn vị.", no_args_is_help=True)

PersonArg = Annotated[str | None, typer.Argument(help="Người (id trong danh bạ).")]
UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Đơn vị (id): nhóm Telegram của đơn vị.")
]
HoursOption = Annotated[int, typer.Option("--hours", help="Mã hết hạn sau bấy nhiêu giờ.")]
BotOption = Annotated[
    str | None, typer.Option("--bot", help="Tên bot (@username) khi không hỏi được Telegram.")
]


def bot_username(config: Config) -> str | None:
    """The bot's @username from getMe, or None without a token or when Telegram is unreachable."""
    token = config.telegram.token()
    if not token:
        return None

    async def ask() -> str:
        async with Bot(
            token,
            base_url=config.telegram.base_url or BOT_API_URL,
            base_file_url=config.telegram.base_file_url or BOT_API_FILE_URL,
        ) as bot:
            return bot.username

    try:
        return asyncio.run(ask())
    except (TelegramError, OSError) as exc:
        typer.echo(f"Cảnh báo: không hỏi được tên bot từ Telegram ({exc}).", err=True)
        return None


@people_app.command("invite")
def invite(
    person: PersonArg = None,
    unit: UnitOption = None,
    hours: HoursOption = DEFAULT_HOURS,
    bot: BotOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Print a one-time code (and a t.me link) that links a Telegram chat: `/start CODE`."""
    if (person is None) == (unit is None):
        raise CommandError("chọn một người (PERSON) hoặc một đơn vị (--unit UNIT)")
    cfg = load(config)
    db = open_database(cfg.database_url())
    directory = cfg.directory()
    try:
        code = create_invite(
            db, directory, engine_now(db), person_id=person, unit_id=unit, hours=hours, by="cli"
        )
    except ServiceError as exc:
        raise CommandError(str(exc)) from None
    name = directory.display_name(person or unit or "")
    expires = code.expires_at.astimezone(cfg.tz).strftime("%H:%M %d/%m/%Y")
    typer.echo(f"Mã liên kết cho {name}: {code.code} (dùng một lần, hết hạn lúc {expires})")
    username = (bot or "").lstrip("@") or bot_username(cfg)
    if username:
        typer.echo(deep_link(username, code.code, group=unit is not None))
    where = "trong nhóm Telegram của đơn vị" if unit else "trong tin nhắn riêng với bot"
    typer.echo(f"Hoặc gửi {where}: /start {code.code}")


@people_app.command("links")
def links(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """List the Telegram chats linked to people and units."""
    cfg = load(config)
    directory = cfg.directory()
    table = Table(title="Liên kết Telegram")
    for column in ("Chat", "Người / đơn vị", "Liên kết lúc"):
        table.add_column(column)
    for link in active_links(open_database(cfg.database_url())):
        who = directory.display_name(link.person_id or link.unit_id or "")
        linked = link.linked_at.astimezone(cfg.tz).strftime("%H:%M %d/%m/%Y")
        table.add_row(str(link.chat_id), who, linked)
    Console().print(table)


@people_app.command("unlink")
def unlink_cmd(
    person: PersonArg = None,
    unit: UnitOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """End a person's or a unit's Telegram link (a lost phone, someone who left)."""
    if (person is None) == (unit is None):
        raise CommandError("chọn một người (PERSON) hoặc một đơn vị (--unit UNIT)")
    cfg = load(config)
    db = open_database(cfg.database_url())
    ended = unlink(db, engine_now(db), "cli", person_id=person, unit_id=unit)
    typer.echo(f"Đã gỡ {ended} liên kết." if ended else "Không có liên kết nào để gỡ.")
