"""The Parts of one clause, and what the rule builders of other modules may ask of a clause.

Kept apart from rules.timing.clause so that the builders it calls (after, recurring, spans)
can name these types without importing the module that imports them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from rules.timing.model import TimingError, TimingOptions
from rules.timing.reading import Part

_NOT_TIMING = frozenset({"label", "cond", "lunar_check", "solar"})


class Bag:
    """The Parts of one clause, by kind."""

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts
        self.by: dict[str, list[Part]] = defaultdict(list)
        for part in parts:
            self.by[part.kind].append(part)
        self.kinds = frozenset(self.by)
        self.on_day_off: str | None = None
        self.shared_cadence: str | None = None
        self.labels: list[str] = (
            [p.value for p in self.by["label"]] if "label" in self.kinds else []
        )

    def first(self, kind: str) -> Part | None:
        if kind not in self.kinds:
            return None
        return self.by[kind][0]

    def has(self, *kinds: str) -> bool:
        return not self.kinds.isdisjoint(kinds)

    @property
    def start(self) -> int:
        return min(p.start for p in self.parts)

    @property
    def end(self) -> int:
        return max(p.end for p in self.parts)

    @property
    def is_label_only(self) -> bool:
        return all(p.kind == "label" for p in self.parts)

    def timing_kinds(self) -> frozenset[str]:
        return self.kinds - _NOT_TIMING


class Clause(Protocol):
    """What after.py and recurring.py use of rules.timing.clause.ClauseRules."""

    phrase: str
    year: int
    options: TimingOptions
    assumptions: list[str]

    def error(self, bag: Bag, message: str, hint: str | None = None) -> TimingError: ...

    def label(self, bag: Bag) -> str: ...
