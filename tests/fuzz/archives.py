"""Damaged Word and Excel files, made from the real sample plans the way files get damaged:
bytes changed or cut off, parts missing or swapped, XML broken inside a part, zip headers
naming a compression method or a version Python cannot read, and files that only look
like a plan (an encrypted OOXML package, an HTML page saved as .xls, zero bytes)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {
    "docx": sorted((ROOT / "examples").glob("*.docx")),
    "xlsx": sorted((ROOT / "examples").glob("*.xlsx")),
}
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
# Stored, deflated and the methods zipfile knows by name but may lack, then nonsense.
_METHODS = (0, 1, 6, 8, 9, 12, 14, 93, 95, 98, 99, 0xFFFF)

_MAIN_PARTS = ("document.xml", "numbering.xml", "styles.xml", "sheet1.xml", "sharedStrings.xml",
               "workbook.xml", ".rels")  # fmt: skip

Draw = st.DrawFn
Members = list[tuple[str, bytes]]


def members(data: bytes) -> Members:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def pack(parts: Members) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts:
            package.writestr(name, content)
    return out.getvalue()


# Attributes that count or point: spans, merges, list levels, cell and row references,
# shared-string and style indexes, cell types.
_ATTRIBUTE = re.compile(
    rb'\b(w:val|w:ilvl|w:numId|w:abstractNumId|r|ref|s|t|numFmtId|w:start)="[^"]*"'
)
_EXTREMES = (
    b"99999999999", b"1048577", b"16385", b"65", b"-1", b"0", b"", b"1e9", b"XFD1048576",
    b"A0", b"ZZZZ1", b"B2:A1", b"A1:XFD1048576", b"s", b"n", b"inlineStr", b"continue",
)  # fmt: skip


def _attribute_damage(draw: Draw, content: bytes) -> bytes:
    found = list(_ATTRIBUTE.finditer(content))
    if not found:
        return content
    match = found[draw(st.integers(0, len(found) - 1))]
    value = draw(st.sampled_from(_EXTREMES))
    return content[: match.start()] + match.group(1) + b'="' + value + b'"' + content[match.end() :]


def _xml_damage(draw: Draw, content: bytes) -> bytes:
    at = draw(st.integers(0, len(content)))
    kind = draw(st.sampled_from(["insert", "delete", "number", "duplicate", "cut", "attribute"]))
    if kind == "attribute":
        return _attribute_damage(draw, content)
    if kind == "insert":
        junk = draw(st.sampled_from([b"<", b">", b"&", b"</w:tc>", b"<x:y/>", b"\x00", b"\xff"]))
        return content[:at] + junk + content[at:]
    if kind == "delete":
        return content[:at] + content[at + draw(st.integers(1, 200)) :]
    if kind == "number":  # a count or a reference grows out of bounds: gridSpan, r="..."
        digit = content.find(b'="', at)
        if digit < 0:
            return content
        huge = draw(st.sampled_from([b"99999999999", b"1048577", b"-1", b"0", b"1e9", b"XFD9"]))
        return content[: digit + 2] + huge + content[digit + 2 :]
    if kind == "duplicate":
        return content[:at] + content[at : at + 500] + content[at:]
    return content[:at]


def _member_damage(draw: Draw, parts: Members) -> Members:
    index = draw(st.integers(0, len(parts) - 1))
    name, content = parts[index]
    kind = draw(st.sampled_from(["drop", "garbage", "empty", "swap", "xml", "xml", "xml"]))
    if kind == "xml" and draw(st.booleans()):  # aim at the parts that hold the plan
        main = [i for i, (n, _) in enumerate(parts) if n.endswith(_MAIN_PARTS)]
        index = main[draw(st.integers(0, len(main) - 1))] if main else index
        name, content = parts[index]
    if kind == "drop":
        return parts[:index] + parts[index + 1 :]
    if kind == "garbage":
        content = draw(st.binary(max_size=64))
    elif kind == "empty":
        content = b""
    elif kind == "swap":
        content = parts[draw(st.integers(0, len(parts) - 1))][1]
    else:
        content = _xml_damage(draw, content)
    return [*parts[:index], (name, content), *parts[index + 1 :]]


def _header_damage(draw: Draw, data: bytes) -> bytes:
    """A compression method or a 'version needed' field Python's zipfile cannot honour."""
    raw = bytearray(data)
    field = draw(st.sampled_from(["method", "version", "flags", "size"]))
    headers = [_CENTRAL, _LOCAL] if draw(st.booleans()) else [_CENTRAL]
    nth = draw(st.integers(0, 40))
    for magic in headers:
        starts = [i for i in range(len(raw)) if raw.startswith(magic, i)]
        if not starts:
            continue
        at = starts[nth % len(starts)]
        central = magic == _CENTRAL
        offsets = {
            "method": 10 if central else 8,
            "version": 6 if central else 4,
            "flags": 8 if central else 6,
            "size": 24 if central else 22,
        }
        value = {
            "method": draw(st.sampled_from(_METHODS)),
            "version": draw(st.sampled_from([20, 45, 63, 99, 0xFFFF])),
            "flags": draw(st.sampled_from([1, 0x40, 0x2000, 0xFFFF])),  # encrypted, strong ...
            "size": draw(st.sampled_from([0, 1, 0x7FFFFFFF, 0xFFFFFFFF])),
        }[field]
        offset = at + offsets[field]
        if field == "size":
            raw[offset : offset + 4] = struct.pack("<I", value)
        else:
            raw[offset : offset + 2] = struct.pack("<H", value)
    return bytes(raw)


