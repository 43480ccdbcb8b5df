"""Tables 二, 三 and 四 read over the cells of the grid a reader saw (HTML, DOCX, PDF), not over
the `| a | b |` text the grid was printed as.

A value is placed by its grid column against the header: each template column is found by its
label in the header cells (the lowest over a grid column, its words wrapped over header rows
joined; 表四's groups by the cells above), and a value cell belongs to the column whose header
covers the grid column it starts in. So a blank cell stays blank in its column, a padding cell
is no value, and a row with a column no cell fills is `incomplete`, never shifted. A row is
found by its label: its own label cells joined, else with the group label merged down onto it,
else completed by the next row where a page break cut it. A table in pieces (表二 as four, 表四
as three, continued after a page break with or without its header) is read in order, each piece
under the last header seen; page furniture is skipped; cells are never split here.

Whatever cannot be read with confidence gives None, and the caller reads the section's text as
before (_rows.read_rows, _single_row.read_single_row): a row with values the template does not
name, a row printed twice, a value under no header column or left of them, a cell that is no
value, a table without a header naming the template's columns.

Public API: `read_cells`, `read_single_cells`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.document import Cell, match_key
from extractor.models import CellState
from extractor.tables._headers import Columns, header_map, is_header, is_value, spec_keys
from extractor.tables._memo import per_object
from extractor.tables._ocr_labels import header_by_likeness, name_by_place
from extractor.tables._pieces import realign
from extractor.tables._row_values import RowValues, assign_row
from extractor.tables._rows import RowsRead, best_row
from extractor.tables._template import Column, RowSpec

if TYPE_CHECKING:
    from extractor.document import Document, Table

__all__ = ["read_cells", "read_single_cells"]

# Page furniture: a footer's page number (`— 4 —`, `第 3 页`, `4/6`) is never a cell.
_FURNITURE = re.compile(r"^(?:[—\-－–]\s*\d{1,3}\s*[—\-－–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")
# A row label's own start, in match_key's forms: 一. (三) 2.
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+\.|\([一二三四五六七八九十]+\)|\d{1,2}\.(?!\d))")

Under = tuple[Columns, dict[int, str]]  # the columns a row is read under, and each grid column's template column


class _Reader:
    """The rows of one section's grid tables, read under the header above them."""

    def __init__(self, specs: tuple[RowSpec, ...], single: bool, by_place: bool = False) -> None:
        self.specs = specs
        self.single = single
        self.by_place = by_place  # OCR tables: a misread label is named by its place (_ocr_labels)
        self.keys, self.leaves = spec_keys(specs)
        self.columns: Columns = {}
        self.first = 0  # the first value column
        self.owner: dict[int, str] = {}  # grid column -> the template column (label) it is under

    def set_columns(self, columns: Columns) -> None:
        self.columns = columns
        self.first = min(min(cols) for cols in columns.values())
        self.owner = {col: label for label, cols in columns.items() for col in cols}

    def rows(self, tables: list[Table]) -> list[tuple[int | None, str, tuple[Cell, ...], Under]] | None:
        """Each data row: its template row (None in 表四, whose one row has no label), its label,
        its value cells and the columns it is read under; None when a row cannot be placed."""
        out: list[tuple[int | None, str, tuple[Cell, ...], Under]] = []
        every = [(t.index, cells) for t in tables for cells in t.rows]
        pending: list[tuple[Cell, ...]] = []  # header rows since the last data row
        carried: list[tuple[Cell, int]] = []  # cells merged down from rows above, with the rows left
        after_data = True
        used: set[int] = set()  # rows holding only the rest of a label above: read with it
        pieces = {t.index: t.rows for t in tables}
        for r, (table, cells) in enumerate(every):
            if r and table != every[r - 1][0]:
                carried = []  # a table's merged cells end with it
                if self.columns and (after_data or not pending) and not any(
                        is_header(row, self.leaves) for row in pieces[table]):
                    moved = realign(self.columns, list(pieces[table]))  # continued: its own grid's columns?
                    if moved is not None and moved != self.columns:
                        self.set_columns(moved)
            above: list[Cell] = []
            if carried:
                above = [c for c, _ in carried]
                carried = [(c, n - 1) for c, n in carried if n > 1]
            has_text = has_value = False
            for c in cells:
                if c.rowspan > 1:
                    carried.append((c, c.rowspan - 1))
                text = c.text
                if text and not has_value:
                    has_text = True
                    has_value = text.isascii() and text.isdigit() or bool(text.strip()) and is_value(text)
            if r in used or not has_text:
                continue
            data = has_value or not self.single and best_row("".join(c.text for c in cells), self.specs) is not None
            header = not has_value and is_header(cells, self.leaves)
            if not data and not header:
                if all(_FURNITURE.match(c.text) for c in cells if c.text):
                    continue
                wrapped = self._blank_wrapped(every, r, cells) if self.columns else None
                if wrapped is not None:
                    used.add(wrapped[1])
                    out.append((wrapped[0], wrapped[2], wrapped[3], (self.columns, self.owner)))
                    pending, after_data = [], True
                    continue
            if header or not data:
                if after_data:
                    pending, after_data = [], False
                pending.append(cells)
                continue
            if pending:
                found = header_map(header_by_likeness(pending, self.leaves) if self.by_place else pending, self.keys)
                if found:
                    self.set_columns(found)
                elif any(sum(1 for c in row if c.text) > 1 for row in pending):
                    return None  # a header naming none of the template's columns: its columns are unknown
                pending = []
            after_data = True
            if not self.columns:
                return None
            first = self.first
            k = 0
            while k < len(cells) and cells[k].col < first:  # a row's cells come in grid order
                k += 1
            label = "".join([c.text for c in cells[:k]]) if k else ""
            values = cells[k:]
            if any(c.text and c.text.strip() and is_value(c.text) for c in cells[:k]):
                return None  # a value left of the header's columns: the row does not line up with it
            if self.single:
                out.append((None, label, values, (self.columns, self.owner)))
                continue
            spec_i = best_row(label, self.specs)
            if spec_i is None and above:
                group = "".join(c.text for c in above if c.col < first)
                spec_i = best_row(group + label, self.specs) if group else None
            if spec_i is None and label:
                spec_i, rest, label = self._wrapped(every, r, cells, first)
                if rest is not None:
                    used.add(rest)
            if spec_i is None and label:
                spec_i = self._by_group(above, cells, first)
            if spec_i is None:
                if any(c.text for c in values) and not self.by_place:
                    return None  # a row with values the template does not name
                if any(c.text for c in values):
                    out.append((None, label, values, (self.columns, self.owner)))  # named by its place below
                continue
            if out and out[-1][0] == spec_i and not any(c.text for c in values) and not _ENUMERATED.match(
                    match_key(label)):
                continue  # the rest of the label above, wrapped onto a row of its own (`仍不明确`)
            out.append((spec_i, label, values, (self.columns, self.owner)))
        if self.by_place and any(row[0] is None for row in out):
            return name_by_place(out, self.specs)
        return out

    def _by_group(self, above: list[Cell], cells: tuple[Cell, ...], first: int) -> int | None:
        """A sub-row whose label lost its words (`2.申请人` where the rest broke onto the next
        page outside the table) under a group label merged down onto it (`（六）其他处理`): the
        group's item with that number, when the group is printed as the template names it."""
        own = [c.text for c in cells if c.col < first and c.text]
        groups = [c.text for c in above if c.col < first and c.text] + own[:-1]
        m = _ENUMERATED.match(match_key(own[-1])) if own else None
        if m is None or not groups or not m.group().rstrip(".").isdigit():
            return None
        group = match_key(groups[-1])
        hits = [i for i, spec in enumerate(self.specs) if "·" in spec.label and
                match_key(spec.label.split("·")[0]) == group and match_key(spec.label.split("·")[1]).startswith(m.group())]
        return hits[0] if len(hits) == 1 else None

    def _blank_wrapped(self, every: list[tuple[int, tuple[Cell, ...]]], r: int, cells: tuple[Cell, ...]
                       ) -> tuple[int, int, str, tuple[Cell, ...]] | None:
        """A row printed with blank values whose label broke with the page (`（三）不 | 1.属于国`,
        then `予公开 | 家秘密`): its template row, the row completing it, its label and values."""
        first = self.first
        values = tuple(c for c in cells if c.col >= first)
        if not values or not any(c.text for c in cells if c.col < first):
            return None
        spec_i, rest, label = self._wrapped(every, r, cells, first)
        if spec_i is None or rest is None:
            return None
        return spec_i, rest, label, values

    def _wrapped(self, every: list[tuple[int, tuple[Cell, ...]]], r: int, cells: tuple[Cell, ...], first: int
                 ) -> tuple[int | None, int | None, str]:
        """A label cut where its row broke (`2.没有现成信` … `息需要另行制作` in the next row,
        after a page break and a repeated header): the next row holding label text only, no value
        and no label of its own (it starts with no enumerator), completes it, cell by cell, when
        the two name a template row. Returns the row, the completing row and the joined label."""
        label = "".join(c.text for c in cells if c.col < first)
        for k in range(r + 1, min(r + 6, len(every))):
            below = every[k][1]
            if is_header(below, self.leaves) or not any(c.text for c in below):
                continue  # a header repeated after the page break
            if any(c.text for c in below if c.col >= first):
                break
            rest = {c.col: c.text for c in below if c.col < first and c.text}
            if not rest or any(_ENUMERATED.match(match_key(t)) for t in rest.values()):
                break
            joined = "".join(c.text + rest.pop(c.col, "") for c in cells if c.col < first) + "".join(rest.values())
            spec_i = best_row(joined, self.specs)
            if spec_i is None:
                break
            return spec_i, k, joined
        return None, None, label


