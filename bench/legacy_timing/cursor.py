"""Walking the tokens: keyword sequences, numbers (digits or words), raw number groups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bench.legacy_timing.lexer import Token
from bench.legacy_timing.model import TimingError
from bench.legacy_timing.vocab import COMPOUND_UNITS, UNITS

# Words after which "năm" is the number five, not "year": "năm ngày làm việc".
_COUNTED = {"ngay", "thang", "lan", "tuan", "quy"}


@lru_cache(maxsize=512)
def _alternatives(keys: str) -> frozenset[str]:
    return frozenset(keys.split("|"))


@dataclass(frozen=True)
class NumberGroup:
    """Digits glued by / . - as written: "1/6/2023" -> (1, 6, 2023), ("/", "/")."""

    parts: tuple[int, ...]
    separators: tuple[str, ...]
    start: int
    end: int


class Cursor:
    def __init__(self, phrase: str, tokens: list[Token]) -> None:
        self.phrase = phrase
        self.tokens = tokens
        self.pos = 0

    # --- looking -------------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def at_words(self, *keys: str, offset: int = 0) -> bool:
        """Do the next words have these keys? A key may list alternatives: "hang|moi"."""
        index = self.pos + offset
        tokens = self.tokens
        if index < 0 or index + len(keys) > len(tokens):
            return False
        for alternatives in keys:
            token = tokens[index]
            if token.kind != "word" or token.key not in _alternatives(alternatives):
                return False
            index += 1
        return True

    def take(self, count: int = 1) -> list[Token]:
        taken = self.tokens[self.pos:self.pos + count]
        self.pos += count
        return taken

    def take_words(self, *keys: str) -> bool:
        if not self.at_words(*keys):
            return False
        self.pos += len(keys)
        return True

    @property
    def last_end(self) -> int:
        return self.tokens[self.pos - 1].end if self.pos else 0

    # --- failing -------------------------------------------------------------------------
    def error(self, start: int, end: int, message: str, hint: str | None = None) -> TimingError:
        return TimingError(self.phrase, (start, end), message, hint)

    def error_here(self, message: str, hint: str | None = None) -> TimingError:
        token = self.peek()
        if token is None:
            end = len(self.phrase.rstrip())
            return self.error(max(0, end - 1), end, message, hint)
        return self.error(token.start, token.end, message, hint)

    # --- numbers -------------------------------------------------------------------------
    def number(self) -> int | None:
        """A count written in digits ("06") or words ("sáu", "mười lăm"); advances."""
        token = self.peek()
        if token is None:
            return None
        if token.kind == "num":
            self.pos += 1
            return token.value
        return self._number_words()

    def _is_unit_word(self, offset: int) -> bool:
        token = self.peek(offset)
        if token is None or token.kind != "word" or token.key not in UNITS:
            return False
        if token.key == "nam":
            return self.at_words("|".join(_COUNTED), offset=offset + 1)
        if token.key == "sau":
            return self.is_six(offset)
        return True

    def is_six(self, offset: int = 0) -> bool:
        """"sáu" is six; "sau" is "after", unless written bare before "tháng"/"lần"."""
        token = self.peek(offset)
        if token is None or token.key != "sau":
            return False
        if token.norm == "sáu":
            return True
        following = self.peek(offset + 2)
        return (token.norm == "sau" and self.at_words("thang|lan", offset=offset + 1)
                and (following is None or following.kind != "num"))

    def _number_words(self) -> int | None:
        tens = 0
        if self.at_words("muoi"):
            tens, self.pos = 1, self.pos + 1
        elif self._is_unit_word(0) and self.at_words("muoi", offset=1):
            tens = UNITS[self.tokens[self.pos].key]
            self.pos += 2
        elif self._is_unit_word(0):
            self.pos += 1
            return UNITS[self.tokens[self.pos - 1].key]
        else:
            return None
        self.take_words("linh|le")
        token = self.peek()
        unit = self._compound_unit(token) if token is not None else None
        if unit is not None:
            self.pos += 1
            return tens * 10 + unit
        return tens * 10

    @staticmethod
    def _compound_unit(token: Token) -> int | None:
        """The unit after "mươi": "lăm", "mốt", "tư", "sáu"... ("mười năm" is ten years)."""
        if token.kind != "word" or token.key == "nam":
            return None
        if token.key == "tu":
            return None if token.norm == "từ" else 4
        if token.key == "sau":
            return 6
        return COMPOUND_UNITS.get(token.key, UNITS.get(token.key))

    def number_group(self) -> NumberGroup | None:
        """Digits joined by / . - ("15/6", "20.7.2020", "2-3/2024", "15 / 6"); advances."""
        first = self.peek()
        if first is None or first.kind != "num":
            return None
        parts, separators = [first.value], []
        index = self.pos + 1
        while index + 1 < len(self.tokens):
            sep, num = self.tokens[index], self.tokens[index + 1]
            # "15 / 6" is still a date; a spaced dash or dot is punctuation.
            glued = sep.kind == "slash" or not (sep.spaced or num.spaced)
            if sep.kind not in ("slash", "dot", "dash") or num.kind != "num" or not glued:
                break
            separators.append({"slash": "/", "dot": ".", "dash": "-"}[sep.kind])
            parts.append(num.value)
            index += 2
        self.pos = index
        return NumberGroup(tuple(parts), tuple(separators), first.start, self.last_end)
