"""The shape of a row's number: "I." opens a section, "1.2" is a measure under "1.".

A plan numbers its levels with different shapes (parts "A.", objectives "I." or "1.",
measures "1." or "1.1", details "a)" or "-"). The shape gives a rank, shallow to deep;
which ranks are sections is decided per table from where its measures sit (`rows`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = r"(?:(?=[IVXLC]{2})C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})|[IVX])"
_PART = r"[A-HJ-UWYZĐ]"
_ARABIC = r"\d{1,3}(?:\.\d{1,3}){0,3}"
_WHOLE = re.compile(
    rf"^\(?(?:(?P<roman>{_ROMAN})|(?P<part>{_PART})|(?P<arabic>{_ARABIC})|(?P<letter>[a-zđ]))"
    r"(?P<end>[.):]?)\.?$"
)
_EXCEL_DECIMAL = re.compile(r"^\d{1,3},\d{1,3}$")
_ROMAN_ARABIC = re.compile(rf"^((?:{_ROMAN})\.\d{{1,3}}(?:\.\d{{1,3}})*)\.?$")
_BULLETS = frozenset("-–•+*▪◦·")
# A marker at the start of a title: "I. MỤC TIÊU ...", "1.2. Xây dựng ...", "a) Rà soát ...",
# "Mục tiêu 3: ...". A bare "1 " is not taken: "100% hồ sơ" and "05 lớp" start with numbers.
_LEADING = re.compile(
    rf"^(?:(?:mục\s+tiêu(?:\s+chất\s+lượng)?|mtcl)\s*(?:số\s*)?(?P<named>{_ROMAN}|\d{{1,2}})"
    r"\s*[:.\-–)]\s*"
    rf"|(?P<roman>{_ROMAN})[.):]\s+|(?P<part>{_PART})[.):]\s+"
    r"|(?P<arabic>\d{1,3}(?:\.\d{1,3}){1,3})\.?\s+|(?P<single>\d{1,3})[.):]\s+"
    r"|(?P<letter>[a-zđ])\)\s+)(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# A Roman numeral or capital letter alone ("I.", "IV", "B"): how a text export's section starts.
SECTION_MARKER = re.compile(
    r"^((?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})|[A-ZĐ])[.)]?$"
)
_RANKS = {"part": 0, "roman": 1, "named": 1, "letter": 6, "bullet": 7}


@dataclass(frozen=True)
class Marker:
    # "part" (A, B), "roman" (I, II), "named" ("Mục tiêu 2:"), "arabic" (1, 1.2),
    # "letter" (a, b), "bullet" (-, +, •)
    kind: str
    label: str  # as written, without the closing "." or ")": "II", "1.2", "a", "-"

    @property
    def depth(self) -> int:
        return self.label.count(".") + 1 if self.kind == "arabic" else 1

    @property
    def rank(self) -> int:
        """Shallow to deep: A < I < 1 < 1.1 < 1.1.1 < a) < -."""
        return 1 + self.depth if self.kind == "arabic" else _RANKS[self.kind]


def parse_marker(text: str) -> Marker | None:
    """The marker a TT cell holds ("I", "II.", "1.", "1.2", "a)", "-"), or None."""
    text = " ".join(text.split())
    if not text:
        return None
    if text in _BULLETS:
        return Marker("bullet", "-")
    if _EXCEL_DECIMAL.match(text):  # Excel stored "1.2" as the number 1,2
        text = text.replace(",", ".")
    if joined := _ROMAN_ARABIC.match(text):  # "I.2": measure 2 of section I
        return Marker("arabic", joined.group(1))
    match = _WHOLE.match(text)
    if match is None:
        return None
    for kind in ("roman", "part", "arabic", "letter"):
        if match.group(kind):
            return Marker(kind, match.group(kind).rstrip("."))
    return None


def split_marker(text: str) -> tuple[Marker, str] | None:
    """(marker, title) when a text starts with a section-like number ("II. Nâng cao ...")."""
    match = _LEADING.match(" ".join(text.split()))
    if match is None:
        return None
    rest = match.group("rest")
    if named := match.group("named"):  # "Mục tiêu 2:" says it is an objective
        return Marker("named", named.upper()), rest
    for kind in ("roman", "part", "arabic", "single", "letter"):
        if label := match.group(kind):
            if kind in ("roman", "part") and not label.isupper():
                return None  # "a. ..." or "i) ..." is prose, not a section number
            return Marker("arabic" if kind == "single" else kind, label), rest
    return None
