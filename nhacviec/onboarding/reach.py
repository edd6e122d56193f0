"""Names resolve or stop: every lead and monitor of every row must reach someone.

`run` and `simulate` refuse to start while a Chủ trì or a Trách nhiệm theo dõi cell
resolves to nobody: a name the directory does not know, or a unit or role with no person
in it. Each problem is one Vietnamese line with the row, the column, the name and the
closest directory entries.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from rules.directory import Directory, Resolution
from scheduler.loading import CompiledPlan, CompiledRow

LEAD, MONITORS = "Chủ trì", "Trách nhiệm theo dõi"


def _names(directory: Directory) -> dict[str, str]:
    names: dict[str, str] = {}
    for table in (directory.units, directory.groups, directory.roles):
        for item in table.values():
            for name in (item.name, *item.aliases):
                names.setdefault(unicodedata.normalize("NFC", name).casefold(), name)
    return names


def closest(directory: Directory, text: str, n: int = 3) -> list[str]:
    names = _names(directory)
    key = unicodedata.normalize("NFC", text).casefold()
    return [names[c] for c in difflib.get_close_matches(key, list(names), n=n, cutoff=0.4)]


def _where(row: CompiledRow, column: str) -> str:
    source = row.row.source
    place = f" ({source.describe()})" if source.file else ""
    return f"Dòng {row.row.ref}{place}, cột «{column}»"


_PUNCT = re.compile(r"[.,;:()\[\]\-–/…&]")


def _fold(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", unicodedata.normalize("NFC", text)).casefold().split())


def _as_written(part: str, cell: str) -> str:
    """The directory reports an unknown part in its matching form (lower case, no
    punctuation); show it as the plan wrote it when the cell has it."""
    from nhacviec.onboarding.skeleton import cell_names

    for name in cell_names(cell):
        if _fold(name) == _fold(part):
            return name
    return part


def _unknown(
    directory: Directory, row: CompiledRow, column: str, parts: Iterable[str], cell: str
) -> list[str]:
    lines = []
    for part in (_as_written(p, cell) for p in parts):
        close = closest(directory, part)
        hint = f" Gần nhất: {', '.join(f'«{c}»' for c in close)}." if close else ""
        lines.append(f"{_where(row, column)}: «{part}» không có trong danh bạ.{hint}")
    return lines


def _empty_units(directory: Directory, units: Iterable[str]) -> list[str]:
    return [u for u in units if not directory.unit_contacts(u)]


def lead_problems(directory: Directory, row: CompiledRow) -> list[str]:
    text = row.row.lead.strip()
    if not text:
        return [f"{_where(row, LEAD)}: trống, không ai được nhắc."]
    lines = _unknown(directory, row, LEAD, row.lead.unresolved, row.row.lead)
    units = directory.lead_units(row.lead)
    if not units and not row.lead.unresolved:
        lines.append(f"{_where(row, LEAD)}: «{text}» không chỉ đơn vị nào để nhắc.")
    for unit in _empty_units(directory, units):
        lines.append(
            f"{_where(row, LEAD)}: «{text}» → đơn vị {unit} ({directory.display_name(unit)}) "
            "chưa có người nào; thêm bằng `nhacviec people import`."
        )
    return lines


def _empty_roles(directory: Directory, resolution: Resolution) -> list[str]:
    return [r for r in resolution.roles if not directory.role_people(r)]


def monitor_problems(directory: Directory, row: CompiledRow) -> list[str]:
    text = row.row.monitors.strip()
    if not text:
        return []  # no monitor named: the ladder goes to the QMR and leadership
    lines = _unknown(directory, row, MONITORS, row.monitors.unresolved, row.row.monitors)
    if row.monitors.unresolved:
        return lines
    if not directory.monitor_people(row.monitors):
        empty = [f"vai trò {r}" for r in _empty_roles(directory, row.monitors)]
        empty += [f"đơn vị {u}" for u in row.monitors.units if not directory.unit_head(u)]
        detail = f" ({', '.join(empty)} chưa có người)" if empty else ""
        lines.append(
            f"{_where(row, MONITORS)}: «{text}» không chỉ người nào{detail}; "
            "thêm bằng `nhacviec people import`."
        )
    return lines


def unreachable(directory: Directory, plans: Iterable[CompiledPlan]) -> list[str]:
    """One line per lead or monitor cell that reaches nobody, in plan order."""
    lines: list[str] = []
    for plan in plans:
        for row in plan.rows:
            lines += lead_problems(directory, row)
            lines += monitor_problems(directory, row)
    return lines


def refusal(lines: list[str], limit: int = 40) -> str:
    shown = lines[:limit]
    more = f"\n  … và {len(lines) - limit} chỗ nữa." if len(lines) > limit else ""
    return (
        f"chưa chạy: {len(lines)} tên trong kế hoạch chưa chỉ tới ai.\n  "
        + "\n  ".join(shown)
        + more
        + "\nSửa danh bạ trong config.toml (hoặc `nhacviec people import`), "
        "hay chạy với --allow-unresolved để bỏ qua."
    )
