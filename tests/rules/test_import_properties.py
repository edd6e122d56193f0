"""No input makes the importer drop or merge a row without a word.

The sample plans' tables are shuffled, rows duplicated and cells emptied; every
non-empty body row must come out as a plan row, a section, or a reported problem.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.importers.assemble import build_plan
from rules.importers.columns import find_header
from rules.importers.docx_reader import read_docx
from rules.importers.grid import RawDocument, RawRow, RawTable
from rules.importers.row_cells import is_column_numbering
from rules.importers.xlsx_reader import read_xlsx
from rules.plan import PlanImportError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLES = ["nam-dong-2024.docx", "giang-hai-2023.docx", "giang-hai-2023.xlsx"]


@cache
def sample(name: str) -> tuple[RawDocument, int]:
    """The read document and the position of its plan table among the blocks."""
    data = (EXAMPLES / name).read_bytes()
    reader = read_docx if name.endswith(".docx") else read_xlsx
    document = reader(data, name, name)
    position = next(
        i for i, block in enumerate(document.blocks)
        if isinstance(block, RawTable) and (h := find_header(block)) and not h.missing
    )  # fmt: skip
    return document, position


@st.composite
def mutated(draw: st.DrawFn) -> tuple[RawDocument, RawTable]:
    document, position = sample(draw(st.sampled_from(SAMPLES)))
    table = document.blocks[position]
    assert isinstance(table, RawTable)
    header = find_header(table)
    assert header is not None
    top = list(table.rows[: header.first_row + header.height])
    body = list(table.rows[len(top) :])
    body = draw(st.permutations(body))
    for index in draw(st.lists(st.integers(0, len(body) - 1), max_size=4)):
        body.insert(draw(st.integers(0, len(body))), body[index])
    emptied = draw(st.sets(st.tuples(st.integers(0, len(body) - 1), st.integers(0, 7)),
                           max_size=25))  # fmt: skip
    rows = []
    for index, row in enumerate(body):
        cells = tuple("" if (index, c) in emptied else text for c, text in enumerate(row.cells))
        rows.append(replace(row, cells=cells, number=len(top) + index + 1))
    changed = RawTable(table.index, (*top, *rows), table.name)
    blocks = list(document.blocks)
    blocks[position] = changed
    return RawDocument(document.file, tuple(blocks)), changed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_every_non_empty_row_is_a_plan_row_a_section_or_a_problem(
    case: tuple[RawDocument, RawTable],
) -> None:
    document, table = case
    header = find_header(table)
    assert header is not None
    body = table.rows[header.first_row + header.height :]
    expected = {
        row.number
        for row in body
        if any(text.strip() for text in row.cells)
        and not header.is_repeat(row)
        and not is_column_numbering(row)
    }
    try:
        plan = build_plan(document, document.file)
    except PlanImportError as error:
        assert "không có dòng nhiệm vụ" in str(error) or "năm" in str(error)
        return
    placed = {row.source.row for row in plan.rows if row.source.table == table.index}
    placed |= {h.source.row for h in plan.headings if h.source and h.source.table == table.index}
    reported = {p.source.row for p in plan.import_problems if p.source}
    missing = expected - placed - reported
    assert not missing, [row.cells for row in body if row.number in missing]


@pytest.mark.parametrize("name", SAMPLES)
def test_the_samples_as_they_are_place_every_row_without_a_problem(name: str) -> None:
    document, _ = sample(name)
    plan = build_plan(document, name)
    assert plan.import_problems == ()


def test_a_row_the_importer_cannot_place_is_reported_with_its_place_never_glued() -> None:
    document, position = sample("nam-dong-2024.docx")
    table = document.blocks[position]
    assert isinstance(table, RawTable)
    header = find_header(table)
    assert header is not None
    at = header.first_row + header.height + 2
    lone = RawRow(("", "", "", "Một dòng chỉ có phối hợp", "", "", ""), 999, spans=(1,) * 7)
    rows = (*table.rows[:at], lone, *table.rows[at:])
    blocks = list(document.blocks)
    blocks[position] = RawTable(table.index, rows)
    plan = build_plan(RawDocument(document.file, tuple(blocks)), "nam-dong-2024.docx")
    assert all("Một dòng chỉ có phối hợp" not in row.coordinating for row in plan.rows)
    [problem] = plan.import_problems
    assert problem.code == "unplaced-row" and problem.source is not None
    assert (problem.source.table, problem.source.row) == (table.index, 999)
    assert "Một dòng chỉ có phối hợp" in problem.text
    assert "bảng 1, dòng 999" in problem.message


def test_a_row_with_only_a_task_opens_a_section_never_glued_onto_a_task() -> None:
    document, position = sample("nam-dong-2024.docx")
    table = document.blocks[position]
    assert isinstance(table, RawTable)
    header = find_header(table)
    assert header is not None
    at = header.first_row + header.height + 3
    lone = RawRow(("", "Nâng cao chất lượng", "", "", "", "", ""), 999, spans=(1,) * 7)
    blocks = list(document.blocks)
    blocks[position] = RawTable(table.index, (*table.rows[:at], lone, *table.rows[at:]))
    plan = build_plan(RawDocument(document.file, tuple(blocks)), "nam-dong-2024.docx")
    assert all("Nâng cao chất lượng" not in row.task for row in plan.rows)
    keys = [key for key, _ in plan.sections()]
    assert keys == ["I", "I-a", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    assert dict(plan.sections())["I-a"] == "Nâng cao chất lượng"
    [problem] = plan.import_problems
    assert (problem.code, problem.source.row if problem.source else 0) == (
        "unnumbered-section",
        999,
    )
