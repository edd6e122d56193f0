"""Timing-phrase compiler: 100,000 phrases with the repetition real plans have.

The headline figure is distinct phrases compiled per second without the cache, for the
Lark-grammar compiler and, in the same run and on the same phrases, the compiler before
issue 18 (a frozen copy in bench/legacy_timing/). CPU time of this process is measured
(best of several alternating rounds), so other load on the machine skews it less. The
real-phrase corpus of the tests is timed too.

A province's plans repeat a handful of cells ("Thường xuyên" in most rows) with small
variations in spelling, so the corpus draws the sample plans' phrases, weighted by how
often they occur, and spelling variants of them; a share of one-off phrases (other
dates and years) keeps the cache honest. Figures are printed, never asserted.
"""

from __future__ import annotations

import contextlib
import random
import time
from pathlib import Path
from typing import Any

from bench.legacy_timing import compile_uncached as legacy_compile
from rules.calendar import WorkingCalendar
from rules.timing import TimingError, clear_cache, compile_phrase, compile_uncached, deadlines
from rules.timing.words import strip_diacritics

COUNT = 100_000
# Phrase -> rows using it in the two sample plans (nam-dong-2024, giang-hai-2023).
SAMPLES: dict[str, int] = {
    "Thường xuyên": 20,
    "Thường xuyên;": 2,
    "Định kỳ/Thường xuyên": 2,
    "Hàng năm": 1,
    "Hằng năm": 1,
    "Tháng 01/2024": 2,
    "Tháng 2-3/2024": 1,
    "Định kỳ hàng tháng": 1,
    "Trước ngày 30 tháng 8 hàng năm (Tùy từng đơn vị, đảm bảo tần suất ĐGNB tối thiểu 01 "
    "lần/năm)": 1,
    "Định kỳ 6 tháng/lần hoặc đột xuất/sau hoạt động ĐGNB": 2,
    "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hàng năm": 1,
    "- Thường xuyên theo dõi; - Báo cáo định kỳ hàng quý": 4,
    "Tháng 01-02 năm 2023": 1,
    "Quý I năm 2023": 2,
    "Trước ngày 15/6 và trước 30/11 hằng năm": 1,
    "Tháng 12/2022 – Quý I/2023": 1,
    "Định kỳ hàng Quý": 1,
    "Tháng 01/2023": 2,
    "Tháng 12/2023": 1,
    "Tháng 10/2023": 1,
    "Trong năm 2023": 1,
    "- Kế hoạch: tháng 01/2023\n- Báo cáo: 6 tháng (trước ngày 1/6/2023), năm (trước ngày "
    "30/11/2023)": 1,
}
ONE_OFF_SHARE = 0.05


def _variants(phrase: str) -> list[str]:
    return [
        phrase,
        phrase.replace("hàng", "hằng"),
        strip_diacritics(phrase),
        phrase.upper(),
        f"- {phrase}",
        phrase + ".",
        "  ".join(phrase.split()),
    ]


def _one_off(rng: random.Random) -> str:
    month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.randint(2015, 2030)
    return rng.choice(
        [
            f"Tháng {month:02d}/{year}",
            f"Trước ngày {day}/{month} hằng năm",
            f"Chậm nhất ngày {day}.{month}.{year}",
            f"Quý {rng.randint(1, 4)}/{year}",
        ]
    )


def corpus(count: int = COUNT, seed: int = 2024) -> list[str]:
    rng = random.Random(seed)
    phrases = list(SAMPLES)
    weights = [SAMPLES[p] for p in phrases]
    drawn = []
    for _ in range(count):
        if rng.random() < ONE_OFF_SHARE:
            drawn.append(_one_off(rng))
        else:
            drawn.append(rng.choice(_variants(rng.choices(phrases, weights)[0])))
    return drawn


def _time(compile_one: Any, phrases: list[str]) -> tuple[float, int]:
    errors = 0
    started = time.perf_counter()
    for phrase in phrases:
        try:
            compile_one(phrase, 2024)
        except TimingError:
            errors += 1
    return time.perf_counter() - started, errors


REAL_PHRASES = Path(__file__).resolve().parents[1] / "tests" / "rules" / "data" / "real_phrases.tsv"
ROUNDS = 5


def _distinct_rate(compile_one: Any, phrases: list[str]) -> float:
    """Phrases per CPU second, the best of one round."""
    started = time.process_time()
    for phrase in phrases:
        with contextlib.suppress(Exception):
            compile_one(phrase, 2024)
    return len(phrases) / max(time.process_time() - started, 1e-9)


def compare(phrases: list[str]) -> tuple[float, float]:
    """(new, old) distinct phrases per second, alternating rounds, best of ROUNDS."""
    new = old = 0.0
    for _ in range(ROUNDS):
        new = max(new, _distinct_rate(compile_uncached, phrases))
        old = max(old, _distinct_rate(legacy_compile, phrases))
    return new, old


def _real_phrases() -> list[str]:
    lines = REAL_PHRASES.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t", 1)[0] for line in lines if line.strip()]


def main() -> dict[str, Any]:
    phrases = corpus()
    distinct = len(set(phrases))
    unique = list(dict.fromkeys(phrases))
    new_rate, old_rate = compare(unique)
    real = _real_phrases()
    real_new, real_old = compare(real)
    print(f"distinct phrases compiled per second (no cache, CPU time, best of {ROUNDS}):")
    print(
        f"  bench corpus ({len(unique):,} distinct): grammar {new_rate:,.0f}/s, before issue 18 "
        f"{old_rate:,.0f}/s (ratio {old_rate / new_rate:.2f})"
    )
    print(
        f"  real phrases ({len(real)}): grammar {real_new:,.0f}/s, before issue 18 "
        f"{real_old:,.0f}/s (ratio {real_old / real_new:.2f})"
    )
    clear_cache()
    cached_s, errors = _time(compile_phrase, phrases)
    uncached_s, _ = _time(compile_uncached, phrases)
    calendar = WorkingCalendar()
    schedules = [compile_phrase(p, 2024) for p in phrases[:10_000]]
    started = time.perf_counter()
    dated = sum(len(deadlines(s, 2024, calendar)) for s in schedules)
    expand_s = time.perf_counter() - started
    figures = {
        "phrases": len(phrases),
        "distinct": distinct,
        "errors": errors,
        "cached_s": round(cached_s, 3),
        "uncached_s": round(uncached_s, 3),
        "uncached_us_per_phrase": round(uncached_s / len(phrases) * 1e6, 1),
        "deadlines_10k_s": round(expand_s, 3),
        "deadlines_10k_count": dated,
    }
    print(f"compile {len(phrases):,} phrases ({distinct:,} distinct, {errors} unreadable)")
    print(f"  with cache (lru on text, year, options): {cached_s:.3f} s")
    print(
        f"  without cache:                           {uncached_s:.3f} s "
        f"({figures['uncached_us_per_phrase']} µs/phrase)"
    )
    print(f"deadlines() for 10,000 schedules ({dated:,} dates): {expand_s:.3f} s")
    return figures


if __name__ == "__main__":
    main()
