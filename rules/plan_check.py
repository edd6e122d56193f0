"""What a person should fix in a plan before nhacviec runs it: the one list of plan problems.

`plan check`, `run` (at start, into the log and the QMR's digest) and `simulate` all call
`check_plan`, so each fault has one message wherever it shows. Errors stop a row from
being scheduled (no lead to remind, no timing to compile, a name not in the directory, a
column the whole plan lacks); warnings point at text that is probably wrong (a year
copied from last year's plan, no evidence to close a row, the same row twice, a row the
importer could not place). Each problem quotes the text, says where it is and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from rules.directory import Directory, Resolution
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
    "kpi": "chỉ tiêu",
}


def check_plan(
    plan: Plan,
    *,
    timing_problem: TimingProblem | None = None,
    directory: Directory | None = None,
    overrides: dict[str, str] | None = None,
) -> list[PlanProblem]:
    """Every problem of the plan: what the import found, then row by row in document order.

    `timing_problem(text, year)` returns why a timing phrase cannot be compiled, or None;
    without it, timing phrases are only checked for being present. With a `directory`,
    the names in the lead, coordinating and monitors columns are resolved too.
    `overrides` are the config's schedules by row ref, checked instead of the row's text.
    A column the plan lacks is said once, not again on every row.
    """
    overrides = overrides or {}
    first_seen: dict[str, PlanRow] = {}
    problems: list[PlanProblem] = list(plan.import_problems)
    for objective in plan.objectives:
        problems.extend(_objective_years(objective, plan))
    for row in plan.rows:
        problems.extend(_lead(row))
        timing = overrides.get(row.ref, row.timing)
        if timing.strip() or "timing" not in plan.missing_columns:
            problems.extend(_timing(row, timing, plan.year, timing_problem))
        if directory is not None:
            problems.extend(_names(row, directory))
        problems.extend(_other_years(row, plan))
        if "evidence" not in plan.missing_columns:
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


def _timing(
    row: PlanRow, timing: str, year: int, timing_problem: TimingProblem | None
) -> Iterator[PlanProblem]:
    if not timing.strip():
        yield _problem(
            row,
            "error",
            "no-timing",
            f"Dòng {row.ref} chưa có thời gian thực hiện.",
            _shorten(row.task),
            "Ghi thời gian, ví dụ “Tháng 01/2024”, “Trước ngày 30/11 hằng năm”, “Thường xuyên”.",
        )
        return
    reason = timing_problem(timing, year) if timing_problem else None
    if reason:
        yield _problem(
            row,
            "error",
            "unreadable-timing",
            f"Dòng {row.ref}: không đọc được thời gian thực hiện “{timing}”: {reason}",
            timing,
            "Viết theo các mẫu như “Tháng 01/2024”, “Quý I/2024”, “Trước ngày 15/6”, "
            "“Định kỳ 6 tháng”, “Hằng năm”, “Thường xuyên”; hoặc ghi lịch cho dòng này "
            f'trong config.toml: [plans.schedules] "{row.ref}" = "…"',
        )


_NAME_COLUMNS = (("lead", "Chủ trì"), ("coordinating", "Phối hợp"),
                 ("monitors", "Trách nhiệm theo dõi"))  # fmt: skip


def _names(row: PlanRow, directory: Directory) -> Iterator[PlanProblem]:
    for field, column in _NAME_COLUMNS:
        text = getattr(row, field)
        yield from _unresolved(row, column, text, directory.resolve(text))


def _unresolved(
    row: PlanRow, column: str, text: str, resolution: Resolution
) -> Iterator[PlanProblem]:
    for part in resolution.unresolved:
        close = resolution.suggestions.get(part, ())
        hint = "Gần giống: " + ", ".join(f"«{c}»" for c in close) + ". " if close else ""
        yield _problem(
            row,
            "error",
            "unresolved-name",
            f"Cột «{column}» của dòng {row.ref} có tên không có trong danh bạ: «{part}».",
            text,
            hint + "Thêm tên này (hoặc bí danh) vào [[units]], [[groups]] hoặc [[roles]] "
            "trong config.toml.",
        )


_STALE_HINT = (
    "Nếu chép từ kế hoạch cũ, sửa thành {year}; nếu cố ý "
    "(ví dụ việc bắt đầu từ cuối năm trước) thì bỏ qua cảnh báo này."
)


def _stale_years(text: str, plan: Plan) -> Iterator[tuple[int, str]]:
    """(year, the clause quoting it) for each nearby year outside the plan's span."""
    years = plan.years
    for match in _YEAR.finditer(text):
        found = int(match.group(1))
        distance = min(abs(found - years.start), abs(found - (years.stop - 1)))
        if found not in years and distance <= _NEAR_YEARS:
            yield found, _clause(text, match.start(), match.end())


def _span_name(plan: Plan) -> str:
    """How the message names the plan's time: "2024", "năm học 2025–2026", "giai đoạn …"."""
    first, last = plan.years.start, plan.years.stop - 1
    if plan.kind == "school-year":
        return f"năm học {first}–{last}"
    if plan.kind == "period":
        return f"giai đoạn {first}–{last}"
    return str(plan.year)


def _span_words(plan: Plan) -> str:
    name = _span_name(plan)
    return f"năm {name}" if plan.kind == "year" else name


def _other_years(row: PlanRow, plan: Plan) -> Iterator[PlanProblem]:
    reported: set[tuple[int, str]] = set()
    for field, text in _texts(row):
        for found, quote in _stale_years(text, plan):
            if (found, quote) in reported:
                continue
            reported.add((found, quote))
            yield _problem(
                row,
                "warning",
                "stale-year",
                f"Dòng {row.ref} ({_FIELD_NAMES[field]}) ghi năm {found}, "
                f"khác năm của kế hoạch ({_span_name(plan)}).",
                quote,
                _STALE_HINT.format(year=_span_words(plan)),
            )


def _objective_years(objective: Objective, plan: Plan) -> Iterator[PlanProblem]:
    for found, quote in dict.fromkeys(_stale_years(objective.text, plan)):
        yield PlanProblem(
            severity="warning",
            code="stale-year",
            message=f"Mục tiêu chất lượng {objective.number} ghi năm {found}, "
            f"khác năm của kế hoạch ({_span_name(plan)}).",
            row_ref=f"MTCL {objective.number}",
            text=quote,
            hint=_STALE_HINT.format(year=_span_words(plan)),
        )


def _texts(row: PlanRow) -> Iterator[tuple[str, str]]:
    yield "task", row.task
    yield "lead", row.lead
    yield "coordinating", row.coordinating
    yield "timing", row.timing
    yield "monitors", row.monitors
    yield "kpi", row.kpi
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
