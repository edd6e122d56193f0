"""The lexer: a phrase -> the terminals grammar.lark is written in.

Three passes: words.py splits the text into words, numbers and marks; marks.py takes out
parentheses and day-off rules; this module glues digits into dates, matches keywords
(longest first, on stripped keys), reads number words where a number is expected, and
makes the decisions that need one token of context on each side (a range dash or a
bullet, "sau" after or "sáu" six, "thứ hai" Monday or the second week). shape.py then
splits lines and clauses and merges labels. Nothing here knows what a phrase means.
"""

from __future__ import annotations

from typing import Any

from rules.timing.dates import classify_group, written_years, year_in_range
from rules.timing.keywords import _SLASH_UNITS, KeywordLexer
from rules.timing.marks import number_words
from rules.timing.vocab import (
    BOUNDS,
    FILLERS,
    KEYWORDS,
    LABELS,
    LONGEST_KEYWORD,
    LONGEST_LABEL,
    ROMAN,
    UNITS,
)
from rules.timing.words import Raw

_UNIT_AFTER = {"lan", "thang", "ngay", "tuan", "quy"}
# Labels are shown ("Báo cáo"); fillers ("hoàn thành", "vào") are dropped.
_LABELS_AND_FILLERS: dict[tuple[str, ...], str] = {**dict.fromkeys(FILLERS, ""), **LABELS}
# First words, to skip the longest-match search for words that start nothing (the hot path).
# One table for the longest match: a keyword wins over a label of the same words.
_WORD_TABLE: dict[tuple[str, ...], tuple[bool, str]] = {
    **{words: (False, display) for words, display in _LABELS_AND_FILLERS.items()},
    **{words: (True, terminal) for words, terminal in KEYWORDS.items()},
}
_WORD_STARTS = frozenset(words[0] for words in _WORD_TABLE)
_LONGEST_WORDS = max(LONGEST_KEYWORD, LONGEST_LABEL)
_MARKS = {
    "comma": "comma",
    "semi": "linesep",
    "nl": "linesep",
    "bullet": "linesep",
    "dash": "dash",
    "and": "and",
}
# "_kw_thang" handles THANG: looked up once here, not by name on every keyword.
_HANDLERS = {
    name[4:].upper(): method
    for name, method in vars(KeywordLexer).items()
    if name.startswith("_kw_")
}
_NUMBER_STARTS = frozenset({*UNITS, "muoi"})


