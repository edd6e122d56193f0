"""The numbered quality objectives listed before the plan table, and the targets they state.

Targets are quantities with a unit ("55,7 triệu đồng", "83,0%", "trên 98%",
"1.936,49 tấn"), read with Vietnamese number conventions: "." groups thousands and
"," marks decimals.
"""

from __future__ import annotations

import re

from rules.plan import Objective, Target

_HEADING = re.compile(
    r"^(?:phụ\s+lục\s*\d*\s*[:.-]?\s*)?(?:[IVX]+[.)]\s*|\d[.)]\s*)?(?:các\s+)?"
    r"mục\s+tiêu\s+chất\s+lượng"
    r"(?:\s+(?:năm\s+học\s+\d{4}\s*[-–—/]\s*\d{4}|giai\s+đoạn\s+\d{4}\s*[-–—]\s*\d{4}"
    r"|năm\s+\d{4}))?\s*:?\s*$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(
    r"^(?:(?:mục\s+tiêu|mtcl)\s+(?:số\s+)?)?(\d{1,2})[.):](?!\d)\s*(\S.*)$", re.IGNORECASE
)
_LIST_END = re.compile(
    r"^(?:[IVX\d]+[.)]\s*)?(?:kế\s+hoạch|phụ\s+lục|tổ\s+chức\s+thực\s+hiện)\b|^[IVX]+\.\s+[A-ZĐ]{2}",
    re.IGNORECASE,
)
_QUALIFIERS = "không thấp hơn|không dưới|không quá|tối thiểu|tối đa|ít nhất|trên|dưới|hơn|từ"
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_UNITS = (
    "%", "triệu đồng", "tỷ đồng", "nghìn đồng", "ngàn đồng", "đồng", "tấn", "lượt",
    "người", "tiêu chí", "ha", "km",
)  # fmt: skip
_TARGET = re.compile(
    rf"(?:(?<!\w)(?:{_QUALIFIERS})\s+)?(?<![\d.,:/])(?:{_NUMBER})\s*"
    rf"(?:{'|'.join(re.escape(unit) for unit in _UNITS)})(?!\w)",
    re.IGNORECASE,
)
_VALUE = re.compile(_NUMBER)
_LIST_MARKER = re.compile(r"^(?:\(\w{1,2}\)|\w{1,2}\)|\d{1,2}\.|[-–•+])\s*")
_LEAD_IN = re.compile(r"^trong\s+đó\s*:\s*", re.IGNORECASE)
_CONNECTORS = (
    "đạt", "là", "phấn đấu", "đảm bảo", "duy trì", "hoàn thành", "cụ thể", "thực hiện",
    "giải quyết",
)  # fmt: skip
_CLAUSE_BREAK = re.compile(r"[,;(]|\.\s")
_SENTENCE_END = re.compile(r";|\.(?:\s|$)")


def find_objectives(paragraphs: list[str]) -> tuple[Objective, ...]:
    """The list under the "MỤC TIÊU CHẤT LƯỢNG NĂM …" heading, up to the plan's title."""
    texts = [" ".join(text.split()) for text in paragraphs]
    start = next((i for i, text in enumerate(texts) if _HEADING.match(text)), None)
    if start is None:
        return ()
    found: list[tuple[str, list[str]]] = []
    for text in texts[start + 1 :]:
        if not text:
            continue
        if _LIST_END.match(text):
            break
        if match := _NUMBERED.match(text):
            found.append((match.group(1), [match.group(2)]))
        elif found:
            found[-1][1].append(text)
    return tuple(
        Objective(number, "\n".join(lines), parse_targets("\n".join(lines)))
        for number, lines in found
    )


def parse_targets(text: str) -> tuple[Target, ...]:
    """Every quantity-with-unit the text states, with what it measures."""
    targets: list[Target] = []
    for line in text.split("\n"):
        matches = list(_TARGET.finditer(line))
        bounds = [0, *(m.end() for m in matches)], [*(m.start() for m in matches), len(line)]
        for index, match in enumerate(matches):
            quoted = match.group(0).strip()
            value, unit = _value_and_unit(quoted)
            before = line[bounds[0][index] : match.start()]
            after = line[match.end() : bounds[1][index + 1]]
            targets.append(Target(quoted, value, unit, _label(before, after)))
    return tuple(targets)


def _value_and_unit(quoted: str) -> tuple[float | None, str]:
    number = _VALUE.search(quoted)
    if number is None:
        return None, ""
    value = float(number.group(0).replace(".", "").replace(",", "."))
    unit = " ".join(quoted[number.end() :].split())
    return value, unit


def _label(before: str, after: str) -> str:
    """The words naming the quantity: the clause before it, else the clause after it."""
    clause = _CLAUSE_BREAK.split(before)[-1]
    clause = _LEAD_IN.sub("", _LIST_MARKER.sub("", clause.strip())).strip(" :")
    # "Số tiêu chí đạt chuẩn: Phấn đấu đạt 03 tiêu chí": the name is before the colon.
    for part in reversed(clause.split(":")):
        if named := _drop_connectors(part.strip()):
            return named
    return _drop_connectors(_SENTENCE_END.split(after)[0].strip(" .,;:"))


def _drop_connectors(clause: str) -> str:
    """Drop trailing verbs ("phấn đấu đạt") so what remains names the quantity."""
    changed = True
    while changed and clause:
        changed = False
        for word in _CONNECTORS:
            lowered = clause.casefold()
            if lowered == word or lowered.endswith(f" {word}"):
                clause = clause[: -len(word)].strip(" ,;:")
                changed = True
    return clause
