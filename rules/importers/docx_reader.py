"""Word (.docx): paragraphs and tables in document order, merged cells counted once.

A horizontally merged cell (`w:gridSpan`) keeps its text in its first grid column only:
that is what lets a section row ("I." + objective merged across the row) be told from a
measure row. A vertically merged cell (`w:vMerge`) keeps its text in every row it spans,
like a filled-down spreadsheet. Automatic list numbers (see `numbering`) are put in front
of each paragraph's text, as Word shows them.

The package is read with zipfile and plain lxml rather than python-docx: python-docx's
element classes and per-paragraph XPath made a 5,000-row plan take seconds.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any

from lxml import etree

from rules.importers.damage import damage_reason
from rules.importers.grid import Block, RawDocument, RawRow, RawTable
from rules.importers.numbering import Numbering, W
from rules.importers.ooxml import relationships
from rules.plan import PlanImportError

_OFFICE_DOCUMENT = "/officeDocument"
_BREAKS = (f"{W}tab", f"{W}br", f"{W}cr")
_VAL = f"{W}val"
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)
_MAX_COLUMNS = 63  # the most a Word table can have


def read_docx(data: bytes, file: str, source: str) -> RawDocument:
    """The document's blocks; `file` names it in row locations, `source` in errors."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            body, numbering = _open(package)
            blocks = _Reader(numbering).blocks(body)
    except PlanImportError:
        raise
    except Exception as exc:  # a damaged package can fail anywhere inside zipfile/lxml
        raise PlanImportError(
            source, f"tệp Word (.docx) bị hỏng, không đọc được: {damage_reason(exc, 'Word')}."
        ) from exc
    return RawDocument(file, tuple(blocks))


def _open(package: zipfile.ZipFile) -> tuple[Any, Numbering]:
    """The document body and its numbering, found through the package's relationships."""
    main = _targets(package, "_rels/.rels", "").get(_OFFICE_DOCUMENT, "word/document.xml")
    folder, name = posixpath.split(main)
    related = _targets(package, posixpath.join(folder, "_rels", f"{name}.rels"), folder)
    xml = package.read(main)
    body = etree.fromstring(xml, _PARSER).find(f"{W}body")
    if body is None:
        raise ValueError("không có phần thân văn bản (w:body)")
    numbering = Numbering(
        _part(package, related.get("/numbering")), _part(package, related.get("/styles"))
    )
    return body, numbering if numbering.used_in(xml) else Numbering(None, None)


def _targets(package: zipfile.ZipFile, rels: str, folder: str) -> dict[str, str]:
    """Relationship type suffix ("/styles") -> part name, from a .rels part."""
    found: dict[str, str] = {}
    for _id, kind, path in relationships(package, rels, folder):
        found.setdefault(f"/{kind}", path)
    return found


def _part(package: zipfile.ZipFile, name: str | None) -> Any | None:
    if name is None or name not in package.namelist():
        return None
    return etree.fromstring(package.read(name), _PARSER)


class _Reader:
    """Walks the body in order, so list counters advance as Word advances them."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.tables = 0

    def blocks(self, container: Any) -> list[Block]:
        blocks: list[Block] = []
        for child in container:
            if child.tag == f"{W}p":
                blocks.append(self.paragraph(child))
            elif child.tag == f"{W}tbl":
                self.tables += 1
                blocks.append(self.table(child, self.tables))
            elif child.tag == f"{W}sdt":  # a content control wrapping paragraphs or tables
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    blocks.extend(self.blocks(content))
        return blocks

    def paragraph(self, paragraph: Any) -> str:
        parts = [self.numbering.label(paragraph)] if not self.numbering.empty else []
        for element in paragraph.iter(f"{W}t", *_BREAKS):
            if element.tag == f"{W}t":
                parts.append(element.text or "")
            else:
                parts.append("\t" if element.tag == f"{W}tab" else "\n")
        return "".join(parts)

    def table(self, table: Any, index: int) -> RawTable:
        rows = []
        above: dict[int, str] = {}  # grid column -> the text a vertical merge below repeats
        for number, tr in enumerate(_children(table, "tr"), start=1):
            before, after = _properties(tr, f"{W}trPr", f"{W}gridBefore", f"{W}gridAfter")
            texts = [""] * _number(before, 0)
            spans = [1] * len(texts)
            continued: set[int] = set()
            for tc in _children(tr, "tc"):
                span, merge = _properties(tc, f"{W}tcPr", f"{W}gridSpan", f"{W}vMerge")
                # <w:vMerge/> without a value, or "continue": the cell above goes on.
                continues = merge is not None and merge.get(_VAL, "continue") == "continue"
                own = self.cell(tc)
                column = len(texts)
                if continues:
                    continued.add(column)
                text = above.get(column, "") if continues else own
                above[column] = text
                width = _number(span, 1)
                texts += [text] + [""] * (width - 1)
                spans += [width] + [0] * (width - 1)
            texts += [""] * _number(after, 0)
            spans += [1] * _number(after, 0)
            rows.append(RawRow(tuple(texts), number, spans=tuple(spans),
                               continued=frozenset(continued)))  # fmt: skip
        return RawTable(index, tuple(rows))

    def cell(self, tc: Any) -> str:
        """The cell's paragraphs, one per line (nested tables read as their paragraphs)."""
        lines = []
        for element in tc.iter(f"{W}p"):
            lines.append(self.paragraph(element))
        return "\n".join(lines)


def _children(element: Any, name: str) -> list[Any]:
    """Rows of a table or cells of a row, also when a content control wraps them."""
    found = []
    for child in element:
        if child.tag == f"{W}{name}":
            found.append(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                found.extend(_children(content, name))
    return found


def _properties(element: Any, container: str, *names: str) -> list[Any]:
    """The named children of the element's properties (`<w:tcPr>`, `<w:trPr>`), or None."""
    found: list[Any] = [None] * len(names)
    properties = element.find(container)
    if properties is not None:
        for child in properties:
            if child.tag in names:
                found[names.index(child.tag)] = child
    return found


def _number(element: Any, default: int) -> int:
    value = element.get(_VAL) if element is not None else None
    number = int(value) if value and value.isascii() and value.isdigit() else default
    if number > _MAX_COLUMNS:  # a damaged count would make every row millions of cells wide
        raise ValueError(f"a cell spans {number} columns")
    return number
