"""CLI start-up: CPU seconds for `nhacviec --help`, `rules explain` and `status`, against
`python -c pass` in the same run (the floor any Python command pays)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def cpu_seconds(argv: list[str], cwd: Path) -> float:
    """User + system CPU of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        argv,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NHACVIEC_TELEGRAM_TOKEN": "", "COLUMNS": "120"},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _config(folder: Path) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    plan = str(ROOT / "examples" / "nam-dong-2024.docx")
    assert tomllib.loads(text)["plans"][0]["file"] == "examples/nam-dong-2024.docx"
    target = folder / "config.toml"
    target.write_text(text.replace('"examples/nam-dong-2024.docx"', f'"{plan}"'), encoding="utf-8")
    return target


def main() -> None:
    nhacviec = [sys.executable, "-m", "nhacviec"]
    with tempfile.TemporaryDirectory(prefix="nhacviec-bench-") as tmp:
        folder = Path(tmp)
        config = _config(folder)
        subprocess.run(
            [*nhacviec, "db", "upgrade", "-c", str(config)],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        cases = {
            'python -c "pass"': [sys.executable, "-c", "pass"],
            "nhacviec --help": [*nhacviec, "--help"],
            "nhacviec rules explain": [*nhacviec, "rules", "explain", "Hàng quý", "--year", "2024"],
            "nhacviec status": [*nhacviec, "status", "-c", str(config)],
        }
        baseline = None
        for name, argv in cases.items():
            times = [cpu_seconds(argv, folder) for _ in range(RUNS)]
            median = statistics.median(times)
            baseline = median if baseline is None else baseline
            print(
                f"{name:<26} CPU {median:6.3f} s (median of {RUNS}; min {min(times):.3f}) "
                f"= floor + {median - baseline:.3f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
