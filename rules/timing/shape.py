"""Last lexer pass: separators, range dashes, labels, then Lark tokens.

A dash between two periods is a range (TO); elsewhere it is a bullet, like a new line or a
";" (_LINESEP). "," "/" "hoặc" and "và" separate clauses (_CLAUSESEP), except "và"
between two days ("ngày 01 và 15"), which is AND. Words before the first timing word of a
clause name the activity (one LABEL: "Tiếp công dân", "Báo cáo"); known activity words
after it are labels too ("Thường xuyên theo dõi"); an unknown word after it is left as
UNKNOWN, which the grammar does not accept, so the error points at it.
"""

from __future__ import annotations

import itertools

from lark import Token

from rules.timing.lexer_base import make_token
from rules.timing.model import TimingError
from rules.timing.words import strip_diacritics

_ENDS = {
    "NUM",
    "YEAR",
    "DM",
    "DMY",
    "MY",
    "PAIR",
    "PAIR_Y",
    "PAIR_M",
    "ROMAN",
    "YSUF",
    "NAMYEAR",
    "HK",
    "YEARS",
}
_STARTS = _ENDS | {"THANG", "QUY", "NGAY", "NAMHOC", "TU"}
_SEPARATORS = {
    "comma": "CLAUSESEP",
    "slash": "CLAUSESEP",
    "HOAC": "CLAUSESEP",
    "linesep": "LINESEP",
}
_FREE_AFTER = {
    "ONGOING",
    "DINHKY",
}  # "Thường xuyên duy trì và cải tiến HTQLCL": what is done, not when
_WORDS = {"labelword", "unknown"}


def to_tokens(phrase: str, lexemes: list[Token]) -> list[Token]:
    tokens = _day_lists(_separators(phrase, _numbered_labels(phrase, lexemes)))
    return _checks_last(_labels(phrase, _open_ranges(_until_deadline(_years(tokens)))))


# Words whose number is part of a name, not a time: "lớp 10", "Điều 18", "Kỳ họp thứ 8".
_NUMBERED = {"lop", "khoa", "dieu", "khoan", "muc", "so", "dot", "vong", "phong", "thu", "hop"}


def _numbered_labels(phrase: str, tokens: list[Token]) -> list[Token]:
    """Before the first timing word of a clause, "lớp 10", "đầu cấp", "thứ 8" are the name."""
    if not any(token.type in _WORDS for token in tokens):
        return tokens
    out: list[Token] = []
    naming = True
    for index, token in enumerate(tokens):
        if token.type in ("comma", "linesep", "slash", "HOAC", "VA", "dash"):
            naming = True
        elif token.type not in _WORDS:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            previous = out[-1] if out else None
            named = (
                previous is not None
                and previous.type in _WORDS
                and (
                    (token.type == "NUM" and strip_key(previous) in _NUMBERED)
                    or (
                        token.type in ("DAU", "CUOI", "THU")
                        and following is not None
                        and following.type in _WORDS
                    )
                )
            )
            if naming and named:
                token = make_token(
                    "unknown",
                    phrase[token.start_pos : token.end_pos],
                    token.start_pos,
                    token.end_pos,
                )
            else:
                naming = False
        out.append(token)
    return out


def strip_key(token: Token) -> str:
    return strip_diacritics(str(token.value).split()[-1]) if token.value else ""


