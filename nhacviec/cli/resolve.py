"""`--by` and `--unit` as people type them: an id, a name or an alias, with suggestions."""

from __future__ import annotations

import difflib
import unicodedata

from nhacviec.cli.common import CommandError
from rules.directory import Directory


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _suggest(text: str, names: list[str]) -> str:
    lowered = {_key(n): n for n in names}
    close = difflib.get_close_matches(_key(text), list(lowered), n=3, cutoff=0.5)
    return (" Gần giống: " + ", ".join(f"«{lowered[c]}»" for c in close) + ".") if close else ""


def resolve_person(directory: Directory, text: str) -> str:
    """A person's id from their id, their name, or a role held by exactly one person ("QMR")."""
    if text in directory.people:
        return text
    key = _key(text)
    by_name = [p.id for p in directory.people.values() if _key(p.name) == key]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise CommandError(
            f"có {len(by_name)} người tên «{text}»: {', '.join(by_name)}; hãy ghi id"
        )
    roles = directory.resolve(text).roles
    if len(roles) == 1 and not directory.resolve(text).unresolved:
        holders = directory.role_people(roles[0])
        if len(holders) == 1:
            return holders[0].id
        if holders:
            raise CommandError(
                f"vai trò «{text}» có {len(holders)} người: "
                f"{', '.join(p.id for p in holders)}; hãy ghi id"
            )
    names = [p.id for p in directory.people.values()] + [p.name for p in directory.people.values()]
    raise CommandError(f"không có người «{text}» trong danh bạ.{_suggest(text, names)}")


def resolve_unit(directory: Directory, text: str) -> str:
    """A unit's id from its id, its name or an alias."""
    if text in directory.units:
        return text
    found = directory.resolve(text)
    if len(found.units) == 1 and not found.unresolved and not found.groups:
        return found.units[0]
    names = list(directory.units) + [u.name for u in directory.units.values()]
    raise CommandError(f"không có đơn vị «{text}» trong danh bạ.{_suggest(text, names)}")
