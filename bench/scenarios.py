"""The scenarios `python -m bench` runs, each in its own process (bench/run_one.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Scenario = Callable[[], dict[str, Any]]


def _engine(function: str, *args: Any) -> Scenario:
    def run() -> dict[str, Any]:
        from bench import bench_engine

        result: dict[str, Any] = getattr(bench_engine, function)(*args)
        return result

    return run


def _simulate(evidence_share: float) -> Scenario:
    def run() -> dict[str, Any]:
        from bench import bench_simulate

        return bench_simulate.simulate_scenario(150, evidence_share)

    return run


def _module(module: str, function: str = "figures") -> Scenario:
    def run() -> dict[str, Any]:
        import importlib

        result: dict[str, Any] = getattr(importlib.import_module(module), function)()
        return result

    return run


SCENARIOS: dict[str, Scenario] = {
    "compile_150": _engine("compile_scenario", 150),
    "compile_3300": _engine("compile_scenario", 3300),
    # The national plan over four years: ~1M occurrences (run with --big).
    "compile_1m": _engine("compile_scenario", 3300, 4),
    "tick": _engine("tick_scenario", 150, 10_000),
    "simulate_none": _simulate(0.0),
    "simulate_80": _simulate(0.8),
    "digest": _module("bench.bench_digest"),
    "smtp": _module("bench.bench_smtp"),
    "telegram": _module("bench.bench_telegram"),
    "import": _module("bench.bench_import"),
    "timing": _module("bench.bench_extra", "timing"),
    "web": _module("bench.bench_extra", "web"),
    "startup": _module("bench.bench_extra", "startup"),
}
DEFAULT = [name for name in SCENARIOS if name != "compile_1m"]
BIG = ["compile_1m"]
