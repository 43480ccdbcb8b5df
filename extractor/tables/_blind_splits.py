"""Glued digits are split on the premise that every cell printed at least one character: a crawl
that runs a row's cells together prints nothing for a blank cell, so `3873378` over seven
columns reads 3 8 7 3 3 7 8 only if no cell was blank. A report that shows blank cells
elsewhere (a cell printed blank, a row printed with fewer values than columns) gives that
premise no ground: a blank may have dropped out of the run too (38, blank, 7, blank, 33, blank,
78 fits as well), so its splits that filled every column are undone (`undo_blind_splits`),
and so are the placements an identity decided over them. A split that holds whatever cells
were blank stays (a table-二 run that splits one way only with a blank allowed anywhere, `2-1`;
the columns every such split agrees on, _deduce.splits_with_blanks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from extractor.models import CellInfo, CellState, Finding, WarningCode
from extractor.tables._deduce import MAX_BLANK_COLUMNS, GluedRow, splits_with_blanks
from extractor.tables._glued import Steps
from extractor.tables._template import TABLES, RowSpec, identities, rows

if TYPE_CHECKING:
    from extractor.tables._store import TablesRead

__all__ = ["BLANKS_SHOWN", "blanks_shown", "undo_blind_splits"]

# cells that show the report leaves cells blank or prints rows short: a blank cell, a row with
# fewer values than columns (unread, or its missing 0 derived)
_SHOWING = frozenset({CellState.BLANK, CellState.INCOMPLETE, CellState.DERIVED})
BLANKS_SHOWN = "a blank cell may have dropped out of the run"  # in the cells_glued warning of an undone split


def blanks_shown(cells: Mapping[str, CellInfo]) -> str | None:
    """The first cell that shows the report leaves cells blank or prints rows short (its key and
    state), or None."""
    for key, cell in cells.items():
        if cell.state in _SHOWING:
            return f"{key} {CellState(cell.state).value}"
    return None


def _blind(cells: list[CellInfo | None]) -> str | None:
    """The run a row's cells were all split from, every cell given a part of it (no blank
    assumed); None for any other row."""
    first = cells[0]
    run = first.split_from if first is not None else None
    if not run:
        return None
    if any(c is None or c.split_from != run or not c.raw for c in cells):
        return None
    return run if "".join(c.raw for c in cells if c) == run.replace(" ", "") else None


def _one_split_whatever_blank(spec: RowSpec, run: str, table: str) -> bool:
    """Whether a row with no identity (table 二's) splits one way only, a blank allowed in any
    column (`2-1`: 2 and -1): then no blank can have dropped out of it."""
    if table != "active_disclosure" or len(spec.keys) > MAX_BLANK_COLUMNS or " " in run:
        return False
    found = splits_with_blanks(GluedRow(spec.key, spec.keys, spec.kinds, (run,)), Steps())
    return found is not None and len(found) == 1


def undo_blind_splits(out: TablesRead) -> None:
    """Where the report shows blank cells or short rows, every glued row split into all its
    columns goes back to glued, with a `cells_glued` warning that says why; a placement an
    identity over such a row decided goes back to its printed values unread."""
    if not any(w.code in (WarningCode.CELLS_SPLIT, WarningCode.CELLS_DEDUCED) for w in out.warnings):
        return  # no glued run split (the common case): nothing to undo
    shown = blanks_shown(out.cells)
    if shown is None:
        return
    undone: list[str] = []
    for table in TABLES:
        version = out.table_versions.get(table) if table != "review_litigation" else "2019"
        if version is None and table != "review_litigation":
            continue
        for spec in rows(table, version or "2019"):
            cells = [out.cells.get(k) for k in spec.keys]
            if any(c is None for c in cells):
                continue
            run = _blind(cells)
            if run is None or _one_split_whatever_blank(spec, run, table):
                continue
            out.put_unknowns(spec.keys, run, CellState.GLUED, [c.at for c in cells if c is not None])  # type: ignore[misc]  # text cells: At
            undone += spec.keys
            out.warn(WarningCode.CELLS_GLUED, f"{spec.key}: digits printed without separators ({run}) over "
                     f"{len(spec.keys)} cells; not split: the report leaves cells blank or prints rows short "
                     f"({shown}), so {BLANKS_SHOWN}", spec.keys)
    if not undone:
        return
    placed = _undo_placed_over(out, set(undone))
    if placed:
        out.warn(WarningCode.ROW_INCOMPLETE, f"{len(placed)} cells placed by an identity that takes in a glued run "
                 f"are unread again: {BLANKS_SHOWN} ({', '.join(placed[:4])}{' …' if len(placed) > 4 else ''})",
                 placed)
    gone = set(undone) | set(placed)
    kept = []
    for w in out.warnings:
        if w.code in (WarningCode.CELLS_SPLIT, WarningCode.CELLS_DEDUCED, WarningCode.CELLS_PLACED) and gone & set(w.keys):
            left = [k for k in w.keys if k not in gone]
            if not left:
                continue
            w = Finding(code=w.code, message=w.message, keys=left)
        kept.append(w)
    out.warnings[:] = kept


def _undo_placed_over(out: TablesRead, undone: set[str]) -> list[str]:
    """Cells an identity decided (`split_by`) that takes in an undone cell: unread again; their keys."""
    over: set[str] = set()
    for table in TABLES:
        version = out.table_versions.get(table) or "2019"
        for ident in identities(table, version):
            if undone & set(ident.keys):
                over.add(ident.id)
    again = []
    for key, cell in list(out.cells.items()):
        if key not in undone and cell.split_by and over & set(cell.split_by):
            out.put_unknown(key, cell.split_from or cell.raw, CellState.INCOMPLETE, cell.at)  # type: ignore[arg-type]
            again.append(key)
    return again
