"""Damage the fuzzing found or the issue reported, each kept as a fixed example."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from rules.importers import PlanImportError, load_plan
from tests.fuzz.archives import SAMPLES, members, pack


def _edited(kind: str, part: str, pattern: bytes, replacement: bytes) -> bytes:
    parts = members(SAMPLES[kind][0].read_bytes())
    return pack([
        (name, re.sub(pattern, replacement, content, count=1) if name.endswith(part) else content)
        for name, content in parts
    ])  # fmt: skip


def _version_99(data: bytes) -> bytes:
    """Every central directory entry says it needs zip version 9.9 to extract."""
    raw = bytearray(data)
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        raw[at + 6 : at + 8] = struct.pack("<H", 99)
        at = raw.find(b"PK\x01\x02", at + 4)
    return bytes(raw)


def _reason(tmp_path: Path, suffix: str, content: bytes) -> str:
    path = tmp_path / f"ke-hoach.{suffix}"
    path.write_bytes(content)
    with pytest.raises(PlanImportError) as error:
        load_plan(path)
    return error.value.detail


def test_it_says_a_zip_version_it_cannot_read_is_unsupported(tmp_path: Path) -> None:
    data = _version_99(pack(members(SAMPLES["docx"][0].read_bytes())))
    assert "chưa hỗ trợ" in _reason(tmp_path, "docx", data)


def test_it_refuses_a_word_cell_spanning_millions_of_columns_at_once(tmp_path: Path) -> None:
    data = _edited("docx", "document.xml", rb"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="50000000"/>')
    assert "Word" in _reason(tmp_path, "docx", data)


def test_it_refuses_an_excel_row_beyond_the_sheet(tmp_path: Path) -> None:
    data = _edited("xlsx", "sheet1.xml", rb'<row r="\d+"', b'<row r="99999999"')
    assert "Excel" in _reason(tmp_path, "xlsx", data)


def test_it_names_the_missing_part_of_a_package(tmp_path: Path) -> None:
    parts = [p for p in members(SAMPLES["xlsx"][0].read_bytes()) if "sheet1" not in p[0]]
    assert "xl/worksheets/sheet1.xml" in _reason(tmp_path, "xlsx", pack(parts))
