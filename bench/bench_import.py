"""How long importing a 5,000-row plan takes, from Word and from Excel (printed, never asserted)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rules.importers import load_plan
from tests.rules.plan_builders import PlanSpec, build_docx, build_xlsx, sample_rows

ROWS = 5000
ROWS_PER_SECTION = 50


def main() -> dict[str, float]:
    """Build the plan in both formats in a temporary directory, import each, print seconds."""
    spec = PlanSpec(sample_rows(ROWS, ROWS_PER_SECTION))
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, build in (("docx", build_docx), ("xlsx", build_xlsx)):
            path = build(spec, Path(folder) / f"ke-hoach-{ROWS}.{name}")
            started = time.perf_counter()
            plan = load_plan(path)
            seconds = time.perf_counter() - started
            figures[f"import_{name}_{ROWS}_rows_s"] = round(seconds, 3)
            print(f"import {name}: {len(plan.rows)} rows in {seconds:.2f} s")
    return figures


if __name__ == "__main__":
    main()
