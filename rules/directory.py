"""Units, groups, roles and people, and how free-text names in a plan resolve to them.

A plan cell names who acts in the words the office uses: "Phòng Kinh tế và Hạ tầng",
"Phòng KT&HT", "Các cơ quan, đơn vị, UBND các xã, thị trấn", "- QMR; - Thư ký ISO.".
Resolution is explicit: every name must match a declared name or alias; what does not
match is reported with suggestions, never skipped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from rules.plan import normalise_key


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    head: str | None = None  # person id


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # unit ids


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    unit: str | None = None
    email: str | None = None
    telegram_chat_id: int | None = None


@dataclass(frozen=True)
class Resolution:
    """What a cell's text resolved to. `unresolved` holds the parts that matched nothing."""

    units: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()
    suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.units or self.groups or self.roles)


_SEPARATORS = re.compile(r"\s*(?:[,;/\n•]|(?:^|\s)[-–+]\s)\s*")
_PUNCTUATION = re.compile(r"[.,;:()\[\]\-–/…]")


def _key(text: str) -> str:
    """Matching form: NFC, case-folded, '&' spaced, punctuation folded into spaces."""
    text = unicodedata.normalize("NFC", text).replace("&", " & ")
    return normalise_key(_PUNCTUATION.sub(" ", text))


class Directory:
    """The people and structures an organisation declares in config.toml."""

    def __init__(
        self,
        units: tuple[Unit, ...] = (),
        groups: tuple[Group, ...] = (),
        roles: tuple[Role, ...] = (),
        people: tuple[Person, ...] = (),
    ) -> None:
        self.units = {u.id: u for u in units}
        self.groups = {g.id: g for g in groups}
        self.roles = {r.id: r for r in roles}
        self.people = {p.id: p for p in people}
        # Who works in each unit, indexed once: the tick asks for every firing.
        by_unit: dict[str, list[Person]] = {}
        for person in self.people.values():
            if person.unit is not None:
                by_unit.setdefault(person.unit, []).append(person)
        self._unit_people = {unit: tuple(found) for unit, found in by_unit.items()}
        self._names: dict[str, tuple[str, str]] = {}
        for kind, items in (("unit", units), ("group", groups), ("role", roles)):
            for item in items:
                for name in (item.name, item.id, *item.aliases):
                    self._names.setdefault(_key(name), (kind, item.id))

    def resolve(self, text: str) -> Resolution:
        """Resolve a cell: the whole text first, then its parts joined greedily, longest first."""
        text = unicodedata.normalize("NFC", text or "").strip()
        if not _key(text):
            return Resolution()
        whole = self._names.get(_key(text))
        if whole:
            return self._collect([whole], [], {})
        parts = [p for p in (_key(s) for s in _SEPARATORS.split(text)) if p]
        found: list[tuple[str, str]] = []
        unresolved: list[str] = []
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                hit = self._names.get(" ".join(parts[i:j]))
                if hit:
                    found.append(hit)
                    i = j
                    break
            else:
                unresolved.append(parts[i])
                i += 1
        suggestions = {
            u: tuple(difflib.get_close_matches(u, list(self._names), n=3, cutoff=0.6))
            for u in unresolved
        }
        return self._collect(found, unresolved, suggestions)

    @staticmethod
    def _collect(
        found: list[tuple[str, str]], unresolved: list[str], suggestions: dict[str, tuple[str, ...]]
    ) -> Resolution:
        def ids(kind: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(i for k, i in found if k == kind))

        return Resolution(ids("unit"), ids("group"), ids("role"), tuple(unresolved), suggestions)

    def lead_units(self, resolution: Resolution) -> tuple[str, ...]:
        """The units that each get their own occurrence: named units, and members of named groups."""
        units = list(resolution.units)
        for gid in resolution.groups:
            units.extend(self.groups[gid].members)
        return tuple(dict.fromkeys(units))

    def unit_people(self, unit_id: str) -> tuple[Person, ...]:
        return self._unit_people.get(unit_id, ())

    def unit_contacts(self, unit_id: str) -> tuple[Person, ...]:
        """Who is reminded for a unit: everyone declared in it (the head when nobody else is)."""
        people = self.unit_people(unit_id)
        if people:
            return people
        head = self.units[unit_id].head if unit_id in self.units else None
        return (self.people[head],) if head and head in self.people else ()

    def unit_head(self, unit_id: str) -> tuple[Person, ...]:
        unit = self.units.get(unit_id)
        if unit and unit.head and unit.head in self.people:
            return (self.people[unit.head],)
        return self.unit_contacts(unit_id)

    def role_people(self, role_id: str) -> tuple[Person, ...]:
        role = self.roles.get(role_id)
        return tuple(self.people[p] for p in role.people if p in self.people) if role else ()

    def monitor_people(self, resolution: Resolution) -> tuple[Person, ...]:
        """Monitors: people of named roles, heads of named units and of a named group's units."""
        people: list[Person] = []
        for rid in resolution.roles:
            people.extend(self.role_people(rid))
        for uid in resolution.units:
            people.extend(self.unit_head(uid))
        for gid in resolution.groups:
            for uid in self.groups[gid].members:
                people.extend(self.unit_head(uid))
        return tuple(dict.fromkeys(people))

    def display_name(self, kind_id: str) -> str:
        for table in (self.units, self.groups, self.roles, self.people):
            if kind_id in table:
                return table[kind_id].name
        return kind_id
