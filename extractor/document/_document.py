"""The typed document: a report as one plain text and the blocks it is made of.

`Document.text` is the report's plain text, the text `extractor text FILE` prints, and every
offset in the project points into it: `Cell.start`/`end`, a parsed cell's `at`, a section-五
statement's `at`. Blocks are `Heading | Paragraph | Table`; a `Table` holds rows of `Cell`s with
their spans, their place in the grid as printed (spans counted as a browser does) and, for PDF
and DOCX, their page.

The HTML, DOCX and PDF readers see each table's grid and hand it over as `GridRow`s
(document/_grid.py); the table rows are written into the text as `| a | b |` lines (the printed
text that `extractor text` shows and every offset points into), `place_rows` records where each
cell's text landed in the final (cleaned) text, and `grid_tables` gives a section's grid rows as
Cells: tables 二/三/四 are read from those cells (tables/_cells.py), not from the pipe text. Text layouts
have no grid: their tables are found by the one text-table detector (`texttable.detect`: pipe,
markdown, one cell per line, spaced, glued; explicit empty cells and a confidence), sections
are ranges of blocks (`ranges.section_ranges`), and a Table is mapped onto the template by its
row labels and header in `tablemap.map_table`.

Public API: `Document`, `Cell`, `Table`, `Heading`, `Paragraph`, `Block`, `At`, `blocks`,
`place_rows`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from extractor.lazy import lazy_names as _lazy_names

if TYPE_CHECKING:
    from extractor.document._blocks import Block, Heading, Paragraph, Table
    from extractor.document._grid import GridRow
    from extractor.document.ocr._types import OcrPage

__all__ = ["At", "Block", "Cell", "Document", "Heading", "Paragraph", "Table", "at_json", "at_tuple", "blocks",
           "place_rows", "row_line"]

# The blocks (_blocks.py) are made when first asked: a text report's parse makes none.
__getattr__ = _lazy_names(__name__, dict.fromkeys(("Block", "Heading", "Paragraph", "Table"), "extractor.document._blocks"))

# Where a value was printed: (start, end, page, table, row, col); None where the format has none.
At = tuple[int, int, "int | None", "int | None", "int | None", "int | None"]


class Cell(NamedTuple):  # immutable and slotted; a tuple, since a report has hundreds
    """One printed cell: its text at text[start:end] of the document."""

    text: str
    start: int
    end: int
    table: int
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None




@dataclass(frozen=True, slots=True)
class Document:
    """A report as read: its plain text, and the rows of the tables whose grid the reader saw
    (`grid`), each with the offset where it was written into the text (`row_starts`, -1 for a
    row not found there). Cells are made from these when asked: a report has hundreds."""

    source: str
    format: str  # "html" | "text" | "pdf" | "docx"
    text: str
    title_hint: str | None = None  # a title given outside the body (crawler header, <title>)
    grid: tuple[GridRow, ...] = ()
    row_starts: tuple[int, ...] = ()
    cleaned: frozenset[int] = frozenset()  # grid rows found only with their cells' text cleaned
    ocr: tuple[OcrPage, ...] = ()  # the pages OCR read (extractor.document.ocr.OcrPage): scanned pages, pictures of tables
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # derived lookups, built once

    # ------------------------------------------------------------ derived, when asked
    def _found(self) -> tuple[list[int], list[int]]:
        """The rows found in the text: their starts (increasing) and their index in `grid`."""
        found = self._memo.get("found")
        if found is None:
            found = self._memo["found"] = ([s for s in self.row_starts if s >= 0],
                                           [i for i, s in enumerate(self.row_starts) if s >= 0])
        return found

    def _texts(self, index: int) -> list[str]:
        texts = [c.text for c in self.grid[index].cells]
        if index in self.cleaned:
            from extractor.document._normalize import clean_text

            texts = [clean_text(t) for t in texts]
        return texts

    def row_cells(self, index: int) -> list[Cell]:
        """The cells of grid row `index`, with their offsets ([] when the row is not in the text)."""
        return list(next(self._made((index,))))

    def _made(self, indexes: Iterable[int]) -> Iterator[tuple[Cell, ...]]:
        """The cells of each grid row in `indexes` (() for a row not in the text), each row's
        made once a document: a row of a section read twice (two template versions, a misfit
        check) is not made again."""
        made: dict[int, tuple[Cell, ...]] | None = self._memo.get("rows")
        if made is None:
            made = self._memo["rows"] = {}
        grid, row_starts, cleaned = self.grid, self.row_starts, self.cleaned
        new = tuple.__new__  # Cell(...) is a Python-level __new__ around it: a report has hundreds of cells
        for index in indexes:
            cells = made.get(index)
            if cells is not None:
                yield cells
                continue
            g, offset = grid[index], row_starts[index] + 2
            if offset < 2:
                yield ()
                continue
            out = []
            table, row, page = g.table, g.row, g.page
            cols = g.cols or range(len(g.cells))
            if index in cleaned:
                for t, c, col in zip(self._texts(index), g.cells, cols):
                    end = offset + len(t)
                    out.append(new(Cell, (t, offset, end, table, row, col, c.rowspan, c.colspan, page)))
                    offset = end + 3
            else:
                for (t, rowspan, colspan), col in zip(g.cells, cols):  # the common case: the cells as written
                    end = offset + len(t)
                    out.append(new(Cell, (t, offset, end, table, row, col, rowspan, colspan, page)))
                    offset = end + 3
            cells = made[index] = tuple(out)
            yield cells

    @property
    def cells(self) -> list[Cell]:
        """Every grid cell found in the text, in text order."""
        return [c for i in self._found()[1] for c in self.row_cells(i)]

    def cell_at(self, offset: int) -> Cell | None:
        """The grid cell whose text holds `offset` (an empty cell: its one position)."""
        starts, indexes = self._found()
        k = bisect_right(starts, offset) - 1
        if k < 0:
            return None
        for cell in self.row_cells(indexes[k]):
            if cell.start <= offset <= cell.end:
                return cell
        return None

    def at(self, start: int, end: int) -> At:
        """Provenance of text[start:end]: with its grid cell's page, table, row and column when
        it lies in one."""
        return self.at_many([(start, end)])[0]

    def _bounds(self, index: int) -> tuple[list[int], list[int]]:
        """Grid row `index`'s cells' start and end offsets (the row is in the text), built once."""
        memo: dict[int, tuple[list[int], list[int]]] = self._memo.setdefault("bounds", {})
        bounds = memo.get(index)
        if bounds is None:
            offset = self.row_starts[index] + 2
            starts: list[int] = []
            ends: list[int] = []
            texts = self._texts(index) if index in self.cleaned else [c.text for c in self.grid[index].cells]
            for t in texts:
                starts.append(offset)
                offset += len(t)
                ends.append(offset)
                offset += 3
            bounds = memo[index] = (starts, ends)
        return bounds

    def at_many(self, spans: list[tuple[int, int]]) -> list[At]:
        """`at` of several spans in text order (a table row's cells): their grid row looked up
        once, and its cells' offsets counted from the row's (no Cell is made: a report has
        hundreds of values; nor are the cells made kept by their start for it: a report asks a
        dozen spans, and has hundreds of cells)."""
        if not self.grid:
            return [(s, e, None, None, None, None) for s, e in spans]
        rows, indexes = self._memo.get("found") or self._found()  # _found() without its call, where made
        out: list[At] = []
        lo = hi = -1
        g = None
        starts: list[int] = []
        ends: list[int] = []
        for s, e in spans:
            if not lo <= s <= hi:
                k = bisect_right(rows, s) - 1
                if k < 0:
                    out.append((s, e, None, None, None, None))
                    continue
                g = self.grid[indexes[k]]
                starts, ends = self._bounds(indexes[k])
                lo, hi = starts[0], ends[-1]
            j = bisect_right(starts, s) - 1
            if j >= 0 and e <= ends[j] and g is not None:
                out.append((s, e, g.page, g.table, g.row, g.cols[j] if g.cols else j))
            else:
                out.append((s, e, None, None, None, None))
        return out

    @property
    def ocr_tables(self) -> frozenset[int]:
        """The grid tables OCR read (their `Cell.table`): their labels may hold misread glyphs."""
        found: frozenset[int] | None = self._memo.get("ocr_tables")
        if found is None:
            found = self._memo["ocr_tables"] = frozenset(
                t.grid_table for p in self.ocr for t in p.tables if t.grid_table is not None)
        return found

    @property
    def tables(self) -> tuple[Table, ...]:
        from extractor.document._blocks import Table

        return tuple(b for b in blocks(self) if isinstance(b, Table))

    def grid_tables(self, start: int, end: int) -> list[Table]:
        """The grid tables (pieces of them) whose rows lie whole in text[start:end], in text
        order: only those rows, their cells with offsets. No line of the text is looked at."""
        from extractor.document._blocks import Table

        starts, indexes = self._found()
        out: list[Table] = []
        rows: list[tuple[Cell, ...]] = []
        table = -1
        for cells in self._made(indexes[bisect_right(starts, start - 1):]):
            if not cells:
                continue  # a row without cells
            if cells[-1].end + 2 > end:
                break
            if rows and table != cells[0].table:
                out.append(Table(table, tuple(rows), rows[0][0].start, rows[-1][-1].end, rows[0][0].page))
                rows = []
            table = cells[0].table
            rows.append(cells)
        if rows:
            out.append(Table(table, tuple(rows), rows[0][0].start, rows[-1][-1].end, rows[0][0].page))
        return out


def at_json(at: At | list[int | None] | None) -> dict[str, int | None] | None:
    """`at` as schema.md prints it: start and end, then page, table, row, col where known."""
    if at is None:
        return None
    out = {"start": at[0], "end": at[1]}
    for name, value in zip(("page", "table", "row", "col"), at[2:]):
        if value is not None:
            out[name] = value
    return out


def at_tuple(at: dict[str, Any] | list[Any] | tuple[Any, ...] | None) -> At | None:
    """`at` back from its JSON form (at_json's dict, or compact's list)."""
    if at is None:
        return None
    if isinstance(at, dict):
        return (at["start"], at["end"], at.get("page"), at.get("table"), at.get("row"), at.get("col"))
    return tuple(at) + (None,) * (6 - len(at))


def row_line(texts: list[str] | tuple[str, ...]) -> str:
    """How a table row is written into the text (grid.render_table, pdf._row_line)."""
    return "| " + " | ".join(texts) + " |"


def place_rows(text: str, grid: list[GridRow], lines: list[str] | None = None
               ) -> tuple[tuple[int, ...], frozenset[int]]:
    """Where each grid row was written into the final text (-1: not found), and the rows found
    only as cleaned. The rows are found in order, each after the one before; the text was
    cleaned after they were written, so a row not found as written is looked for as cleaned.
    `lines`: each row's row_line, as the reader wrote it (else made here)."""
    starts: list[int] = []
    cleaned: set[int] = set()
    pos = 0
    find = text.find
    given = lines if lines is not None and len(lines) == len(grid) else None
    for i, g in enumerate(grid):
        # row_line of the cells' texts, inline
        line = given[i] if given is not None else "| " + " | ".join([c[0] for c in g.cells]) + " |"
        at = find(line, pos)
        if at < 0:
            from extractor.document._normalize import clean_text

            line = row_line([clean_text(c.text) for c in g.cells])
            at = find(line, pos)
            if at >= 0:
                cleaned.add(i)
        starts.append(at)
        if at >= 0:
            pos = at + len(line)
    return tuple(starts), frozenset(cleaned)


_HEADING_NUMERALS = "一二三四五六七八九十"


def _is_heading(line: str) -> bool:
    s = line.strip()
    return 2 < len(s) <= 40 and s[0] in _HEADING_NUMERALS and s[1:2] in ("、", "．", ".") and "。" not in s


def blocks(doc: Document) -> list[Block]:
    """The document as blocks in text order: a run of table lines is a Table (the reader's grid
    for HTML, DOCX and PDF; in text layouts the tables `texttable.detect` finds), a short
    numbered line (一、… ) a Heading, every other non-empty line a Paragraph."""
    from extractor.document._blocks import Heading, Paragraph, Table

    if not doc.grid:
        return _text_blocks(doc.text)
    out: list[Block] = []
    text = doc.text
    grid_by_line: dict[int, list[Cell]] = {}
    cells = doc.cells
    for c in cells:  # the line each grid cell is on
        grid_by_line.setdefault(text.rfind("\n", 0, c.start) + 1, []).append(c)
    rows: list[tuple[Cell, ...]] = []
    source: Literal["grid", "text"] = "grid"

    def close() -> None:
        nonlocal rows
        if rows:
            first = rows[0][0]
            out.append(Table(first.table, tuple(rows), first.start, rows[-1][-1].end, first.page, source))
        rows = []

    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if start in grid_by_line:
            row = tuple(grid_by_line[start])
            if rows and row[0].table != rows[0][0].table:
                close()
            rows.append(row)
            continue
        close()
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        kind = Heading if _is_heading(line) else Paragraph
        out.append(kind(line.strip(), start + lead, start + lead + len(line.strip())))
    close()
    return out


def _line_block(line: str, start: int) -> Block | None:
    from extractor.document._blocks import Heading, Paragraph

    if not line.strip():
        return None
    lead = len(line) - len(line.lstrip())
    kind = Heading if _is_heading(line) else Paragraph
    return kind(line.strip(), start + lead, start + lead + len(line.strip()))


def _text_blocks(text: str) -> list[Block]:
    """A text layout's blocks: the tables the detector finds, the lines between them as
    headings and paragraphs."""
    from extractor.document._texttable import detect

    out: list[Block] = []
    tables = iter(detect(text))
    table = next(tables, None)
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        while table is not None and table.table.end < start:
            out.append(table.table)
            table = next(tables, None)
        if table is not None and table.table.start <= start + len(line) and start <= table.table.end:
            continue  # a line of the table
        block = _line_block(line, start)
        if block is not None:
            out.append(block)
    while table is not None:
        out.append(table.table)
        table = next(tables, None)
    return out
