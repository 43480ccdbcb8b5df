"""Rows of a grid table that the text path must not read by position (for tables/_read.py).

Where a grid table is not read over its cells (its header is not the template's, so no column
is known), the text path reads its rows by position, and drops blank cells as padding where a
row has more items than columns. In a grid, a blank cell is a cell: a row of table 三 or 四 with
a cell more or less than the template's columns after its label cannot be read by position,
whatever the header. Such a row is overfull or incomplete here, none of its values placed.

Cells in the label columns (left of where the rows that do fit begin: a label drawn over two
ruled columns) are no value cells.

Public API: `misfits`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from extractor.tables._headers import is_value
from extractor.tables._row_match import best_row
from extractor.tables._row_values import RowValues

if TYPE_CHECKING:
    from extractor.document import Cell, Document
    from extractor.tables._template import RowSpec

__all__ = ["misfits"]


def _split(cells: tuple[Cell, ...]) -> tuple[str, tuple[Cell, ...]]:
    """A row's label (its cells up to its last words) and the cells after it."""
    m = max((i for i, c in enumerate(cells) if c.text and not is_value(c.text)), default=-1)
    return "".join(c.text for c in cells[:m + 1]), cells[m + 1:]


def misfits(doc: Document, start: int, end: int, specs: tuple[RowSpec, ...]) -> dict[int, tuple[RowValues, list[int]]]:
    """The rows of the grid tables in text[start:end] (table 三's, or 表四's one row with no
    label) printed with more or fewer cells than the template's columns: each overfull or
    incomplete, with its cells' offsets into the section text."""
    if len({s.columns for s in specs}) != 1:
        return {}  # table 二: its sub-tables' rows carry padding cells of their own
    n = len(specs[0].columns)
    rows = [(label, after) for t in doc.grid_tables(start, end) for label, after in map(_split, t.rows)
            if any(c.text and is_value(c.text) for c in after)]
    if len(specs) == 1 and len(rows) != 1:
        return {}  # table 四 in pieces (three groups of five): each piece has its own
    starts = Counter(after[0].col for _, after in rows if len(after) == n)
    first = starts.most_common(1)[0][0] if starts else None
    out: dict[int, tuple[RowValues, list[int]]] = {}
    for label, after in rows:
        if first is not None:
            k = 0
            while len(after) - k > n and not after[k].text and after[k].col < first:
                k += 1  # a blank cell in the label columns
            after = after[k:]
        if len(after) == n:
            continue
        spec_i = (best_row(label, specs) if label else None) if len(specs) > 1 else 0
        if spec_i is None or spec_i in out:
            continue
        problem = "overfull" if len(after) > n else "incomplete"
        out[spec_i] = RowValues(None, problem, tuple(c.text for c in after)), [c.start - start for c in after]
    return out
