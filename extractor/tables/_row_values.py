"""A row's printed items to its cells (`assign_row` -> `RowValues`).

A row's items are matched to its columns without guessing: when items and columns are as many,
each item is one cell; when there are fewer items, an item may hold the digits of several glued
cells, and the row is split only if exactly one split gives every column a well-formed value
(no leading zeros, a sign only in 本年增/减, decimals only in amounts). Otherwise the row is
`glued` (several splits fit) or `incomplete` (none does), and its values stay unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.models import CellState
from extractor.tables._glued import FIRST_LOOK_STEPS, Steps, row_splits
from extractor.tables._memo import per_object
from extractor.tables._template import Column, ColumnKind
from extractor.tables._values import FAST_DIGITS, PLAIN_CELLS, CellValue, parse_cell, plain_cell, split_cells

__all__ = ["RowValues", "assign_row"]

@dataclass(frozen=True)
class RowValues:
    cells: list[CellValue] | None  # None when the row could not be matched to its columns
    problem: str | None = None  # "incomplete" | "glued" | "overfull"
    raw_items: tuple[str, ...] = ()
    several: bool = False  # glued, and the first look found two or more splits (not a spent budget)
    first: int = 0  # the printed item the row's first column was read from (items before it were padding)
    inferred: bool = False  # its columns placed where a converter's table had columns dropped (tokens.CELLS_ROW_END)


_DIGITS = {str(d): d for d in range(10)}


@per_object(maxsize=1024)
def _kinds(columns: tuple[Column, ...]) -> tuple[ColumnKind, ...]:
    return tuple(c.kind for c in columns)


def assign_row(items: list[str], columns: tuple[Column, ...], delimited: bool, label_span: int = 1,
               exact: bool = False) -> RowValues:
    """Match a row's printed items (values; "" for a blank cell) to its columns. `exact`: the
    row's padding is already removed, so a row with fewer items is short, never padded again."""
    n = len(columns)
    items = list(items)
    first = 0  # items dropped in front: where cell 0's item was printed
    if exact and len(items) < n and not any(items):
        items = [""] * n  # every printed cell of the row is empty: all blank
    pad = label_span - 1
    if delimited and pad and len(items) >= n + pad and not any(items[:pad]):
        # The template's geometry, not a count of blanks: a label spanning `label_span` columns,
        # its merged cell expanded into empty cells by an HTML-to-markdown converter.
        items = items[pad:]
        first = pad
    if delimited:
        while len(items) > n and items and items[-1] == "":
            items.pop()  # padding left by flattened colspans: `| 0 | ||`
        while len(items) > n and items and items[0] == "":
            items.pop(0)  # an empty label column before the values (a label spanning two columns in a PDF)
            first += 1
    if len(items) == n:
        joined = "".join(items)
        if joined.isascii() and joined.isdigit() and "" not in items and max(map(len, items)) <= FAST_DIGITS:
            # plain digits: parse_cell's fast path, its shared cells
            plain = PLAIN_CELLS
            return RowValues([plain.get(item) or plain_cell(item, item) for item in items], raw_items=tuple(items),
                             first=first)
        kinds = _kinds(columns)
        return RowValues([parse_cell(item, kind) for item, kind in zip(items, kinds)], raw_items=tuple(items),
                         first=first)
    if len(items) > n:
        return RowValues(None, "overfull", tuple(items), first=first)
    if "" in items:
        return RowValues(None, "incomplete", tuple(items), first=first)
    kinds = _kinds(columns)
    stripped = tuple(i.strip() for i in items)
    if sum(map(len, stripped)) == n and all(stripped):
        joined = "".join(stripped)
        if joined.isascii() and joined.isdigit() and kinds.count("count") == n:
            # row_splits' commonest case, without its search set-up: one digit per column, all counts
            # (`1 0 0 0 0 0 01`), the only split, each digit its column's cell
            whole, number = " ".join(items), CellState.NUMBER
            return RowValues([CellValue(_DIGITS[d], number, d, None, whole) for d in joined], raw_items=tuple(items),
                             first=first)
    # A first look, cheap and bounded: one split or several; the deduction searches further.
    splits = row_splits(stripped, kinds, limit=2, steps=Steps(FIRST_LOOK_STEPS))
    if splits is None:
        return RowValues(None, "glued", tuple(items), first=first)
    if len(splits) == 1:
        return RowValues(split_cells(splits[0], kinds, " ".join(items)), raw_items=tuple(items), first=first)
    return RowValues(None, "glued" if splits else "incomplete", tuple(items), several=bool(splits), first=first)
