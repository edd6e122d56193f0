"""Loading plans with the directory: overrides from config, and problems that name the row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rules.timing import TimingOptions
from scheduler.loading import compile_loaded_plan
from tests.scheduler.conftest import World, example_config


def test_it_reports_an_unreadable_phrase_with_row_text_and_hint(world: World) -> None:
    plan = world.plans[0].plan
    broken = replace(
        plan, rows=tuple(replace(r, timing="Đầu tháng") if r.ref == "I.5" else r for r in plan.rows)
    )
    compiled = compile_loaded_plan(broken, "k", world.ctx.directory, TimingOptions())
    (problem,) = [p for p in compiled.problems if p.code == "unreadable-timing"]
    assert problem.row_ref == "I.5" and problem.text == "Đầu tháng"
    assert problem.source is not None and problem.source.file == "nam-dong-2024.docx"
    assert "[plans.schedules]" in problem.hint
    (row,) = [r for r in compiled.rows if r.row.ref == "I.5"]
    assert row.schedule is None


def test_it_uses_the_schedule_config_gives_a_row(world: World, tmp_path: Path) -> None:
    plan = world.plans[0].plan
    compiled = compile_loaded_plan(
        plan, "k", world.ctx.directory, TimingOptions(), {"I.5": "Trước ngày 25 tháng 12 hằng năm"}
    )
    (row,) = [r for r in compiled.rows if r.row.ref == "I.5"]
    assert row.timing_text == "Trước ngày 25 tháng 12 hằng năm" and row.schedule is not None
    config = example_config(
        tmp_path,
        plans=[{"file": "examples/nam-dong-2024.docx", "schedules": {"I.5": "Quý IV năm 2024"}}],
    )
    assert config.plans[0].schedules == {"I.5": "Quý IV năm 2024"}


def test_it_names_an_unknown_lead_with_suggestions(world: World) -> None:
    plan = world.plans[0].plan
    typo = replace(
        plan,
        rows=tuple(
            replace(r, lead="Phòng Kinh tế và Hạ tầg") if r.ref == "I.1" else r for r in plan.rows
        ),
    )
    compiled = compile_loaded_plan(typo, "k", world.ctx.directory, TimingOptions())
    (problem,) = [p for p in compiled.problems if p.code == "unresolved-name"]
    assert problem.row_ref == "I.1" and "«phòng kinh tế và hạ tầg»" in problem.message
    assert "phòng kinh tế và hạ tầng" in problem.hint
