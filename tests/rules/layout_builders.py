"""Word documents as offices really lay them out, built where python-docx has no API.

Word's automatic numbering lives in numbering.xml (`w:abstractNum` levels, `w:num`
instances with `w:lvlOverride/w:startOverride`) and reaches a paragraph through its own
`w:numPr` or through its style's; python-docx writes neither, so these helpers add the
XML with lxml. Tables are filled cell by cell, merges made with python-docx.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table
from docx.text.paragraph import Paragraph

Level = tuple[str, str, int]  # (numFmt, lvlText, start): ("decimal", "%1.%2.", 1)


def _next_id(element: object, tag: str, attribute: str) -> int:
    ids = [int(child.get(qn(attribute))) for child in element.iterchildren(qn(tag))]  # type: ignore[attr-defined]  # lxml's typing does not know python-docx's element classes
    return max(ids, default=0) + 1


def add_list(document: DocxDocument, levels: Sequence[Level], *, suffix: str = "tab") -> str:
    """A new abstract numbering with these levels and one list using it; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract_id = _next_id(numbering, "w:abstractNum", "w:abstractNumId")
    lvls = "".join(
        f'<w:lvl w:ilvl="{index}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for index, (fmt, text, start) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # the schema wants every abstractNum before any num
    else:
        numbering.append(abstract)
    return _add_num(document, abstract_id)


def restart_list(document: DocxDocument, num_id: str, level: int = 0, start: int = 1) -> str:
    """Another list over the same abstract numbering, restarting `level` at `start`."""
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = int(num.find(qn("w:abstractNumId")).get(qn("w:val")))
    override = f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
    return _add_num(document, abstract_id, override)


def _add_num(document: DocxDocument, abstract_id: int, inner: str = "") -> str:
    numbering = document.part.numbering_part.element
    num_id = _next_id(numbering, "w:num", "w:numId")
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{inner}</w:num>'
        )
    )
    return str(num_id)


def _num_pr(num_id: str | None, level: int | None) -> BaseOxmlElement:
    parts = ""
    if level is not None:
        parts += f'<w:ilvl w:val="{level}"/>'
    if num_id is not None:
        parts += f'<w:numId w:val="{num_id}"/>'
    return parse_xml(f"<w:numPr {nsdecls('w')}>{parts}</w:numPr>")


def number_paragraph(paragraph: Paragraph, num_id: str | None, level: int | None = 0) -> None:
    """Put `w:numPr` in the paragraph's own properties (numId None: the style's list)."""
    properties = paragraph._p.get_or_add_pPr()
    style = properties.find(qn("w:pStyle"))
    num_pr = _num_pr(num_id, level)
    if style is not None:
        style.addnext(num_pr)
    else:
        properties.insert(0, num_pr)


def numbered_style(document: DocxDocument, name: str, num_id: str, level: int = 0) -> str:
    """A paragraph style whose `w:pPr/w:numPr` numbers every paragraph using it."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    properties = style.element.get_or_add_pPr()
    properties.insert(0, _num_pr(num_id, level))
    return name


def fill_table(document: DocxDocument, rows: Sequence[Sequence[str]]) -> Table:
    width = max(len(row) for row in rows)
    table: Table = document.add_table(rows=len(rows), cols=width)  # python-docx leaves it untyped
    for values, row in zip(rows, table.rows, strict=True):
        for text, cell in zip(values, row.cells, strict=False):
            cell.text = text
    return table


def merge_across(table: Table, row: int, first: int, last: int) -> None:
    cells = table.rows[row].cells
    text = cells[first].text
    cells[first].merge(cells[last]).text = text


def merge_down(table: Table, column: int, first: int, last: int) -> None:
    top = table.cell(first, column)
    text = top.text
    top.merge(table.cell(last, column)).text = text


def cell_paragraph(table: Table, row: int, column: int) -> Paragraph:
    paragraph: Paragraph = table.cell(row, column).paragraphs[0]  # untyped in python-docx
    return paragraph
