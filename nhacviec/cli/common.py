"""What every command shares: the --config option, loading, dates as people type them, and
the errors shown as one line. Kept light: heavy modules are imported where they are used."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from nhacviec.config import Config
    from scheduler.simulate import EvidenceAt


class CommandError(Exception):
    """A user-facing failure of a command (unknown occurrence, not allowed, ...)."""


def user_errors() -> tuple[type[Exception], ...]:
    from nhacviec.config import ConfigError
    from rules.plan import PlanImportError
    from scheduler.db_reach import DatabaseUnreachable

    return (ConfigError, PlanImportError, CommandError, DatabaseUnreachable)


ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="Tệp cấu hình (config.toml).", envvar="NHACVIEC_CONFIG"),
]
DEFAULT_CONFIG = Path("config.toml")

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def parse_day(text: str, what: str = "ngày") -> date:
    """A date as people type it: dd/mm/yyyy, d/m/yyyy or ISO (yyyy-mm-dd)."""
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"{what} «{text}» không phải là ngày: ghi dạng dd/mm/yyyy (ví dụ 20/08/2024)"
        ) from None


def parse_moment(text: str, what: str = "thời điểm") -> datetime:
    """A day as `parse_day` reads it, optionally followed by a time: "09/09/2024 08:00",
    "2024-09-09T08:00". Naive: the caller puts it in the office's time zone."""
    day_text, _, time_text = text.strip().replace("T", " ").partition(" ")
    day = parse_day(day_text, what)
    if not time_text.strip():
        return datetime.combine(day, time(0, 0))
    try:
        return datetime.combine(day, time.fromisoformat(time_text.strip()))
    except ValueError:
        raise CommandError(f"{what} «{text}»: giờ cần dạng HH:MM (ví dụ 08:00)") from None


def load(path: Path) -> Config:
    from nhacviec.config import load_config

    return load_config(path)


def parse_evidence(items: list[str]) -> list[EvidenceAt]:
    """`--evidence I.3=20/08/2024` options, for simulations."""
    from scheduler.simulate import EvidenceAt

    parsed = []
    for item in items:
        ref, sep, day = item.partition("=")
        if not sep or not ref.strip():
            raise CommandError(
                f"--evidence «{item}»: cần dạng DÒNG=NGÀY, ví dụ I.3=20/08/2024"
            ) from None
        parsed.append(EvidenceAt(ref.strip(), parse_day(day, f"--evidence {ref.strip()}")))
    return parsed
