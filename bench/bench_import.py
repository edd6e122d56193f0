"""Importing a 5,000-row plan from Word and Excel, beside lxml reading the same XML."""

from __future__ import annotations

import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

from bench.common import Figure, figure
from rules.importers import load_plan
from tests.rules.plan_builders import PlanSpec, build_docx, build_xlsx, sample_rows

ROWS = 5000
ROWS_PER_SECTION = 50
MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/worksheets/sheet1.xml"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
    texts = ["".join(str(t) for t in c.itertext()) for c in root.iter(cell)]
    if shared:
        texts += ["".join(str(t) for t in s.itertext()) for s in etree.fromstring(shared)]
    assert texts
    return time.perf_counter() - started


def figures() -> dict[str, Figure]:
    spec = PlanSpec(sample_rows(ROWS, ROWS_PER_SECTION))
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


if __name__ == "__main__":
    main()
