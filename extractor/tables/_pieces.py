"""A table continued on the next page without its header, where the reader drew that piece's
grid with other columns (a PDF: the first page's rows of 表三 all span the three label columns,
so that piece has one label column; the next page's has three).

The header's value columns move with the piece only when its geometry says so for every row:
each data row ends in exactly as many single cells as the header has value columns, side by
side at the same grid columns, up to the piece's last column, and right after a label cell with
words that ends where they begin. A padding column, a merged value or a row that does not line
up leaves the columns as they were (and the rows that do not fit them to the text path).

The same geometry lays out the template's columns under a header that lost its spans (`lay_out`).

Public API: `lay_out`, `realign`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.document import VALUE_ITEM

if TYPE_CHECKING:
    from extractor.document import Cell

__all__ = ["lay_out", "realign"]


def _value(text: str) -> bool:
    return not text or bool(VALUE_ITEM.match(text))


def realign(columns: dict[str, tuple[int, ...]], rows: list[tuple[Cell, ...]]) -> dict[str, tuple[int, ...]] | None:
    """`columns` (a template column -> its grid columns, one each, side by side) moved to where
    the piece's rows print their values; None when the rows do not say so, all alike."""
    grid = sorted(c for cols in columns.values() for c in cols)
    width = len(grid)
    if any(len(cols) != 1 for cols in columns.values()) or grid != list(range(grid[0], grid[0] + width)):
        return None
    start = _values_start(rows, width, labelled=True)
    if start is None:
        return None
    return {label: (cols[0] - grid[0] + start,) for label, cols in columns.items()}


def lay_out(labels: tuple[str, ...], rows: list[tuple[Cell, ...]], labelled: bool) -> dict[str, tuple[int, ...]] | None:
    """The template's columns (`labels`, in the template's order) over the grid columns where
    the value rows print exactly that many single cells side by side, after their label cell
    (`labelled`) or as the whole row (表四's one row has no label); None when the rows that do
    disagree, or fewer than half of them do. For a header that lost its spans
    (_headers.spans_lost): a row with a cell more or less is read under these columns as
    overfull or incomplete, never shifted (tables/_cells.py)."""
    start = _values_start(rows, len(labels), labelled, every=False)
    if start is None:
        return None
    return {label: (start + k,) for k, label in enumerate(labels)}


def _row_start(cells: tuple[Cell, ...], width: int, labelled: bool, exact: bool) -> int | None:
    """Where a row's `width` values begin: it ends in exactly `width` single value cells side by
    side after its label cell; not `labelled`, it is only such cells (`exact`: exactly `width`
    of them). None where it does not."""
    if labelled:
        if len(cells) <= width:
            return None
        tail = cells[-width:]
    else:
        if exact and len(cells) != width:
            return None
        tail = cells
    first = tail[0].col
    if any(c.colspan != 1 or c.col != first + k or not _value(c.text) for k, c in enumerate(tail)):
        return None
    if labelled:
        label = cells[-width - 1]
        if not label.text or _value(label.text) or label.col + label.colspan != first:
            return None
    return first


def _values_start(rows: list[tuple[Cell, ...]], width: int, labelled: bool, every: bool = True) -> int | None:
    """The grid column where the value rows' `width` values begin, all alike (_row_start); None
    where two rows disagree, or a row does not fit (`every`), or (not `every`) most do not."""
    start: int | None = None
    fit = misfit = 0
    for cells in rows:
        if not any(c.text and VALUE_ITEM.match(c.text) for c in cells):
            continue  # no value: the rest of a label, a caption
        first = _row_start(cells, width, labelled, every)
        if first is None:
            if every:
                return None
            misfit += 1
            continue
        if start is not None and first != start:
            return None
        start, fit = first, fit + 1
    return start if fit > misfit else None
