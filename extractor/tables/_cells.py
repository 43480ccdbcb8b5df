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
is found by its label: its own label cells joined, else with the group label merged down onto
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

import re
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from extractor.document import Cell, grid_furniture, match_key
from extractor.tables._headers import Columns, header_map, in_order, is_header, is_value, spans_lost, spec_keys
from extractor.tables._memo import per_object
from extractor.tables._ocr_labels import header_by_likeness, name_by_place
from extractor.tables._pieces import lay_out, realign
from extractor.tables._row_match import best_row
from extractor.tables._row_values import RowValues
from extractor.tables._rows import RowsRead
from extractor.tables._slots import Slots, Under, column_index, full_row_values, in_line, overfull, place, row_values
from extractor.tables._template import RowSpec

if TYPE_CHECKING:
    from extractor.document import Document, Table

__all__ = ["Refused", "read_cells", "read_single_cells"]

# A row label's own start, in match_key's forms: 一. (三) 2.
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+\.|\([一二三四五六七八九十]+\)|\d{1,2}\.(?!\d))")



_NO_COLUMNS = Under({}, {}, 0)  # a row read under no columns: none of its values is placed
_ROWSPAN = itemgetter(6)  # Cell.rowspan
_TEXT = itemgetter(0)  # Cell.text
_COL = itemgetter(5)  # Cell.col


@per_object(maxsize=64)
def _order(specs: tuple[RowSpec, ...]) -> tuple[str, tuple[str, ...]]:
    """The table's name, and its one set of columns in the template's order (表三, 表四; not 表二's sub-tables)."""
    shared = {s.columns for s in specs}
    return specs[0].key.partition(".")[0], tuple(c.label for c in specs[0].columns) if len(shared) == 1 else ()


@per_object(maxsize=256)  # a header's columns are one object for every report printing it (header_map)
def _under(columns: Columns, width: int | None) -> tuple[int, Under]:
    """The first value column, and the columns rows are read under."""
    first = min(min(cols) for cols in columns.values())
    owner = {col: label for label, cols in columns.items() for col in cols}
    last = max(max(cols) for cols in columns.values()) + 1
    return first, Under(columns, owner, max(width or 0, last))


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
        self.under = Under({}, {}, 0)
        self.why = ""  # why rows() gave None: the text path reads the table instead
        self.table, self.order = _order(specs)

    def set_columns(self, columns: Columns, width: int | None = None) -> None:
        """The columns rows are read under; `width`, where the header ends (its last column
        where no header says, as a piece continued without one)."""
        self.columns = columns
        self.first, self.under = _under(columns, width)
        self.owner = self.under.owner

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
            merged = carried  # the cells merged down onto this row: `above` makes their list where asked
            if carried:
                carried = [(c, n - 1) for c, n in carried if n > 1]
            if max(map(_ROWSPAN, cells)) > 1:  # a cell merged down (the scan in C: most rows have none; no row is empty)
                carried = carried + [(c, c.rowspan - 1) for c in cells if c.rowspan > 1]  # a new list: `merged` stays
            has_text = has_value = False
            value_at = len(cells)  # the first value cell's place in the row
            for i, c in enumerate(cells):  # up to the first value
                text = c.text
                if text:
                    has_text = True
                    if text.isascii() and text.isdigit() or text.strip() and is_value(text):
                        has_value = True
                        value_at = i
                        break
            if r in used or not has_text:
                continue
            data = has_value or not self.single and best_row("".join(map(_TEXT, cells)), self.specs) is not None
            header = not has_value and is_header(cells, self.leaves)
            if not data and not header:
                if all(grid_furniture().match(c.text) for c in cells if c.text):  # page numbers (`— 4 —`, `4/6`)
                    continue
                wrapped = self._blank_wrapped(every, r, cells) if self.columns else None
                if wrapped is not None:
                    used.add(wrapped[1])
                    out.append((wrapped[0], wrapped[2], wrapped[3], self.under))
                    pending, after_data = [], True
                    continue
            if header or not data:
                if after_data:
                    pending, after_data = [], False
                pending.append(cells)
                continue
            if pending:
                found = header_map(header_by_likeness(pending, self.leaves) if self.by_place else pending, self.keys)
                # where the header ends: its rows in this table (a caption left on the page before is not)
                width: int | None = max((c.col + max(1, c.colspan) for row in pending for c in row if c.table == table),
                                        default=None)
                if self.order and not found.keys() >= set(self.order) and spans_lost(pending, self.table):
                    # the template's header without its spans: its columns where the rows print values
                    laid = lay_out(self.order, [c for t, c in every[r:] if t == table], not self.single)
                    if laid is None:
                        self.why = "the template's header without its spans, over rows that do not all line up"
                        return None
                    found, width = laid, None  # the header's cells are no guide to the grid's width
                if not in_order(found, self.keys):
                    self.why = "the header prints the template's columns in another order"
                    return None
                if found:
                    self.set_columns(found, width)
                elif any(sum(1 for c in row if c.text) > 1 for row in pending):
                    self.why = "a header naming none of the template's columns"
                    return None
                pending = []
            after_data = True
            if not self.columns:
                self.why = "a value row before any header naming the template's columns"
                return None
            first = self.first
            k = 0
            while k < len(cells) and cells[k].col < first:  # a row's cells come in grid order
                k += 1
            label = "".join(map(_TEXT, cells[:k])) if k else ""
            values = cells[k:]
            if value_at < k:  # a value among its label cells
                off = None if self.single else self._misaligned(cells, _above(merged))
                if off is None:
                    self.why = f"a value left of the header's columns in row '{label[:20]}'"
                    return None
                if not off[3]:
                    out.append((off[0], off[1], off[2], _NO_COLUMNS))
                continue  # an exact one: its reading is left to the text (_read.py takes the rows it has)
            if self.order and values and k and not cells[k - 1].text and \
                    values[-1].col + values[-1].colspan < self.under.width:
                # a row ending before its header, a blank cell between its label and the header's
                # columns: it starts left of them (its first value blank)?
                off = self._misaligned(cells, _above(merged))
                if off is not None and off[3]:
                    continue  # exactly its count of cells after its label: the text reads them
            if self.single:
                out.append((None, label, values, self.under))
                continue
            spec_i = best_row(label, self.specs)
            if spec_i is None and merged:
                group = "".join(c.text for c, _ in merged if c.col < first)
                spec_i = best_row(group + label, self.specs) if group else None
            if spec_i is None and label:
                spec_i, rest, label = self._wrapped(every, r, cells, first)
                if rest is not None:
                    used.add(rest)
            if spec_i is None and label:
                spec_i = self._by_group(_above(merged), cells, first)
            if spec_i is None:
                if any(c.text for c in values) and not self.by_place:
                    self.why = f"a row the template does not name: '{label[:20]}'"
                    return None
                if any(c.text for c in values):
                    out.append((None, label, values, self.under))  # named by its place below
                continue
            if out and out[-1][0] == spec_i and not any(c.text for c in values) and not _ENUMERATED.match(
                    match_key(label)):
                continue  # the rest of the label above, wrapped onto a row of its own (`仍不明确`)
            out.append((spec_i, label, values, self.under))
        if self.by_place and any(row[0] is None for row in out):
            named = name_by_place(out, self.specs)
            if named is None:
                self.why = "an OCR row the template does not name, and its place does not name it either"
            return named
        return out

    def _misaligned(self, cells: tuple[Cell, ...], above: list[Cell]) -> tuple[int, str, tuple[Cell, ...], bool] | None:
        """A row whose values start left of the header's columns (a label merged down that lost
        its rowspan), named by its label: its template row, label and value cells (those after
        its last words), and whether they are exactly the template's count of single cells side
        by side. Such a row is left to the text (its columns in the template's order, nothing
        to shift); one with a cell more or less is read here as overfull or incomplete, no
        value placed. None where no template row is named."""
        m = max((i for i, c in enumerate(cells) if c.text and not is_value(c.text)), default=-1)
        label = "".join(c.text for c in cells[:m + 1])
        spec_i = best_row(label, self.specs) if label else None
        if spec_i is None and label and above:
            spec_i = best_row("".join(c.text for c in above if c.text and not is_value(c.text)) + label, self.specs)
        if spec_i is None:
            return None
        values = cells[m + 1:]
        n = len(self.specs[spec_i].columns)
        exact = len(values) == n and all(c.colspan == 1 and c.col == values[0].col + j for j, c in enumerate(values))
        return spec_i, label, values, exact

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


