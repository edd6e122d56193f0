"""Real "Thời gian thực hiện" phrases from public documents (data/real_phrases.tsv), each read
as its `expected` column says: kinds, the number of deadlines in the plan year, the first
due dates and the first opening day, or a known refusal ("refuse: <reason>") whose error
names the part not understood. Plus JSON round trips and spelling variants for all of them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from rules.calendar import WorkingCalendar
from rules.timing import Schedule, TimingError, compile_phrase, deadlines
from rules.timing.words import strip_diacritics

CALENDAR = WorkingCalendar()
DATA = Path(__file__).parent / "data" / "real_phrases.tsv"


@dataclass(frozen=True)
class Case:
    phrase: str
    source: str
    year: int
    expected: str

    @property
    def refused(self) -> bool:
        return self.expected.startswith("refuse:")

    def fields(self) -> dict[str, str]:
        return dict(part.strip().split("=", 1) for part in self.expected.split(";"))


def _cases() -> list[Case]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Case(r["phrase"], r["source"], int(r["year"]), r["expected"]) for r in reader]


CASES = _cases()
READ = [case for case in CASES if not case.refused]


def test_it_has_a_real_corpus() -> None:
    assert len(CASES) >= 200
    assert all(case.source.startswith("http") for case in CASES)
    assert len({case.phrase for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.phrase[:50])
def test_it_reads_every_real_phrase_as_expected(case: Case) -> None:
    if case.refused:
        with pytest.raises(TimingError) as caught:
            compile_phrase(case.phrase, case.year)
        error = caught.value
        assert error.part and error.message, case.phrase
        assert " ".join(case.phrase.split()) in " ".join(str(error).split())
        return
    schedule = compile_phrase(case.phrase, case.year)
    dated = deadlines(schedule, case.year, CALENDAR)
    fields = case.fields()
    assert "+".join(rule.kind for rule in schedule.rules) == fields["kinds"]
    assert len(dated) == int(fields["n"])
    if "due" in fields:
        expected = [date.fromisoformat(day) for day in fields["due"].split(",")]
        assert [d.due for d in dated[: len(expected)]] == expected
    if "opens" in fields:
        assert dated[0].opens == date.fromisoformat(fields["opens"])


@pytest.mark.parametrize("case", READ, ids=lambda case: case.phrase[:50])
def test_it_round_trips_every_schedule_through_json(case: Case) -> None:
    schedule = compile_phrase(case.phrase, case.year)
    stored = json.loads(json.dumps(schedule.to_json(), ensure_ascii=False))
    assert Schedule.from_json(stored) == schedule


def _variants(phrase: str) -> list[str]:
    swapped = (
        phrase.replace("hàng", "hằng").replace("Hàng", "Hằng")
        if "àng" in phrase
        else (phrase.replace("hằng", "hàng").replace("Hằng", "Hàng"))
    )
    return [
        swapped,
        phrase.upper(),
        "  ".join(phrase.split(" ")),
        phrase.replace("-", "–"),
        f"- {phrase}.",
        phrase.lower(),
    ]


@pytest.mark.parametrize("case", READ, ids=lambda case: case.phrase[:50])
def test_it_reads_spelling_variants_of_every_phrase_alike(case: Case) -> None:
    expected = [
        (d.key, d.opens, d.due)
        for d in deadlines(compile_phrase(case.phrase, case.year), case.year, CALENDAR)
    ]
    for variant in _variants(case.phrase):
        got = deadlines(compile_phrase(variant, case.year), case.year, CALENDAR)
        assert [(d.key, d.opens, d.due) for d in got] == expected, variant


@pytest.mark.parametrize("case", READ, ids=lambda case: case.phrase[:50])
def test_it_reads_phrases_typed_without_diacritics_alike_or_refuses(case: Case) -> None:
    """Without diacritics some words merge ("sáu"/"sau"): a plain phrase reads the same or is
    refused, never read differently."""
    plain = strip_diacritics(case.phrase)
    try:
        got = deadlines(compile_phrase(plain, case.year), case.year, CALENDAR)
    except TimingError:
        return
    expected = deadlines(compile_phrase(case.phrase, case.year), case.year, CALENDAR)
    assert [(d.key, d.due) for d in got] == [(d.key, d.due) for d in expected]
