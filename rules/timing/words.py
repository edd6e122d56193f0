"""First pass of the lexer: the phrase as words, numbers and marks, each with its stripped key.

Each word carries `norm` (NFC, lower case, with diacritics) and `key` (diacritics and đ
stripped): the grammar matches keys, so "hàng"/"hằng"/"hang" and "tháng"/"thang" read
alike; `norm` is looked at only where stripping merges two words ("sau" after / "sáu"
six, "từ" from / "tư" four). Words glued together ("hàngnăm") are split into known words
and a few common typos are mended; both are reported as assumptions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rules.timing.vocab import KNOWN_WORDS, TYPOS

_TOKEN = re.compile(
    r"(?P<num>\d+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<nl>[\n\r\u2028\u2029]+)"
    r"|(?P<space>\s+)"
    r"|(?P<ellipsis>\.{2,}|…)"
    r"|(?P<sym>.)",
    re.DOTALL,
)
SYMBOLS = {
    "/": "slash",
    "\\": "slash",
    "-": "dash",
    "–": "dash",
    "—": "dash",
    "‐": "dash",
    "−": "dash",
    "~": "dash",
    ",": "comma",
    "，": "comma",
    ";": "semi",
    ":": "colon",
    "(": "lp",
    "[": "lp",
    "{": "lp",
    ")": "rp",
    "]": "rp",
    "}": "rp",
    ".": "dot",
    "+": "bullet",
    "•": "bullet",
    "*": "bullet",
    "·": "bullet",
    "": "bullet",
    "►": "bullet",
    "!": "dot",
    "?": "dot",
    "&": "and",
}
# Quotes and similar marks carry no timing meaning.
_IGNORED = set("\"'“”«»‘’`")


@dataclass(slots=True)  # not frozen: made by the thousand, and frozen __init__ is slow
class Raw:
    # num, word, slash, dash, comma, semi, colon, lp, rp, dot, bullet, nl, ellipsis, other
    kind: str
    text: str  # as written
    start: int
    end: int
    spaced: bool  # whitespace before it
    key: str = ""  # words: stripped lower case; numbers: the digits without leading zeros
    norm: str = ""  # words: NFC lower case with diacritics

    @property
    def value(self) -> int:
        return int(self.key)


@lru_cache(maxsize=4096)
def strip_diacritics(text: str) -> str:
    """ "Thường xuyên" -> "thuong xuyen"; "ĐGNB" -> "dgnb"."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """The phrase as the compiler reports it: NFC, no-break spaces as spaces."""
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u200b", "")


def raw_tokens(phrase: str, fixes: list[str]) -> list[Raw]:
    """The words, numbers and marks of the (already normalised) phrase."""
    raws: list[Raw] = []
    spaced = True
    for match in _TOKEN.finditer(phrase):
        kind = match.lastgroup or "sym"
        text = match.group()
        start, end = match.span()
        if kind == "space" or (kind == "sym" and text in _IGNORED):
            spaced = True
            continue
        if kind == "word":
            raws.extend(_word_tokens(text, start, spaced, fixes))
        elif kind == "num":
            raws.append(Raw("num", text, start, end, spaced, key=str(int(text))))
        elif kind == "sym":
            raws.append(Raw(SYMBOLS.get(text, "other"), text, start, end, spaced))
        else:
            raws.append(Raw(kind, text, start, end, spaced))
        spaced = kind == "nl"
    return _mend_stray_dots(raws, fixes)


def _mend_stray_dots(raws: list[Raw], fixes: list[str]) -> list[Raw]:
    """ "th.áng" -> "tháng": a dot inside a word that only makes sense without it."""
    if not any(r.kind == "dot" for r in raws):
        return raws
    out: list[Raw] = []
    index = 0
    while index < len(raws):
        raw = raws[index]
        if (
            index + 2 < len(raws)
            and raw.kind == "word"
            and raws[index + 1].kind == "dot"
            and raws[index + 2].kind == "word"
            and not raws[index + 1].spaced
            and not raws[index + 2].spaced
        ):
            right = raws[index + 2]
            key = raw.key + right.key
            if key in KNOWN_WORDS and raw.key not in KNOWN_WORDS:
                text = raw.text + right.text
                fixes.append(f"«{raw.text}.{right.text}» được đọc là «{text}».")
                out.append(
                    Raw(
                        "word",
                        text,
                        raw.start,
                        right.end,
                        raw.spaced,
                        key,
                        (raw.norm + right.norm) or text.lower(),
                    )
                )
                index += 3
                continue
        out.append(raw)
        index += 1
    return out


def _word_tokens(text: str, start: int, spaced: bool, fixes: list[str]) -> list[Raw]:
    norm = text.lower()
    key = strip_diacritics(text)
    if key in TYPOS:
        canonical_key, canonical_text = TYPOS[key]
        fixes.append(f"«{text}» được đọc là «{canonical_text}».")
        return [Raw("word", text, start, start + len(text), spaced, canonical_key, canonical_text)]
    if key in KNOWN_WORDS or len(key) != len(text):
        return [Raw("word", text, start, start + len(text), spaced, key, norm)]
    pieces = _segment(key)
    if pieces is None:
        return [Raw("word", text, start, start + len(text), spaced, key, norm)]
    raws: list[Raw] = []
    offset = 0
    for piece in pieces:
        part = text[offset : offset + len(piece)]
        raws.append(
            Raw(
                "word",
                part,
                start + offset,
                start + offset + len(piece),
                spaced and offset == 0,
                piece,
                part.lower(),
            )
        )
        offset += len(piece)
    fixes.append(f"«{text}» được đọc là «{' '.join(r.text for r in raws)}».")
    return raws


@lru_cache(maxsize=1024)
def _segment(key: str) -> tuple[str, ...] | None:
    """Split a glued word into the fewest known words, or None ("hangnam" -> hang, nam)."""
    if len(key) < 4:
        return None
    best: list[tuple[str, ...] | None] = [None] * (len(key) + 1)
    best[0] = ()
    for end in range(2, len(key) + 1):
        for begin in range(max(0, end - 8), end - 1):
            prefix = best[begin]
            piece = key[begin:end]
            if prefix is None or piece not in KNOWN_WORDS:
                continue
            candidate = (*prefix, piece)
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    found = best[len(key)]
    return found if found and len(found) > 1 else None
