"""What every command shares: the --config option, loading, and the errors shown as one line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from nhacviec.config import Config, ConfigError, load_config
from rules.plan import PlanImportError
from scheduler.simulate import EvidenceAt


class CommandError(Exception):
    """A user-facing failure of a command (unknown occurrence, not allowed, ...)."""


USER_ERRORS: tuple[type[Exception], ...] = (ConfigError, PlanImportError, CommandError)

ConfigOption = Annotated[
    Path,
    typer.Option("--config", "-c", help="Tệp cấu hình (config.toml).", envvar="NHACVIEC_CONFIG"),
]
DEFAULT_CONFIG = Path("config.toml")


def load(path: Path) -> Config:
    return load_config(path)


def parse_evidence(items: list[str]) -> list[EvidenceAt]:
    """`--evidence I.3=2024-08-20` options, for simulations."""
    parsed = []
    for item in items:
        ref, _, day = item.partition("=")
        try:
            parsed.append(EvidenceAt(ref.strip(), date.fromisoformat(day.strip())))
        except ValueError:
            raise CommandError(
                f"--evidence «{item}»: cần dạng DÒNG=YYYY-MM-DD, ví dụ I.3=2024-08-20"
            ) from None
    return parsed