class Lexer(KeywordLexer):
    def _step(self, raw: Raw) -> None:
        kind = raw.kind
        if kind == "num":
            self._numbers()
        elif kind == "word":
            self._words(raw)
        elif kind == "slash":
            self._slash(raw)
        elif kind in _MARKS:
            self._emit(_MARKS[kind], None, raw.start, raw.end)
            self.pos += 1
        elif kind == "cond":
            self._emit("COND", raw.key or None, raw.start, raw.end)
            self.pos += 1
        elif kind == "lunarcheck":
            day, month, date_end = (int(part) for part in raw.key.split("/"))
            self._emit("LUNARCHECK", (day, month, date_end), raw.start, raw.end)
            self.pos += 1
        elif kind == "other":
            raise self.error(raw.start, raw.end, f"không hiểu ký tự «{raw.text}»")
        else:  # colon, dot, ellipsis: punctuation
            self.pos += 1

    def _numbers(self) -> None:
        """Digits glued by / . - ("15/6", "20.7.2020", "2-3/2024") as one date-like lexeme."""
        first = self.raws[self.pos]
        following = self._peek(1)
        if (
            self._last() in ("labelword", "unknown")
            and following is not None
            and following.kind == "colon"
        ):  # "Đợt 1:", "Giai đoạn 2:" name the part
            self._emit("unknown", first.text, first.start, first.end)
            self.pos += 1
            return
        parts, seps = [first.value], []
        index = self.pos + 1
        while index + 1 < len(self.raws):
            sep, num = self.raws[index], self.raws[index + 1]
            # "15 / 6" is still a date; a spaced dash or dot is punctuation or a range.
            glued = sep.kind == "slash" or not (sep.spaced or num.spaced)
            if sep.kind not in ("slash", "dot", "dash") or num.kind != "num" or not glued:
                break
            parts.append(num.value)
            seps.append({"slash": "/", "dot": ".", "dash": "-"}[sep.kind])
            index += 2
        end = self.raws[index - 1].end
        self.pos = index
        for type_, value, start, stop in classify_group(self.phrase, parts, seps, first.start, end):
            self._check_years(written_years(type_, value), start, stop)
            self._emit(type_, value, start, stop)

    def _check_years(self, years: tuple[int, ...], start: int, end: int) -> None:
        # A year like 99999 is a typing slip; reading it would make a date no calendar has.
        for year in years:
            if not year_in_range(year):
                raise self.error(start, end, f"năm {year} không hợp lệ", "Tháng 01/2024")

    def _slash(self, raw: Raw) -> None:
        following = self._peek(1)
        if following is not None and following.kind == "num" and len(following.text) == 4:
            self._check_years((int(following.text),), raw.start, following.end)
            self._emit("YSUF", following.value, raw.start, following.end)
            self.pos += 2
        elif self._peek_word(1) == "lan":
            self._emit("PERLAN", None, raw.start, following.end if following else raw.end)
            self.pos += 2
        elif self._peek_word(1) in _SLASH_UNITS:
            self._emit("PER", None, raw.start, raw.end)
            self.pos += 1
        else:
            self._emit("slash", None, raw.start, raw.end)
            self.pos += 1

    # --- words --------------------------------------------------------------------------------
    def _words(self, raw: Raw) -> None:
        if raw.key in ("t", "q") and self._glued_number(1):
            self._emit("THANG" if raw.key == "t" else "QUY", None, raw.start, raw.end)
            self.pos += 1
            return
        key = raw.key
        if (key in _NUMBER_STARTS and self._number_word(raw)) or (
            key in ROMAN and self._roman(raw)
        ):
            return
        match = self._longest(_WORD_TABLE, _WORD_STARTS, _LONGEST_WORDS)
        if match and match[1][0]:
            self._keyword(match[1][1], match[0])
        elif match:
            words, display = match[0], match[1][1]
            end = self.raws[self.pos + len(words) - 1].end
            if display:
                self._emit("labelword", display, raw.start, end)
            self.pos += len(words)
        else:
            self._emit("unknown", raw.text, raw.start, raw.end)
            self.pos += 1

    def _glued_number(self, offset: int) -> bool:
        following = self._peek(offset)
        return following is not None and following.kind == "num" and not following.spaced

    def _longest(
        self, table: dict[tuple[str, ...], Any], starts: frozenset[str], longest: int
    ) -> tuple[tuple[str, ...], Any] | None:
        raws = self.raws
        if raws[self.pos].key not in starts:
            return None
        keys: list[str] = []
        for raw in raws[self.pos : self.pos + longest]:
            if raw.kind != "word":
                break
            keys.append(raw.key)
        for size in range(len(keys), 0, -1):
            words = tuple(keys[:size])
            if words in table:
                return words, table[words]
        return None

    def _roman(self, raw: Raw) -> bool:
        after_dash = self._last() == "dash" and len(self.out) > 1 and self.out[-2].type == "ROMAN"
        if raw.key not in ROMAN or not (self._last() == "QUY" or after_dash):
            return False
        self._emit("ROMAN", ROMAN[raw.key], raw.start, raw.end)
        self.pos += 1
        return True

    def _number_word(self, raw: Raw) -> bool:
        """ "sáu tháng", "hai lần", "tháng Bảy", "mười lăm": number words where a number fits."""
        keys, norms = [], []
        for offset in range(4):
            word = self._peek(offset)
            if word is None or word.kind != "word":
                break
            keys.append(word.key)
            norms.append(word.norm)
        found = number_words(keys, norms)
        if found is None:
            return False
        value, used = found
        after = self._peek_word(used)
        last = self._last()
        if not self._number_fits(raw, value, used, after, last):
            return False
        beyond = self._peek(used + 1)
        if raw.key == "sau" and raw.norm == "sau" and beyond is not None and beyond.kind == "num":
            return False  # "sau tháng 10/2022": after, not six
        end = self.raws[self.pos + used - 1].end
        self._emit("NUM", value, raw.start, end)
        if keys[0] in ("gieng", "chap") or (last == "THANG" and keys[0] == "chap"):
            self._emit("AMLICH", None, raw.start, end)
        self.pos += used
        return True

    @staticmethod
    def _number_fits(raw: Raw, value: int, used: int, after: str, last: str) -> bool:
        if raw.key in ("gieng", "chap"):
            return last == "THANG"
        if raw.key == "sau" and used == 1:  # "sáu" six, "sau" after
            return (raw.norm == "sáu" and after in _UNIT_AFTER | {"nam"}) or (
                raw.norm == "sau" and after in ("thang", "lan") and last not in ("NUM",)
            )
        if raw.key == "tu" and used == 1:
            return raw.norm == "tư" and last == "THANG"
        if raw.key == "nam" and used == 1:
            return after in ("ngay", "lan", "tuan") and last not in (
                "HANG",
                "DAU",
                "CUOI",
                "GIUA",
                "NAM",
                "labelword",
                "unknown",
            )
        if last in ("THANG", "NGAY"):
            return value <= 31
        return after in _UNIT_AFTER or (used > 1 and after in ("nam",))

    def _keyword(self, type_: str, words: tuple[str, ...]) -> None:
        first = self.raws[self.pos]
        last_raw = self.raws[self.pos + len(words) - 1]
        self.pos += len(words)
        handler = _HANDLERS.get(type_)
        if handler is not None and handler(self, first, last_raw, words):
            return
        value = BOUNDS.get(words) if type_ == "BOUND" else None
        self._emit(type_, value, first.start, last_raw.end)

    # Keywords whose terminal depends on their neighbours. Each returns True when it emitted.
