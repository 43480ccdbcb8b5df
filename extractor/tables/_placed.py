"""Storing the rows the deduction placed (_place.py: a row printed short, its blank cells dropped,
whose values the identities put in one place only): each printed value in its column, the other
columns blank, and the row's `row_incomplete` warning turned into `cells_placed`, or given the
reason it was not placed. Called by `settle_glued` (_store.py) after the deduction.

A row that several placements fit, each satisfying every identity, is not placed; but a column
that every one of them gives the same part (`Deduction.agreed`: a group of table 四 whose values
add up one way only, a 总计) is decided by the report, and read in a table printed as one row
(table 四), where which row the values are is not in doubt: its `row_incomplete` warning then
names only the columns left unread, and a `cells_placed` one the columns read. In a table of
many rows each row is known by its label, which a converter can cut and scatter (pdfplumber's
labels printed one or two characters a line); a column decided under a label read wrong would
be a wrong number, so there only whole rows are placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from extractor.models import Finding, WarningCode
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
    for a in agreed:
        if a.row.key == REVIEW_ROW.key:  # one printed row: which row the values are is not in doubt
            _store_agreed(out, table, a, empty)


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
