"""Storing the rows the deduction placed (_place.py: a row printed short, its blank cells dropped,
whose values the identities put in one place only): each printed value in its column, the other
columns blank, and the row's `row_incomplete` warning turned into `cells_placed`, or given the
reason it was not placed. Called by `settle_glued` (_store.py) after the deduction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.models import Finding, WarningCode
from extractor.tables._deduce import Settled

if TYPE_CHECKING:
    from extractor.tables._store import TablesRead

__all__ = ["ONLY_PLACEMENT", "store_placed"]

ONLY_PLACEMENT = "only_placement"  # split_by of a row placed with no identity: one column fits each value


def store_placed(out: TablesRead, table: str, placed: list[Settled], unsettled: dict[tuple[str, ...], str],
                 empty: str) -> None:
    """Rows printed short whose values the identities place one way only: each printed value in
    its column (`split_from` the printed row, `split_by` what decided), the others blank; their
    `row_incomplete` warning becomes a `cells_placed` one. A row left unplaced gets the reason.
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
