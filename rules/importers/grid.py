"""What every reader produces: the document as paragraphs and grids of cell texts.

A reader's only job is to turn its format into these; finding the plan table, mapping
its columns and building the `Plan` is shared (see `assemble`), so Word, Excel and text
exports are interpreted by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawRow:
    """One row of a grid, one text per layout column.

    A merged cell's text appears once, in its first column (the others are empty),
    except that a vertically merged cell repeats its text in every row it spans.
    """

    cells: tuple[str, ...]
    number: int  # 1-based row of the table or sheet, or line of a text file
    after_break: bool = False  # a page break came just before (text exports show it)
    # Grid columns each cell covers when the format says (Word, Excel): 2 or more for the
    # first column of a horizontal merge, 0 for the columns it covers; empty when unknown.
    spans: tuple[int, ...] = ()
    # Columns whose text continues a vertically merged cell from the row above.
    continued: frozenset[int] = field(default_factory=frozenset)

    def merged_across(self, column: int) -> int:
        """How many columns the cell starting at `column` covers (1 when not known)."""
        return self.spans[column] if column < len(self.spans) else 1


@dataclass(frozen=True)
class RawTable:
    index: int  # 1-based, among the tables (or sheets) of the file
    rows: tuple[RawRow, ...]
    name: str = ""  # the sheet's name in a workbook

    @property
    def width(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


Block = str | RawTable


@dataclass(frozen=True)
class RawDocument:
    """A file read into blocks in document order: paragraphs (str) and tables."""

    file: str
    blocks: tuple[Block, ...]
    text_export: bool = False  # words may have been split by page breaks in the export

    def tables(self) -> list[RawTable]:
        return [block for block in self.blocks if isinstance(block, RawTable)]


def table_paragraphs(table: RawTable) -> list[str]:
    """A table that is not the plan, read as paragraphs (one per non-empty cell)."""
    texts: list[str] = []
    for row in table.rows:
        for text in row.cells:
            if text.strip() and (not texts or texts[-1] != text):
                texts.append(text)
    return texts