def _above(merged: list[tuple[Cell, int]]) -> list[Cell]:
    """The cells merged down onto a row from the rows above."""
    return [c for c, _ in merged]


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
    reader = _Reader(specs, single=False, by_place=any(t.index in doc.ocr_tables for t in tables))
    found = reader.rows(tables)
    if not found:
        return Refused(reader.why or "no row of the template in the grid")
    rows: dict[int, RowValues] = {}
    labels: dict[int, str] = {}
    starts: dict[int, list[int]] = {}
    # the rows of a table share their columns and header: what the header lacks of a row's columns,
    # and where a row prints its cells in line (in_line), once for each
    plans: dict[tuple[int, int], tuple[set[str], tuple[int, ...] | None]] = {}
    for spec_i, label, values, under in found:
        assert spec_i is not None  # noqa: S101 - rows() names every row it returns here
        spec = specs[spec_i]
        if spec_i in rows:
            return Refused(f"row {spec.name} printed twice")  # the text path says which reading it keeps
        if under is _NO_COLUMNS:  # a row left of the header's columns, a cell more or less than its own
            rows[spec_i], starts[spec_i] = overfull(values, start) if len(values) > len(spec.columns) else \
                (RowValues(None, "incomplete", tuple(c.text for c in values)), [c.start - start for c in values])
            labels[spec_i] = label
            continue
        plan = plans.get((id(spec.columns), id(under)))
        if plan is None:
            plan = plans[id(spec.columns), id(under)] = (column_index(spec.columns).keys() - under.columns.keys(),
                                                         in_line(spec.columns, under))
        missing, cols = plan
        if missing:
            return Refused(f"row {spec.name}: the header names no column {'/'.join(sorted(missing))}")
        if cols is not None and len(values) == len(cols) and tuple(map(_COL, values)) == cols and \
                values[-1].col + max(1, values[-1].colspan) >= under.width:
            # the common row: a cell under each column in its order, reaching the header's end (no
            # cell to look up): placed as `place` would, when every printed cell is a value
            items = tuple(map(_TEXT, values))
            joined = "".join(items)
            if joined.isascii() and joined.isdigit() or all(is_value(t) for t in items):
                read = full_row_values(spec.columns, values, items, start)
                if read is None:
                    return Refused(f"row {spec.name}: a cell that is no value")
                rows[spec_i], starts[spec_i] = read
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
    return RowsRead(rows, labels, [], [], [], starts)


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
    reader = _Reader(_single(spec), single=True)
    found = reader.rows(tables)
    if not found:
        return Refused(reader.why or "no value row in the grid")
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
