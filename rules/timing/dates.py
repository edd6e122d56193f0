"""Digits glued by "/", "." or "-" -> one date-like terminal, by the shape it has.

"15/6" DM, "15/6/2024" or "20.7.2020" DMY, "01/2024" MY, "2-3" or "10-3" PAIR (which
one is decided by the word before it: "tháng 2-3" months, "ngày 10-3" a date), "2-3/2024"
PAIR_Y, "3-12/6" PAIR_M (days 3 to 12 of June), "2025-2026" YEARS. A dash between two
dates ("15/6-20/7/2025") splits them into two terminals joined by TO.
"""

from __future__ import annotations

MIN_YEAR, MAX_YEAR = 1900, 2200

Lexed = tuple[str, object, int, int]


def _is_year(value: int) -> bool:
    return value >= 1000


def written_years(type_: str, value: object) -> tuple[int, ...]:
    """The years a terminal from classify_group carries, to be checked against the range."""
    if type_ == "YEAR" and isinstance(value, int):
        return (value,)
    if not isinstance(value, tuple):
        return ()
    positions = {"YEARS": (0, 1), "MY": (1,), "PAIR_Y": (2,), "DMY": (2,), "PAIR_M": (3,)}
    return tuple(
        value[i] for i in positions.get(type_, ()) if i < len(value) and value[i] is not None
    )


def year_in_range(value: int) -> bool:
    return MIN_YEAR <= value <= MAX_YEAR


def classify_group(
    phrase: str, parts: list[int], seps: list[str], start: int, end: int
) -> list[Lexed]:
    """The terminals for one glued group of numbers (see the module docstring)."""
    shaped = _shape(parts, seps)
    if shaped is not None:
        return [(shaped[0], shaped[1], start, end)]
    # Split at dashes: "15/6-20/7/2025" -> DM TO DMY.
    pieces: list[list[int]] = [[parts[0]]]
    piece_seps: list[list[str]] = [[]]
    for sep, part in zip(seps, parts[1:], strict=True):
        if sep == "-":
            pieces.append([part])
            piece_seps.append([])
        else:
            pieces[-1].append(part)
            piece_seps[-1].append(sep)
    out: list[Lexed] = []
    for index, (piece, sep_list) in enumerate(zip(pieces, piece_seps, strict=True)):
        shaped = _shape(piece, sep_list)
        if shaped is None or len(pieces) == 1:
            return [("BADDATE", tuple(parts), start, end)]
        if index:
            out.append(("dash", None, start, end))
        out.append((shaped[0], shaped[1], start, end))
    return out


def _shape(parts: list[int], seps: list[str]) -> tuple[str, object] | None:
    if len(parts) == 1:
        return ("YEAR" if _is_year(parts[0]) else "NUM"), parts[0]
    if len(parts) == 2:
        first, second = parts
        if _is_year(first) and _is_year(second) and seps[0] == "-":
            return "YEARS", (first, second)
        if _is_year(second):
            return "MY", (first, second)
        return ("PAIR" if seps[0] == "-" else "DM"), (first, second)
    if len(parts) == 3:
        if _is_year(parts[2]):
            if seps[0] == "-" and seps[1] != "-":
                return "PAIR_Y", tuple(parts)
            return "DMY", tuple(parts)
        if seps == ["-", "/"] or seps == ["-", "."]:
            return "PAIR_M", (*parts, None)
        return None
    if len(parts) == 4 and seps[0] == "-" and "-" not in seps[1:] and _is_year(parts[3]):
        return "PAIR_M", tuple(parts)
    return None
