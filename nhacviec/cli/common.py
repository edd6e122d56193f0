"""What every command shares: the --config option, loading, and the errors shown as one line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nhacviec.config import Config, ConfigError, load_config
from rules.plan import PlanImportError


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