@per_object(maxsize=256)
def _index(columns: tuple[Column, ...]) -> dict[str, int]:
    return {c.label: i for i, c in enumerate(columns)}


Slots = list["Cell | None"]  # a row's cell under each of its columns, None where no cell is


def _place(values: tuple[Cell, ...], spec_columns: tuple[Column, ...], owner: dict[int, str], slots: Slots) -> bool:
    """Put each value cell under the column whose header covers the grid column it starts in;
    False when a printed value has no such column or its column is taken."""
    index = _index(spec_columns)
    get = owner.get
    for cell in values:
        text = cell.text
        label = get(cell.col)
        j = index.get(label) if label is not None else None
        if j is None:
            if text:
                return False  # a value under no column of this row
            continue  # padding
        if text and not is_value(text):
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


def _row_values(spec_columns: tuple[Column, ...], slots: Slots, base: int) -> tuple[RowValues, list[int]] | None:
    """A row's values from its placed cells: each column's cell, "" where the cell is blank;
    `incomplete` when a column has no cell. With each item's offset in the section text."""
    if None in slots:
        items = tuple(c.text if c is not None else "" for c in slots)
        last, starts = 0, []
        for c in slots:
            if c is not None:
                last = c.end - base
            starts.append(c.start - base if c is not None else last)
        return RowValues(None, "incomplete", items), starts
    cells: list[Cell] = slots  # type: ignore[assignment]  # no None: returned above
    items = tuple(c.text for c in cells)
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


