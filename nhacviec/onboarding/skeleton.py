"""The directory a plan asks for: every name of its Chủ trì, Phối hợp and Trách nhiệm theo
dõi columns becomes a unit, a group (collective names) or a role, with the name as written
kept as an alias so that the plan's cells resolve."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from nhacviec.onboarding.names import kind_of, slug, unit_id
from rules.directory import Directory, Group, Role, Unit
from rules.plan import Plan

ROLE_NAMES = {
    "qmr": ("Đại diện lãnh đạo về chất lượng (QMR)", ["QMR", "Đại diện lãnh đạo"]),
    "thu-ky-iso": ("Thư ký ISO", ["Thư ký", "Tổ giúp việc ISO"]),
    "bcd-iso": ("Ban chỉ đạo ISO", ["BCĐ ISO"]),
    "lanh-dao": ("Lãnh đạo", ["Lãnh đạo"]),
}
# Always declared: the ladder's last steps and the weekly digest address these two.
REQUIRED_ROLES = ("qmr", "thu-ky-iso", "lanh-dao")

_SEGMENTS = re.compile(r"\s*(?:[;\n•]|^\s*[-–+]\s)\s*")
_COMMAS = re.compile(r"\s*[,/]\s*")


@dataclass
class Entry:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # groups: unit ids
    rows: list[str] = field(default_factory=list)  # where the plan names it

    def add_alias(self, alias: str) -> None:
        if alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)


@dataclass
class Skeleton:
    units: dict[str, Entry] = field(default_factory=dict)
    groups: dict[str, Entry] = field(default_factory=dict)
    roles: dict[str, Entry] = field(default_factory=dict)

    def directory(self) -> Directory:
        return Directory(
            units=tuple(Unit(u.id, u.name, tuple(u.aliases)) for u in self.units.values()),
            groups=tuple(
                Group(g.id, g.name, tuple(g.aliases), tuple(g.members))
                for g in self.groups.values()
            ),
            roles=tuple(Role(r.id, r.name, tuple(r.aliases)) for r in self.roles.values()),
        )


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).strip(" .,;:-–")


def cell_names(text: str) -> list[str]:
    """The names in a cell: bullets and semicolons split; commas split except inside a
    collective name ("Các cơ quan, đơn vị, UBND các xã, thị trấn" is one group)."""
    names: list[str] = []
    for segment in _SEGMENTS.split(text or ""):
        segment = _clean(segment)
        if not segment:
            continue
        if kind_of(segment) == "group":
            names.append(segment)
        else:
            names.extend(_join_continuations(_COMMAS.split(segment)))
    return names


def _join_continuations(parts: list[str]) -> list[str]:
    """ "Bộ phận một cửa cấp huyện, cấp xã": a part in lower case continues the one before."""
    out: list[str] = []
    for part in (_clean(p) for p in parts):
        if not part:
            continue
        if out and part[0].islower():
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def _fresh_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _add(skeleton: Skeleton, name: str, ref: str) -> None:
    kind = kind_of(name)
    if kind.startswith("role:"):
        role = skeleton.roles.get(kind[5:])
        if role is None:
            title, aliases = ROLE_NAMES[kind[5:]]
            role = skeleton.roles[kind[5:]] = Entry(kind[5:], title, list(aliases))
        role.add_alias(name)
        role.rows.append(ref)
        return
    table = skeleton.groups if kind == "group" else skeleton.units
    key = name.casefold()
    for entry in table.values():
        if entry.name.casefold() == key or key in (a.casefold() for a in entry.aliases):
            entry.rows.append(ref)
            return
    taken = set(skeleton.units) | set(skeleton.groups) | set(skeleton.roles)
    wanted = unit_id(name) if kind == "unit" else slug(name, 30)
    new_id = _fresh_id(wanted, taken)
    table[new_id] = Entry(new_id, name, rows=[ref])


def build_skeleton(plan: Plan) -> Skeleton:
    """Units, groups and roles for every name of the plan; groups hold every unit."""
    skeleton = Skeleton()
    for rid in REQUIRED_ROLES:
        title, aliases = ROLE_NAMES[rid]
        skeleton.roles[rid] = Entry(rid, title, list(aliases))
    for row in plan.rows:
        for text in (row.lead, row.coordinating, row.monitors):
            for name in cell_names(text):
                _add(skeleton, name, row.ref)
    _merge_groups(skeleton)
    for group in skeleton.groups.values():
        group.members = list(skeleton.units)
    _cover_leftovers(skeleton, plan)
    return skeleton


def _merge_groups(skeleton: Skeleton) -> None:
    """Every collective name starts as "all the units", so they are one group: the name the
    plan uses most, the others as its aliases (a name that means fewer units can be moved
    into a group of its own later)."""
    if len(skeleton.groups) < 2:
        return
    ranked = sorted(skeleton.groups.values(), key=lambda g: -len(g.rows))
    keep = ranked[0]
    for other in ranked[1:]:
        keep.add_alias(other.name)
        for alias in other.aliases:
            keep.add_alias(alias)
        keep.rows.extend(other.rows)
    keep.rows.sort(key=_row_order)
    taken = set(skeleton.units) | set(skeleton.roles)
    keep.id = _fresh_id("tat-ca", taken)
    skeleton.groups = {keep.id: keep}


def _row_order(ref: str) -> tuple[int, ...]:
    roman = {"I": 1, "V": 5, "X": 10, "L": 50}
    head, _, tail = ref.partition(".")
    value = 0
    for i, char in enumerate(head):
        number = roman.get(char.upper(), 0)
        following = roman.get(head[i + 1].upper(), 0) if i + 1 < len(head) else 0
        value += -number if number < following else number
    return (value, int(tail) if tail.isdigit() else 0)


def _cover_leftovers(skeleton: Skeleton, plan: Plan) -> None:
    """A part the directory still cannot place (an odd separator) becomes a unit of its own."""
    for _ in range(3):
        directory = skeleton.directory()
        leftovers = [
            (part, row.ref)
            for row in plan.rows
            for text in (row.lead, row.coordinating, row.monitors)
            for part in directory.resolve(text).unresolved
        ]
        if not leftovers:
            return
        for part, ref in leftovers:
            _add(skeleton, part[:1].upper() + part[1:], ref)
        for group in skeleton.groups.values():
            group.members = list(skeleton.units)
