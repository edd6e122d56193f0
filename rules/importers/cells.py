"""Cell text as people typed it, made comparable across Word, Excel and text exports.

A cell may hold several lines (Word paragraphs, Excel line breaks, or HTML list
fragments in a text export), bullets ("-", "•", "+"), and items a text export has
flattened onto one line ("- QMR; - Thư ký ISO."). Single-value fields keep their
separators and lose their bullets; the evidence column becomes one item per bullet.
"""

from __future__ import annotations

import html
import re
import unicodedata

_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|div|br|tr)\b[^<>]*>", re.IGNORECASE)
# Named tags only: "<Tên đơn vị>" is a placeholder a person typed, not markup.
_ANY_TAG = re.compile(
    r"</?(?:i|b|u|em|strong|span|font|sup|sub|a|td|th|table|tbody|thead|h[1-6])\b[^<>]*>",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[-–•+*▪◦·]\s*(?=\S)")
# A text export joins a cell's bulleted lines with a space: "- QMR; - Thư ký ISO."
_INLINE_BULLET = re.compile(r"(?<=[;.])\s+(?=[-–•+]\s)")
_SEPARATOR_END = (";", ",", ":", ".", "…")
# "CBCCV C phụ trách": a page break in the Word original split the acronym CBCCVC.
_SPLIT_ACRONYM = re.compile(r"(?<!\w)([A-ZĐ]{3,}) ([A-HJ-UWYZĐ])(?!\w)")


_PLAIN = re.compile(r"^[^\s<&\u00a0\u200b]+(?: [^\s<&\u00a0\u200b]+)*$")
_MARKS = frozenset("-–•+*▪◦·")


def clean_text(text: str) -> str:
    """NFC, HTML fragments turned into line breaks, entities decoded, spaces tidied."""
    if not text:
        return ""
    if _PLAIN.match(text) and unicodedata.is_normalized("NFC", text):
        return text  # most cells: one line, single spaces, nothing to decode
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text:
        text = _ANY_TAG.sub("", _BLOCK_TAG.sub("\n", text))
    text = html.unescape(text).replace("\u00a0", " ").replace("\u200b", "")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def cell_lines(text: str) -> list[str]:
    """The non-empty lines of a cell, with flattened bullet lists split back into lines."""
    lines: list[str] = []
    for line in clean_text(text).split("\n"):
        if not line:
            continue
        if is_bullet(line):
            lines.extend(_INLINE_BULLET.split(line))
        else:
            lines.append(line)
    return lines


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


def join_field(text: str) -> str:
    """One line for a single-value field: bullets removed, items kept apart by their separators.

    Bulleted items that end without punctuation get "; " so "- A\\n- B" reads "A; B";
    wrapped lines are joined with a space.
    """
    if not text or (text[0] not in _MARKS and "\n" not in text and _PLAIN.match(text)):
        return text if unicodedata.is_normalized("NFC", text) else clean_text(text)
    result = ""
    for line in cell_lines(text):
        item = strip_bullet(line)
        if not result:
            result = item
        elif is_bullet(line) and not result.endswith(_SEPARATOR_END):
            result = f"{result}; {item}"
        else:
            result = f"{result} {item}"
    return result


def evidence_items(text: str) -> tuple[str, ...]:
    """One item per bullet or per line that starts a new sentence.

    A line that starts in lower case or with punctuation ("năm 2023", "(kèm theo ...)")
    continues the item above: that is a wrapped line, not a new record.
    """
    items: list[str] = []
    for line in cell_lines(text):
        starts_item = is_bullet(line) or line[0].isupper() or line[0].isdigit()
        body = strip_bullet(line)
        if items and not starts_item:
            items[-1] = f"{items[-1]} {body}"
        else:
            items.append(body)
    return tuple(cleaned for item in items if (cleaned := item.rstrip(";, ").strip()))


def repair_split_words(text: str) -> str:
    """Rejoin an acronym a page break split in two ("CBCCV C" -> "CBCCVC").

    Only used for text exports; Roman numerals I, V, X are never joined ("QUÝ I").
    """
    return _SPLIT_ACRONYM.sub(r"\1\2", text)
