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

from nhacviec.config_messages import os_reason, parse_loc, problem_line, reason
from nhacviec.onboarding.settings import RunConfig
from notifications.reports.settings import ReportsConfig
from notifications.settings import DigestConfig, EmailConfig, TelegramConfig
from notifications.web.settings import WebConfig
from rules.directory import Directory
from rules.escalation import EscalationConfig
from rules.settings import (
    CalendarConfig,
    GroupConfig,
    PathText,
    PersonConfig,
    RoleConfig,
    TimingConfig,
    UnitConfig,
    build_directory,
    directory_problems,
    suggest,
)
from scheduler.settings import DatabaseConfig, DeliveryConfig, PlanSource

__all__ = ["Config", "ConfigError", "load_config", "masked", "parse_config"]


class ConfigError(Exception):
    """The configuration cannot be used. The message lists every problem with its key."""


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "Asia/Ho_Chi_Minh"
    data_dir: PathText = Path("var")
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    plans: list[PlanSource] = Field(default_factory=list)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    timing: TimingConfig = Field(default_factory=TimingConfig)
    escalation: EscalationConfig = Field(default_factory=EscalationConfig)
    delivery: DeliveryConfig = Field(default_factory=DeliveryConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    run: RunConfig = Field(default_factory=RunConfig)
    reports: ReportsConfig = Field(default_factory=ReportsConfig)
    web: WebConfig | None = None  # the web app runs only when [web] is configured
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
            raise ValueError(f"không có múi giờ «{value}»") from exc
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


def _cross_references(config: Config) -> list[str]:
    """References between sections: the directory's, the ladder's audiences, the digest's role."""
    roles = [r.id for r in config.roles]
    problems = directory_problems(config.units, config.groups, config.roles, config.people)
    problems += config.escalation.audience_problems(roles)
    problems += _cron_problems(config)
    if config.digest.to_role not in roles and config.roles:
        problems.append(
            f"digest.to_role: unknown role '{config.digest.to_role}'"
            + suggest(config.digest.to_role, roles)
        )
    return problems


def _cron_problems(config: Config) -> list[str]:
    """The digest's cron line, read as `run` will read it (APScheduler's from_crontab)."""
    from notifications.digest import crontab_trigger

    try:
        crontab_trigger(config.digest.cron, config.tz)
    except Exception:  # ValueError mostly; any failure means `run` could not use it
        return [
            f"digest.cron: «{config.digest.cron}» không phải dòng crontab hợp lệ (5 phần: "
            'phút giờ ngày tháng thứ, ví dụ "30 7 * * mon" là 7:30 sáng thứ Hai)'
        ]
    return []


def parse_config(
    data: dict[str, Any],
    *,
    source: str = "config.toml",
    base_dir: Path | None = None,
    text: str | None = None,
) -> Config:
    """Validate; every problem becomes one Vietnamese line with its entry and file line."""
    try:
        # Strict: TOML has its own types, so 3600 is not a time, nor true a number, nor
        # 0 false; a value of the wrong type is named, not coerced into something else.
        config = Config.model_validate({**data, "base_dir": base_dir or Path(".")}, strict=True)
    except ValidationError as exc:
        lines = [
            problem_line(tuple(err["loc"]), reason(dict(err)), data, text) for err in exc.errors()
        ]
        raise ConfigError(_report(source, lines)) from None
    problems = _cross_references(config)
    if problems:
        lines = []
        for problem in problems:
            path, _, why = problem.partition(": ")
            loc = parse_loc(path)
            lines.append(problem_line(loc, _reason_text(why), data, text))
        raise ConfigError(_report(source, lines))
    return config


def _reason_text(text: str) -> str:
    from nhacviec.config_messages import translate_reason

    return translate_reason(text)


def _report(source: str, lines: list[str]) -> str:
    count = f"{len(lines)} lỗi" if len(lines) > 1 else "1 lỗi"
    return f"{source} có {count}:\n  " + "\n  ".join(lines)


def load_config(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"không đọc được {path}: {_os_reason(exc)}") from None
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{path} không phải văn bản UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} sai cú pháp TOML: {_toml_reason(str(exc))}") from None
    return parse_config(data, source=str(path), base_dir=path.resolve().parent, text=text)


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOENT:
        return "không có tệp này (tạo bằng `nhacviec init KẾ-HOẠCH`)"
    return os_reason(exc)


def _toml_reason(message: str) -> str:
    """ "Expected '=' after a key ... (at line 3, column 5)" -> "dòng 3, cột 5"."""
    import re

    match = re.search(r"line (\d+), column (\d+)", message)
    where = f"dòng {match.group(1)}, cột {match.group(2)}" if match else "không rõ vị trí"
    return f"{where} (xem lại dấu =, ngoặc kép, ngoặc vuông)"


def masked(config: Config) -> dict[str, Any]:
    """The resolved configuration for display, with secrets shown only as set / not set."""
    data = config.model_dump(mode="json", by_alias=True)
    smtp = data["email"].get("smtp")
    if smtp is not None:
        smtp["password"] = (
            "***" if config.email.smtp and config.email.smtp.password() else "(chưa đặt)"
        )
    data["telegram"]["token"] = "***" if config.telegram.token() else "(chưa đặt)"
    if config.web is not None:
        data["web"]["secret"] = "***" if config.web.secret() else "(chưa đặt)"
    return data
