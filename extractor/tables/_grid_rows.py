"""The rows of a section's grid tables read under the header above them (for tables/_cells.py):
each row found by its label (its own label cells joined, else with the group label merged down
onto it, else completed by the next row where a page break cut it), its value cells after the
header's first value column. Header rows are read onto the template's columns (_headers.py) as
they come, so a table in pieces is read in order, each piece under the last header seen; page
furniture is skipped. A row without values is known by its texts once (they recur in every
report): a header, a label of a row printed blank, furniture, or none of these.

Public API: `GridRows`, `NO_COLUMNS`.
"""

from __future__ import annotations

import re
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING

from extractor.document import Cell, grid_furniture, match_key
from extractor.tables._headers import Columns, header_map, in_order, is_header, is_value, spans_lost, spec_keys
from extractor.tables._memo import per_object
from extractor.tables._ocr_labels import header_by_likeness, name_by_place
from extractor.tables._pieces import lay_out, realign
from extractor.tables._row_match import best_row, label_rows
from extractor.tables._slots import Under
from extractor.tables._template import RowSpec

if TYPE_CHECKING:
    from extractor.document import Table

__all__ = ["NO_COLUMNS", "GridRows"]

# A row label's own start, in match_key's forms: 一. (三) 2.
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+\.|\([一二三四五六七八九十]+\)|\d{1,2}\.(?!\d))")

NO_COLUMNS = Under({}, {}, 0)  # a row read under no columns: none of its values is placed
_HEADER, _DATA, _FURNITURE, _OTHER = range(4)  # what a row without values is (GridRows._kind)
_KINDS_MAX = 20_000


@per_object(maxsize=64)
def _kinds(specs: tuple[RowSpec, ...], single: bool) -> dict[tuple[str, ...], int]:
    """What each row without values is, by its texts, for one table's specs (GridRows._kind)."""
    return {}


_ROWSPAN = itemgetter(6)  # Cell.rowspan
_SHAPE = itemgetter(0, 5, 6, 7)  # Cell.text, col, rowspan, colspan: what a header row's reading depends on
_HEADS: dict[tuple[object, ...], tuple[dict[str, tuple[str, str | None]], Columns, int | None, str]] = {}
_HEADS_MAX = 2_000
_LAST = itemgetter(1)  # a carried cell's last row
_NEVER = 1 << 62
_TEXT = itemgetter(0)  # Cell.text


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


