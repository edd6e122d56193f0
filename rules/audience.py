"""Who hears about an occurrence at each ladder step: the one place that decides it.

A group named in the monitors column ("Thủ trưởng các cơ quan, đơn vị, UBND xã, thị
trấn") means *each unit's head watches their own unit's work*: for an occurrence it
resolves to the head of the occurrence's lead unit only, never to the heads of the
group's other members. Roles (QMR, Thư ký ISO) and units named one by one monitor
every occurrence of the row. Coordinating units are copied only when a step names
"coordinating", and never when they lead an occurrence of the same row themselves
(each of them is then reminded of its own). Pure: the directory is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rules.directory import Directory, Person, Resolution
from rules.escalation import Step


@dataclass(frozen=True)
class MonitorScope:
    """A row's monitors: `people` watch every occurrence; each unit of `own_heads` is
    watched by its own head, on its own occurrences only."""

    people: tuple[str, ...] = ()
    own_heads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hearer:
    person: Person
    reason: str  # "lead" | "coordinating" | "monitor" | a role id ("qmr", "lanh-dao")


def monitor_scope(directory: Directory, monitors: Resolution) -> MonitorScope:
    """What a monitors cell means once the directory has resolved it."""
    people: list[Person] = []
    for role in monitors.roles:
        people.extend(directory.role_people(role))
    for unit in monitors.units:
        people.extend(directory.unit_head(unit))
    own_heads = [u for g in monitors.groups for u in directory.groups[g].members]
    return MonitorScope(tuple(dict.fromkeys(p.id for p in people)), tuple(dict.fromkeys(own_heads)))


def monitors_of(directory: Directory, scope: MonitorScope, unit_id: str) -> tuple[Person, ...]:
    """The monitors of one occurrence (lead unit `unit_id`, "" when unresolved)."""
    people = [directory.people[p] for p in scope.people if p in directory.people]
    if unit_id and unit_id in scope.own_heads:
        people.extend(directory.unit_head(unit_id))
    return tuple(dict.fromkeys(people))


def coordinating_units(
    coordinating: tuple[str, ...], lead_units: tuple[str, ...]
) -> tuple[str, ...]:
    """The units copied on a row: those named as coordinating that lead none of its occurrences."""
    return tuple(u for u in dict.fromkeys(coordinating) if u not in lead_units)


def hearers(
    directory: Directory,
    targets: tuple[str, ...],
    unit_id: str,
    coordinating: tuple[str, ...],
    scope: MonitorScope,
) -> list[Hearer]:
    """Who a step with audience `targets` reaches for one occurrence, each person once,
    in audience order (the first reason wins)."""
    chosen: dict[str, Hearer] = {}

    def add(people: tuple[Person, ...], reason: str) -> None:
        for person in people:
            chosen.setdefault(person.id, Hearer(person, reason))

    for target in targets:
        if target == "lead" and unit_id:
            add(directory.unit_contacts(unit_id), "lead")
        elif target == "coordinating":
            for unit in coordinating:
                if unit != unit_id:
                    add(directory.unit_contacts(unit), "coordinating")
        elif target == "monitors":
            add(monitors_of(directory, scope, unit_id), "monitor")
        elif target.startswith("role:"):
            role = target.removeprefix("role:")
            add(directory.role_people(role), role)
    return list(chosen.values())


@dataclass(frozen=True)
class StepHearers:
    step: str
    hearers: tuple[Hearer, ...]


@dataclass(frozen=True)
class UnitAudience:
    """Who hears about one occurrence of a row (lead unit `unit`, "" when unresolved), step by step."""

    unit: str
    steps: tuple[StepHearers, ...]

    def first_heard(self) -> list[tuple[Hearer, str]]:
        """Each person once, with the first step that reaches them, in ladder order."""
        seen: dict[str, tuple[Hearer, str]] = {}
        for step in self.steps:
            for hearer in step.hearers:
                seen.setdefault(hearer.person.id, (hearer, step.step))
        return list(seen.values())


def row_audience(
    directory: Directory,
    steps: Sequence[Step],
    lead: Resolution,
    coordinating: Resolution,
    monitors: Resolution,
) -> list[UnitAudience]:
    """Per occurrence unit of a row and per ladder step, who hears about it: what the engine
    does (scheduler.sync stores the same scope and coordinating units)."""
    leads = directory.lead_units(lead)
    scope = monitor_scope(directory, monitors)
    copied = coordinating_units(directory.lead_units(coordinating), leads)
    return [
        UnitAudience(
            unit,
            tuple(
                StepHearers(s.name, tuple(hearers(directory, s.audience, unit, copied, scope)))
                for s in steps
            ),
        )
        for unit in leads or ("",)
    ]
