"""FROZEN COPY of the timing compiler before the Lark grammar (issue 18), kept only so
bench/bench_timing.py can measure old and new in the same run. Do not edit or import it
from product code.

The old timing-phrase compiler: "Thời gian thực hiện" -> a typed Schedule -> dated deadlines.

A small grammar, not a list of sample cells: the phrase is normalised (NFC; matched on
a diacritic-stripped form, so "hàng"/"hằng"/"hang" read alike), tokenised, split into
lines and clauses, and each clause is read as items — a period ("Tháng 01/2024",
"Quý I/2023", "6 tháng đầu năm"), a range ("Tháng 2-3/2024", "Tháng 12/2022 – Quý I/2023",
"từ ngày … đến hết ngày …"), a deadline ("trước ngày 15/6", "chậm nhất ngày 20.7.2020"),
a cadence ("hằng quý", "6 tháng/lần", "2 lần/năm"), "thường xuyên", "đột xuất",
"sau hoạt động ĐGNB", a label ("Báo cáo", "Kế hoạch:") and remarks in parentheses.

Readings chosen (each also written into Schedule.assumptions when it applies):

- "Trước ngày 15/6" means what it says: the deadline is the last working day strictly
  before 15/6 (14/6/2024, a Friday). Reminding a day early is harmless; reminding a day
  late is not, and an official who reads it as "by 15/6" loses nothing. "Chậm nhất ngày",
  "đến hết ngày", "hạn", "ngày 15 hằng tháng" are inclusive: due that day. "Trước tháng
  11/2022" is due before 1/11/2022.
- A period's deadline is its last working day (TimingOptions.period_deadline); a named
  date on a day off moves per the calendar (default: the working day before), or per the
  phrase's own "nếu trùng ngày nghỉ thì …".
- A date or month without a year is in the plan year. A trailing "hằng năm" covers every
  date before it on the same line ("trước ngày 15/6 và trước 30/11 hằng năm").
- "Báo cáo 6 tháng" without a date is the report on the first half: due at the end of
  June; "Báo cáo năm": at the end of the year.
- "Thường xuyên" has no hard deadline; it gets check-ins at options.ongoing_checkin.
  "Định kỳ/Thường xuyên" reads as "thường xuyên"; "Định kỳ" alone, with no cadence, is
  an error (the office has to say how often).
- "Sau hoạt động ĐGNB" with no number of days is due options.after_event_working_days
  working days after the event.

Nothing unreadable is ever "no deadline": such a phrase raises TimingError.
"""

from __future__ import annotations

from functools import lru_cache

from bench.legacy_timing.build import Builder
from bench.legacy_timing.describe import BEFORE_READING
from bench.legacy_timing.events import event_matches
from bench.legacy_timing.expand import deadlines, rule_deadlines
from bench.legacy_timing.hints import closest_form
from bench.legacy_timing.lexer import normalise, tokenize
from bench.legacy_timing.model import Deadline, Rule, Schedule, TimingError, TimingOptions
from bench.legacy_timing.parser import parse

__all__ = [
    "Deadline", "Rule", "Schedule", "TimingError", "TimingOptions", "clear_cache", "compile_phrase",
    "compile_uncached", "deadlines", "event_matches", "rule_deadlines",
]

_DEFAULT_OPTIONS = TimingOptions()
_LONGEST_PHRASE = 2000


def compile_phrase(text: str, year: int, options: TimingOptions | None = None) -> Schedule:
    """Read a "Thời gian thực hiện" cell for plan year `year`. Raises TimingError.

    Cached on (text, year, options): a plan repeats a handful of phrases many times.
    """
    return _compile_cached(text, year, options or _DEFAULT_OPTIONS)


@lru_cache(maxsize=4096)
def _compile_cached(text: str, year: int, options: TimingOptions) -> Schedule:
    return compile_uncached(text, year, options)


def clear_cache() -> None:
    """Forget compiled phrases (benchmarks; a changed vocabulary in a long-lived process)."""
    _compile_cached.cache_clear()


def compile_uncached(text: str, year: int, options: TimingOptions | None = None) -> Schedule:
    """compile_phrase without the cache (for benchmarks and tests)."""
    options = options or _DEFAULT_OPTIONS
    if not 1900 <= year <= 2200:
        raise ValueError(f"plan year out of range: {year}")
    phrase = normalise(text)
    if not phrase.strip():
        raise TimingError(phrase, (0, len(phrase)), "chưa ghi thời gian thực hiện",
                          "ví dụ «Tháng 01/2024», «Hằng quý», «Thường xuyên»")
    if len(phrase) > _LONGEST_PHRASE:
        raise TimingError(phrase, (_LONGEST_PHRASE, len(phrase)), "cụm thời gian quá dài",
                          "Tách thành các dòng ngắn, mỗi dòng một hạn")
    tokens, fixes = tokenize(phrase)
    groups, notes = parse(phrase, tokens)
    builder = Builder(phrase, year, options)
    rules = builder.rules(groups)
    if not rules:
        raise TimingError(phrase, (0, len(phrase)), "không thấy thời hạn nào",
                          f"Cách viết gần nhất được hiểu: «{closest_form(phrase)}»")
    assumptions = [*fixes, *builder.assumptions]
    if any(rule.before for rule in rules):
        assumptions.append(BEFORE_READING)
    return Schedule(
        phrase=phrase,
        year=year,
        rules=tuple(rules),
        note="; ".join(notes),
        assumptions=tuple(dict.fromkeys(assumptions)),
        options=options,
    )
