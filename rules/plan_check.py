"""What a person should fix in a plan before nhacviec runs it.

Errors stop a plan from being scheduled (no lead to remind, no timing to compile);
warnings point at text that is probably wrong (a year copied from last year's plan,
no evidence to close a row, the same row twice). Each problem quotes the text, says
where it is and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from rules.plan import Objective, Plan, PlanProblem, PlanRow, Severity

TimingProblem = Callable[[str, int], str | None]

# A year, but not in "ISO 9001:2015", "19/2014/QĐ-TTg" or "1.936,49".
_YEAR = re.compile(r"(?<![\d:.,])((?:19|20)\d{2})(?!\d|/\w|[.,]\d)")
_NEAR_YEARS = 10  # a four-digit number further from the plan's year is a quantity
_QUOTE_CHARS = 120
_FIELD_NAMES = {
    "task": "nội dung",
    "lead": "chủ trì",
    "coordinating": "phối hợp",
    "timing": "thời gian thực hiện",
    "monitors": "trách nhiệm theo dõi",
    "evidence": "kết quả",
}


def check_plan(plan: Plan, *, timing_problem: TimingProblem | None = None) -> list[PlanProblem]:
    """Every problem of the plan, row by row, in document order.

    `timing_problem(text, year)` returns why a timing phrase cannot be compiled, or None;
    without it, timing phrases are only checked for being present.
    """
    first_seen: dict[str, PlanRow] = {}
    problems: list[PlanProblem] = []
    for objective in plan.objectives:
        problems.extend(_objective_years(objective, plan.year))
    for row in plan.rows:
        problems.extend(_lead(row))
        problems.extend(_timing(row, plan.year, timing_problem))
        problems.extend(_other_years(row, plan.year))
        problems.extend(_evidence(row))
        original = first_seen.setdefault(row.identity, row)
        if original is not row:
            problems.append(_duplicate(row, original))
    return problems


def _problem(
    row: PlanRow, severity: Severity, code: str, message: str, text: str, hint: str
) -> PlanProblem:
    return PlanProblem(
        severity=severity,
        code=code,
        message=message,
        source=row.source,
        row_ref=row.ref,
        text=text,
        hint=hint,
    )


def _lead(row: PlanRow) -> Iterator[PlanProblem]:
    if not row.lead.strip():
        yield _problem(
            row,
            "error",
            "no-lead",
            f"Dòng {row.ref} chưa có cơ quan, đơn vị chủ trì.",
            _shorten(row.task),
            "Ghi tên đơn vị chủ trì vào cột “Chủ trì”: đây là nơi được nhắc việc đầu tiên.",
        )


def _timing(row: PlanRow, year: int, timing_problem: TimingProblem | None) -> Iterator[PlanProblem]:
    if not row.timing.strip():
        yield _problem(
            row,
            "error",
            "no-timing",
            f"Dòng {row.ref} chưa có thời gian thực hiện.",
            _shorten(row.task),
            "Ghi thời gian, ví dụ “Tháng 01/2024”, “Trước ngày 30/11 hằng năm”, “Thường xuyên”.",
        )
        return
    reason = timing_problem(row.timing, year) if timing_problem else None
    if reason:
        yield _problem(
            row,
            "error",
            "unreadable-timing",
            f"Dòng {row.ref}: không hiểu thời gian thực hiện “{row.timing}”: {reason}",
            row.timing,
            "Viết theo các mẫu như “Tháng 01/2024”, “Quý I/2024”, “Trước ngày 15/6”, "
            "“Định kỳ 6 tháng”, “Hằng năm”, “Thường xuyên”.",
        )


_STALE_HINT = (
    "Nếu chép từ kế hoạch cũ, sửa thành năm {year}; nếu cố ý "
    "(ví dụ việc bắt đầu từ cuối năm trước) thì bỏ qua cảnh báo này."
)


def _stale_years(text: str, year: int) -> Iterator[tuple[int, str]]:
    """(year, the clause quoting it) for each nearby year other than the plan's own."""
    for match in _YEAR.finditer(text):
        found = int(match.group(1))
        if found != year and abs(found - year) <= _NEAR_YEARS:
            yield found, _clause(text, match.start(), match.end())


def _other_years(row: PlanRow, year: int) -> Iterator[PlanProblem]:
    reported: set[tuple[int, str]] = set()
    for field, text in _texts(row):
        for found, quote in _stale_years(text, year):
            if (found, quote) in reported:
                continue
            reported.add((found, quote))
            yield _problem(
                row,
                "warning",
                "stale-year",
                f"Dòng {row.ref} ({_FIELD_NAMES[field]}) ghi năm {found}, "
                f"khác năm của kế hoạch ({year}).",
                quote,
                _STALE_HINT.format(year=year),
            )


def _objective_years(objective: Objective, year: int) -> Iterator[PlanProblem]:
    for found, quote in dict.fromkeys(_stale_years(objective.text, year)):
        yield PlanProblem(
            severity="warning",
            code="stale-year",
            message=f"Mục tiêu chất lượng {objective.number} ghi năm {found}, "
            f"khác năm của kế hoạch ({year}).",
            row_ref=f"MTCL {objective.number}",
            text=quote,
            hint=_STALE_HINT.format(year=year),
        )


def _texts(row: PlanRow) -> Iterator[tuple[str, str]]:
    yield "task", row.task
    yield "lead", row.lead
    yield "coordinating", row.coordinating
    yield "timing", row.timing
    yield "monitors", row.monitors
    for item in row.evidence:
        yield "evidence", item


def _evidence(row: PlanRow) -> Iterator[PlanProblem]:
    if not row.evidence:
        yield _problem(
            row,
            "warning",
            "no-evidence",
            f"Dòng {row.ref} chưa ghi cách thức theo dõi và kết quả.",
            _shorten(row.task),
            "Ghi sản phẩm chứng minh việc đã xong: quyết định, báo cáo, biên bản, sổ theo dõi…",
        )


def _duplicate(row: PlanRow, original: PlanRow) -> PlanProblem:
    return _problem(
        row,
        "warning",
        "duplicate-row",
        f"Dòng {row.ref} trùng với dòng {original.ref} ({original.source.describe()}).",
        _shorten(row.task),
        "Xóa một trong hai dòng, hoặc sửa nội dung để phân biệt chúng.",
    )


def _clause(text: str, start: int, end: int) -> str:
    """The part of `text` around a match, between separators, as short as is readable."""
    left = max(text.rfind(";", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(";", end), text.find("\n", end)) if i != -1]
    right = min(stops, default=len(text))
    margin = _QUOTE_CHARS // 2
    if right - left > _QUOTE_CHARS:
        left, right = max(left, start - margin), min(right, end + margin)
    return " ".join(text[left:right].split())


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else f"{text[: _QUOTE_CHARS - 1]}…"


def problem_counts(problems: list[PlanProblem]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for problem in problems if problem.severity == "error")
    return errors, len(problems) - errors
