"""Storing the rows the deduction placed (_place.py: a row printed short, its blank cells dropped,
whose values the identities put in one place only): each printed value in its column, the other
columns blank, and the row's `row_incomplete` warning turned into `cells_placed`, or given the
reason it was not placed. Called by `settle_glued` (_store.py) after the deduction.

A row that several placements fit, each satisfying every identity, is not placed; but a column
that every one of them gives the same part (`Deduction.agreed`: a group of table 四 whose values
add up one way only, a 总计) is decided by the report, and read where which row the values are
is not in doubt: its `row_incomplete` warning then names only the columns left unread, and a
`cells_placed` one the columns read. Table 四 is printed as one row. In table 三 each row is
known by its label, which a converter can cut and scatter (pdfplumber prints a label one or two
characters a line, and a row's values beside another's label: seen read under the row above);
a column decided under a label read wrong would be a wrong number, so cells are read this way
there only where every row of the table was found by its own label, once (_rows_accounted);
elsewhere only whole rows are placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from extractor.models import CellState, Finding, WarningCode
from extractor.tables._deduce import Agreed, Settled
from extractor.tables._template import REVIEW_ROW
from extractor.tables._values import split_cells

if TYPE_CHECKING:
    from extractor.tables._store import TablesRead

__all__ = ["ONLY_PLACEMENT", "store_placed"]

ONLY_PLACEMENT = "only_placement"  # split_by of a row placed with no identity: one column fits each value


def store_placed(out: TablesRead, table: str, placed: list[Settled], unsettled: dict[tuple[str, ...], str],
                 empty: str, agreed: Sequence[Agreed] = ()) -> None:
    """Rows printed short whose values the identities place one way only: each printed value in
    its column (`split_from` the printed row, `split_by` what decided), the others blank; their
    `row_incomplete` warning becomes a `cells_placed` one. A row left unplaced gets the reason,
    and its columns that every admitted placement agrees on are read (`agreed`, _store_agreed).
    `empty`: how a blank cell shows in a message (_store.EMPTY_ITEM)."""
    for s in placed:
        where = out.glued_at.get(s.row.key) or [None] * len(s.row.keys)
        for (k, cell), at, part in zip(s.row.split(s.parts), where, s.parts):
            if not cell.split_from:  # the row printed nothing: the run it was placed from, shown empty
                cell.split_from = empty
            # what decided it, never empty: a placed cell is told apart from a printed one by split_by
            out.put(k, cell, s.split_by or [ONLY_PLACEMENT], at if part else None)  # a blank placed was not printed
    keys = {tuple(s.row.keys): s for s in placed}
    for i, w in enumerate(out.warnings):
        if w.code != WarningCode.ROW_INCOMPLETE or not w.keys:
            continue
        done = keys.get(tuple(w.keys))
        if done is not None:
            shown = " ".join(p or empty for p in done.parts)
            out.warnings[i] = Finding(code=WarningCode.CELLS_PLACED, keys=list(w.keys), message=(
                f"{done.row.key.removeprefix(table + '.')}: {len(done.row.items)} values printed for "
                f"{len(done.row.keys)} columns ('{' '.join(done.row.items)}'), blank cells dropped; placed the only "
                f"way the identities allow: {shown} ({', '.join(done.split_by) if done.split_by else 'each value fits one column only'})"))
            continue
        reason = unsettled.get(tuple(w.keys))
        if reason is not None and "missing is unknown" in w.message:
            out.warnings[i] = Finding(code=w.code, keys=w.keys, message=f"{w.message}; not placed: {reason}")
    mapped = bool(agreed) and _rows_accounted(out, table)
    for a in agreed:
        if a.row.key == REVIEW_ROW.key or mapped:  # which row the values are is not in doubt
            _store_agreed(out, table, a, empty)


_DOUBTFUL_ROWS = (WarningCode.LABEL_UNRECOGNISED, WarningCode.ROW_DUPLICATE, WarningCode.EXTRA_ROW, WarningCode.ROW_MISSING)


def _rows_accounted(out: TablesRead, table: str) -> bool:
    """Whether every row of the table was found by its own label, once: no row missing, none
    matched by position, printed twice or left over as an extra, and no two rows read from the
    same printed values. Then a row read under a wrong label would have left another row
    missing or doubled; where one is, a label may be misread, and only whole rows are placed."""
    prefix = table + "."
    if any(w.code in _DOUBTFUL_ROWS and (not w.keys or w.keys[0].startswith(prefix)) and (
            w.code != WarningCode.EXTRA_ROW or w.message) for w in out.warnings):
        return False
    if any(e.table == table for e in out.extras) or any(
            k.startswith(prefix) and c.state == CellState.ABSENT for k, c in out.cells.items()):
        return False
    firsts = [next((at[0] for at in where if at is not None), None) for key, where in out.glued_at.items()
              if key.startswith(prefix)]
    printed = [f for f in firsts if f is not None]
    return len(printed) == len(set(printed))


def _store_agreed(out: TablesRead, table: str, agreed: Agreed, empty: str) -> None:
    """A row not placed whose columns `agreed.parts` (not None) every admitted placement gives the
    same part: those cells read (a value where printed, else blank), the others stay unread."""
    row, parts = agreed.row, agreed.parts
    where = out.glued_at.get(row.key) or [None] * len(row.keys)
    whole = " ".join(row.items)
    read: list[str] = []
    for key, kind, part, at in zip(row.keys, row.kinds, parts, where):
        if part is None:
            continue
        out.put(key, split_cells((part,), (kind,), whole)[0], agreed.split_by or [ONLY_PLACEMENT], at if part else None)
        read.append(key)
    left = [k for k in row.keys if k not in set(read)]
    shown = " ".join("?" if p is None else p or empty for p in parts)
    name = row.key.removeprefix(table + ".")
    for i, w in enumerate(out.warnings):
        if w.code == WarningCode.ROW_INCOMPLETE and tuple(w.keys) == tuple(row.keys):
            out.warnings[i] = Finding(code=w.code, keys=left, message=(
                f"{w.message}; partly placed: {len(read)} of its cells are the same in every placement and are "
                f"read ({shown}), the {len(left)} marked ? stay unread"))
            break
    out.warnings.append(Finding(code=WarningCode.CELLS_PLACED, keys=read, message=(
        f"{name}: {len(row.items)} values printed for {len(row.keys)} columns ('{whole}'), blank cells dropped; "
        f"partly placed: the cells every placement the identities allow agrees on: {shown} "
        f"({', '.join(agreed.split_by) if agreed.split_by else 'each value fits one column only'})")))
