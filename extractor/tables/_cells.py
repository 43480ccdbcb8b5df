"""Tables 二, 三 and 四 read over the cells of the grid a reader saw (HTML, DOCX, PDF), not over
the `| a | b |` text the grid was printed as.

A value is placed by its grid column against the header (_slots.py): each template column is
found by its label in the header cells (the lowest over a grid column, its words wrapped over
header rows joined; 表四's groups by the cells above), and a value cell belongs to the column
whose header covers the grid column it starts in. So a blank cell stays blank in its column, a
padding cell is no value, a row with a column no cell fills or that ends before its header is
`incomplete`, one with more cells than columns `overfull`: never shifted. A header that prints
the template's columns out of the template's order places nothing. A header that lost its spans
(every cell one column wide) is the template's when its rows print the template's words: its
columns then lie where the value rows print them (_headers.spans_lost, _pieces.lay_out). A row
is found by its label (_grid_rows.py): its own label cells joined, else with the group label merged down onto
it, else completed by the next row where a page break cut it. A table in pieces (表二 as four,
表四 as three, continued after a page break with or without its header) is read in order, each
piece under the last header seen; page furniture is skipped; cells are never split here.

Whatever cannot be read with confidence gives `Refused(reason)`, and the caller reads the
section's text as before (_rows.read_rows, _single_row.read_single_row) and keeps the reason
(TablesRead.read_over): a row with values the template does not name, a row printed twice, a
value left of the header's columns, a cell that is no value, a table without a header naming
the template's columns in their order.

Public API: `Refused`, `read_cells`, `read_single_cells`.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from extractor.tables._grid_rows import NO_COLUMNS, GridRows
from extractor.tables._headers import is_value
from extractor.tables._memo import per_object
from extractor.tables._row_values import RowValues
from extractor.tables._rows import RowsRead
from extractor.tables._slots import Slots, full_row_values, overfull, place, row_plan, row_values
from extractor.tables._template import RowSpec

if TYPE_CHECKING:
    from extractor.document import At, Cell, Document

_TEXT = itemgetter(0)  # Cell.text
_COL = itemgetter(5)  # Cell.col
_AT = itemgetter(1, 2, 8, 3, 4, 5)  # Cell -> its `At`: start, end, page, table, row, col

__all__ = ["Refused", "read_cells", "read_single_cells"]


class Refused(NamedTuple):
    """Why a table was not read over its cells (the text path reads it): kept on the TablesRead
    (`read_over`) so a run can count the tables that fell back, and why."""

    reason: str


def read_cells(doc: Document, start: int, end: int, specs: tuple[RowSpec, ...]) -> RowsRead | Refused:
    """Tables 二 or 三 from the grid tables in text[start:end] (a section), or why they cannot be
    read over cells with confidence (then the text is read as before). The offsets are into the
    section text, as read_rows gives them."""
    tables = doc.grid_tables(start, end)
    if not tables:
        return Refused("no grid table in the section")
    reader = GridRows(specs, single=False, by_place=any(t.index in doc.ocr_tables for t in tables))
    found = reader.rows(tables)
    if not found:
        return Refused(reader.why or "no row of the template in the grid")
    rows: dict[int, RowValues] = {}
    labels: dict[int, str] = {}
    starts: dict[int, list[int]] = {}
    ats: dict[int, list[At]] = {}  # a row placed as printed: its cells' own `at` (the store need not look them up)
    for spec_i, label, values, under in found:
        assert spec_i is not None  # noqa: S101 - rows() names every row it returns here
        spec = specs[spec_i]
        if spec_i in rows:
            return Refused(f"row {spec.name} printed twice")  # the text path says which reading it keeps
        if under is NO_COLUMNS:  # a row left of the header's columns, a cell more or less than its own
            rows[spec_i], starts[spec_i] = overfull(values, start) if len(values) > len(spec.columns) else \
                (RowValues(None, "incomplete", tuple(c.text for c in values)), [c.start - start for c in values])
            labels[spec_i] = label
            continue
        missing, cols = row_plan(spec.columns, under)
        if missing:
            return Refused(f"row {spec.name}: the header names no column {'/'.join(sorted(missing))}")
        items = _as_printed(values, cols, under.width) if cols is not None else None
        if items is not None:  # the common row: placed as printed, no cell to look up
            read = full_row_values(spec.columns, values, items, start)
            if read is None:
                return Refused(f"row {spec.name}: a cell that is no value")
            rows[spec_i], starts[spec_i] = read
            ats[spec_i] = list(map(_AT, values))
            labels[spec_i] = label
            continue
        slots: Slots = [None] * len(spec.columns)
        if not place(values, spec.columns, under, slots):
            if len(values) <= len(spec.columns):
                return Refused(f"row {spec.name}: a value under no column, or two under one")
            # more cells than the row has columns: which one is too many is unknown (never shifted)
            rows[spec_i], starts[spec_i] = overfull(values, start)
            labels[spec_i] = label
            continue
        short = False
        if values:
            width = under.width
            short = True
            for c in reversed(values):  # in grid order: the widest comes last
                if c.col + max(1, c.colspan) >= width:
                    short = False
                    break
        read = row_values(spec.columns, slots, start, short)
        if read is None:
            return Refused(f"row {spec.name}: a cell that is no value")
        rows[spec_i], starts[spec_i] = read
        labels[spec_i] = label
    return RowsRead(rows, labels, [], [], [], starts, ats)


def _as_printed(values: tuple[Cell, ...], cols: tuple[int, ...], width: int | None) -> tuple[str, ...] | None:
    """The texts of a row that prints one value cell under each of its columns in their order
    (starting at `cols`, row_plan's), reaching the header's end (`width`; None: not asked), every
    one a value or blank: such a row is placed as printed, as `place` would place it cell by
    cell. None for any other row (`place` then looks up each of its cells)."""
    if len(values) != len(cols) or tuple(map(_COL, values)) != cols:
        return None
    if width is not None and values[-1].col + max(1, values[-1].colspan) < width:
        return None  # short: it ends before its header
    items = tuple(map(_TEXT, values))
    joined = "".join(items)
    return items if joined.isascii() and joined.isdigit() or all(map(is_value, items)) else None


@per_object(maxsize=8)
def _single(spec: RowSpec) -> tuple[RowSpec]:
    return (spec,)  # one tuple per spec: the caches keyed by it hit


def read_single_cells(doc: Document, start: int, end: int, spec: RowSpec
                      ) -> tuple[RowValues, list[int]] | Refused:
    """Table 四's one row of values from the grid tables in text[start:end]: its pieces' values
    gathered under their header columns (one table, or three, one per group); why not where it
    cannot be read over cells with confidence."""
    tables = doc.grid_tables(start, end)
    if not tables:
        return Refused("no grid table in the section")
    reader = GridRows(_single(spec), single=True)
    found = reader.rows(tables)
    if not found:
        return Refused(reader.why or "no value row in the grid")
    if len(found) == 1 and not found[0][1]:  # one row of values under one header: placed as printed?
        values, under = found[0][2], found[0][3]
        cols = row_plan(spec.columns, under)[1]
        items = _as_printed(values, cols, None) if cols is not None else None
        if items is not None:
            if not "".join(items):
                return Refused("no value in the grid")
            return full_row_values(spec.columns, values, items, start) or Refused("a cell that is no value")
    slots: Slots = [None] * len(spec.columns)
    for _, label, values, under in found:
        if label:
            return Refused(f"a label '{label[:20]}' left of the values")
        missing = {c.label for c in spec.columns} - under.columns.keys()
        if not place(values, spec.columns, under, slots):
            printed = tuple(c for _, _, cells, _ in found for c in cells)
            if len(printed) > len(spec.columns):
                return overfull(printed, start)  # more cells than columns: which one is too many is unknown
            return Refused("a value under no column, or two under one" + (
                f" (the header names no column {'/'.join(sorted(missing))})" if missing else ""))
    if not any(c is not None and c.text for c in slots):
        return Refused("no value in the grid")
    return row_values(spec.columns, slots, start) or Refused("a cell that is no value")
