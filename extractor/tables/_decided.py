"""What a parsed report itself decides: the cells whose value every reading the identities admit
agrees on (`undecided_cells` gives the others), for an honest measure beside cell accuracy.

A cell read as printed is decided. A cell of a row left unread (glued digits, a row printed short)
is decided when every split or placement that the template's identities admit, jointly over the
table, gives it the same value (a blank and a printed 0 differ); a row that admits none, or whose
search gave up, decides nothing. The same deduction as the parse (_deduce.py), run again from the
cells' raw text. A report that leaves cells blank decides no glued run's split (_blind_splits.py).
"""

from __future__ import annotations

from extractor.models import CellInfo, CellState, ParseResult
from extractor.tables._blind_splits import blanks_shown
from extractor.tables._deduce import GluedRow, deduce, stated_facts
from extractor.tables._store import EMPTY_ITEM
from extractor.tables._table_fit import TABLE_FIT
from extractor.tables._template import TABLES, identities, rows
from extractor.tables._values import parse_cell

__all__ = ["undecided_cells"]

_OPEN = {CellState.GLUED: False, CellState.INCOMPLETE: True}  # state -> read as placements


def undecided_cells(result: ParseResult) -> set[str]:
    """Keys of the cells the report does not decide (see the module's note)."""
    out: set[str] = set()
    blanks = blanks_shown(result.cells) is not None
    for table in TABLES:
        version = result.table_versions.get(table) if table != "review_litigation" else "2019"
        if version is None:
            continue
        open_rows: list[GluedRow] = []
        for spec in rows(table, version):
            cell = _open_cell(result, spec.keys)
            if cell is None:
                continue
            if blanks and cell.state == CellState.GLUED:
                out.update(k for k in spec.keys if result.cells[k].state == CellState.GLUED)
                continue
            items = tuple("" if i == EMPTY_ITEM else i for i in cell.raw.split(" "))
            open_rows.append(GluedRow(spec.key, spec.keys, spec.kinds, items, placed=_OPEN[cell.state]))
        if not open_rows:
            continue
        facts: dict[str, list[tuple[float, str]]] = {}
        if table == "active_disclosure":
            text = (result.sections.overview or "") + "\n" + (result.sections.active_disclosure or "")
            for row in open_rows:
                facts.update(stated_facts(text, row))
        fitted = any(TABLE_FIT in (c.split_by or ()) for k, c in result.cells.items() if k.startswith(table + "."))
        found = deduce(open_rows, identities(table, version), result.fields, result.cells, facts, table_fit=fitted)
        for row in open_rows:
            admitted = found.admitted.get(row.key)
            for i, key in enumerate(row.keys):
                if not admitted or len({_reading(c[i], row.kinds[i]) for c in admitted}) != 1:
                    out.add(key)
    return out


def _open_cell(result: ParseResult, keys: tuple[str, ...]) -> CellInfo | None:
    """The cell that holds an open row's printed items: every cell of the row glued but for the
    columns every split agrees on, or incomplete but for those every placement agrees on
    (placed, tables._placed)."""
    cells = [result.cells.get(k) for k in keys]
    open_ = [c for c in cells if c is not None and c.state in _OPEN]
    if not open_ or any(c is None or (c.state != open_[0].state and not (
            open_[0].state == CellState.INCOMPLETE and c.split_by) and not (
            open_[0].state == CellState.GLUED and c.split_from == open_[0].raw)) for c in cells):
        return None
    return open_[0]


def _reading(part: str, kind: str) -> tuple[object, str]:
    cell = parse_cell(part, kind)  # type: ignore[arg-type]  # a column kind of the registry
    return cell.value, "blank" if cell.state == CellState.BLANK else "printed"
