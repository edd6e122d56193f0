"""Counting `nhacviec status --json` by hand, the way a secretary would, to check the report."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def section_of(ref: str) -> str:
    return ref.split(".")[0]


def outcome(line: dict[str, object]) -> str:
    status = line["status"]
    if status == "waived":
        return "exempt"
    if status == "done":
        closed = datetime.fromisoformat(str(line["closed_at"])).astimezone(TZ).date()
        return "late" if closed > date.fromisoformat(str(line["due"])) else "on_time"
    return "not_done"


def counted(
    status: list[dict[str, object]], first: date, last: date, at: date
) -> dict[str, Counter[str]]:
    """Per section and "Tổng cộng": how many, on time, late, not done, exempt."""
    tallies: dict[str, Counter[str]] = {}
    for line in status:
        due = date.fromisoformat(str(line["due"]))
        closed = line["status"] in ("done", "waived")
        if not first <= due <= last or (due > at and not closed):
            continue
        for key in (f"Mục tiêu {section_of(str(line['row']))}", "Tổng cộng"):
            tally = tallies.setdefault(key, Counter())
            tally["total"] += 1
            tally[outcome(line)] += 1
    return tallies


def summary_table(path: Path) -> dict[str, Counter[str]]:
    """The report's summary table, read back with python-docx."""
    document = Document(str(path))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Mục tiêu"]
    names = ("total", "on_time", "late", "not_done", "exempt")
    found: dict[str, Counter[str]] = {}
    for row in table.rows[1:]:
        cells = [c.text.strip() for c in row.cells]
        found[cells[0]] = Counter(
            {name: int(value) for name, value in zip(names, cells[1:6], strict=True) if int(value)}
        )
    return found


def document_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)
