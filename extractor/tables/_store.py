"""Storing the rows read into a `TablesRead`: each cell with its value, state and where it was
printed, the rows that could not be read as printed (short, overfull, glued, a split the row's
own 总计 refutes), and the glued rows the deduction settles (`settle_glued`, `store_split`).

Apart from reading the tables (_read.py: which version, which section) because this is what every
table shares once its rows are found, and what the year-to-year deduction (_crossyear.py) reuses
to store a row the other year's report settles (`store_split`, `glued_row`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING

from extractor.models import (
    CellInfo,
    CellState,
    Check,
    ExtraRow,
    Finding,
    TemplateVersion,
    Unit,
    WarningCode,
)
from extractor.tables._blind_splits import blanks_shown
from extractor.tables._deduce import Agreed, GluedRow, deduce, stated_facts
from extractor.tables._keys import TOTAL, column_of, table_of
from extractor.tables._memo import per_object
from extractor.tables._placed import store_placed
from extractor.tables._row_values import RowValues, lost_cell_fits
from extractor.tables._rows import RowsRead, run_span
from extractor.tables._shared import shared_columns
from extractor.tables._table_fit import table_fit_allowed
from extractor.tables._template import RowSpec, identities, rows
from extractor.tables._values import CellValue, split_cells

if TYPE_CHECKING:
    from extractor.document import At, Document

__all__ = [
    "TablesRead",
    "glued_row",
    "plural",
    "settle_glued",
    "split_refuted",
    "store_broken_split",
    "store_rows",
    "store_short_row",
    "store_split",
]
EMPTY_ITEM = "∅"  # how an empty printed item shows in a row's raw text
_new: Callable[[type[CellInfo]], CellInfo] = object.__new__  # a plain cell's CellInfo, no __init__ call (test_store_cells.py)


@dataclass
class TablesRead:
    fields: dict[str, int | float | None] = field(default_factory=dict)
    cells: dict[str, CellInfo] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    table_versions: dict[str, TemplateVersion | None] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    extras: list[ExtraRow] = field(default_factory=list)
    out_of_range: list[str] = field(default_factory=list)  # keys of cells printed beyond the template's bounds
    # Where cells were printed: the document and each section's offset in its text (read_tables).
    doc: Document | None = None
    offsets: dict[str, int] = field(default_factory=dict)
    open_ends: bool = False  # the document's pipe rows end open (document.open_row_ends), once a report
    glued_at: dict[str, Sequence[At | None]] = field(default_factory=dict)  # a glued row's cells' `at`, by row key
    # How each table was read: "cells" (over the grid's cells), or "text: <why not over cells>" (_read.py)
    read_over: dict[str, str] = field(default_factory=dict)

    def put(self, key: str, cell: CellValue, split_by: list[str] | None = None, at: At | None = None) -> None:
        self.fields[key] = cell.value
        if cell.out_of_range:
            self.out_of_range.append(key)
        if cell.unit:
            self.cells[key] = CellInfo(cell.raw, cell.state, cell.unit, "cell", cell.split_from, split_by, at)
            self.units[key] = cell.unit
        else:  # positional: a report has ~200 cells, and keywords cost more
            self.cells[key] = CellInfo(cell.raw, cell.state, None, None, cell.split_from, split_by, at)

    def put_row(self, keys: tuple[str, ...], row: list[CellValue], where: Iterable[At | None]) -> None:
        """put() of a row's cells read one by one: the common case inline (no unit, in range)."""
        fields, cells, new = self.fields, self.cells, _new
        for key, cell, at in zip(keys, row, where):
            if cell.unit or cell.out_of_range:
                self.put(key, cell, None, at)
                continue
            fields[key] = cell.value
            cells[key] = info = new(CellInfo)  # CellInfo(cell.raw, cell.state, None, None, cell.split_from, None, at)
            info.raw = cell.raw
            info.state = cell.state
            info.split_from = cell.split_from
            info.at = at
            info.unit = info.unit_source = info.split_by = info.ocr = None

    def put_row_at(self, keys: tuple[str, ...], row: list[CellValue], starts: list[int], items: tuple[str, ...],
                   base: int) -> None:
        """put_row() of a row read item by item from text with no grid: each cell's `at` its own
        item's span (`where`'s common case)."""
        self.put_row(keys, row, [(base + s, base + s + len(t), None, None, None, None) for s, t in zip(starts, items)])

    def put_row_spanned(self, keys: tuple[str, ...], row: list[CellValue], at: At) -> None:
        """put_row() of a row whose cells all share one `at` (split from one run of digits)."""
        self.put_row(keys, row, repeat(at))

    def put_unknown(self, key: str, raw: str, state: CellState, at: At | None = None) -> None:
        self.fields[key] = None
        self.cells[key] = CellInfo(raw, state, None, None, None, None, at)

    def put_unknowns(self, keys: tuple[str, ...], raw: str, state: CellState,
                     where: Sequence[At | None] | None = None) -> None:
        """put_unknown() of each key, with its `at` from `where` (none without)."""
        fields, cells = self.fields, self.cells
        if not where:  # (a table or row not found: ~200 keys a report, each dict filled in one call)
            fields.update(dict.fromkeys(keys))
            cells.update({key: CellInfo(raw, state, None, None, None, None, None) for key in keys})
            return
        for key, at in zip(keys, where):
            fields[key] = None
            cells[key] = CellInfo(raw, state, None, None, None, None, at)

    def where(self, table: str, row: RowValues, starts: list[int] | None, n: int) -> Sequence[At | None]:
        """Each of a row's n cells' `at` (None where unknown: no offsets or no section offset)."""
        base = self.offsets.get(table)
        if base is None or not starts:
            return [None] * n
        items, first = row.raw_items, row.first
        grid = self.doc if self.doc is not None and self.doc.grid else None
        if row.cells is not None and len(items) == n and first + n <= len(starts):  # a cell per item
            if grid is None:
                return [(base + s, base + s + len(t), None, None, None, None)
                        for s, t in zip(starts[first:first + n], items)]
            return grid.at_many([(base + s, base + s + len(t)) for s, t in zip(starts[first:first + n], items)])
        span = run_span(row, starts)  # cells read from one run share its span
        if span is None:
            return [None] * n
        if grid is not None:
            return [grid.at_many([(base + span[0], base + span[1])])[0]] * n
        return [(base + span[0], base + span[1], None, None, None, None)] * n

    def warn(self, code: WarningCode, message: str, keys: list[str] | tuple[str, ...] | None = None) -> None:
        self.warnings.append(Finding(code=code, message=message, keys=list(keys or [])))


