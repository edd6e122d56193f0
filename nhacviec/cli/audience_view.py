"""Who hears about each row, by name: `plan check --config` and `simulate --row` show it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from nhacviec.config import Config
from rules.audience import UnitAudience, row_audience
from rules.directory import Directory
from rules.plan import Plan
from scheduler.loading import CompiledRow, compile_loaded_plan

REASONS = {"lead": "chủ trì", "coordinating": "phối hợp", "monitor": "theo dõi"}


def compiled_rows(plan: Plan, config: Config) -> list[CompiledRow]:
    """The plan's rows resolved with the configuration's directory."""
    compiled = compile_loaded_plan(plan, plan.source, config.directory(), config.timing.options())
    return compiled.rows


def audiences(config: Config, rows: Iterable[CompiledRow]) -> list[tuple[str, list[UnitAudience]]]:
    """(row ref, who hears about each of its occurrences) for every row."""
    directory, steps = config.directory(), config.escalation.policy().steps
    return [
        (r.row.ref, row_audience(directory, steps, r.lead, r.coordinating, r.monitors))
        for r in rows
    ]


def _why(directory: Directory, reason: str) -> str:
    return REASONS.get(reason) or directory.display_name(reason)


def audience_json(
    config: Config, found: list[tuple[str, list[UnitAudience]]]
) -> list[dict[str, Any]]:
    directory = config.directory()
    return [
        {
            "row": ref,
            "occurrences": [
                {
                    "unit": unit.unit,
                    "unit_name": directory.display_name(unit.unit) if unit.unit else "",
                    "steps": [
                        {
                            "step": step.step,
                            "people": [
                                {"id": h.person.id, "name": h.person.name, "why": h.reason}
                                for h in step.hearers
                            ],
                        }
                        for step in unit.steps
                    ],
                }
                for unit in units
            ],
        }
        for ref, units in found
    ]


def print_audiences(
    console: Console, config: Config, found: list[tuple[str, list[UnitAudience]]]
) -> None:
    """One line per occurrence unit: each person once, why, and the first step reaching them."""
    directory = config.directory()
    table = Table("Mục", "Đơn vị chủ trì", "Ai được nhắc / báo lên (từ bước)", title="Người nhận")
    for ref, units in found:
        for unit in units:
            people = "; ".join(
                f"{h.person.name} ({_why(directory, h.reason)}, {step})"
                for h, step in unit.first_heard()
            )
            name = directory.display_name(unit.unit) if unit.unit else "(chưa xác định)"
            table.add_row(Text(ref), Text(name), Text(people or "(không ai)"))
    console.print(table)
