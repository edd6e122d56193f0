"""Word's automatic numbering, computed the way Word shows it.

In a .docx the "1.", "1.2." or "II." in front of a numbered paragraph is not in its text:
the paragraph (or its style, through `w:basedOn`) names a list `w:numPr` (numId, ilvl),
the list (`w:num`) points at an abstract definition (`w:abstractNum`) whose levels say
where to start, in which format ("decimal", "upperRoman", "lowerLetter", "bullet") and
with which text ("%1.%2."). Counters run in document order over every paragraph that
uses the list, inside tables too; a `w:lvlOverride/w:startOverride` restarts a level the
first time its list is used; a higher level resets the levels below it (`w:lvlRestart`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{W}val"
_PLACEHOLDER = re.compile(r"%([1-9])")
_LEVELS = 9
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
_BULLET = "-"  # Word's bullet glyphs (often private-use Symbol characters) read as a dash


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # restart after this 1-based level; 0 = never; None = any
    legal: bool = False  # w:isLgl: every placeholder in decimal
    suffix: str = "\t"


@dataclass
class _List:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # level -> startOverride
    levels: dict[int, Level] = field(default_factory=dict)  # level -> a full override
    used: bool = False


class Numbering:
    """The list labels of a document's paragraphs, one call per paragraph in document order."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._lists: dict[str, _List] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._default_style: str | None = None
        self._counters: dict[str, list[int | None]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    @property
    def empty(self) -> bool:
        return not self._lists

    def used_in(self, document_xml: bytes) -> bool:
        """Whether any paragraph of the document can carry a list number.

        Most plans number nothing: then the per-paragraph lookup is skipped altogether.
        """
        if self.empty:
            return False
        if b"numPr" in document_xml or self._style_num(self._default_style, None, None):
            return True
        numbered = [key for key in self._styles if self._style_num(key, None, None)]
        return any(f'w:val="{key}"'.encode() in document_xml for key in numbered)

    def label(self, paragraph: Any) -> str:
        """The label Word shows before `paragraph` ("1.2.", "II.", "-"), with its separator."""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, level = found
        numbered = self._lists.get(num_id)
        if numbered is None or numbered.abstract not in self._abstract:
            return ""
        levels = self._abstract[numbered.abstract]
        counters = self._counters.setdefault(numbered.abstract, [None] * _LEVELS)
        if not numbered.used:
            numbered.used = True
            for overridden, start in numbered.starts.items():
                counters[overridden] = start - 1
                _reset_below(counters, levels, overridden)
        definition = numbered.levels.get(level) or levels.get(level, Level())
        current = counters[level]
        counters[level] = definition.start if current is None else current + 1
        _reset_below(counters, levels, level)
        text = self._render(definition, numbered, levels, counters)
        return f"{text}{definition.suffix}" if text else ""

    def _render(
        self, definition: Level, numbered: _List, levels: dict[int, Level], counters: list
    ) -> str:
        if definition.fmt == "bullet":
            return _BULLET
        if definition.fmt == "none":
            return _PLACEHOLDER.sub("", definition.text).strip()

        def value(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            other = numbered.levels.get(index) or levels.get(index, Level())
            count = counters[index]
            if count is None:
                count = other.start
            fmt = "decimal" if definition.legal else other.fmt
            return format_number(count, fmt)

        return _PLACEHOLDER.sub(value, definition.text)

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, ilvl) of the paragraph, from its own properties or its style chain."""
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            return self._style_num(self._default_style, None, None)
        style_element = properties.find(f"{W}pStyle")
        style = style_element.get(_VAL) if style_element is not None else None
        num_pr = properties.find(f"{W}numPr")
        num_id, level = _num_pr_values(num_pr) if num_pr is not None else (None, None)
        return self._style_num(style or self._default_style, num_id, level)

    def _style_num(
        self, style: str | None, num_id: str | None, level: str | None
    ) -> tuple[str, int] | None:
        """Fill what the paragraph does not say from its style and the styles it is based on."""
        seen: set[str] = set()
        while style is not None and style not in seen and (num_id is None or level is None):
            seen.add(style)
            style_num, style_level, based_on = self._styles.get(style, (None, None, None))
            num_id = num_id if num_id is not None else style_num
            level = level if level is not None else style_level
            style = based_on
        if num_id is None or num_id == "0":
            return None
        ilvl = int(level) if level and level.isdigit() else 0
        return num_id, min(ilvl, _LEVELS - 1)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(f"{W}abstractNum"):
            key = abstract.get(f"{W}abstractNumId", "")
            self._abstract[key] = {
                int(lvl.get(f"{W}ilvl", "0")): _level(lvl) for lvl in abstract.iter(f"{W}lvl")
            }
        for num in root.iterchildren(f"{W}num"):
            abstract_id = num.find(f"{W}abstractNumId")
            numbered = _List(abstract_id.get(_VAL, "") if abstract_id is not None else "")
            for override in num.iterchildren(f"{W}lvlOverride"):
                index = int(override.get(f"{W}ilvl", "0"))
                start = override.find(f"{W}startOverride")
                if start is not None and (start.get(_VAL) or "").isdigit():
                    numbered.starts[index] = int(start.get(_VAL))
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    numbered.levels[index] = _level(lvl)
            self._lists[num.get(f"{W}numId", "")] = numbered

    def _read_styles(self, root: Any) -> None:
        for style in root.iterchildren(f"{W}style"):
            if style.get(f"{W}type") != "paragraph":
                continue
            key = style.get(f"{W}styleId", "")
            based = style.find(f"{W}basedOn")
            num_pr = style.find(f"{W}pPr/{W}numPr")
            num_id, level = _num_pr_values(num_pr) if num_pr is not None else (None, None)
            self._styles[key] = (num_id, level, based.get(_VAL) if based is not None else None)
            if style.get(f"{W}default") in ("1", "true"):
                self._default_style = key


def _num_pr_values(num_pr: Any) -> tuple[str | None, str | None]:
    num_id = num_pr.find(f"{W}numId")
    level = num_pr.find(f"{W}ilvl")
    return (
        num_id.get(_VAL) if num_id is not None else None,
        level.get(_VAL) if level is not None else None,
    )


def _level(lvl: Any) -> Level:
    def value(name: str) -> str | None:
        element = lvl.find(f"{W}{name}")
        return element.get(_VAL) if element is not None else None

    start = value("start")
    restart = value("lvlRestart")
    suffix = {"space": " ", "nothing": ""}.get(value("suff") or "", "\t")
    legal = lvl.find(f"{W}isLgl")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=value("numFmt") or "decimal",
        text=value("lvlText") if value("lvlText") is not None else "",
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=legal is not None and legal.get(_VAL, "1") not in ("0", "false"),
        suffix=suffix,
    )


def _reset_below(counters: list[int | None], levels: dict[int, Level], level: int) -> None:
    """Levels below `level` start again, unless their `lvlRestart` says otherwise."""
    for deeper in range(level + 1, _LEVELS):
        restart = levels.get(deeper, Level()).restart
        if restart is None or (restart != 0 and level + 1 <= restart):
            counters[deeper] = None


def format_number(count: int, fmt: str) -> str:
    """A counter in one of Word's number formats."""
    if fmt in ("upperRoman", "lowerRoman"):
        text = _roman(count)
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letters = _letters(count)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt == "decimalZero":
        return f"{count:02d}"
    return str(count)


def _roman(count: int) -> str:
    text = ""
    for value, numeral in _ROMAN:
        while count >= value:
            text, count = text + numeral, count - value
    return text


def _letters(count: int) -> str:
    """A, B, ... Z, AA, BB: Word repeats the letter past Z."""
    if count < 1:
        return ""
    letter = chr(ord("A") + (count - 1) % 26)
    return letter * ((count - 1) // 26 + 1)
