"""The timing compiler, the web board and CLI start-up as harness figures (`python -m bench`).

Each adapter runs the benchmark module that measures it and states its figures in the
harness's shape, beside the floor or baseline measured in the same run."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, figure


def timing() -> dict[str, Figure]:
    from bench.bench_timing import _real_phrases, compare, corpus

    unique = list(dict.fromkeys(corpus()))
    new, old = compare(unique)
    real_new, real_old = compare(_real_phrases())
    what = "distinct phrases compiled per second, no cache; baseline: the compiler before #18"
    return {
        "distinct_phrases": figure(
            new, "phrases/s", f"{what} ({len(unique)} phrases)", baseline=old
        ),
        "real_phrases": figure(real_new, "phrases/s", f"{what} (real corpus)", baseline=real_old),
    }


def web() -> dict[str, Figure]:
    from bench import bench_web

    raw = bench_web.main()
    return {
        key.removesuffix("_ms"): figure(
            value / 1000, "s", f"board over HTTP, 150 units: {key}; budget 0.3 s", baseline=0.3
        )
        for key, value in raw.items()
        if key.endswith("_ms")
    }


def startup() -> dict[str, Figure]:
    from bench.bench_startup import RUNS, _config, cpu_seconds

    nhacviec = [sys.executable, "-m", "nhacviec"]
    with tempfile.TemporaryDirectory(prefix="nhacviec-bench-") as tmp:
        folder = Path(tmp)
        config = _config(folder)
        upgrade = [*nhacviec, "db", "upgrade", "-c", str(config)]
        subprocess.run(upgrade, cwd=folder, check=True, capture_output=True)
        floor = statistics.median(
            cpu_seconds([sys.executable, "-c", "pass"], folder) for _ in range(RUNS)
        )
        cases = {
            "help": [*nhacviec, "--help"],
            "rules_explain": [*nhacviec, "rules", "explain", "Hàng quý", "--year", "2024"],
            "status": [*nhacviec, "status", "-c", str(config)],
        }
        return {
            name: figure(
                statistics.median(cpu_seconds(argv, folder) for _ in range(RUNS)),
                "s CPU",
                f"`nhacviec {' '.join(argv[3:5])}` start-up CPU; floor: python -c pass",
                floor=floor,
            )
            for name, argv in cases.items()
        }
