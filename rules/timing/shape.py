"""Last lexer pass: separators, range dashes, labels, then Lark tokens.

A dash between two periods is a range (TO); elsewhere it is a bullet, like a new line or a
";" (_LINESEP). "," "/" "hoặc" and "và" separate clauses (_CLAUSESEP), except "và"
between two days ("ngày 01 và 15"), which is AND. Words before the first timing word of a
clause name the activity (one LABEL: "Tiếp công dân", "Báo cáo"); known activity words
after it are labels too ("Thường xuyên theo dõi"); an unknown word after it is left as
UNKNOWN, which the grammar does not accept, so the error points at it.
"""

from __future__ import annotations

from lark import Token

from rules.timing.model import TimingError

_ENDS = {"NUM", "YEAR", "DM", "DMY", "MY", "PAIR", "PAIR_Y", "PAIR_M", "ROMAN", "YSUF", "NAMYEAR",
         "HK", "YEARS"}
_STARTS = _ENDS | {"THANG", "QUY", "NGAY", "NAMHOC", "TU"}
_SEPARATORS = {"comma": "_CLAUSESEP", "slash": "_CLAUSESEP", "HOAC": "_CLAUSESEP",
               "linesep": "_LINESEP"}
_WORDS = {"labelword", "unknown"}


def to_tokens(phrase: str, lexemes: list[Token]) -> list[Token]:
    return _checks_last(_labels(phrase, _years(_separators(phrase, lexemes))))


def _checks_last(tokens: list[Token]) -> list[Token]:
    """A lunar check "(15/8 âm lịch)" may stand inside a range: move it to its clause's end."""
    if not any(t.type == "LUNARCHECK" for t in tokens):
        return tokens
    out: list[Token] = []
    held: list[Token] = []
    for token in tokens:
        if token.type == "LUNARCHECK":
            held.append(token)
            continue
        if token.type in ("_CLAUSESEP", "_LINESEP"):
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
            raise TimingError(phrase, (lex.start_pos, lex.end_pos), "không hiểu ngày này",
                              "Trước ngày 15/6/2024, Tháng 2-3/2024")
        if type_ == "dash":
            type_ = "TO" if before in _ENDS and after in _STARTS else "linesep"
        elif type_ in ("VA", "and"):
            type_ = "AND" if before == "NUM" and after == "NUM" else "comma"
        if type_ in _SEPARATORS:
            kind = _SEPARATORS[type_]
            if not out:
                continue
            if out[-1].type in ("_CLAUSESEP", "_LINESEP"):
                if kind == "_LINESEP":
                    out[-1] = Token("_LINESEP", None, start_pos=out[-1].start_pos, end_pos=lex.end_pos)
                continue
            out.append(Token(kind, None, start_pos=lex.start_pos, end_pos=lex.end_pos))
            continue
        lex.type = type_
        out.append(lex)
    while out and out[-1].type in ("_CLAUSESEP", "_LINESEP"):
        out.pop()
    return out


def _years(lexemes: list[Token]) -> list[Token]:
    """A bare "2024" is the year 2024; "2025 – 2026" is a span of years."""
    out: list[Token] = []
    for lex in lexemes:
        if lex.type == "YEAR":
            lex.type = "NAMYEAR"
        if lex.type == "NAMYEAR" and len(out) >= 2 and out[-1].type == "TO" \
                and out[-2].type == "NAMYEAR":
            out.pop()
            first = out.pop()
            lex = Token("YEARS", (first.value, lex.value), start_pos=first.start_pos,
                        end_pos=lex.end_pos)
        out.append(lex)
    return out


def _labels(phrase: str, lexemes: list[Token]) -> list[Token]:
    out: list[Token] = []
    timed = False  # a timing word seen in this clause
    for lex in lexemes:
        if lex.type in ("_CLAUSESEP", "_LINESEP"):
            timed = False
            out.append(lex)
            continue
        if lex.type not in _WORDS:
            timed = True
            out.append(lex)
            continue
        if timed and lex.type == "unknown":
            out.append(Token("UNKNOWN", lex.value, start_pos=lex.start_pos, end_pos=lex.end_pos))
            continue
        shown = lex.value
        previous = out[-1] if out else None
        if previous is not None and previous.type == "LABEL":
            out[-1] = Token("LABEL", f"{previous.value} {shown}", start_pos=previous.start_pos,
                            end_pos=lex.end_pos)
        else:
            out.append(Token("LABEL", shown, start_pos=lex.start_pos, end_pos=lex.end_pos))
    return out
