"""`digest --preview --at`: the example through the CLI, and a province in the library.

The example runs as a user would (`nhacviec digest --preview --at 2024-09-02`), beside
the interpreter starting and importing the CLI (the baseline every command pays). The
province (150 units) runs `preview`'s own steps in-process on the synthetic plan.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.common import Figure, figure, timed
from bench.synthetic import ROOT, province_config, province_plan
from nhacviec.cli.digest_cmd import _digest, simulate_until
from nhacviec.wiring import engine_context
from notifications.digest import render_digest
from scheduler.db import open_database

EXAMPLE_AT = "2024-09-02"


def _cli(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, check=True)
    return time.perf_counter() - started


def _province(units: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        config = province_config(units, f"sqlite:///{Path(tmp) / 'unused.db'}")
        ctx = engine_context(config)
        plan = province_plan(config)
        person = ctx.directory.role_people("qmr")[0]
        moment = datetime(2023, 9, 4, 7, 30, tzinfo=ctx.tz)

        def preview() -> None:
            db = open_database(f"sqlite:///{Path(tmp) / 'digest.db'}")
            simulate_until(db, ctx, [plan], moment)
            render_digest(_digest(db, ctx, [plan], moment, None), person)
            db.dispose()

        return timed(preview)[0]


def figures() -> dict[str, Figure]:
    startup = _cli("-c", "import nhacviec.cli")
    example = _cli(
        "-m", "nhacviec", "digest", "--preview", "--at", EXAMPLE_AT, "--config", "config.toml"
    )
    return {
        "example_cli": figure(
            example,
            "s",
            f"`nhacviec digest --preview --at {EXAMPLE_AT}` on the bundled example (target "
            "< 1 s); baseline: python importing the CLI",
            baseline=startup,
        ),
        "province": figure(
            _province(150),
            "s",
            "the same preview at 2023-09-04 for the 150-unit province, in-process (target < 3 s)",
        ),
    }