def read_cells(doc: Document, start: int, end: int, specs: tuple[RowSpec, ...]) -> RowsRead | None:
    """Tables 二 or 三 from the grid tables in text[start:end] (a section), or None where they
    cannot be read over cells with confidence (then the text is read as before). The offsets
    are into the section text, as read_rows gives them."""
    tables = doc.grid_tables(start, end)
    if not tables:
        return None
    found = _Reader(specs, single=False, by_place=any(t.index in doc.ocr_tables for t in tables)).rows(tables)
    if not found:
        return None
    rows: dict[int, RowValues] = {}
    labels: dict[int, str] = {}
    starts: dict[int, list[int]] = {}
    for spec_i, label, values, (columns, owner) in found:
        assert spec_i is not None  # noqa: S101 - rows() names every row it returns here
        if spec_i in rows:
            return None  # printed twice: the text path says which reading it keeps
        spec = specs[spec_i]
        slots: Slots = [None] * len(spec.columns)
        if not _index(spec.columns).keys() <= columns.keys() or not _place(values, spec.columns, owner, slots):
            return None
        read = _row_values(spec.columns, slots, start)
        if read is None:
            return None
        rows[spec_i], starts[spec_i] = read
        labels[spec_i] = label
    return RowsRead(rows, labels, [], [], [], starts)


@per_object(maxsize=8)
def _single(spec: RowSpec) -> tuple[RowSpec]:
    return (spec,)  # one tuple per spec: the caches keyed by it hit


def read_single_cells(doc: Document, start: int, end: int, spec: RowSpec) -> tuple[RowValues, list[int]] | None:
    """Table 四's one row of values from the grid tables in text[start:end]: its pieces' values
    gathered under their header columns (one table, or three, one per group); None where it
    cannot be read over cells with confidence."""
    tables = doc.grid_tables(start, end)
    found = _Reader(_single(spec), single=True).rows(tables) if tables else None
    if not found:
        return None
    slots: Slots = [None] * len(spec.columns)
    for _, label, values, (_, owner) in found:
        if label or not _place(values, spec.columns, owner, slots):
            return None
    if not any(c is not None and c.text for c in slots):
        return None
    return _row_values(spec.columns, slots, start)
