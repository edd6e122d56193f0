"""The bot's replies: macros of one Jinja2 template, Telegram's HTML subset, autoescaped.

Text for people lives in `templates/replies.html.j2`; this module only renders it. Every
value passed in is escaped, so a task, a file name or a person's text cannot break the
markup Telegram parses.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from notifications.render import clip_telegram_html, vndate
from rules.vndate import short_date

TEMPLATES = Path(__file__).with_name("templates")


def file_size(size: int) -> str:
    """1536 -> "1,5 KB" (Vietnamese decimal comma)."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
    return f"{text.replace('.', ',')} {unit}"


class Texts:
    def __init__(self, tz: ZoneInfo, templates_dir: Path = TEMPLATES) -> None:
        self.tz = tz
        env = Environment(
            loader=FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(
            vndate=vndate, shortdate=short_date, filesize=file_size, localtime=self.local_time
        )
        self._macros = env.get_template("replies.html.j2").module

    def local_time(self, instant: datetime) -> str:
        return instant.astimezone(self.tz).strftime("%H:%M %d/%m/%Y")

    def render(self, name: str, **values: Any) -> str:
        """The reply `name` with `values`, tidied and clipped to Telegram's 4,096 characters."""
        macro = getattr(self._macros, name)
        text = str(macro(**values))
        text = re.sub(r"[ \t]+\n", "\n", text)
        return clip_telegram_html(re.sub(r"\n{3,}", "\n\n", text).strip())
