"""config.toml: loaded, validated, and turned into the objects the engine uses.

Every error names the key path ("people[2].unit", "email.smtp.port") so a person
can find the line to fix. Secrets are never in the file: only the names of the
environment variables that hold them.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from notifications.web.settings import WebConfig
from rules.directory import Directory, Group, Person, Role, Unit

AUDIENCES = ("lead", "coordinating", "monitors")


class ConfigError(Exception):
    """The configuration cannot be used. The message lists every problem with its key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Strict):
    url: str = "sqlite:///var/nhacviec.db"


class PlanSource(_Strict):
    file: Path
    year: int | None = None
    # Row ref ("I.3") -> a timing phrase to use instead of the one in the document.
    schedules: dict[str, str] = Field(default_factory=dict)


class CalendarConfig(_Strict):
    extra_days_off: list[date] = Field(default_factory=list)
    makeup_working_days: list[date] = Field(default_factory=list)
    deadline_on_day_off: Literal["previous", "next"] = "previous"
    work_start: time = time(7, 30)
    work_end: time = time(17, 0)

    @model_validator(mode="after")
    def _hours_in_order(self) -> CalendarConfig:
        if self.work_end <= self.work_start:
            raise ValueError("work_end must be later than work_start")
        return self


class TimingConfig(_Strict):
    ongoing_checkin: Literal["monthly", "quarterly", "halfyearly", "yearly", "none"] = "quarterly"
    period_deadline: Literal["last_working_day", "last_day"] = "last_working_day"
    after_event_working_days: int = Field(10, ge=0, le=250)
    adhoc_working_days: int = Field(10, ge=1, le=250)


class StepConfig(_Strict):
    name: str
    anchor: Literal["opens", "due"] = "due"
    offset: int = Field(0, ge=-60, le=250, description="working days from the anchor")
    audience: list[str]
    channels: list[Literal["email", "telegram"]] = Field(
        default_factory=lambda: ["email", "telegram"]
    )
    template: str
    repeat_every_days: int | None = Field(None, ge=1, le=90)


def _default_steps() -> list[StepConfig]:
    lead, monitors = ["lead"], ["lead", "monitors"]
    return [
        StepConfig(
            name="mo-dot",
            anchor="opens",
            offset=0,
            audience=["lead", "coordinating"],
            template="window_open",
        ),
        StepConfig(name="truoc-5-ngay", offset=-5, audience=lead, template="reminder_before"),
        StepConfig(name="truoc-1-ngay", offset=-1, audience=lead, template="reminder_before"),
        StepConfig(name="den-han", offset=0, audience=lead, template="reminder_due"),
        StepConfig(name="qua-han-1", offset=1, audience=monitors, template="overdue"),
        StepConfig(
            name="qua-han-qmr", offset=3, audience=[*monitors, "role:qmr"], template="escalation"
        ),
        StepConfig(
            name="qua-han-lanh-dao",
            offset=7,
            audience=[*monitors, "role:qmr", "role:lanh-dao"],
            template="escalation",
        ),
        # Weekly until evidence, to those who act and watch; the QMR and leadership see
        # every late task in the weekly digest rather than one message per task per week.
        StepConfig(
            name="nhac-lai-hang-tuan",
            offset=12,
            audience=monitors,
            template="overdue",
            repeat_every_days=7,
        ),
    ]


def _default_checkin_steps() -> list[StepConfig]:
    return [StepConfig(name="kiem-tra", offset=0, audience=["lead"], template="checkin")]


class EscalationConfig(_Strict):
    steps: list[StepConfig] = Field(default_factory=_default_steps)
    checkin_steps: list[StepConfig] = Field(default_factory=_default_checkin_steps)


class DigestConfig(_Strict):
    cron: str = "30 7 * * mon"
    send_when_quiet: bool = True
    unit_heads: bool = False
    to_role: str = "qmr"


class SmtpConfig(_Strict):
    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password_env: str = "NHACVIEC_SMTP_PASSWORD"
    timeout: float = Field(30.0, gt=0)
    batch_size: int = Field(50, ge=1)

    def password(self) -> str | None:
        return os.environ.get(self.password_env)


