"""From a read document to a `Plan`: find the plan table, follow it over pages and sheets,
read around it (title, period, organisation, objectives)."""

from __future__ import annotations

import re
from dataclasses import replace

from rules.importers.cells import join_field
from rules.importers.columns import REQUIRED_ROLES, ROLE_LABELS, Header, find_header
from rules.importers.grid import RawDocument, RawTable, table_paragraphs
from rules.importers.kpi import kpi_targets
from rules.importers.numbers import split_marker
from rules.importers.objectives import find_objectives, parse_targets
from rules.importers.preamble import find_organisation, find_period, find_title
from rules.importers.rows import Part, read_rows
from rules.plan import Heading, Objective, Plan, PlanImportError, PlanProblem

_EXPECTED = ", ".join(f"“{ROLE_LABELS[role]}”" for role in REQUIRED_ROLES)
_SHEET_OBJECTIVE = re.compile(r"^\s*(?:mục\s*tiêu|mtcl|mt)\s*(?:số\s*)?(\d{1,2})\b", re.IGNORECASE)
_COSTS = {
    "monitors": (
        "Trách nhiệm theo dõi",
        "không ai được báo khi quá hạn (không có người để nhắc lên cấp trên).",
        "Thêm cột “Trách nhiệm theo dõi” ghi người hoặc đơn vị theo dõi từng dòng "
        "(ví dụ “QMR; Thư ký ISO”).",
    ),
    "evidence": (
        "Cách thức theo dõi và kết quả",
        "không dòng nào biết cần minh chứng gì để được coi là xong.",
        "Thêm cột “Cách thức theo dõi và kết quả” (hoặc “Kết quả đầu ra”, “Minh chứng”) "
        "ghi báo cáo, quyết định, biên bản… chứng minh việc đã làm.",
    ),
    "timing": (
        "Thời gian thực hiện",
        "không dòng nào có hạn, nên không ai được nhắc việc.",
        "Thêm cột “Thời gian thực hiện” (hoặc “Tần suất” và “Thời hạn”, “Bắt đầu” và "
        "“Kết thúc”) cho từng dòng.",
    ),
}


def build_plan(document: RawDocument, source: str) -> Plan:
    """The plan in `document`; `source` is the path as the user gave it, for messages."""
    position, header = _plan_table(document, source)
    continued = _continuations(document, position, header)
    first = _table_at(document, position)
    parts = [Part(first, header, _opening(first, header, named_only=True))]
    parts += [part for _, part in continued]
    used = {position, *(index for index, _ in continued)}
    before, after = _paragraphs_around(document, position, header, used)
    content = read_rows(document.file, parts, text_export=document.text_export)
    if not content.rows:
        raise PlanImportError(source, "bảng kế hoạch không có dòng nhiệm vụ nào dưới tiêu đề.")
    title = find_title(before) or find_title(after)
    period = find_period(title, before + after)
    if period is None:
        raise PlanImportError(
            source,
            "không xác định được năm của kế hoạch: cần tiêu đề dạng "
            "“KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG NĂM 2025” (hoặc “NĂM HỌC 2025 – 2026”, "
            "“GIAI ĐOẠN 2025-2030”).",
        )
    headings = tuple(content.headings)
    return Plan(
        organisation=find_organisation(before) or find_organisation(after),
        year=period.year,
        objectives=_objectives(
            find_objectives(before) or _objective_table(document, position), headings
        ),
        rows=tuple(content.rows),
        source=source,
        title=title,
        kind=period.kind,
        start=period.start,
        end=period.end,
        headings=headings,
        import_problems=(*_missing_columns(document.file, header), *content.problems),
        missing_columns=tuple(header.absent),
    )


def _missing_columns(file: str, header: Header) -> list[PlanProblem]:
    problems = []
    for role in header.absent:
        label, cost, hint = _COSTS[role]
        problems.append(
            PlanProblem(
                severity="error",
                code="missing-column",
                message=f"{file}: bảng kế hoạch không có cột “{label}”: {cost}",
                text=label,
                hint=hint,
            )
        )
    return problems


