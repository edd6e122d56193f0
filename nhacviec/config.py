"""config.toml: the sections each package owns, composed, loaded and checked.

The sections are defined beside the code they configure (rules.settings, rules.escalation,
scheduler.settings, notifications.settings); this module puts them together, reads the
file and reports every problem with its key path ("people[2].unit", "email.smtp.port")
so a person can find the line to fix.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from notifications.settings import DeliveryConfig, DigestConfig, EmailConfig, TelegramConfig
from rules.directory import Directory
from rules.escalation import EscalationConfig
from rules.settings import (
    CalendarConfig,
    GroupConfig,
    PersonConfig,
    RoleConfig,
    TimingConfig,
    UnitConfig,
    build_directory,
    directory_problems,
    suggest,
)
from scheduler.settings import DatabaseConfig, PlanSource

__all__ = ["Config", "ConfigError", "load_config", "masked", "parse_config"]


class ConfigError(Exception):
    """The configuration cannot be used. The message lists every problem with its key."""


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "Asia/Ho_Chi_Minh"
    data_dir: Path = Path("var")
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    plans: list[PlanSource] = Field(default_factory=list)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    timing: TimingConfig = Field(default_factory=TimingConfig)
    escalation: EscalationConfig = Field(default_factory=EscalationConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    delivery: DeliveryConfig = Field(default_factory=DeliveryConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    units: list[UnitConfig] = Field(default_factory=list)
    groups: list[GroupConfig] = Field(default_factory=list)
    roles: list[RoleConfig] = Field(default_factory=list)
    people: list[PersonConfig] = Field(default_factory=list)

    # Set by load_config: relative paths in the file are relative to the file.
    base_dir: Path = Field(default=Path("."), exclude=True)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def path(self, relative: Path) -> Path:
        return relative if relative.is_absolute() else self.base_dir / relative

    def database_url(self) -> str:
        return self.database.resolved_url(self.base_dir)

    def directory(self) -> Directory:
        return build_directory(self.units, self.groups, self.roles, self.people)


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _cross_references(config: Config) -> list[str]:
    """References between sections: the directory's, the ladder's audiences, the digest's role."""
    roles = [r.id for r in config.roles]
    problems = directory_problems(config.units, config.groups, config.roles, config.people)
    problems += config.escalation.audience_problems(roles)
    if config.digest.to_role not in roles and config.roles:
        problems.append(
            f"digest.to_role: unknown role '{config.digest.to_role}'"
            + suggest(config.digest.to_role, roles)
        )
    return problems


def parse_config(
    data: dict[str, Any], *, source: str = "config.toml", base_dir: Path | None = None
) -> Config:
    try:
        config = Config.model_validate({**data, "base_dir": base_dir or Path(".")})
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown key (is it misspelt?)"
            lines.append(f"{_format_loc(tuple(err['loc']))}: {message}")
        raise ConfigError(f"{source} is not valid:\n  " + "\n  ".join(lines)) from None
    problems = _cross_references(config)
    if problems:
        raise ConfigError(f"{source} is not valid:\n  " + "\n  ".join(problems))
    return config


def load_config(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    return parse_config(data, source=str(path), base_dir=path.resolve().parent)


def masked(config: Config) -> dict[str, Any]:
    """The resolved configuration for display, with secrets shown only as set / not set."""
    data = config.model_dump(mode="json", by_alias=True)
    smtp = data["email"].get("smtp")
    if smtp is not None:
        smtp["password"] = (
            "***" if config.email.smtp and config.email.smtp.password() else "(not set)"
        )
    data["telegram"]["token"] = "***" if config.telegram.token() else "(not set)"
    return data
