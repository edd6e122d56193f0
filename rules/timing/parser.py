"""grammar.lark, parsed with Lark's LALR parser over the lexer's tokens.

The parser is built once (it takes ~50 ms) and runs the Transformer inline, so no tree
is kept. A syntax error becomes a TimingError that names the word not understood.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

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


@cache
def _parser() -> Lark:
    grammar = resources.files("rules.timing").joinpath("grammar.lark").read_text("utf-8")
    # The Reader is stateless: its errors carry no phrase, parse() adds it.
    return Lark(grammar, start="phrase", parser="lalr", lexer=_Given, transformer=Reader())


class _Feed:
    """The tokens, as the LALR parser's lexer thread (it only calls lex())."""

    __slots__ = ("tokens",)

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    def lex(self, parser_state: Any) -> Any:
        return iter(self.tokens)


@cache
def _lalr() -> Any:
    """Lark's LALR parser itself: Lark.parse() would wrap our tokens in a lexer thread and
    check the start rule on every call, which costs more than parsing a short phrase."""
    return _parser().parser.parser.parser


def parse(phrase: str, tokens: list[Token]) -> list[list[list[Part]]]:
    """Lines of clauses of Parts. Raises TimingError."""
    try:
        return _lalr().parse(_Feed(tokens), "phrase")  # type: ignore[no-any-return]
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
        return TimingError(phrase, (before.start_pos, before.end_pos), message, hint)
    if at_end:
        end = len(phrase.rstrip())
        return TimingError(phrase, (max(0, end - 1), end), "cụm thời gian chưa trọn")
    assert token is not None
    shown = phrase[token.start_pos : token.end_pos]
    return TimingError(phrase, (token.start_pos, token.end_pos), f"không hiểu «{shown}»")
