"""A data row's cells placed under the template's columns (for tables/_cells.py): each value
cell under the column whose header covers the grid column it starts in, and the row's values
read from them. A blank cell stays blank in its column; a column no cell fills, or a row that
ends before its header, is `incomplete`; a row with more cells than its columns (a value under
no column, two under one, a cell beyond the header) is `overfull`: never shifted.

Public API: `Slots`, `Under`, `column_index`, `full_row_values`, `in_line`, `overfull`, `place`, `row_plan`,
`row_values`.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from extractor.models import CellState
from extractor.tables._headers import Columns, is_value
from extractor.tables._memo import per_object
from extractor.tables._row_values import RowValues, assign_row
from extractor.tables._template import Column

if TYPE_CHECKING:
    from extractor.document import Cell

_TEXT = itemgetter(0)  # Cell.text

__all__ = ["Slots", "Under", "column_index", "full_row_values", "in_line", "overfull", "place", "row_plan", "row_values"]


class Under(NamedTuple):
    """The columns a row is read under: each template column's grid columns, each grid column's
    template column, and the grid column where the header ends (a cell from there on is beyond
    every column, even a blank one: the row is wider than its header)."""

    columns: Columns
    owner: dict[int, str]
    width: int


@per_object(maxsize=256)
def column_index(columns: tuple[Column, ...]) -> dict[str, int]:
    """Each column's place in its row, by its label."""
    return {c.label: i for i, c in enumerate(columns)}


Slots = list["Cell | None"]  # a row's cell under each of its columns, None where no cell is


_PLANS: dict[tuple[int, int], tuple[tuple[Column, ...], Under, frozenset[str], tuple[int, ...] | None]] = {}
_PLANS_MAX = 2_000


def row_plan(spec_columns: tuple[Column, ...], under: Under) -> tuple[frozenset[str], tuple[int, ...] | None]:
    """What a row's columns lack in the header it is read under, and `in_line`'s grid columns:
    once for each printed header (its `Under` is one object for every report printing it)."""
    key = (id(spec_columns), id(under))
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is spec_columns and hit[1] is under:
        return hit[2], hit[3]
    if len(_PLANS) > _PLANS_MAX:
        _PLANS.clear()
    missing = frozenset(column_index(spec_columns).keys() - under.columns.keys())
    cols = in_line(spec_columns, under)
    _PLANS[key] = (spec_columns, under, missing, cols)
    return missing, cols


def in_line(spec_columns: tuple[Column, ...], under: Under) -> tuple[int, ...] | None:
    """The grid columns where a row's value cells start when it prints one cell under each of its
    columns, in their order, each at its header's first grid column, as most rows print them: a
    row whose cells start at exactly these places is placed as it is printed (what `place` finds,
    cell by cell). None where a column's first grid column is not its own."""
    index, owner = column_index(spec_columns), under.owner
    cols: list[int] = []
    for j, column in enumerate(spec_columns):
        grid = under.columns.get(column.label)
        start = min(grid) if grid else -1
        if start < 0 or owner.get(start) != column.label or index[column.label] != j or start >= under.width \
                or cols and start <= cols[-1]:
            return None
        cols.append(start)
    return tuple(cols) or None


def place(values: tuple[Cell, ...], spec_columns: tuple[Column, ...], under: Under, slots: Slots) -> bool:
    """Put each value cell under the column whose header covers the grid column it starts in;
    False when a printed value has no such column or its column is taken, or a cell (even a
    blank one) starts beyond the header."""
    index = column_index(spec_columns)
    get, width = under.owner.get, under.width
    find = index.get
    for cell in values:
        col = cell.col
        if col >= width:
            return False
        text = cell.text
        j = find(get(col))  # type: ignore[arg-type]  # None under no column: no label is None
        if j is None:
            if text:
                return False  # a value under no column of this row
            continue  # padding
        if text and not (text.isascii() and text.isdigit()) and not is_value(text):
            return False
        prev = slots[j]
        if prev is not None:
            if text or prev.text:
                return False  # two cells under one column
            continue
        slots[j] = cell
    return True


_READ: dict[tuple[int, tuple[str, ...]], tuple[tuple[Column, ...], RowValues | None]] = {}  # rows recur
_READ_MAX = 20_000


def row_values(spec_columns: tuple[Column, ...], slots: Slots, base: int, short: bool = False
               ) -> tuple[RowValues, list[int]] | None:
    """A row's values from its placed cells: each column's cell, "" where the cell is blank;
    `incomplete` when a column has no cell, or the row is `short` (it ends before its header:
    a cell left out, so those printed may sit left of their columns). With each item's offset
    in the section text."""
    if short or None in slots:
        items = tuple(c.text if c is not None else "" for c in slots)
        last, starts = 0, []
        for c in slots:
            if c is not None:
                last = c.end - base
            starts.append(c.start - base if c is not None else last)
        return RowValues(None, "incomplete", items), starts
    cells: list[Cell] = slots  # type: ignore[assignment]  # no None: returned above
    return full_row_values(spec_columns, cells, tuple(map(_TEXT, cells)), base)


def full_row_values(spec_columns: tuple[Column, ...], cells: Sequence[Cell], items: tuple[str, ...], base: int
                    ) -> tuple[RowValues, list[int]] | None:
    """row_values() of a row with a cell under each of its columns, in their order (`items` their texts)."""
    key = (id(spec_columns), items)
    hit = _READ.get(key)
    if hit is not None and hit[0] is spec_columns:
        values = hit[1]
    else:
        values = assign_row(list(items), spec_columns, True, exact=True)
        if values.cells is None or any(c.state == CellState.TEXT and not c.out_of_range for c in values.cells):
            values = None  # a cell that is no value: the text path reads it as before
        if len(_READ) > _READ_MAX:
            _READ.clear()
        _READ[key] = (spec_columns, values)
    if values is None:
        return None
    return values, [c.start - base for c in cells]


def overfull(values: tuple[Cell, ...], base: int) -> tuple[RowValues, list[int]]:
    """A row printed with more cells than its columns (a value under no column, or two under
    one): `overfull`, none of its values placed."""
    return RowValues(None, "overfull", tuple(c.text for c in values)), [c.start - base for c in values]