class GridRows:
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
        every = list(chain.from_iterable(zip(repeat(t.index), t.rows) for t in tables))
        pending: list[tuple[Cell, ...]] = []  # header rows since the last data row
        carried: list[tuple[Cell, int]] = []  # cells merged down from rows above, with the last row they cover
        expires = _NEVER  # the first row after some carried cell's last (the list is filtered there)
        after_data = True
        used: set[int] = set()  # rows holding only the rest of a label above: read with it
        pieces = {t.index: t.rows for t in tables}
        specs, single = self.specs, self.single
        named = label_rows(specs)  # best_row's answers by label (labels recur: looked up in place)
        kinds = _kinds(specs, single)  # a row without values: what it is, by its texts
        last_table = every[0][0] if every else -1
        for r, (table, cells) in enumerate(every):
            if table != last_table:
                last_table = table
                carried, expires = [], _NEVER  # a table's merged cells end with it
                if self.columns and (after_data or not pending) and not any(
                        is_header(row, self.leaves) for row in pieces[table]):
                    moved = realign(self.columns, list(pieces[table]))  # continued: its own grid's columns?
                    if moved is not None and moved != self.columns:
                        self.set_columns(moved)
            if r >= expires:  # a carried cell ended on the row above
                carried = [(c, last) for c, last in carried if last >= r]
                expires = min(carried, key=_LAST)[1] + 1 if carried else _NEVER
            merged = carried  # the cells merged down onto this row: `above` makes their list where asked
            if max(map(_ROWSPAN, cells)) > 1:  # a cell merged down (the scan in C: most rows have none; no row is empty)
                down = [(c, r + c.rowspan - 1) for c in cells if c.rowspan > 1]
                carried = carried + down  # a new list: `merged` stays
                expires = min(expires, min(down, key=_LAST)[1] + 1)
            has_text = False
            value_at = -1  # the first value cell's place in the row (-1: none)
            i = 0
            for c in cells:  # up to the first value
                text = c.text
                if text:
                    has_text = True
                    if text.isascii() and text.isdigit():
                        value_at = i
                        break
                    if is_value(text) and text.strip():  # (is_value keeps its answer per text: labels recur)
                        value_at = i
                        break
                i += 1
            if not has_text or r in used:
                continue
            if value_at < 0:  # no value: a header, a label of a row with blank values, page furniture
                texts = tuple(map(_TEXT, cells))
                kind = kinds.get(texts)
                if kind is None:
                    kind = self._kind(texts, cells, kinds)
                if kind == _FURNITURE:
                    continue
                if kind == _OTHER:
                    wrapped = self._blank_wrapped(every, r, cells) if self.columns else None
                    if wrapped is not None:
                        used.add(wrapped[1])
                        out.append((wrapped[0], wrapped[2], wrapped[3], self.under))
                        pending, after_data = [], True
                        continue
                if kind != _DATA:
                    if after_data:
                        pending, after_data = [], False
                    pending.append(cells)
                    continue
                value_at = len(cells)
            if pending:
                if not self._header(pending, table, every, r):
                    return None
                pending = []
            after_data = True
            if not self.columns:
                self.why = "a value row before any header naming the template's columns"
                return None
            first = self.first
            if value_at < len(cells) and cells[value_at].col >= first and (
                    value_at == 0 or cells[value_at - 1].col < first):
                k = value_at  # the cells before the first value are the label's (a row's cells come in grid order)
            else:
                k = 0
                while k < len(cells) and cells[k].col < first:
                    k += 1
            label = cells[0].text if k == 1 else "".join(map(_TEXT, cells[:k])) if k else ""
            values = cells[k:]
            if value_at < k:  # a value among its label cells
                off = None if single else self._misaligned(cells, _above(merged))
                if off is None:
                    self.why = f"a value left of the header's columns in row '{label[:20]}'"
                    return None
                if not off[3]:
                    out.append((off[0], off[1], off[2], NO_COLUMNS))
                continue  # an exact one: its reading is left to the text (_read.py takes the rows it has)
            if self.order and values and k and not cells[k - 1].text and \
                    values[-1].col + values[-1].colspan < self.under.width:
                # a row ending before its header, a blank cell between its label and the header's
                # columns: it starts left of them (its first value blank)?
                off = self._misaligned(cells, _above(merged))
                if off is not None and off[3]:
                    continue  # exactly its count of cells after its label: the text reads them
            if single:
                out.append((None, label, values, self.under))
                continue
            spec_i = named[label] if label in named else best_row(label, specs)
            if spec_i is None and merged:
                group = "".join(c.text for c, _ in merged if c.col < first)
                spec_i = best_row(group + label, specs) if group else None
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
            found_rows = name_by_place(out, specs)
            if found_rows is None:
                self.why = "an OCR row the template does not name, and its place does not name it either"
            return found_rows
        return out

    def _kind(self, texts: tuple[str, ...], cells: tuple[Cell, ...], kinds: dict[tuple[str, ...], int]) -> int:
        """What a row without values is (_HEADER, _DATA, _FURNITURE, _OTHER), kept by its texts."""
        data = not self.single and best_row("".join(texts), self.specs) is not None
        if is_header(cells, self.leaves):
            kind = _HEADER
        elif data:
            kind = _DATA
        elif all(grid_furniture().match(t) for t in texts if t):  # page numbers (`— 4 —`, `4/6`)
            kind = _FURNITURE
        else:
            kind = _OTHER
        if len(kinds) > _KINDS_MAX:
            kinds.clear()
        kinds[texts] = kind
        return kind

    def _header(self, pending: list[tuple[Cell, ...]], table: int, every: list[tuple[int, tuple[Cell, ...]]],
                r: int) -> bool:
        """Read the header rows above data row `r` (in grid table `table`): the columns rows are
        read under from here; False (and `why`) where the header places nothing. A header is read
        once for each printed form (its cells' texts, places and spans): every report prints the
        same few; one that lost its spans is laid out over its table's rows each time."""
        key = None
        if not self.by_place:
            key = (id(self.keys), tuple(row[0].table == table for row in pending),
                   tuple(tuple(map(_SHAPE, row)) for row in pending))
            hit = _HEADS.get(key)
            if hit is not None and hit[0] is self.keys:
                return self._use_header(*hit[1:])
        found = header_map(header_by_likeness(pending, self.leaves) if self.by_place else pending, self.keys)
        # where the header ends: its rows in this table (a caption left on the page before is not)
        width: int | None = max((c.col + max(1, c.colspan) for row in pending for c in row if c.table == table),
                                default=None)
        if self.order and not found.keys() >= set(self.order) and spans_lost(pending, self.table):
            # the template's header without its spans: its columns where the rows print values
            laid = lay_out(self.order, [c for t, c in every[r:] if t == table], not self.single)
            if laid is None:
                self.why = "the template's header without its spans, over rows that do not all line up"
                return False
            found, width = laid, None  # the header's cells are no guide to the grid's width
            key = None  # laid out over this table's rows: not kept
        why = ""
        if not in_order(found, self.keys):
            why = "the header prints the template's columns in another order"
        elif not found and any(sum(1 for c in row if c.text) > 1 for row in pending):
            why = "a header naming none of the template's columns"
        if key is not None:
            if len(_HEADS) > _HEADS_MAX:
                _HEADS.clear()
            _HEADS[key] = (self.keys, found, width, why)
        return self._use_header(found, width, why)

    def _use_header(self, found: Columns, width: int | None, why: str) -> bool:
        if why:
            self.why = why
            return False
        if found:
            self.set_columns(found, width)
        return True

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
