"""The shape of a phrase: lines ("nhóm") of clauses ("vế"), and parenthesised remarks.

Lines break at new lines, semicolons, bullets and dashes that do not join two periods;
clauses break at commas, "/" (that is not part of a date or "6 tháng/lần"), "và",
"hoặc". A parenthesis either continues the clause ("6 tháng (trước ngày 1/6/2023)"),
repeats a number in words ("ngày 15 (mười lăm)"), or is a remark kept as the note.
"""

from __future__ import annotations

from bench.legacy_timing.clause import Clause
from bench.legacy_timing.items import Items
from bench.legacy_timing.lexer import Token
from bench.legacy_timing.model import TimingError
from bench.legacy_timing.vocab import KNOWN_WORDS

_SKIPPED = {"colon", "dot", "ellipsis", "rp"}


class _Structure:
    def __init__(self, phrase: str, tokens: list[Token]) -> None:
        self.phrase = phrase
        self.items = Items(phrase, tokens)
        self.groups: list[list[Clause]] = [[]]
        self.clause = Clause()
        self.notes: list[str] = []

    def run(self) -> tuple[list[list[Clause]], list[str]]:
        items = self.items
        while not items.at_end():
            token = items.peek()
            assert token is not None
            if token.kind in ("nl", "semi", "dash", "bullet"):
                self._end_group()
                items.pos += 1
            elif token.kind in ("comma", "slash") or token.is_word("va", "hoac", "hay"):
                self._end_clause()
                items.pos += 1
            elif token.kind in _SKIPPED:
                items.pos += 1
            elif token.kind == "lp":
                self._parenthesis()
            elif token.kind == "other":
                raise items.error_here(f"không hiểu ký tự «{token.text}»")
            else:
                self._item(token)
        self._end_group()
        return [group for group in self.groups if group], self.notes

    def _item(self, token: Token) -> None:
        if not self.items.parse_item(self.clause):
            culprit = self._first_unknown_word() or token
            raise self.items.error(culprit.start, culprit.end, f"không hiểu «{culprit.text}»")
        if self.clause.start is None:
            self.clause.start = token.start
        self.clause.end = self.items.last_end

    def _first_unknown_word(self) -> Token | None:
        """In "Hàng quýy", "Hàng" is fine and "quýy" is the word to point at."""
        for token in self.items.tokens[self.items.pos:]:
            if token.kind not in ("word", "num"):
                return None
            if token.kind == "word" and token.key not in KNOWN_WORDS:
                return token
        return None

    def _end_clause(self) -> None:
        if not self.clause.is_empty:
            self.groups[-1].append(self.clause)
        self.clause = Clause()

    def _end_group(self) -> None:
        self._end_clause()
        if self.groups[-1]:
            self.groups.append([])

    def _parenthesis(self) -> None:
        items = self.items
        opening = items.take()[0]
        depth, index = 1, items.pos
        while index < len(items.tokens) and depth:
            depth += {"lp": 1, "rp": -1}.get(items.tokens[index].kind, 0)
            index += 1
        closed = depth == 0
        inner = items.tokens[items.pos:index - 1 if closed else index]
        closing = items.tokens[index - 1].start if closed else len(self.phrase)
        items.pos = index
        if not inner:
            return
        text = self.phrase[opening.end:closing].strip()
        if self._number_echo(inner):
            return
        try:
            self.clause = self._continue_clause(inner)
        except TimingError:
            if _looks_timed(inner):
                raise
            self.notes.append(text)

    def _number_echo(self, inner: list[Token]) -> bool:
        """"ngày 15 (mười lăm)": the number again, in words. It must agree."""
        reader = Items(self.phrase, inner)
        value = reader.number()
        if value is None or not reader.at_end() or self.clause.last_number is None:
            return False
        if value != self.clause.last_number:
            raise reader.error(inner[0].start, inner[-1].end,
                               f"số viết bằng chữ ({value}) không khớp với số "
                               f"{self.clause.last_number}", "Ngày 15 (mười lăm) hằng tháng")
        return True

    def _continue_clause(self, inner: list[Token]) -> Clause:
        trial = self.clause.copy()
        reader = Items(self.phrase, inner)
        while not reader.at_end():
            token = reader.peek()
            assert token is not None
            if token.kind in _SKIPPED:
                reader.pos += 1
                continue
            if (token.kind != "word" and token.kind != "num") or not reader.parse_item(trial):
                raise reader.error_here(f"không hiểu «{token.text}» trong ngoặc")
            if trial.start is None:
                trial.start = token.start
        trial.end = max(trial.end, inner[-1].end)
        return trial


def _looks_timed(inner: list[Token]) -> bool:
    """Does a remark we could not read carry a deadline? Then it must not become a note."""
    for index, token in enumerate(inner):
        if token.is_word("truoc", "han") or (token.is_word("cham") and index + 1 < len(inner)
                                            and inner[index + 1].is_word("nhat")):
            return True
        glued = index + 2 < len(inner) and inner[index + 1].kind in ("slash", "dot") \
            and not inner[index + 1].spaced and inner[index + 2].kind == "num"
        if token.kind == "num" and glued:
            return True
    return False


def parse(phrase: str, tokens: list[Token]) -> tuple[list[list[Clause]], list[str]]:
    """Lines of clauses, and the remarks found in parentheses."""
    return _Structure(phrase, tokens).run()
