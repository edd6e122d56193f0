"""grammar.lark, parsed with Lark's LALR parser over the lexer's tokens.

The parser is built once (it takes ~50 ms) and runs the Transformer inline, so no tree
is kept. A syntax error becomes a TimingError that names the word not understood.
"""

from __future__ import annotations

import hashlib
import io
import sys
from importlib import resources
from typing import Any

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from rules.timing.lexer_base import end_of, start_of
from rules.timing.model import TimingError
from rules.timing.read_how import Reader
from rules.timing.reading import Part

_MISSING_AFTER = {
    "TRUOC": ("thiếu ngày của hạn", "Trước ngày 15/6/2024, Chậm nhất ngày 20/7/2024"),
    "CHAMNHAT": ("thiếu ngày của hạn", "Trước ngày 15/6/2024, Chậm nhất ngày 20/7/2024"),
    "DEN": ("thiếu ngày của hạn", "Từ ngày 01/3/2024 đến hết ngày 15/3/2024"),
    "DENHET": ("thiếu ngày của hạn", "Từ ngày 01/3/2024 đến hết ngày 15/3/2024"),
    "SAU": ("thiếu sự kiện để tính hạn", "Sau hoạt động ĐGNB"),
    "KETU": (
        "thiếu mốc tính hạn (kể từ khi nào?)",
        "Trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB",
    ),
    "TU": ("thiếu ngày bắt đầu hoặc kết thúc", "Từ ngày 01/3/2024 đến hết ngày 15/3/2024"),
    "TRONGVONG": ("thiếu số ngày", "Trong vòng 03 ngày làm việc kể từ ngày nhận được phản ánh"),
}


class _Given(Lexer):
    """Hands Lark the tokens our lexer already made."""

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, data: Any, parser_state: Any = None) -> Any:
        tokens = data if isinstance(data, list) else getattr(data, "text", data)
        yield from tokens


_built: list[Lark] = []  # the parser, once built or loaded from tables


def _grammar() -> str:
    return resources.files("rules.timing").joinpath("grammar.lark").read_text("utf-8")


def _parser() -> Lark:
    if not _built:
        # The Reader is stateless: its errors carry no phrase, parse() adds it.
        _built.append(
            Lark(_grammar(), start="phrase", parser="lalr", lexer=_Given, transformer=Reader())
        )
    return _built[0]


def tables_key() -> str:
    """Names the parser tables of this grammar, Lark and Python: tables saved under one
    key are loaded only under the same key."""
    versions = f"{lark.__version__} {sys.version_info[0]}.{sys.version_info[1]}"
    return hashlib.sha256(f"{versions}\n{_grammar()}".encode()).hexdigest()[:24]


def parser_tables() -> bytes:
    """The LALR tables, to be kept by the caller: building them is most of a short
    command's start-up (about 0.3 s of CPU), loading them about 0.01 s."""
    saved = io.BytesIO()
    _parser().save(saved, {"transformer"})
    return saved.getvalue()


def load_parser_tables(tables: bytes) -> bool:
    """Use tables saved by parser_tables() under the same tables_key(); False when they
    cannot be read (the parser is then built as usual)."""
    if _built:
        return True
    try:
        loaded = Lark.__new__(Lark)._load(io.BytesIO(tables), transformer=Reader())
    except Exception:  # damaged or from another Lark: build instead
        return False
    _built.append(loaded)
    return True


class _Feed:
    """The tokens, as the LALR parser's lexer thread (it only calls lex())."""

    __slots__ = ("tokens",)

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    def lex(self, parser_state: Any) -> Any:
        return iter(self.tokens)


def _lalr() -> Any:
    """Lark's LALR parser itself: Lark.parse() would wrap our tokens in a lexer thread and
    check the start rule on every call, which costs more than parsing a short phrase."""
    if not _lalr_cache:
        _lalr_cache.append(_parser().parser.parser.parser)
    return _lalr_cache[0]


_lalr_cache: list[Any] = []


def parse(phrase: str, tokens: list[Token]) -> list[list[list[Part]]]:
    """Lines of clauses of Parts. Raises TimingError."""
    try:
        lines: list[list[list[Part]]] = _lalr().parse(_Feed(tokens), "phrase")  # Lark: Any
        return lines
    except UnexpectedInput as error:
        raise _syntax_error(phrase, tokens, error) from None
    except TimingError as error:
        raise TimingError(phrase, error.span, error.message, error._hint) from None


def _syntax_error(phrase: str, tokens: list[Token], error: UnexpectedInput) -> TimingError:
    token = error.token if isinstance(error, UnexpectedToken) else None
    at_end = token is None or token.type == "$END"
    index = (
        len(tokens)
        if at_end
        else next((i for i, t in enumerate(tokens) if t is token), len(tokens))
    )
    before = tokens[index - 1] if index else None
    if (
        before is not None
        and before.type in _MISSING_AFTER
        and (at_end or tokens[index].type.startswith("_"))
    ):
        message, hint = _MISSING_AFTER[before.type]
        return TimingError(phrase, (start_of(before), end_of(before)), message, hint)
    if at_end:
        end = len(phrase.rstrip())
        return TimingError(phrase, (max(0, end - 1), end), "cụm thời gian chưa trọn")
    assert token is not None
    shown = phrase[start_of(token) : end_of(token)]
    return TimingError(phrase, (start_of(token), end_of(token)), f"không hiểu «{shown}»")
