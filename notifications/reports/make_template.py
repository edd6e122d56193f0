"""Build the shipped results-report template (templates/bao-cao-ket-qua.docx) with python-docx.

Run `python -m notifications.reports.make_template` after changing this file; the .docx it
writes is committed. An office can start from it in Word and point `[reports]
results_template` at its own copy: the `{{ … }}` and `{%p … %}` / `{%tr … %}` tags are
docxtpl's (Jinja2); the context they receive is documented in results_docx.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TEMPLATE = Path(__file__).with_name("templates") / "bao-cao-ket-qua.docx"
FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def _para(
    container: _Cell | DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 14,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: float = 0,
    first: bool = False,
) -> Paragraph:
    """A paragraph of one run; in a cell, `first` reuses the cell's empty first paragraph."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(3)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(indent)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _tag(document: DocxDocument, tag: str) -> None:
    """A docxtpl paragraph tag ({%p … %}): the paragraph itself disappears when rendered."""
    document.add_paragraph(tag)


def _styles(document: DocxDocument) -> None:
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)


def _widths(table: Table, widths: list[float]) -> None:
    """Column widths that Word and LibreOffice both keep: on the grid and on every cell."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _header(document: DocxDocument) -> None:
    """Body and number on the left, Quốc hiệu, tiêu ngữ, place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [6.6, 9.6])
    left, right = table.rows[0].cells
    _para(left, "{{ parent_body }}", size=13, align=CENTER, first=True)
    _para(left, "{{ body_upper }}", bold=True, size=13, align=CENTER)
    _para(left, "Số: …/BC-{{ document_code }}", size=13, align=CENTER)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=CENTER, first=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=CENTER)
    _para(right, "{{ place_date }}", italic=True, size=13, align=CENTER)


def _objectives(document: DocxDocument) -> None:
    _para(document, "I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU CHẤT LƯỢNG", bold=True)
    _tag(document, "{%p for obj in objectives %}")
    _para(document, "{{ obj.section }}. Mục tiêu: {{ obj.title }}", bold=True, indent=1)
    _tag(document, "{%p if obj.targets %}")
    _para(document, "Chỉ tiêu: {{ obj.targets|join('; ') }}.", indent=1)
    # The engine knows the measures, not the measured value: the office writes it in.
    _para(document, "Kết quả thực hiện chỉ tiêu: ………………………………………………", indent=1)
    _tag(document, "{%p endif %}")
    _para(document, "Kết quả đạt được: {{ obj.achieved }}", indent=1)
    _tag(document, "{%p for m in obj.measures %}")
    _para(
        document,
        "- Nhiệm vụ {{ m.ref }}: {{ m.task }} (chủ trì: {{ m.lead }}){% if m.kpi %}; "
        "chỉ tiêu: {{ m.kpi }}{% endif %}: {{ m.summary }}.",
        indent=1,
    )
    _tag(document, "{%p for line in m.lines %}")
    _para(
        document,
        "+ {{ line.text }}.",
        size=13,
        indent=1.5,
    )
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")
    _tag(document, "{%p endfor %}")


def _grid(document: DocxDocument, headings: list[str], widths: list[float]) -> Table:
    table: Table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        _para(cell, heading, bold=True, size=12, align=CENTER, first=True)
    return table


def _row(table: Table, cells: list[str], *, bold: bool = False) -> None:
    row = table.add_row()
    for cell, column in zip(row.cells, table.columns, strict=True):
        cell.width = column.width
    for cell, text in zip(row.cells, cells, strict=True):
        _para(cell, text, bold=bold, size=12, align=CENTER if len(text) < 30 else None, first=True)


def _summary(document: DocxDocument) -> None:
    _para(document, "II. TỔNG HỢP KẾT QUẢ", bold=True)
    table = _grid(
        document,
        [
            "Mục tiêu",
            "Số việc",
            "Đúng hạn",
            "Trễ hạn",
            "Chưa xong",
            "Được miễn",
            "Tỷ lệ hoàn thành",
        ],
        [4.0, 1.8, 1.9, 1.8, 2.0, 2.0, 2.5],
    )
    _row(table, ["{%tr for s in summary %}", "", "", "", "", "", ""])
    _row(
        table,
        [
            "{{ s.name }}",
            "{{ s.total }}",
            "{{ s.on_time }}",
            "{{ s.late }}",
            "{{ s.not_done }}",
            "{{ s.exempt }}",
            "{{ s.rate }}",
        ],
    )
    _row(table, ["{%tr endfor %}", "", "", "", "", "", ""])
    _row(
        table,
        [
            "Tổng cộng",
            "{{ total.total }}",
            "{{ total.on_time }}",
            "{{ total.late }}",
            "{{ total.not_done }}",
            "{{ total.exempt }}",
            "{{ total.rate }}",
        ],
        bold=True,
    )
    _para(document, "{{ summary_note }}", italic=True, size=13, indent=1)


def _nonconformities(document: DocxDocument) -> None:
    _para(document, "III. CÁC VIỆC CHƯA HOÀN THÀNH, CẦN HÀNH ĐỘNG KHẮC PHỤC", bold=True)
    _tag(document, "{%p if nonconformities %}")
    table = _grid(
        document,
        ["STT", "Nhiệm vụ", "Đợt", "Đơn vị chủ trì", "Hạn", "Quá hạn (ngày LV)"],
        [1.1, 5.3, 2.5, 3.0, 2.6, 1.8],
    )
    _row(table, ["{%tr for n in nonconformities %}", "", "", "", "", ""])
    _row(
        table,
        [
            "{{ loop.index }}",
            "{{ n.ref }}. {{ n.task }} (mã {{ n.code }})",
            "{{ n.label }}",
            "{{ n.unit }}",
            "{{ n.due }}",
            "{{ n.late_days }}",
        ],
    )
    _row(table, ["{%tr endfor %}", "", "", "", "", ""])
    _tag(document, "{%p else %}")
    _para(document, "Không có việc nào quá hạn chưa hoàn thành.", indent=1)
    _tag(document, "{%p endif %}")
    _para(
        document,
        "Đề nghị các đơn vị chủ trì xác định nguyên nhân, thực hiện hành động khắc phục và gửi "
        "minh chứng hoàn thành về Thư ký ISO.",
        indent=1,
    )


def _signature(document: DocxDocument) -> None:
    _para(document, "", align=None)
    table = document.add_table(rows=1, cols=2)
    _widths(table, [6.5, 9.5])
    left, right = table.rows[0].cells
    _para(left, "Nơi nhận:", bold=True, italic=True, size=12, align=None, first=True)
    _para(left, "{%p for r in recipients %}", size=11, align=None)
    _para(left, "- {{ r }};", size=11, align=None)
    _para(left, "{%p endfor %}", size=11, align=None)
    _para(left, "- Lưu: VT.", size=11, align=None)
    _para(right, "{{ signer_title }}", bold=True, size=13, align=CENTER, first=True)
    _para(right, "(Ký, ghi rõ họ tên)", italic=True, size=13, align=CENTER)
    for _ in range(3):
        _para(right, "", align=CENTER)
    _para(right, "{{ signer_name }}", bold=True, align=CENTER)


def build(target: Path = TEMPLATE) -> Path:
    document = Document()
    _styles(document)
    _header(document)
    _para(document, "", align=CENTER)
    _para(document, "BÁO CÁO", bold=True, align=CENTER)
    _para(document, "{{ subtitle }}", bold=True, align=CENTER)
    _para(document, "{{ intro }}", indent=1)
    _objectives(document)
    _summary(document)
    _nonconformities(document)
    _signature(document)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
