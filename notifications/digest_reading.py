"""The digest as a QMR reads it in a minute: rows grouped, units ranked, levels in words.

Works on the digest's plain template context (digest_model.Digest.to_context), so the
email, its text part and Telegram share one reading of the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TOP_ROWS = 15  # plan rows listed among "the most overdue"; the rest are counted
TOP_UNITS = 5
ROW_UNITS_NAMED = 5  # unit names written out on one row's line; the rest are counted


def reached_words(reached: str, reached_name: str) -> str:
    """How far a task's ladder has climbed, in words: never "mức 36"."""
    if reached.startswith("role:"):
        return f"đã báo lên {reached_name or reached.removeprefix('role:')}"
    return {
        "monitors": "đã báo người theo dõi",
        "lead": "đã nhắc đơn vị chủ trì",
        "coordinating": "đã nhắc đơn vị chủ trì và phối hợp",
    }.get(reached, "chưa nhắc")


def _seniority(item: dict[str, Any]) -> int:
    reached = item["reached"]
    if reached.startswith("role:"):
        return 3
    return {"monitors": 2, "lead": 1, "coordinating": 1}.get(reached, 0)


def overdue_rows(items: Sequence[dict[str, Any]], limit: int = TOP_ROWS) -> dict[str, Any]:
    """Overdue items grouped by plan row (each row once, its units together), the rows with
    the oldest overdue work first; at most `limit` rows, the rest counted."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for item in sorted(items, key=lambda i: (-i["days_late"], i["due_on"], i["ref"])):
        rows.setdefault(item["ref"], []).append(item)
    shown = []
    for ref, group in list(rows.items())[:limit]:
        units: dict[str, int] = {}
        for item in group:
            name = item["unit"] or "(chưa xác định đơn vị chủ trì)"
            units[name] = max(units.get(name, 0), item["days_late"])
        top = max(group, key=_seniority)
        shown.append(
            {
                "ref": ref,
                "task": group[0]["task"],
                "count": len(group),
                "unit_count": len(units),
                "units": list(units)[:ROW_UNITS_NAMED],
                "more_units": max(0, len(units) - ROW_UNITS_NAMED),
                "days_late": group[0]["days_late"],
                "reached": reached_words(top["reached"], top["reached_name"]),
                "code": group[0]["code"] if len(group) == 1 else "",
            }
        )
    hidden = sum(len(g) for g in list(rows.values())[limit:])
    return {"rows": shown, "hidden": hidden, "row_count": len(rows)}


def unit_ranking(groups: Sequence[dict[str, Any]], limit: int = TOP_UNITS) -> list[dict[str, Any]]:
    """The units with the most overdue work (digest_data sorts them so)."""
    return [
        {
            "unit": g["unit"] or "(chưa xác định đơn vị chủ trì)",
            "count": g["count"],
            "days_late": max(i["days_late"] for i in g["entries"]),
        }
        for g in groups[:limit]
    ]


def escalation_counts(escalated: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The week's escalations as counts per level reached, in words, and the weekly repeats."""
    fresh: dict[str, int] = {}
    for item in escalated:
        if not item["repeat"]:
            words = reached_words(item["reached"], item["reached_name"])
            fresh[words] = fresh.get(words, 0) + 1
    return {
        "fresh": [{"words": w, "count": c} for w, c in fresh.items()],
        "fresh_total": sum(fresh.values()),
        "repeats": sum(1 for i in escalated if i["repeat"]),
    }


def reading_context(context: dict[str, Any]) -> dict[str, Any]:
    """What the digest templates read first: rows, units and escalations summarised."""
    items = [i for g in context["overdue"] for i in g["entries"]]
    return {
        "overdue_rows": overdue_rows(items),
        "top_units": unit_ranking(context["overdue"]),
        "escalations": escalation_counts(context["escalated"]),
        "board_link": None,  # the web board's URL once it exists (#12)
    }