def plural(n: int, word: str = "row") -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _raw(row: RowValues) -> str:
    return " ".join(i if i else EMPTY_ITEM for i in row.raw_items)


def glued_row(cells: dict[str, CellInfo], key: str, version: TemplateVersion | str | None) -> GluedRow | None:
    """The glued row a cell of a parsed report belongs to, rebuilt from its raw text (for the
    year-to-year deduction); None when the cell is not glued."""
    cell = cells.get(key)
    if cell is None or cell.state != CellState.GLUED or version is None or blanks_shown(cells):
        return None  # (a report that leaves cells blank may have dropped one from the run: _blind_splits)
    table = table_of(key)
    if table is None:
        return None
    spec = next((r for r in rows(table, version) if key in r.keys), None)
    if spec is None:
        return None
    items = tuple("" if i == EMPTY_ITEM else i for i in cell.raw.split(" "))
    return GluedRow(spec.key, spec.keys, spec.kinds, items)


def store_rows(out: TablesRead, table: str, specs: tuple[RowSpec, ...], read: RowsRead) -> list[GluedRow]:
    """Store every row read; the glued ones are returned for the deduction."""
    glued: list[GluedRow] = []
    missing: list[RowSpec] = []
    split: list[tuple[RowSpec, str]] = []
    base = out.offsets.get(table)
    grid = out.doc is not None and out.doc.grid  # else `at` from the text's offsets alone
    for i, spec in enumerate(specs):
        row = read.rows.get(i)
        if row is None:
            out.put_unknowns(spec.keys, "", CellState.ABSENT)
            missing.append(spec)
            continue
        cells = row.cells
        if base is not None and not grid and cells is not None and not cells[0].split_from and not row.inferred:
            starts, n, first = read.starts.get(i), len(spec.keys), row.first
            if starts and len(row.raw_items) == n and first + n <= len(starts):  # a cell per item (as `where`)
                out.put_row_at(spec.keys, cells, starts[first:first + n], row.raw_items, base)
                continue
        if base is not None and not grid and cells is not None and cells[0].split_from and not row.inferred:
            # glued digits split the one way that fits (`1 0 0 0 0 0 01`): every cell shares the run's span
            # (as `where`), made once; the same items print again in report after report (row_reading's)
            starts = read.starts.get(i)
            span = run_span(row, starts) if starts and len(row.raw_items) != len(spec.keys) else None
            if span is not None and not _refuted(row, table):
                out.put_row_spanned(spec.keys, cells, (base + span[0], base + span[1], None, None, None, None))
                split.append((spec, cells[0].split_from))
                continue
        ats = read.ats.get(i) if read.ats and base is not None else None
        if ats is not None and cells is not None and not cells[0].split_from and not row.inferred \
                and len(row.raw_items) == len(spec.keys) and row.first == 0:
            out.put_row(spec.keys, cells, ats)  # a grid row placed as printed: `where`'s lookup of each cell, done
            continue
        where = out.where(table, row, read.starts.get(i), len(spec.keys))
        if row.cells is not None and row.cells[0].split_from and split_refuted(table, row):
            store_broken_split(out, spec, row, where)
            continue
        if row.cells is not None and row.inferred and split_refuted(table, row):
            _store_refuted_columns(out, spec, row, where)
            continue
        if row.cells is not None:
            out.put_row(spec.keys, row.cells, where)
            if row.cells[0].split_from:
                split.append((spec, row.cells[0].split_from))
            continue
        short = store_short_row(out, spec, row, where)
        if short is not None:
            glued.append(short)
    if split:
        shown = "; ".join(f"{sp.name} '{raw}'" for sp, raw in split[:4])
        more = f"; and {len(split) - 4} more" if len(split) > 4 else ""
        out.warn(WarningCode.CELLS_SPLIT, f"{table}: {plural(len(split))} printed without separators, "
                 f"split the only way that fits the columns: {shown}{more}", [k for sp, _ in split for k in sp.keys])
    if missing:
        names = ", ".join(m.name for m in missing)
        tail = " (the table stops early: a cut-off page?)" if specs[-1] in missing and len(missing) > 2 else ""
        out.warn(WarningCode.ROW_MISSING, f"{table}: {plural(len(missing))} not found{tail}: {names}",
                 [k for m in missing for k in m.keys])
    for i in read.by_order:
        out.warn(WarningCode.LABEL_UNRECOGNISED, f"row label '{read.labels[i]}' matched to {specs[i].key} by its position",
                 specs[i].keys)
    for i in read.duplicates:
        out.warn(WarningCode.ROW_DUPLICATE, f"{specs[i].key} printed more than once; the first reading is kept",
                 specs[i].keys)
    for seg in read.extras:
        out.extras.append(ExtraRow(table=table, label=seg.label, values=seg.items))
        out.warn(WarningCode.EXTRA_ROW, f"row not in the template kept in extras: {seg.label}")
    return glued


