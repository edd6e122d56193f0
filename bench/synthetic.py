"""A synthetic province: N units each running the 26 rows of the Giang Hải commune plan."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomli_w

from nhacviec.config import Config, parse_config
from rules.importers import load_plan
from scheduler.loading import CompiledPlan, compile_loaded_plan

ROOT = Path(__file__).resolve().parent.parent
GROUP = "Tất cả các đơn vị"


def province_config(units: int, database_url: str) -> Config:
    return parse_config(_province_data(units, database_url), base_dir=ROOT)


def _province_data(units: int, database_url: str) -> dict[str, Any]:
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
    return data


def province_plan(config: Config, year: int | None = None) -> CompiledPlan:
    """The plan for every unit; `year` re-dates it (a plan per year, as offices keep them)."""
    plan = load_plan(ROOT / "examples" / "giang-hai-2023.docx")
    rows = tuple(
        replace(r, lead=GROUP, coordinating="", monitors="QMR; Thư ký ISO") for r in plan.rows
    )
    key = "synthetic" if year is None else f"synthetic-{year}"
    dated = replace(plan, rows=rows) if year is None else replace(plan, rows=rows, year=year)
    return compile_loaded_plan(dated, key, config.directory(), config.timing.options())


def write_province(folder: Path, units: int) -> Path:
    """The province as a user would keep it: config.toml and its plan (the rows of
    `province_plan`, as a .toml plan) in `folder`, for timing the commands themselves.
    Returns the config's path."""
    plan = province_plan(province_config(units, "sqlite://")).plan
    sections: dict[str, dict[str, Any]] = {}
    for row in plan.rows:
        section = sections.setdefault(
            row.section, {"section": row.section, "title": row.section_title, "rows": []}
        )
        entry: dict[str, Any] = {"task": row.task, "lead": row.lead, "timing": row.timing}
        entry |= {"monitors": row.monitors, "evidence": list(row.evidence)}
        section["rows"].append(entry | ({"number": row.number} if row.number else {}))
    document = {
        "organisation": plan.organisation,
        "year": plan.year,
        "title": plan.title,
        "objectives": [{"number": o.number, "text": o.text} for o in plan.objectives],
        "sections": list(sections.values()),
    }
    (folder / "province-plan.toml").write_text(tomli_w.dumps(document), encoding="utf-8")
    data = _province_data(units, f"sqlite:///{folder / 'province.db'}")
    data["plans"] = [{"file": "province-plan.toml"}]
    data["data_dir"] = str(folder / "var")
    config = folder / "config.toml"
    config.write_text(tomli_w.dumps(data), encoding="utf-8")
    return config
