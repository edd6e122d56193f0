"""The configuration sections the rules read: [calendar], [timing] and the directory.

Each model validates its own section of config.toml and turns it into the rules' own
objects (`WorkingCalendar`, `TimingOptions`, `Directory`); nhacviec.config composes the
sections, loads the file and reports the errors with their key paths.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from rules.calendar import WorkingCalendar
from rules.directory import Directory, Group, Person, Role, Unit
from rules.timing import TimingOptions


def _local_time(value: time) -> time:
    # A time with a zone (pydantic reads 3600 as 01:00 UTC) cannot be compared with the
    # office's local hours; the file's TOML times never carry one.
    if value.tzinfo is not None:
        raise ValueError("phải là giờ dạng HH:MM:SS, không kèm múi giờ")
    return value


def _path_text(value: Any) -> Any:
    # config.toml writes paths as strings; the file is validated strictly (so that 3600 is
    # not a time, nor true a number), which alone would refuse a string for a Path.
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("đường dẫn chứa ký tự NUL")
        return Path(value)
    if not isinstance(value, Path):
        raise ValueError("phải là đường dẫn trong ngoặc kép")
    return value


LocalTime = Annotated[time, AfterValidator(_local_time)]
PathText = Annotated[Path, BeforeValidator(_path_text)]


class Section(BaseModel):
    """A config section: unknown keys are errors (a misspelt key must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CalendarConfig(Section):
    extra_days_off: list[date] = Field(default_factory=list)
    makeup_working_days: list[date] = Field(default_factory=list)
    deadline_on_day_off: Literal["previous", "next"] = "previous"
    work_start: LocalTime = time(7, 30)
    work_end: LocalTime = time(17, 0)

    @model_validator(mode="after")
    def _hours_in_order(self) -> CalendarConfig:
        if self.work_end <= self.work_start:
            raise ValueError("work_end must be later than work_start")
        return self

    def working_calendar(self) -> WorkingCalendar:
        return WorkingCalendar(
            extra_days_off=self.extra_days_off,
            makeup_working_days=self.makeup_working_days,
            on_day_off=self.deadline_on_day_off,
        )


class TimingConfig(Section):
    ongoing_checkin: Literal["monthly", "quarterly", "halfyearly", "yearly", "none"] = "quarterly"
    period_deadline: Literal["last_working_day", "last_day"] = "last_working_day"
    after_event_working_days: int = Field(10, ge=0, le=250)
    adhoc_working_days: int = Field(10, ge=1, le=250)

    def options(self) -> TimingOptions:
        return TimingOptions(
            ongoing_checkin=self.ongoing_checkin,
            period_deadline=self.period_deadline,
            after_event_working_days=self.after_event_working_days,
        )


class UnitConfig(Section):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    head: str | None = None


class GroupConfig(Section):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    members: list[str]


class RoleConfig(Section):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)


class PersonConfig(Section):
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


def build_directory(
    units: Sequence[UnitConfig],
    groups: Sequence[GroupConfig],
    roles: Sequence[RoleConfig],
    people: Sequence[PersonConfig],
) -> Directory:
    return Directory(
        units=tuple(Unit(u.id, u.name, tuple(u.aliases), u.head) for u in units),
        groups=tuple(Group(g.id, g.name, tuple(g.aliases), tuple(g.members)) for g in groups),
        roles=tuple(Role(r.id, r.name, tuple(r.aliases), tuple(r.people)) for r in roles),
        people=tuple(Person(p.id, p.name, p.unit, p.email, p.telegram_chat_id) for p in people),
    )


def suggest(value: str, choices: Sequence[str]) -> str:
    """ " (did you mean 'x'?)" for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def directory_problems(
    units: Sequence[UnitConfig],
    groups: Sequence[GroupConfig],
    roles: Sequence[RoleConfig],
    people: Sequence[PersonConfig],
) -> list[str]:
    """References between the directory's sections: people -> units, groups -> units,
    roles -> people, and ids declared twice. Each problem starts with its key path."""
    problems: list[str] = []
    unit_ids, person_ids = [u.id for u in units], [p.id for p in people]
    for kind, ids in (
        ("units", unit_ids),
        ("groups", [g.id for g in groups]),
        ("roles", [r.id for r in roles]),
        ("people", person_ids),
    ):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        problems += [f"{kind}: id '{d}' is declared more than once" for d in dupes]
    for i, person in enumerate(people):
        if person.unit is not None and person.unit not in unit_ids:
            problems.append(
                f"people[{i}].unit: unknown unit '{person.unit}'" + suggest(person.unit, unit_ids)
            )
    for i, unit in enumerate(units):
        if unit.head is not None and unit.head not in person_ids:
            problems.append(
                f"units[{i}].head: unknown person '{unit.head}'" + suggest(unit.head, person_ids)
            )
    for i, group in enumerate(groups):
        for j, member in enumerate(group.members):
            if member not in unit_ids:
                problems.append(
                    f"groups[{i}].members[{j}]: unknown unit '{member}'" + suggest(member, unit_ids)
                )
    for i, role in enumerate(roles):
        for j, pid in enumerate(role.people):
            if pid not in person_ids:
                problems.append(
                    f"roles[{i}].people[{j}]: unknown person '{pid}'" + suggest(pid, person_ids)
                )
    return problems
