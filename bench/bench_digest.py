"""`digest --preview --at` and `status --at`: the state at a moment, computed, not replayed.

The commands run as a user runs them, each a fresh process (`nhacviec digest --preview
--at 2024-09-02`, `nhacviec status --at 2024-09-02`), on the bundled example (a config
whose database is empty) and on the 150-unit province (its config.toml and .toml plan
written by bench/synthetic.py), beside the interpreter starting and importing the CLI
(what every command pays). As a user's machine has them: .pyc files written (the shell's
PYTHONDONTWRITEBYTECODE is dropped) and the cache folder (parser tables, compiled
templates) filled by a first run, wall time, the best of a few; once more with an empty
cache folder, as the very first command runs. In-process, for the example and the
province, the preview's own work (the plan already compiled: sync into a scratch
database, the state at the moment, the digest, its rendering) beside its floor: building
and rendering the same digest from the states already known. `status --at` is beside
`status` on a database that already holds those states. The example's replay (what the
preview ran before) is timed once, for the record.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import tomli_w

from bench.common import Figure, figure, timed
from bench.synthetic import ROOT, province_config, province_plan, write_province
from nhacviec.cli.digest_cmd import context_and_plans, simulate_until
from nhacviec.config import Config, load_config
from notifications.digest import render_digest
from notifications.digest_data import build_digest
from notifications.digest_moment import digest_at, known_at
from scheduler.db import open_database
from scheduler.loading import CompiledPlan
from scheduler.moment import prepare, scratch_database, state_at, year_start
from scheduler.queries import status_lines

EXAMPLE_AT = "2024-09-02"
PROVINCE_AT = "2023-09-04"
BEST_OF = 3  # in-process figures: the best of a few runs (the machine is shared)


def _cli(*args: str, cache: Path | None = None) -> float:
    """Wall seconds of `python ARGS`, the best of a few after one run that fills the
    caches; with `cache`, every run with that folder emptied first (a first command)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if cache is not None:
        env["NHACVIEC_CACHE_DIR"] = str(cache)

    def run() -> float:
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, check=True)
        return time.perf_counter() - started

    run()
    return min(run() for _ in range(BEST_OF))


def _example_config(folder: Path) -> Path:
    """config.toml with its plan by absolute path and an empty database of its own."""
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / data["plans"][0]["file"])
    data["database"]["url"] = f"sqlite:///{folder / 'bench.db'}"
    data["data_dir"] = str(folder / "var")
    target = folder / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target


def _best(function: Any) -> float:
    return min(timed(function)[0] for _ in range(BEST_OF))


def _in_process(config: Config, plans: list[CompiledPlan], at: datetime) -> dict[str, float]:
    """Seconds for the preview and its floor, `status --at` and its floor."""
    ctx, _ = context_and_plans(config)
    person = ctx.directory.role_people("qmr")[0]
    problems = [p for plan in plans for p in plan.problems]
    start = year_start(plans, ctx, at.year)

    def preview() -> None:
        db = scratch_database()
        prepare(db, ctx, plans, start)
        render_digest(digest_at(db, ctx, problems, at), person)
        db.dispose()

    def status_at() -> None:
        db = scratch_database()
        prepare(db, ctx, plans, start)
        state_at(db, ctx, at)
        db.dispose()

    known_db = scratch_database()
    prepare(known_db, ctx, plans, start)
    known = known_at(ctx, state_at(known_db, ctx, at, since=at - timedelta(days=7)))

    def floor() -> None:
        render_digest(build_digest(known_db, ctx, problems, at, known=known), person)

    # `status` reads the same occurrences as a database stores them.
    with tempfile.TemporaryDirectory() as tmp:
        stored = open_database(f"sqlite:///{Path(tmp) / 'known.db'}")
        prepare(stored, ctx, plans, start)
        status_floor = _best(lambda: status_lines(stored, ctx, at.date()))
        stored.dispose()
    return {
        "preview": _best(preview),
        "floor": _best(floor),
        "status_at": _best(status_at),
        "status_floor": status_floor,
    }


def _example() -> dict[str, Figure]:
    config = load_config(ROOT / "config.toml")
    ctx, plans = context_and_plans(config)
    at = datetime.fromisoformat(EXAMPLE_AT).replace(hour=7, minute=30, tzinfo=ctx.tz)
    seconds = _in_process(config, plans, at)

    def replay() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(f"sqlite:///{Path(tmp) / 'replay.db'}")
            simulate_until(db, ctx, plans, at)
            render_digest(build_digest(db, ctx, [], at), ctx.directory.role_people("qmr")[0])
            db.dispose()

    replayed = timed(replay)[0]
    return _figures("example", "the bundled example", seconds) | {
        "preview_example_replay": figure(
            replayed,
            "s",
            "the same preview by replaying the engine from 1 January (what it ran before); "
            "baseline: the direct preview",
            baseline=seconds["preview"],
        )
    }


def _province(units: int) -> dict[str, Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        config = province_config(units, f"sqlite:///{Path(tmp) / 'unused.db'}")
        ctx, _ = context_and_plans(config)
        plan = province_plan(config)
        at = datetime.fromisoformat(PROVINCE_AT).replace(hour=7, minute=30, tzinfo=ctx.tz)
        seconds = _in_process(config, [plan], at)
    return _figures("province", f"the {units}-unit province at {PROVINCE_AT}", seconds)


def _figures(name: str, what: str, seconds: dict[str, float]) -> dict[str, Figure]:
    return {
        f"preview_{name}": figure(
            seconds["preview"],
            "s",
            f"digest preview of {what}, in-process, plan compiled (sync into a scratch "
            "database, state at the moment, digest, rendering); floor: building and "
            "rendering the digest from the states already known",
            floor=seconds["floor"],
        ),
        f"status_at_{name}": figure(
            seconds["status_at"],
            "s",
            f"`status --at` of {what}, in-process, plan compiled; floor: `status` on a "
            "database that holds those states",
            floor=seconds["status_floor"],
        ),
    }


def figures() -> dict[str, Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "province").mkdir()
        example = str(_example_config(folder))
        province = str(write_province(folder / "province", 150))
        startup = _cli("-c", "import nhacviec.cli")
        preview = ("-m", "nhacviec", "digest", "--preview", "--at")
        status = ("-m", "nhacviec", "status", "--at")
        seconds = {
            "example_cli": _cli(*preview, EXAMPLE_AT, "-c", example),
            "example_cli_cold": _cli(*preview, EXAMPLE_AT, "-c", example, cache=folder / "c"),
            "status_at_cli": _cli(*status, EXAMPLE_AT, "-c", example),
            "province_cli": _cli(*preview, PROVINCE_AT, "-c", province),
            "status_at_province_cli": _cli(*status, PROVINCE_AT, "-c", province),
        }
    what = {
        "example_cli": f"`nhacviec digest --preview --at {EXAMPLE_AT}` on the bundled example, "
        "cache folder filled (target < 1 s)",
        "example_cli_cold": "the same with an empty cache folder (the first command run)",
        "status_at_cli": f"`nhacviec status --at {EXAMPLE_AT}` on the bundled example, empty "
        "database (target < 1 s)",
        "province_cli": f"`nhacviec digest --preview --at {PROVINCE_AT}` on the 150-unit "
        "province, cache folder filled (target < 3 s)",
        "status_at_province_cli": f"`nhacviec status --at {PROVINCE_AT}` on the 150-unit "
        "province, empty database",
    }
    cli = {
        name: figure(
            value, "s", f"{what[name]}; baseline: python importing the CLI", baseline=startup
        )
        for name, value in seconds.items()
    }
    return cli | _example() | _province(150)
