"""From a read document to a `Plan`: find the plan table, follow it over pages, read around it."""

from __future__ import annotations

from rules.importers.columns import REQUIRED_ROLES, ROLE_LABELS, Header, find_header
from rules.importers.grid import RawDocument, RawTable, table_paragraphs
from rules.importers.objectives import find_objectives
from rules.importers.preamble import find_organisation, find_title, find_year
from rules.importers.rows import read_rows
from rules.plan import Plan, PlanImportError

_EXPECTED = ", ".join(f"“{ROLE_LABELS[role]}”" for role in REQUIRED_ROLES)


def build_plan(document: RawDocument, source: str) -> Plan:
    """The plan in `document`; `source` is the path as the user gave it, for messages."""
    position, header = _plan_table(document, source)
    continued = _continuations(document, position, header)
    parts = [(_table_at(document, position), header), *(part for _, part in continued)]
    used = {position, *(index for index, _ in continued)}
    before, after = _paragraphs_around(document, position, header, used)
    rows = read_rows(document.file, parts, text_export=document.text_export)
    if not rows:
        raise PlanImportError(source, "bảng kế hoạch không có dòng nhiệm vụ nào dưới tiêu đề.")
    title = find_title(before) or find_title(after)
    year = find_year(title, before + after)
    if year is None:
        raise PlanImportError(
            source,
            "không xác định được năm của kế hoạch: cần tiêu đề dạng "
            "“KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2024”.",
        )
    return Plan(
        organisation=find_organisation(before) or find_organisation(after),
        year=year,
        objectives=find_objectives(before),
        rows=tuple(rows),
        source=source,
        title=title,
    )


def _table_at(document: RawDocument, position: int) -> RawTable:
    block = document.blocks[position]
    assert isinstance(block, RawTable)
    return block


def _plan_table(document: RawDocument, source: str) -> tuple[int, Header]:
    """The first table whose header names the task, lead and timing columns."""
    partial: Header | None = None
    for position, block in enumerate(document.blocks):
        if not isinstance(block, RawTable):
            continue
        header = find_header(block)
        if header is not None and not header.missing:
            return position, header
        if header is not None and (partial is None or len(header.columns) > len(partial.columns)):
            partial = header
    if partial is not None:
        missing = ", ".join(f"“{ROLE_LABELS[role]}”" for role in partial.missing)
        raise PlanImportError(
            source, f"bảng kế hoạch thiếu cột {missing} (cần các cột {_EXPECTED})."
        )
    raise PlanImportError(
        source,
        f"không tìm thấy bảng kế hoạch: cần một bảng có tiêu đề cột {_EXPECTED}.",
    )


def _continuations(
    document: RawDocument, position: int, header: Header
) -> list[tuple[int, tuple[RawTable, Header]]]:
    """Later tables that carry on the plan table: same header again, or same width, no header.

    Only blank paragraphs may separate a header-less continuation from the table before it;
    a partial "header" there is only data that happens to contain header words.
    """
    width = _table_at(document, position).width
    parts: list[tuple[int, tuple[RawTable, Header]]] = []
    text_between = False
    for index, block in enumerate(document.blocks[position + 1 :], start=position + 1):
        if isinstance(block, str):
            text_between = text_between or bool(block.strip())
            continue
        own = find_header(block)
        if own is not None and not own.missing and own.columns == header.columns:
            parts.append((index, (block, own)))
        elif (own is None or own.missing) and not text_between and block.width == width:
            parts.append((index, (block, Header(0, 0, header.columns, header.leaves))))
        else:
            break
        text_between = False
    return parts


def _paragraphs_around(
    document: RawDocument, position: int, header: Header, used: set[int]
) -> tuple[list[str], list[str]]:
    """Text before the plan table (ending with rows above its header) and text after it."""
    before: list[str] = []
    after: list[str] = []
    for index, block in enumerate(document.blocks):
        if index in used:
            continue
        texts = [block] if isinstance(block, str) else table_paragraphs(block)
        (before if index < position else after).extend(texts)
    table = _table_at(document, position)
    before.extend(table_paragraphs(RawTable(table.index, table.rows[: header.first_row])))
    return before, after
