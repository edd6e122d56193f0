"""`nhacviec people import | export | invite | links | unlink`: the people of config.toml
and their Telegram links. Heavy modules are imported inside each command."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.cli.people_sheet import export_people, import_people

if TYPE_CHECKING:
    from nhacviec.config import Config

DEFAULT_HOURS = 72  # notifications.bot.linking.DEFAULT_HOURS, kept here for a light --help

people_app = typer.Typer(
    help="Danh sách người (nhập từ Excel), liên kết Telegram.", no_args_is_help=True
)
people_app.command("import")(import_people)
people_app.command("export")(export_people)

PersonArg = Annotated[
    str | None, typer.Argument(metavar="NGƯỜI", help="Người: id, họ tên hoặc bí danh.")
]
UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Đơn vị (id, tên hoặc bí danh): nhóm Telegram.")
]
HoursOption = Annotated[int, typer.Option("--hours", help="Mã hết hạn sau bấy nhiêu giờ.")]
BotOption = Annotated[
    str | None, typer.Option("--bot", help="Tên bot (@username) khi không hỏi được Telegram.")
]


def bot_username(config: Config) -> str | None:
    """The bot's @username from getMe, or None without a token or when Telegram is unreachable."""
    import asyncio

    from telegram import Bot
    from telegram.error import TelegramError

    from notifications.telegram import BOT_API_FILE_URL, BOT_API_URL

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
    """In mã dùng một lần (và đường dẫn t.me) để liên kết Telegram: `/start MÃ`."""
    from nhacviec.cli.resolve import resolve_person, resolve_unit
    from notifications.bot.linking import create_invite, deep_link
    from scheduler.db import open_database
    from scheduler.service import ServiceError

    if (person is None) == (unit is None):
        raise CommandError("chọn một người (NGƯỜI) hoặc một đơn vị (--unit ĐƠN-VỊ)")
    cfg = load(config)
    db = open_database(cfg.database_url())
    directory = cfg.directory()
    person = resolve_person(directory, person) if person else None
    unit = resolve_unit(directory, unit) if unit else None
    # A code is a real-world thing: it expires on the real clock, even after a replay.
    now = datetime.now(UTC)
    try:
        code = create_invite(
            db, directory, now, person_id=person, unit_id=unit, hours=hours, by="cli"
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
    """Liệt kê các chat Telegram đã liên kết với người và đơn vị."""
    from rich.console import Console
    from rich.table import Table

    from notifications.bot.linking import active_links
    from scheduler.db import open_database

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
    """Gỡ liên kết Telegram của một người hoặc một đơn vị (mất điện thoại, nghỉ việc)."""
    from nhacviec.cli.resolve import resolve_person, resolve_unit
    from notifications.bot.linking import unlink
    from scheduler.db import open_database

    if (person is None) == (unit is None):
        raise CommandError("chọn một người (NGƯỜI) hoặc một đơn vị (--unit ĐƠN-VỊ)")
    cfg = load(config)
    directory = cfg.directory()
    person = resolve_person(directory, person) if person else None
    unit = resolve_unit(directory, unit) if unit else None
    db = open_database(cfg.database_url())
    ended = unlink(db, datetime.now(UTC), "cli", person_id=person, unit_id=unit)
    typer.echo(f"Đã gỡ {ended} liên kết." if ended else "Không có liên kết nào để gỡ.")