def split_refuted(table: str, row: RowValues) -> bool:
    """Whether the only well-formed split of a row's digits may not be output: the row's own
    总计 refutes it (table 三's rows, table 四's groups)."""
    if table == "active_disclosure":
        return False  # no 总计 to check (rows.py keeps separate cells apart)
    several = len(row.raw_items) - row.raw_items.count("") > 1
    return _split_breaks_total(row.cells or [], 5 if table == "review_litigation" else 7, several)


@per_object(maxsize=4096)  # a row read by row_reading is shared by every report printing its items
def _refuted(row: RowValues, table: str) -> bool:
    return split_refuted(table, row)


def _split_breaks_total(cells: list[CellValue], group: int = 7, several: bool = True) -> bool:
    """Whether a split of glued digits breaks its row's own 总计 (the last cell of each group of
    `group` cells is the sum of the others: table 三's rows by 7, table 四's groups by 5). One
    run with one digit per column (`several` False) had no choice: the figures are as printed."""
    if len(cells) % group:
        return False
    values = [c.value for c in cells]
    for g in range(0, len(values), group):
        part = values[g:g + group]
        if None in part:
            return False
        if sum(part[:-1]) != part[-1]:  # type: ignore[arg-type]  # no None: returned above
            # (asked only of a broken 总计: the search for a reading with a cell lost costs)
            return several or any(len(c.raw) != 1 for c in cells) or lost_cell_fits("".join(c.raw for c in cells), group)
    return False


