"""Word's automatic numbering, computed as Word shows it (numbering.xml, styles, restarts)."""

from __future__ import annotations

from pathlib import Path

import docx

from rules.importers.docx_reader import read_docx
from rules.importers.numbering import format_number
from tests.rules.layout_builders import (
    add_list,
    number_paragraph,
    numbered_style,
    restart_list,
)

OUTLINE = [("upperRoman", "%1.", 1), ("decimal", "%1.%2.", 1), ("lowerLetter", "%3)", 1)]


def paragraphs(document: docx.document.Document, tmp_path: Path) -> list[str]:
    path = tmp_path / "list.docx"
    document.save(str(path))
    raw = read_docx(path.read_bytes(), path.name, str(path))
    return [" ".join(block.split()) for block in raw.blocks if isinstance(block, str)]


def test_it_numbers_levels_with_their_formats_and_resets_deeper_levels(tmp_path: Path) -> None:
    document = docx.Document()
    outline = add_list(document, OUTLINE)
    for text, level in [("Mục", 0), ("Việc", 1), ("Chi tiết", 2), ("Chi tiết", 2), ("Việc", 1),
                        ("Mục", 0), ("Việc", 1)]:  # fmt: skip
        number_paragraph(document.add_paragraph(text), outline, level)
    assert paragraphs(document, tmp_path) == [
        "I. Mục", "I.1. Việc", "a) Chi tiết", "b) Chi tiết", "I.2. Việc", "II. Mục", "II.1. Việc",
    ]  # fmt: skip


def test_it_takes_the_number_from_the_paragraph_style(tmp_path: Path) -> None:
    document = docx.Document()
    numbers = add_list(document, [("decimal", "%1.", 1)], suffix="space")
    style = numbered_style(document, "Mục tiêu đánh số", numbers)
    for text in ("Một", "Hai", "Ba"):
        document.add_paragraph(text, style=style)
    document.add_paragraph("Không đánh số")
    assert paragraphs(document, tmp_path) == ["1. Một", "2. Hai", "3. Ba", "Không đánh số"]


def test_it_restarts_a_list_through_a_start_override(tmp_path: Path) -> None:
    document = docx.Document()
    first = add_list(document, [("decimal", "%1.", 1)])
    second = restart_list(document, first, level=0, start=1)
    later = restart_list(document, first, level=0, start=5)
    for num_id in (first, first, second, second, later):
        number_paragraph(document.add_paragraph("x"), num_id)
    assert paragraphs(document, tmp_path) == ["1. x", "2. x", "1. x", "2. x", "5. x"]


def test_it_lets_the_paragraph_level_override_the_style_list(tmp_path: Path) -> None:
    document = docx.Document()
    outline = add_list(document, [("decimal", "%1.", 1), ("decimal", "%1.%2", 1)])
    style = numbered_style(document, "Dàn ý", outline, level=0)
    document.add_paragraph("Mục tiêu", style=style)
    number_paragraph(document.add_paragraph("Biện pháp", style=style), None, 1)
    number_paragraph(document.add_paragraph("Tắt", style=style), "0", 0)  # numId 0: no number
    assert paragraphs(document, tmp_path) == ["1. Mục tiêu", "1.1 Biện pháp", "Tắt"]


def test_it_shows_bullets_as_a_dash(tmp_path: Path) -> None:
    document = docx.Document()
    bullets = add_list(document, [("bullet", "\uf0b7", 1)])
    number_paragraph(document.add_paragraph("Báo cáo"), bullets)
    assert paragraphs(document, tmp_path) == ["- Báo cáo"]


def test_it_formats_numbers_as_word_does() -> None:
    assert [format_number(n, "upperRoman") for n in (4, 9, 14, 40)] == ["IV", "IX", "XIV", "XL"]
    assert [format_number(n, "lowerLetter") for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert format_number(3, "decimalZero") == "03"
