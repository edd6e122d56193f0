"""TOML: a plan written from scratch (see examples/ke-hoach-mau.toml for a full example).

organisation = "UBND xã Hòa Bình"         # optional
year = 2025                                # required
title = "Kế hoạch thực hiện MTCL năm 2025" # optional
[[objectives]]                             # optional, any number
number = "1"
text = "100% cán bộ, công chức ..."        # targets are read from the text
[[sections]]                               # at least one
section = "I"
title = "..."
[[sections.rows]]                          # at least one per section
number = "1"                               # optional
task = "..."                               # required
lead = "..."                               # required (may be "": plan check reports it)
timing = "..."                             # required
coordinating = "..."                       # optional
monitors = "QMR; Thư ký ISO"               # optional; text or list
evidence = ["...", "..."]                  # optional; list, or text with "- " bullets
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from typing import Any

from rules.importers.cells import clean_text, evidence_items, join_field, strip_bullet
from rules.importers.objectives import parse_targets
from rules.importers.text_reader import decode_text
from rules.plan import Objective, Plan, PlanImportError, PlanRow, SourceLocation

_ROW_TABLE = re.compile(r"^\s*\[\[\s*sections\s*\.\s*rows\s*\]\]", re.MULTILINE)
_ROW_KEYS = {"number", "task", "lead", "coordinating", "timing", "monitors", "evidence"}
_REQUIRED_ROW_KEYS = ("task", "lead", "timing")
_SECTION_KEYS = {"section", "title", "rows"}
_PLAN_KEYS = {"organisation", "year", "title", "objectives", "sections"}


def read_toml(data: bytes, file: str, source: str) -> Plan:
    text = decode_text(data, source)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanImportError(source, f"tệp TOML sai cú pháp ({exc}).") from exc
    _check_keys(document, _PLAN_KEYS, "kế hoạch", source)
    year = document.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise PlanImportError(source, "thiếu năm của kế hoạch: cần dòng “year = 2025”.")
    rows = _rows(document.get("sections"), source)
    lines = [text.count("\n", 0, match.start()) + 1 for match in _ROW_TABLE.finditer(text)]
    if len(lines) == len(rows):
        rows = [
            _located(row, SourceLocation(file, 1, line))
            for row, line in zip(rows, lines, strict=True)
        ]
    else:
        rows = [_located(row, SourceLocation(file, 1, n)) for n, row in enumerate(rows, 1)]
    return Plan(
        organisation=_text(document, "organisation", "kế hoạch", source),
        year=year,
        objectives=_objectives(document.get("objectives", []), source),
        rows=tuple(rows),
        source=source,
        title=_text(document, "title", "kế hoạch", source),
    )


def _rows(sections: Any, source: str) -> list[PlanRow]:
    if not isinstance(sections, list) or not sections:
        raise PlanImportError(source, "kế hoạch chưa có mục nào: cần ít nhất một “[[sections]]”.")
    rows: list[PlanRow] = []
    for position, section in enumerate(sections, 1):
        where = f"mục thứ {position}"
        _check_keys(section, _SECTION_KEYS, where, source)
        marker = _text(section, "section", where, source).rstrip(".")
        if not marker:
            raise PlanImportError(source, f"{where}: thiếu “section” (số La Mã hoặc chữ cái).")
        entries = section.get("rows")
        if not isinstance(entries, list) or not entries:
            raise PlanImportError(source, f"mục {marker}: chưa có dòng nào (“[[sections.rows]]”).")
        title = _text(section, "title", f"mục {marker}", source)
        rows.extend(_row(entry, marker, title, n, source) for n, entry in enumerate(entries, 1))
    return rows


def _row(entry: Any, section: str, title: str, position: int, source: str) -> PlanRow:
    where = f"mục {section}, dòng thứ {position}"
    _check_keys(entry, _ROW_KEYS, where, source)
    for key in _REQUIRED_ROW_KEYS:
        if key not in entry:
            raise PlanImportError(source, f"{where}: thiếu khóa “{key}”.")
    return PlanRow(
        section=section,
        section_title=title,
        number=_text(entry, "number", where, source).rstrip("."),
        task=_text(entry, "task", where, source),
        lead=_text(entry, "lead", where, source),
        coordinating=_text(entry, "coordinating", where, source),
        timing=_text(entry, "timing", where, source),
        monitors=_text(entry, "monitors", where, source),
        evidence=_evidence(entry.get("evidence", ()), where, source),
    )


def _objectives(entries: Any, source: str) -> tuple[Objective, ...]:
    if not isinstance(entries, list):
        raise PlanImportError(source, "“objectives” phải là danh sách “[[objectives]]”.")
    objectives = []
    for position, entry in enumerate(entries, 1):
        where = f"mục tiêu thứ {position}"
        _check_keys(entry, {"number", "text"}, where, source)
        raw = entry.get("text", "")
        if not isinstance(raw, str) or not raw.strip():
            raise PlanImportError(source, f"{where}: thiếu “text” (nội dung mục tiêu).")
        text = clean_text(raw)
        number = _text(entry, "number", where, source) or str(position)
        objectives.append(Objective(number, text, parse_targets(text)))
    return tuple(objectives)


def _text(table: dict[str, Any], key: str, where: str, source: str) -> str:
    value = table.get(key, "")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = "; ".join(strip_bullet(item) for item in value)
    if not isinstance(value, str):
        raise PlanImportError(source, f"{where}: “{key}” phải là chuỗi văn bản.")
    return join_field(value)


def _evidence(value: Any, where: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return evidence_items(value)
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return tuple(item for raw in value if (item := strip_bullet(join_field(raw))))
    raise PlanImportError(source, f"{where}: “evidence” phải là danh sách chuỗi.")


def _check_keys(table: Any, allowed: set[str], where: str, source: str) -> None:
    if not isinstance(table, dict):
        raise PlanImportError(source, f"{where}: cần một bảng TOML.")
    unknown = sorted(set(table) - allowed)
    if unknown:
        names = ", ".join(f"“{key}”" for key in unknown)
        expected = ", ".join(sorted(allowed))
        raise PlanImportError(source, f"{where}: khóa không hợp lệ {names} (cho phép: {expected}).")


def _located(row: PlanRow, source: SourceLocation) -> PlanRow:
    return replace(row, source=source)
