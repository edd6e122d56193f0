"""The timing-phrase compiler: "Thời gian thực hiện" -> a typed Schedule -> dated deadlines.

The language is written down in one place, grammar.lark, read top to bottom. A phrase
goes through:

    words.py, marks.py, lexer.py, shape.py   text -> the grammar's terminals
    parser.py + grammar.lark                  Lark LALR parse
    reading.py, read_how.py                   Transformer: one method per grammar rule -> Parts
    build.py, clause.py, recurring.py,        Parts -> typed rules, with every guess written
    spans.py, points.py                         into Schedule.assumptions
    rules_dated.py, rules_repeat.py,          one frozen dataclass per rule kind: to_json,
    rules_event.py                              from_json, describe (Vietnamese), expand
    schedule.py, expand.py                    the Schedule; dated Deadlines for a plan year

How to add a form (e.g. "cuối mỗi học kỳ"):
  1. Grammar: add one alternative to the rule it belongs to in grammar.lark, with an alias
     (`| CUOI HANG HK -> every`). If it needs a new word, add it to KEYWORDS in vocab.py
     with its terminal, and `%declare` the terminal at the end of the grammar.
  2. Builder: add the Transformer method named like the alias (reading.py for times,
     read_how.py for cadences and events) returning a Part; if the Part is a new kind,
     read it in clause.py (one-offs) or recurring.py (cadences). A new rule kind is a
     frozen dataclass in rules_*.py, registered in schedule.RULE_TYPES.
  3. One test line: the phrase, its source, the plan year and the reading you expect in
     tests/rules/data/real_phrases.tsv (or a form test in tests/rules/test_timing_forms.py).
  Run `python -m pytest tests/rules -q`; Lark reports a conflicting rule at import time.

Readings chosen (each also written into Schedule.assumptions when it applies):

- "Trước ngày 15/6" means what it says: the deadline is the last working day strictly
  before 15/6. "Chậm nhất ngày", "đến hết ngày", "hạn", "ngày 15 hằng tháng" are
  inclusive. "Trước tháng 11/2022" is due before 1/11/2022.
- A period's deadline is its last working day (TimingOptions.period_deadline); a named
  date on a day off moves per the calendar, or per the phrase's own "nếu trùng ngày nghỉ
  thì …" (next, previous or nearest working day), which covers the whole phrase.
- A date or month without a year is in the plan year (in a school-year plan, months from
  TimingOptions.school_year_start on are in the first year, the others in the second).
  A trailing "hằng năm" covers every date before it on the same line.
- A range is one window ("T3-T4/2025", "Quý II/2025 – Quý III/2025", "05/6 – 20/7/2025"),
  never two one-off dates; "Từ năm 2025 trở đi" is ongoing from then; "từ nay đến hết
  năm" starts on TimingOptions.plan_date.
- "N lần/năm" that matches a cadence is that cadence (2 lần/năm = 6 tháng/lần); other
  counts (03 lần/năm) are spread evenly over the year; "tối thiểu/tối đa" is said in the
  description and the deadlines are those of the count itself.
- "Tuần thứ N của tháng" is days 7N-6 to 7N; "thứ Năm tuần thứ 4" is the 4th Thursday.
- Lunar dates ("Rằm tháng Bảy", "mùng 1 hằng tháng (âm lịch)") use Vietnam's calendar;
  "Sau Tết Nguyên đán" is from Tết to Rằm tháng Giêng; a Gregorian date with a lunar one
  in parentheses is due on the Gregorian date, and a mismatch is reported.
- "Thường xuyên" has no hard deadline; it gets check-ins at options.ongoing_checkin.
  "Định kỳ" alone, with no cadence, is an error (the office has to say how often).
- "Sau hoạt động ĐGNB" with no number of days is due options.after_event_working_days
  working days after the event; an event the plan cannot see ("sau khi nhận được phản
  ánh") is a named trigger started by hand.

Nothing unreadable is ever "no deadline": such a phrase raises TimingError.
"""

from __future__ import annotations

from functools import lru_cache

from rules.timing.build import Builder
from rules.timing.describe import BEFORE_READING
from rules.timing.events import event_matches
from rules.timing.expand import deadlines, rule_deadlines
from rules.timing.hints import closest_form
from rules.timing.lexer import Lexer
from rules.timing.model import Deadline, TimingError, TimingOptions
from rules.timing.parser import load_parser_tables, parse, parser_tables, tables_key
from rules.timing.schedule import Rule, Schedule, rule_from_json
from rules.timing.shape import to_tokens
from rules.timing.words import normalise

__all__ = [
    "Deadline",
    "Rule",
    "Schedule",
    "TimingError",
    "TimingOptions",
    "clear_cache",
    "compile_phrase",
    "compile_uncached",
    "deadlines",
    "event_matches",
    "load_parser_tables",
    "parser_tables",
    "rule_deadlines",
    "rule_from_json",
    "tables_key",
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
        raise TimingError(
            phrase,
            (0, len(phrase)),
            "chưa ghi thời gian thực hiện",
            "ví dụ «Tháng 01/2024», «Hằng quý», «Thường xuyên»",
        )
    if len(phrase) > _LONGEST_PHRASE:
        raise TimingError(
            phrase,
            (_LONGEST_PHRASE, len(phrase)),
            "cụm thời gian quá dài",
            "Tách thành các dòng ngắn, mỗi dòng một hạn",
        )
    lexer = Lexer(phrase)
    tokens = to_tokens(phrase, lexer.run())
    if not tokens:
        raise TimingError(
            phrase,
            (0, len(phrase)),
            "không thấy thời hạn nào",
            f"Cách viết gần nhất được hiểu: «{closest_form(phrase)}»",
        )
    builder = Builder(phrase, year, options)
    rules = builder.rules(parse(phrase, tokens))
    if not rules:
        raise TimingError(
            phrase,
            (0, len(phrase)),
            "không thấy thời hạn nào",
            f"Cách viết gần nhất được hiểu: «{closest_form(phrase)}»",
        )
    assumptions = [*lexer.fixes, *builder.assumptions]
    if any(getattr(rule, "before", False) for rule in rules):
        assumptions.append(BEFORE_READING)
    return Schedule(
        phrase=phrase,
        year=year,
        rules=tuple(rules),
        note="; ".join(lexer.notes),
        assumptions=tuple(dict.fromkeys(assumptions)),
        options=options,
    )
