"""People of a staff sheet merged into config.toml: added or updated, never duplicated.

People live in config.toml itself ([[people]]), beside the units and roles they belong
to, so `config check` sees one file. The file is edited in place with tomlkit: comments
and the order of everything else stay as they were, and a second import of the same
sheet changes nothing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from nhacviec.onboarding.names import slug
from nhacviec.onboarding.staff import Sheet, StaffRow
from rules.directory import Directory, Group, Role, Unit

_HEAD_WORDS = ("trưởng", "chủ tịch", "giám đốc", "chánh văn phòng", "bí thư")


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)  # (role id, person id)
    heads: list[tuple[str, str]] = field(default_factory=list)  # (unit id, person id)
    problems: list[str] = field(default_factory=list)  # nothing is written when any
    notes: list[str] = field(default_factory=list)


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def _directory(doc: tomlkit.TOMLDocument) -> Directory:
    def items(name: str) -> list[dict[str, Any]]:
        return [dict(_plain(t)) for t in doc.get(name, [])]

    return Directory(
        units=tuple(Unit(u["id"], u["name"], tuple(u.get("aliases", ()))) for u in items("units")),
        groups=tuple(
            Group(g["id"], g["name"], tuple(g.get("aliases", ())), tuple(g.get("members", ())))
            for g in items("groups")
        ),
        roles=tuple(Role(r["id"], r["name"], tuple(r.get("aliases", ()))) for r in items("roles")),
    )


def _unit_of(row: StaffRow, directory: Directory, report: MergeReport) -> str | None:
    if not row.unit:
        return None
    found = directory.resolve(row.unit)
    if len(found.units) == 1 and not found.unresolved:
        return found.units[0]
    names = [u.name for u in directory.units.values()] + list(directory.units)
    close = difflib.get_close_matches(row.unit, names, n=3, cutoff=0.4)
    hint = f"; gần giống: {', '.join(f'«{c}»' for c in close)}" if close else ""
    report.problems.append(
        f"dòng {row.line} ({row.name}): không có đơn vị «{row.unit}» trong danh bạ{hint}"
    )
    return None


def _roles_of(row: StaffRow, directory: Directory) -> tuple[list[str], bool]:
    """The role ids the Chức vụ/Vai trò cell names, and whether it names a unit head."""
    roles: list[str] = []
    head = False
    for part in re.split(r"\s*[;,\n]\s*", row.role):
        if not part:
            continue
        key = unicodedata.normalize("NFC", part).casefold()
        resolution = directory.resolve(part)
        roles.extend(r for r in resolution.roles if r not in roles)
        if any(word in key for word in _HEAD_WORDS) and not key.startswith("phó"):
            head = True
    return roles, head


def _person_table(doc: tomlkit.TOMLDocument) -> AoT:
    if "people" not in doc:
        doc.append("people", tomlkit.aot())
    people = doc["people"]
    assert isinstance(people, AoT)
    return people


def _find(people: AoT, row: StaffRow, unit: str | None) -> Table | None:
    person: Table
    for person in people:
        if row.email and person.get("email") == row.email:
            return person
    for person in people:
        if person.get("name") == row.name and person.get("unit") == unit:
            return person
    return None


def _fields(row: StaffRow, unit: str | None, report: MergeReport) -> dict[str, Any]:
    wanted: dict[str, Any] = {"name": row.name}
    if unit:
        wanted["unit"] = unit
    if row.email:
        wanted["email"] = row.email
    if re.fullmatch(r"-?\d+", row.telegram):
        wanted["telegram_chat_id"] = int(row.telegram)
    elif row.telegram:
        report.notes.append(
            f"dòng {row.line} ({row.name}): Telegram «{row.telegram}» không phải mã chat; "
            f"liên kết bằng `nhacviec people invite`"
        )
    return wanted


def _upsert(people: AoT, row: StaffRow, unit: str | None, report: MergeReport) -> str:
    wanted = _fields(row, unit, report)
    person = _find(people, row, unit)
    if person is None:
        taken = {p.get("id") for p in people}
        base = slug(row.name)
        pid, n = base, 2
        while pid in taken:
            pid, n = f"{base}-{unit or n}" if n == 2 and unit else f"{base}-{n}", n + 1
        table = tomlkit.table()
        table.add("id", pid)
        for key, value in wanted.items():
            table.add(key, value)
        people.append(table)
        report.added.append(pid)
        return pid
    pid = str(person["id"])
    changed = False
    for key, value in wanted.items():
        if _plain(person.get(key)) != value:
            person[key] = value
            changed = True
    (report.updated if changed else report.unchanged).append(pid)
    return pid


def _link(
    doc: tomlkit.TOMLDocument, pid: str, roles: list[str], head_of: str | None, report: MergeReport
) -> None:
    for role in doc.get("roles", []):
        if role.get("id") in roles and pid not in _plain(role.get("people", [])):
            if "people" not in role:
                role["people"] = tomlkit.array()
            role["people"].append(pid)
            report.roles.append((str(role["id"]), pid))
    if head_of is None:
        return
    for unit in doc.get("units", []):
        if unit.get("id") == head_of and unit.get("head") != pid:
            unit["head"] = pid
            report.heads.append((head_of, pid))


def merge_people(text: str, sheet: Sheet) -> tuple[str, MergeReport]:
    """config.toml's text with the sheet's people merged in, and what changed."""
    doc = tomlkit.parse(text)
    directory = _directory(doc)
    report = MergeReport()
    people = _person_table(doc)
    for row in sheet.rows:
        unit = _unit_of(row, directory, report)
        if row.unit and unit is None:
            continue
        pid = _upsert(people, row, unit, report)
        roles, head = _roles_of(row, directory)
        _link(doc, pid, roles, unit if head else None, report)
    return tomlkit.dumps(doc), report


def export_rows(doc_text: str) -> list[tuple[str, str, str, str, str]]:
    """The people of config.toml as staff-sheet rows (the same columns import reads)."""
    doc = tomlkit.parse(doc_text)
    units = {u["id"]: _plain(u) for u in doc.get("units", [])}
    roles = [_plain(r) for r in doc.get("roles", [])]
    rows = []
    for person in doc.get("people", []):
        p = _plain(person)
        named = [r["name"] for r in roles if p["id"] in r.get("people", [])]
        unit = units.get(p.get("unit", ""))
        if unit and unit.get("head") == p["id"]:
            named.append("Trưởng đơn vị")
        rows.append(
            (
                p["name"],
                unit["name"] if unit else "",
                "; ".join(named),
                p.get("email", "") or "",
                str(p.get("telegram_chat_id", "") or ""),
            )
        )
    return rows
