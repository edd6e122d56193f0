"""The lexer's state and helpers: where it is in the raw tokens, what it emitted so far,
and the free text of an event or trigger (TEXT)."""

from __future__ import annotations

from typing import Any

from lark import Token

from rules.timing.marks import Marks
from rules.timing.model import TimingError
from rules.timing.words import Raw, raw_tokens

_TEXT_STOP = {"semi", "nl", "bullet", "slash", "lp", "rp", "cond"}
# After a comma, an event's text goes on ("khi có thay đổi về cơ cấu tổ chức, nhân sự")
# unless the next word starts a time ("sau ĐGNB, chậm nhất 10 ngày").
_TIMING_STARTS = {
    "truoc",
    "cham",
    "han",
    "hang",
    "moi",
    "dinh",
    "thuong",
    "dot",
    "tu",
    "den",
    "trong",
    "sau",
    "ngay",
    "thang",
    "quy",
    "nam",
    "tuan",
    "khi",
    "cuoi",
    "dau",
    "ke",
    "neu",
}
_TEXT_STOP_WORDS = {"hoac", "hay"}


def make_token(type_: str, value: Any, start: int, end: int) -> Token:
    """A Lark token; its text is left empty (values are dates, tuples and numbers, and Lark
    only looks at the type), which keeps the hot path cheap."""
    token = Token(type_, "", start, None, None, None, None, end)
    token.value = value
    return token


class LexerBase:
    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        self.fixes: list[str] = []
        self.marks = Marks(phrase)
        self.raws: list[Raw] = []
        self.out: list[Token] = []
        self.pos = 0

    @property
    def notes(self) -> list[str]:
        return self.marks.notes

    def run(self) -> list[Token]:
        self.raws = self.marks.run(raw_tokens(self.phrase, self.fixes))
        while self.pos < len(self.raws):
            self._step(self.raws[self.pos])
        return self.out

    # --- helpers ----------------------------------------------------------------------------
    def _peek(self, offset: int = 0) -> Raw | None:
        index = self.pos + offset
        return self.raws[index] if index < len(self.raws) else None

    def _peek_word(self, offset: int = 0) -> str:
        raw = self._peek(offset)
        return raw.key if raw is not None and raw.kind == "word" else ""

    def _emit(self, type_: str, value: Any, start: int, end: int) -> None:
        self.out.append(make_token(type_, value, start, end))

    def _last(self) -> str:
        return self.out[-1].type if self.out else ""

    def error(self, start: int, end: int, message: str, hint: str | None = None) -> TimingError:
        return TimingError(self.phrase, (start, end), message, hint)

    # --- one step -------------------------------------------------------------------------
    def _text(self) -> None:
        """The words of an event or trigger, as written, up to the end of the clause."""
        start = self.pos
        while self.pos < len(self.raws):
            raw = self.raws[self.pos]
            if (
                raw.kind in _TEXT_STOP
                or (raw.kind == "word" and raw.key in _TEXT_STOP_WORDS)
                or (raw.kind == "dash" and raw.spaced)
                or (
                    raw.kind == "comma"
                    and (
                        self._peek(1) is None
                        or self._peek(1).kind == "num"
                        or self._peek_word(1) in _TIMING_STARTS
                    )
                )
            ):
                break
            self.pos += 1
        if self.pos > start:
            first, last = self.raws[start], self.raws[self.pos - 1]
            text = " ".join(self.phrase[first.start : last.end].split()).strip(" .…")
            if text:
                self._emit("TEXT", text, first.start, last.end)