def _byte_damage(draw: Draw, data: bytes) -> bytes:
    raw = bytearray(data)
    if draw(st.booleans()):
        return bytes(raw[: draw(st.integers(0, len(raw) - 1))])
    for _ in range(draw(st.integers(1, 8))):
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw)


def impostor(draw: Draw) -> bytes:
    """Files that are not a plan package at all but may carry its name."""
    kind = draw(st.sampled_from(["cfb", "zero", "html", "zip-magic", "empty-zip", "random"]))
    if kind == "cfb":  # an encrypted OOXML package is a Compound File, like .doc/.xls
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + draw(st.binary(max_size=512))
    if kind == "zero":
        return b"\x00" * draw(st.integers(0, 2048))
    if kind == "html":
        return (
            "<html><head><meta charset='utf-8'></head><body><table><tr><td>STT</td>"
            "<td>Nội dung công việc</td><td>Thời gian</td></tr></table></body></html>"
        ).encode()
    if kind == "zip-magic":
        return _LOCAL + draw(st.binary(max_size=512))
    if kind == "empty-zip":
        return pack([])
    return draw(st.binary(min_size=1, max_size=512))


@dataclass(frozen=True)
class Damaged:
    """A damaged file; shown in a failure by how it was made, not by its 40 kB of bytes."""

    suffix: str
    how: str
    content: bytes = field(repr=False)


@st.composite
def damaged(draw: Draw, kind: str) -> Damaged:
    """A sample plan of `kind` ("docx"/"xlsx") damaged one way (reproduce it from `how`)."""
    sample = draw(st.sampled_from(SAMPLES[kind]))
    data = sample.read_bytes()
    how = draw(st.sampled_from(["member", "member", "header", "bytes", "rename", "impostor"]))
    label = f"{sample.name}: {how}"
    if how == "member":
        parts = members(data)
        for _ in range(draw(st.integers(1, 3))):
            if parts:
                parts = _member_damage(draw, parts)
        return Damaged(kind, label, pack(parts))
    if how == "header":
        return Damaged(kind, label, _header_damage(draw, pack(members(data))))
    if how == "bytes":
        return Damaged(kind, label, _byte_damage(draw, data))
    if how == "rename":  # a .docx that is really an .xlsx, and the other way round
        return Damaged("xlsx" if kind == "docx" else "docx", label, data)
    return Damaged(draw(st.sampled_from([kind, "xls", "doc"])), label, impostor(draw))