def store_broken_split(out: TablesRead, spec: RowSpec, row: RowValues, where: Sequence[At | None]) -> None:
    """A row whose only well-formed split breaks its own 总计: the split is a guess the report
    refutes, so its cells stay unread (glued), with the reason."""
    raw = _raw(row)
    out.put_unknowns(spec.keys, raw, CellState.GLUED, where)
    out.warn(WarningCode.CELLS_GLUED, f"{spec.key}: digits printed without separators ({raw}) over {len(spec.keys)} "
             "cells; not split: the only well-formed split breaks the row's 总计", spec.keys)


def _store_refuted_columns(out: TablesRead, spec: RowSpec, row: RowValues, where: Sequence[At | None]) -> None:
    """A row whose columns had to be inferred (a converter's table with columns dropped or moved)
    and whose values then break the row's own 总计: the placement is refuted, nothing is output."""
    raw = _raw(row)
    out.put_unknowns(spec.keys, raw, CellState.INCOMPLETE, where)
    out.warn(WarningCode.ROW_INCOMPLETE, f"{spec.key}: values placed in columns that had to be inferred ({raw}) "
             "break the row's 总计; not output", spec.keys)


def store_short_row(out: TablesRead, spec: RowSpec, row: RowValues, where: Sequence[At | None]) -> GluedRow | None:
    """Store a row printed with fewer (or more) items than columns; a glued one is returned.
    `where`: each cell's `at` (the row's printed items, for cells not read one by one)."""
    keys, name, raw = spec.keys, spec.key, _raw(row)
    printed = [i for i in row.raw_items if i]
    if row.problem == "incomplete" and len(printed) == len(keys) - 1 and printed and all(
        p.strip() == "0" for p in printed
    ) and column_of(keys[-1]) == TOTAL:
        # Every printed value is 0 and the row's 总计 is the sum of the others, with no value
        # negative: the one missing value can only be 0 too (template.md §6.7).
        for k in keys:
            out.put(k, CellValue(0, CellState.DERIVED, "0"))  # derived: not printed, no `at`
        out.warn(WarningCode.ROW_INCOMPLETE, f"{name}: {len(printed)} of {len(keys)} values printed ({raw}); all are 0, "
                 "so by 总计 = sum of the others the missing one is 0", keys)
        return None
    if row.problem == "glued":
        out.put_unknowns(keys, raw, CellState.GLUED, where)
        out.glued_at[spec.key] = where
        # warned after the deduction, which may settle it
        return GluedRow(spec.key, keys, spec.kinds, tuple(i.strip() for i in row.raw_items), several=row.several)
    if row.problem == "overfull":
        out.put_unknowns(keys, raw, CellState.TEXT, where)
        out.warn(WarningCode.ROW_OVERFULL, f"{name}: {len(row.raw_items)} values printed for {len(keys)} columns ({raw})",
                 keys)
        return None
    out.put_unknowns(keys, raw, CellState.INCOMPLETE, where)
    out.warn(WarningCode.ROW_INCOMPLETE, f"{name}: {len(printed)} values printed for {len(keys)} columns ({raw}); "
             "which cell is missing is unknown", keys)
    out.glued_at[spec.key] = where
    # its blanks may have been dropped: the deduction places the values if the identities allow one way
    return GluedRow(spec.key, keys, spec.kinds, tuple(i.strip() for i in row.raw_items), placed=True)