class EmailConfig(_Strict):
    sender: str = Field("nhacviec@localhost", alias="from")
    sender_name: str = "Nhắc việc ISO"
    outbox_dir: Path = Path("var/outbox")
    smtp: SmtpConfig | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TelegramConfig(_Strict):
    token_env: str = "NHACVIEC_TELEGRAM_TOKEN"
    base_url: str | None = (
        None  # e.g. a local Bot API server; python-telegram-bot's default otherwise
    )
    base_file_url: str | None = None
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    max_evidence_mb: int = Field(20, ge=1, le=2000)

    def token(self) -> str | None:
        return os.environ.get(self.token_env) or None


class UnitConfig(_Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    head: str | None = None


class GroupConfig(_Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    members: list[str]


class RoleConfig(_Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)


class PersonConfig(_Strict):
    id: str
    name: str
    unit: str | None = None
    email: str | None = None
    telegram_chat_id: int | None = None

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str | None) -> str | None:
        if value is not None and ("@" not in value or value.startswith("@") or value.endswith("@")):
            raise ValueError(f"'{value}' is not an email address")
        return value


class Config(_Strict):
    timezone: str = "Asia/Ho_Chi_Minh"
    data_dir: Path = Path("var")
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    plans: list[PlanSource] = Field(default_factory=list)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    timing: TimingConfig = Field(default_factory=TimingConfig)
    escalation: EscalationConfig = Field(default_factory=EscalationConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    email: EmailConfig = Field(default_factory=EmailConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
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
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def path(self, relative: Path) -> Path:
        return relative if relative.is_absolute() else self.base_dir / relative

    def database_url(self) -> str:
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str(self.path(Path(url[len(prefix) :])))
        return url

    def directory(self) -> Directory:
        return Directory(
            units=tuple(Unit(u.id, u.name, tuple(u.aliases), u.head) for u in self.units),
            groups=tuple(
                Group(g.id, g.name, tuple(g.aliases), tuple(g.members)) for g in self.groups
            ),
            roles=tuple(Role(r.id, r.name, tuple(r.aliases), tuple(r.people)) for r in self.roles),
            people=tuple(
                Person(p.id, p.name, p.unit, p.email, p.telegram_chat_id) for p in self.people
            ),
        )


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _suggest(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _cross_references(config: Config) -> list[str]:
    """References between sections: people -> units, groups -> units, roles -> people."""
    problems: list[str] = []
    units = [u.id for u in config.units]
    people = [p.id for p in config.people]
    roles = [r.id for r in config.roles]
    for kind, ids in (
        ("units", units),
        ("groups", [g.id for g in config.groups]),
        ("roles", roles),
        ("people", people),
    ):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        problems += [f"{kind}: id '{d}' is declared more than once" for d in dupes]
    for i, person in enumerate(config.people):
        if person.unit is not None and person.unit not in units:
            problems.append(
                f"people[{i}].unit: unknown unit '{person.unit}'" + _suggest(person.unit, units)
            )
    for i, unit in enumerate(config.units):
        if unit.head is not None and unit.head not in people:
            problems.append(
                f"units[{i}].head: unknown person '{unit.head}'" + _suggest(unit.head, people)
            )
    for i, group in enumerate(config.groups):
        for j, member in enumerate(group.members):
            if member not in units:
                problems.append(
                    f"groups[{i}].members[{j}]: unknown unit '{member}'" + _suggest(member, units)
                )
    for i, role in enumerate(config.roles):
        for j, pid in enumerate(role.people):
            if pid not in people:
                problems.append(
                    f"roles[{i}].people[{j}]: unknown person '{pid}'" + _suggest(pid, people)
                )
    for ladder in ("steps", "checkin_steps"):
        for i, step in enumerate(getattr(config.escalation, ladder)):
            for j, audience in enumerate(step.audience):
                role = audience.removeprefix("role:")
                if audience in AUDIENCES or (audience.startswith("role:") and role in roles):
                    continue
                known = list(AUDIENCES) + [f"role:{r}" for r in roles]
                problems.append(
                    f"escalation.{ladder}[{i}].audience[{j}]: unknown audience "
                    f"'{audience}'" + _suggest(audience, known)
                )
    if config.digest.to_role not in roles and config.roles:
        problems.append(
            f"digest.to_role: unknown role '{config.digest.to_role}'"
            + _suggest(config.digest.to_role, roles)
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
    if config.web is not None:
        data["web"]["secret"] = "***" if config.web.secret() else "(not set)"
    return data