def _objectives(
    listed: tuple[Objective, ...], headings: tuple[Heading, ...]
) -> tuple[Objective, ...]:
    """The objectives listed above the table, with the KPI their section rows give.

    A plan that lists none keeps none: its sections (`Plan.headings`) carry their KPI.
    """
    sections = [heading for heading in headings if heading.level == 0]
    by_key = {heading.key: heading for heading in sections}
    result = []
    for position, objective in enumerate(listed):
        heading = by_key.get(objective.number)
        if heading is None and len(sections) == len(listed):
            heading = sections[position]  # "1." listed above, "I" as the section
        if heading is not None and heading.kpi:
            targets = objective.targets or heading.targets
            objective = replace(objective, kpi=heading.kpi, targets=targets)
        result.append(objective)
    return tuple(result)


def _objective_table(document: RawDocument, position: int) -> tuple[Objective, ...]:
    """Objectives listed in a table of their own above the plan ("TT | Mục tiêu | Chỉ tiêu")."""
    for block in document.blocks[:position]:
        if not isinstance(block, RawTable):
            continue
        header = find_header(block)
        if header is None or "objective" not in header.columns or "task" in header.columns:
            continue
        found = []
        for row in block.rows[header.first_row + header.height :]:
            cells = {role: _cell(row.cells, column) for role, column in header.columns.items()}
            text = join_field(cells.get("objective", ""))
            if not text:
                continue
            number = cells.get("number", "").strip().rstrip(".)") or str(len(found) + 1)
            kpi = join_field(cells.get("kpi", ""))
            found.append(Objective(number, text, parse_targets(text) or kpi_targets(kpi), kpi))
        if found:
            return tuple(found)
    return ()


def _cell(cells: tuple[str, ...], column: int) -> str:
    return cells[column] if column < len(cells) else ""


def _table_at(document: RawDocument, position: int) -> RawTable:
    block = document.blocks[position]
    assert isinstance(block, RawTable)
    return block


def _plan_table(document: RawDocument, source: str) -> tuple[int, Header]:
    """The first table whose header names the task and lead columns (and the most others)."""
    partial: Header | None = None
    for position, block in enumerate(document.blocks):
        if not isinstance(block, RawTable):
            continue
        header = find_header(block)
        if header is not None and not header.missing:
            return position, header
        if header is not None and (partial is None or header.score > partial.score):
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


def _continuations(document: RawDocument, position: int, header: Header) -> list[tuple[int, Part]]:
    """Later tables that carry on the plan table: its header again (perhaps under title rows,
    perhaps with its columns elsewhere), or the same width and no header.

    Only blank paragraphs may separate a header-less continuation from the table before it;
    a partial "header" there is only data that happens to contain header words. A workbook's
    sheets that are not part of the plan (instructions, signatures) are passed over.
    """
    width = _table_at(document, position).width
    roles = set(header.columns)
    parts: list[tuple[int, Part]] = []
    text_between = False
    for index, block in enumerate(document.blocks[position + 1 :], start=position + 1):
        if isinstance(block, str):
            text_between = text_between or bool(block.strip())
            continue
        own = find_header(block)
        if own is not None and not own.missing and set(own.columns) >= roles - {"remarks"}:
            parts.append((index, Part(block, own, _opening(block, own))))
        elif (own is None or own.missing) and not text_between and block.width == width:
            parts.append((index, Part(block, Header(0, 0, header.columns, header.leaves))))
        elif not block.name:
            break
        text_between = False
    return parts


def _opening(
    table: RawTable, header: Header, *, named_only: bool = False
) -> tuple[str, str] | None:
    """The objective a table's title rows (or its sheet's name) say its rows belong to.

    "MỤC TIÊU 2: Nâng cao ..." above the header of the second sheet opens section 2.
    The plan's first table only takes a title that names an objective, not "1. ...".
    """
    for text in table_paragraphs(RawTable(table.index, table.rows[: header.first_row])):
        text = " ".join(text.split())
        found = split_marker(text)
        if found is None:
            continue
        named = bool(_SHEET_OBJECTIVE.match(text))
        if named or not named_only:
            return found[0].label, found[1]
    if table.name and (match := _SHEET_OBJECTIVE.match(table.name)):
        titles = table_paragraphs(RawTable(table.index, table.rows[: header.first_row]))
        return match.group(1), " ".join(titles[-1].split()) if titles else table.name
    return None


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