def _day_lists(tokens: list[Token]) -> list[Token]:
    """ "ngày 26 và 27/6/2025", "ngày 14, 15/10/2024": consecutive days are one span."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        days, end = [], index
        while (
            end < len(tokens)
            and tokens[end].type == "NUM"
            and end + 1 < len(tokens)
            and tokens[end + 1].type in ("CLAUSESEP", "AND")
        ):
            days.append(tokens[end].value)
            end += 2
        last = tokens[end] if days and end < len(tokens) else None
        if last is not None and last.type in ("DM", "DMY") and _consecutive([*days, last.value[0]]):
            month, year = last.value[1], last.value[2] if last.type == "DMY" else None
            out.append(
                make_token(
                    "PAIR_M",
                    (days[0], last.value[0], month, year),
                    token.start_pos,
                    last.end_pos,
                )
            )
            index = end + 1
            continue
        out.append(token)
        index += 1
    return out


def _consecutive(days: list[int]) -> bool:
    return all(b == a + 1 for a, b in itertools.pairwise(days))


_POINT = {
    "NUM",
    "DM",
    "DMY",
    "MY",
    "NGAY",
    "THANG",
    "QUY",
    "ROMAN",
    "YSUF",
    "NAMYEAR",
    "PAIR",
    "AMLICH",
}


def _open_ranges(tokens: list[Token]) -> list[Token]:
    """ "mùng 5 đến mùng 7 tháng Giêng", "ngày 12 đến 14 tháng 10": a range without "từ"."""
    out: list[Token] = []
    clause_start = 0
    seen_from = False
    for token in tokens:
        if token.type in ("CLAUSESEP", "LINESEP"):
            clause_start, seen_from = len(out) + 1, False
        elif token.type == "TU":
            seen_from = True
        elif (
            token.type in ("DEN", "DENHET")
            and not seen_from
            and out
            and out[-1].type in ("NUM", "DM", "DMY", "MY", "ROMAN", "YSUF", "NAMYEAR")
        ):
            start = len(out)
            while start > clause_start and out[start - 1].type in _POINT:
                start -= 1
            out.insert(start, make_token("TU", None, out[start].start_pos, out[start].end_pos))
            seen_from = True
        out.append(token)
    return out


def _until_deadline(tokens: list[Token]) -> list[Token]:
    """ "từ tháng 9/2025 và hoàn thành trước ngày 15/10/2025": the separator joins the span."""
    out: list[Token] = []
    opened = False
    for index, token in enumerate(tokens):
        if token.type == "TU":
            opened = True
        elif token.type in ("DEN", "DENHET", "TO", "LINESEP"):
            opened = False
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            opened
            and token.type == "CLAUSESEP"
            and following is not None
            and following.type in ("TRUOC", "CHAMNHAT")
        ):
            opened = False
            continue
        out.append(token)
    return out


def _checks_last(tokens: list[Token]) -> list[Token]:
    """A lunar check "(15/8 âm lịch)" may stand inside a range: move it to its clause's end."""
    if not any(t.type in ("LUNARCHECK", "AMLICH") for t in tokens):
        return tokens
    out: list[Token] = []
    held: list[Token] = []
    for token in tokens:
        if token.type in ("LUNARCHECK", "AMLICH"):  # both mark the clause, wherever written
            held.append(token)
            continue
        if token.type in ("CLAUSESEP", "LINESEP"):
            out.extend(held)
            held = []
        out.append(token)
    return out + held


def _separators(phrase: str, lexemes: list[Token]) -> list[Token]:
    out: list[Token] = []
    for index, lex in enumerate(lexemes):
        type_ = lex.type
        before = out[-1].type if out else ""
        after = lexemes[index + 1].type if index + 1 < len(lexemes) else ""
        if type_ == "BADDATE":
            raise TimingError(
                phrase,
                (lex.start_pos, lex.end_pos),
                "không hiểu ngày này",
                "Trước ngày 15/6/2024, Tháng 2-3/2024",
            )
        if type_ == "dash":
            type_ = "TO" if before in _ENDS and after in _STARTS else "linesep"
        elif type_ in ("VA", "and"):
            type_ = "AND" if before == "NUM" and after == "NUM" else "comma"
        if type_ in _SEPARATORS:
            kind = _SEPARATORS[type_]
            if not out:
                continue
            if out[-1].type in ("CLAUSESEP", "LINESEP"):
                if kind == "LINESEP":
                    out[-1] = make_token("LINESEP", None, out[-1].start_pos, lex.end_pos)
                continue
            out.append(make_token(kind, None, lex.start_pos, lex.end_pos))
            continue
        lex.type = type_
        out.append(lex)
    while out and out[-1].type in ("CLAUSESEP", "LINESEP"):
        out.pop()
    return out


def _years(lexemes: list[Token]) -> list[Token]:
    """A bare "2024" is the year 2024; "2025 – 2026" is a span of years."""
    out: list[Token] = []
    for lex in lexemes:
        if lex.type == "YEAR":
            lex.type = "NAMYEAR"
        if (
            lex.type == "NAMYEAR"
            and len(out) >= 2
            and out[-1].type == "TO"
            and out[-2].type == "NAMYEAR"
        ):
            out.pop()
            first = out.pop()
            lex = make_token("YEARS", (first.value, lex.value), first.start_pos, lex.end_pos)
        out.append(lex)
    return out


def _labels(phrase: str, lexemes: list[Token]) -> list[Token]:
    out: list[Token] = []
    timed = False  # a timing word seen in this clause
    for lex in lexemes:
        if lex.type in ("CLAUSESEP", "LINESEP"):
            timed = False
            out.append(lex)
            continue
        if lex.type not in _WORDS:
            timed = lex.type not in _FREE_AFTER
            out.append(lex)
            continue
        if timed and lex.type == "unknown":
            out.append(make_token("UNKNOWN", lex.value, lex.start_pos, lex.end_pos))
            continue
        shown = lex.value
        previous = out[-1] if out else None
        if previous is not None and previous.type == "LABEL":
            out[-1] = make_token(
                "LABEL",
                f"{previous.value} {shown}",
                previous.start_pos,
                lex.end_pos,
            )
        else:
            out.append(make_token("LABEL", shown, lex.start_pos, lex.end_pos))
    return out
