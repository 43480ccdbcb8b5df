"""A table's rows as pipe-delimited lines, with rowspan/colspan applied; shared by the HTML and
DOCX readers.

A cell is *printed* once, in the row where it starts: a value cell spanning three columns gives
one value, not three, and a label spanning twenty rows is read once. So a row prints exactly its
own source cells, and the spans matter only for the table's size: the grid they expand to is
counted (not built) and may hold at most MAX_TABLE_CELLS positions, so the cost is linear in
what is printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from extractor.errors import LimitError
from extractor.limits import MAX_COLSPAN, MAX_ROWSPAN, MAX_TABLE_CELLS

__all__ = ["GridRow", "SourceCell", "grid_rows", "grid_size", "render_table"]


class SourceCell(NamedTuple):
    text: str
    rowspan: int = 1
    colspan: int = 1


class GridRow(NamedTuple):
    """One printed table row as a reader saw it, for the typed document (extractor.document):
    the table's number in the file and the row's number in that table (0-based), its cells as
    written (each once, with its spans), each one's column in the grid when the reader knows it
    (PDF; else counted as a browser does, when asked), and the page (1-based) where the file
    says it is (PDF, DOCX)."""

    table: int
    row: int
    cells: list[SourceCell] | tuple[SourceCell, ...]
    cols: tuple[int, ...] | None = None
    page: int | None = None


def grid_rows(source_rows: list[list[SourceCell]], table: int, cols: list[tuple[int, ...]],
              pages: Sequence[int | None] | None = None) -> list[GridRow]:
    """A rendered table's rows as GridRows, with the columns render_table counted."""
    new = tuple.__new__  # GridRow(...) is a Python-level __new__ around it
    return [new(GridRow, (table, r, cells, cols[r], pages[r] if pages else None)) for r, cells in enumerate(source_rows)]


def grid_size(source_rows: list[list[SourceCell]], cols_out: list[tuple[int, ...]] | None = None,
              spanned: set[int] | None = None) -> int:
    """Positions of the grid the spans expand to (holes included), as a browser lays it out;
    LimitError as soon as it passes MAX_TABLE_CELLS. Spans are capped (limits.py: far above the
    template's geometry). `cols_out` gets each row's cells' first columns. `spanned`: where
    given, the rows holding a cell with a span; the others are counted without a look at theirs."""
    size = 0
    carried: dict[int, int] = {}  # column -> rows a cell from above still covers
    n = len(source_rows)
    for r, cells in enumerate(source_rows):
        if spanned is not None and r not in spanned and (not carried or max(carried) == len(carried) - 1):
            # No span in the row, and what spans down from above (a group label) covers its first
            # columns: its cells take the columns after those, one each, and every cell from
            # above covers one row less (the loop below, in a few C calls).
            first = len(carried)
            col = first + len(cells)
            if cells and size + col > MAX_TABLE_CELLS:
                raise LimitError(f"a table expands past {MAX_TABLE_CELLS:,} cells")
            for c, left in list(carried.items()):
                if left == 1:
                    del carried[c]
                else:
                    carried[c] = left - 1
            size += col
            if cols_out is not None:
                cols_out.append(tuple(range(first, col)))
            continue
        col = 0
        cols: list[int] = []
        append = cols.append
        for _text, rowspan, colspan in cells:
            while carried and col in carried:
                left = carried[col]
                if left == 1:
                    del carried[col]
                else:
                    carried[col] = left - 1
                col += 1
            append(col)
            if rowspan == 1 and colspan == 1:  # most cells: one position
                col += 1
                continue
            rowspan = min(max(1, rowspan), MAX_ROWSPAN, n - r)
            colspan = min(max(1, colspan), MAX_COLSPAN)
            if size + col + colspan > MAX_TABLE_CELLS:
                raise LimitError(f"a table expands past {MAX_TABLE_CELLS:,} cells")
            if rowspan > 1:
                for dc in range(colspan):
                    carried[col + dc] = rowspan - 1
            col += colspan
        # past the limit after a cell: each cell's end is checked at once, the last one furthest
        if cells and size + col > MAX_TABLE_CELLS:
            raise LimitError(f"a table expands past {MAX_TABLE_CELLS:,} cells")
        if carried:
            last = max(carried)  # cells spanning down from above, right of this row's end
            while col <= last:
                if col in carried:
                    if carried[col] == 1:
                        del carried[col]
                    else:
                        carried[col] -= 1
                col += 1
        size += col
        if cols_out is not None:
            cols_out.append(tuple(cols))
    return size


def render_table(source_rows: list[list[SourceCell]], cols_out: list[tuple[int, ...]] | None = None) -> list[str]:
    """One pipe-delimited line per row, `| a | b | c |`: each cell printed once, where it starts
    (its column in the grid, spans counted, appended to `cols_out` per row)."""
    grid_size(source_rows, cols_out)
    return ["| " + " | ".join([c.text for c in cells]) + " |" for cells in source_rows]
