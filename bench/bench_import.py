<<<<<<< HEAD
"""Importing a 5,000-row plan from Word and Excel, beside lxml reading the same XML."""
=======
"""How long importing a 5,000-row plan takes, from Word and from Excel (printed, never asserted).

Each import is set beside a baseline measured in the same run on the same file: lxml
alone reading the same XML part and collecting every cell's text (the least any importer
must do), so a slow machine shows as a slow baseline, not as a slow importer.
"""
>>>>>>> main

from __future__ import annotations

import tempfile
import time
import zipfile
<<<<<<< HEAD
=======
from collections.abc import Callable
>>>>>>> main
from pathlib import Path

from lxml import etree

<<<<<<< HEAD
from bench.common import Figure, figure
=======
>>>>>>> main
from rules.importers import load_plan
from tests.rules.plan_builders import PlanSpec, build_docx, build_xlsx, sample_rows

ROWS = 5000
ROWS_PER_SECTION = 50
<<<<<<< HEAD
MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/worksheets/sheet1.xml"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
=======
REPEATS = 3  # the best of a few runs: the machine is shared
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _docx_baseline(path: Path) -> int:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    cells = 0
    for tc in root.iter(f"{_W}tc"):
        "".join(t.text or "" for t in tc.iter(f"{_W}t"))
        cells += 1
    return cells


def _xlsx_baseline(path: Path) -> int:
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        shared = "xl/sharedStrings.xml"
        strings = (
            ["".join(si.itertext()) for si in etree.fromstring(package.read(shared))]
            if shared in names
            else []
        )
        root = etree.fromstring(package.read("xl/worksheets/sheet1.xml"))
    cells = 0
    for cell in root.iter(f"{_S}c"):
        text = "".join(cell.itertext())
        if strings and cell.get("t") == "s":
            text = strings[int(text or 0)]
        cells += 1
    return cells


def _best(work: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds), the best of a few runs: the machine is shared, and CPU
    time is what a busy machine's other processes do not add to."""
    walls, cpus = [], []
    for _ in range(REPEATS):
        started, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)
>>>>>>> main


def _lxml_floor(path: Path, kind: str) -> float:
    """Unzip the document's XML and collect every cell's text with lxml: the same bytes."""
    started = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        member = (
            MEMBERS[kind]
            if MEMBERS[kind] in names
            else next(n for n in names if n.startswith("xl/worksheets/"))
        )
        data = archive.read(member)
        shared = archive.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
    root = etree.fromstring(data)
    cell = f"{W}tc" if kind == "docx" else "{*}c"
    texts = ["".join(c.itertext()) for c in root.iter(cell)]
    if shared:
        texts += ["".join(s.itertext()) for s in etree.fromstring(shared)]
    assert texts
    return time.perf_counter() - started


def figures() -> dict[str, Figure]:
    spec = PlanSpec(sample_rows(ROWS, ROWS_PER_SECTION))
<<<<<<< HEAD
    found: dict[str, Figure] = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind, build in (("docx", build_docx), ("xlsx", build_xlsx)):
            path = build(spec, Path(folder) / f"ke-hoach-{ROWS}.{kind}")
            started = time.perf_counter()
            plan = load_plan(path)
            seconds = time.perf_counter() - started
            found[kind] = figure(
                seconds,
                "s",
                f"load_plan of a {ROWS:,}-row .{kind} ({len(plan.rows):,} rows read); floor: "
                "lxml reading every cell of the same XML",
                floor=_lxml_floor(path, kind),
            )
    return found


def main() -> None:
    for name, item in figures().items():
        print(name, item)
=======
    figures: dict[str, float] = {}
    baselines = {"docx": _docx_baseline, "xlsx": _xlsx_baseline}
    with tempfile.TemporaryDirectory() as folder:
        for name, build in (("docx", build_docx), ("xlsx", build_xlsx)):
            path = build(spec, Path(folder) / f"ke-hoach-{ROWS}.{name}")
            rows = len(load_plan(path).rows)
            seconds, cpu = _best(lambda path=path: load_plan(path))
            baseline, baseline_cpu = _best(lambda path=path, name=name: baselines[name](path))
            figures[f"import_{name}_{ROWS}_rows_s"] = round(seconds, 3)
            figures[f"import_{name}_{ROWS}_rows_cpu_s"] = round(cpu, 3)
            figures[f"lxml_baseline_{name}_{ROWS}_rows_s"] = round(baseline, 3)
            print(
                f"import {name}: {rows} rows in {seconds:.2f} s ({cpu:.2f} s CPU); "
                f"lxml alone on the same XML: {baseline:.2f} s ({baseline_cpu:.2f} s CPU), "
                f"×{cpu / baseline_cpu:.1f}"
            )
    return figures
>>>>>>> main


if __name__ == "__main__":
    main()
