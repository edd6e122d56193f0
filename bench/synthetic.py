"""A synthetic province: N units each running the 26 rows of the Giang Hải commune plan."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from nhacviec.config import Config, parse_config
from rules.importers import load_plan
from scheduler.loading import CompiledPlan, compile_loaded_plan

ROOT = Path(__file__).resolve().parent.parent
GROUP = "Tất cả các đơn vị"


def province_config(units: int, database_url: str) -> Config:
    data: dict[str, Any] = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["database"]["url"] = database_url
    data["plans"] = []
    data["units"] = [
        {"id": f"u{i}", "name": f"UBND xã số {i}", "head": f"p{i}"} for i in range(units)
    ]
    data["groups"] = [{"id": "all", "name": GROUP, "members": [f"u{i}" for i in range(units)]}]
    staff = [{k: v for k, v in p.items() if k != "unit"} for p in data["people"][:3]]
    data["people"] = staff + [
        {"id": f"p{i}", "name": f"Chủ tịch xã {i}", "unit": f"u{i}", "email": f"u{i}@example.vn"}
        for i in range(units)
    ]
    data["roles"] = [
        {
            **r,
            "people": [
                p for p in r["people"] if p in {"tran-van-qmr", "le-thi-thuky", "nguyen-chu-tich"}
            ],
        }
        for r in data["roles"]
    ]
    return parse_config(data, base_dir=ROOT)


def province_plan(config: Config, year: int | None = None) -> CompiledPlan:
    """The plan for every unit; `year` re-dates it (a plan per year, as offices keep them)."""
    plan = load_plan(ROOT / "examples" / "giang-hai-2023.docx")
    rows = tuple(
        replace(r, lead=GROUP, coordinating="", monitors="QMR; Thư ký ISO") for r in plan.rows
    )
    key = "synthetic" if year is None else f"synthetic-{year}"
    dated = replace(plan, rows=rows) if year is None else replace(plan, rows=rows, year=year)
    return compile_loaded_plan(dated, key, config.directory(), config.timing.options())