def store_split(out: TablesRead, row: GluedRow, parts: tuple[str, ...], split_by: list[str] | None,
                where: Sequence[At | None]) -> None:
    """Store the one split a glued row was settled to: each cell's value, the run it was split
    from and what decided it (`split_by`), and where it was printed (`where`, by cell). Also for
    a row the other year's report settles (crossyear.py)."""
    for (k, cell), at in zip(row.split(parts), where):
        out.put(k, cell, split_by or None, at)


def settle_glued(out: TablesRead, table: str, version: TemplateVersion, glued: list[GluedRow],
                  text: str = "") -> None:
    """Run the deduction over the table's glued rows, store what it settles, warn about the rest."""
    if not glued:
        return
    facts: dict[str, list[tuple[float, str]]] = {}
    if text:
        for row in glued:
            facts.update(stated_facts(text, row))
    # asked only where the deduction needs it (rare): deduce reads `out` and changes nothing in it
    def fit() -> bool:
        return table_fit_allowed(out, table, rows(table, version), {r.key: any(r.items) for r in glued if r.placed})

    result = deduce(glued, identities(table, version), out.fields, out.cells, facts, shared_columns(out, glued), fit)
    placed = [s for s in result.settled if s.row.placed]
    result.settled = [s for s in result.settled if not s.row.placed]
    for s in result.settled:
        store_split(out, s.row, s.parts, s.split_by, out.glued_at.get(s.row.key) or [None] * len(s.row.keys))
    store_placed(out, table, placed, {tuple(r.keys): result.unsettled[r.key] for r in glued
                                      if r.placed and r.key in result.unsettled}, EMPTY_ITEM,
                 [a for a in result.agreed if a.row.placed])
    agreed = {a.row.key: _store_agreed_split(out, a) for a in result.agreed if not a.row.placed}
    if result.settled:
        shown = "; ".join(f"{s.row.key.removeprefix(table + '.')} '{' '.join(s.row.items)}' → {' '.join(s.parts)}"
                          f" ({', '.join(s.split_by) if s.split_by else 'the only well-formed split'})"
                          for s in result.settled[:4])
        more = f"; and {len(result.settled) - 4} more" if len(result.settled) > 4 else ""
        out.warn(WarningCode.CELLS_DEDUCED, f"{table}: {plural(len(result.settled))} printed without separators, "
                 f"split the only way the identities or the text allow: {shown}{more}",
                 [k for s in result.settled for k in s.row.keys])
    for row in glued:
        reason = result.unsettled.get(row.key)
        if reason is None or row.placed:
            continue
        read = agreed.get(row.key, [])
        out.warn(WarningCode.CELLS_GLUED, f"{row.key}: digits printed without separators ({' '.join(row.items)}) "
                 f"over {len(row.keys)} cells; not split: {reason}", [k for k in row.keys if k not in read])


def _store_agreed_split(out: TablesRead, agreed: Agreed) -> list[str]:
    """A glued row that several splits fit whose columns `agreed.parts` (not None) every split
    gives the same part: those cells read, with a `cells_deduced` warning; their keys."""
    row, parts = agreed.row, agreed.parts
    where = out.glued_at.get(row.key) or [None] * len(row.keys)
    whole = " ".join(row.items)
    read = []
    for key, kind, part, at in zip(row.keys, row.kinds, parts, where):
        if part is not None:
            out.put(key, split_cells((part,), (kind,), whole)[0], agreed.split_by or None, at if part else None)
            read.append(key)
    shown = " ".join("?" if p is None else p for p in parts)
    out.warn(WarningCode.CELLS_DEDUCED, f"{row.key}: digits printed without separators ({whole}); partly split: "
             f"every split {'the identities allow' if agreed.split_by else 'that gives each column a well-formed value or a blank'} "
             f"gives these cells the same part: {shown}", read)
    return read
