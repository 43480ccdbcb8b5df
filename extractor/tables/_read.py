"""Tables 二, 三 and 四: which template version each table prints, its rows read from its section,
stored (_store.py) and checked; the table-level warnings (a table missing, values out of range).

Public API: `read_tables(sections, year, doc, offsets) -> TablesRead`.

Where the reader saw a grid (HTML, DOCX, PDF with ruling), a table's rows are read over its
cells (_cells.py: placed by grid column against the header); where they cannot be with
confidence, or the text holds a row the grid does not, from the section's text (_rows.py).

Every printed cell stored gets `at`, where it was printed in the document text (with its grid
cell's page, table, row and column where the reader saw a grid): the tokens carry their
offsets into the section text, `offsets` gives each section's start in the document text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.document import open_row_ends, signal_key, with_tail
from extractor.models import CellState, Sections, TemplateVersion, Unit, WarningCode
from extractor.tables._blind_splits import undo_blind_splits
from extractor.tables._checks import blank_total_findings, table_checks
from extractor.tables._rows import RowsRead, read_rows
from extractor.tables._single_row import read_single_row
from extractor.tables._store import (
    TablesRead,
    plural,
    settle_glued,
    split_refuted,
    store_broken_split,
    store_rows,
    store_short_row,
)
from extractor.tables._template import (
    FEES_2021,
    PROCUREMENT_AMOUNT,
    REVIEW_ROW,
    TABLE2_SIGNALS,
    TABLE3_SIGNAL_2021,
    TABLE_HEADINGS,
    V2019,
    V2021,
    RowSpec,
    all_keys,
    rows,
)
from extractor.tables._values import MAX_DIGITS, MAX_VALUE

if TYPE_CHECKING:
    from extractor.document import Document

# The readers over a grid's cells (_cells.py, _misfit.py) are imported when a document with a grid
# comes: a text report never needs them, and `extractor parse FILE.txt` is mostly start-up.

__all__ = ["read_tables"]


def _rows(out: TablesRead, table: str, text: str, specs: tuple[RowSpec, ...]) -> RowsRead:
    """A table section's rows: over the cells of the grid the reader saw where they can be read
    with confidence (_cells.py), else (and where the text holds a row the grid does not) read
    from the section's text. How it was read goes to `out.read_over[table]`."""
    doc, base = out.doc, out.offsets.get(table)
    if doc is not None and doc.grid and base is not None:
        from extractor.tables._cells import Refused, read_cells
        from extractor.tables._misfit import misfits

        read = read_cells(doc, base, base + len(text), specs)
        if not isinstance(read, Refused):
            if len(read.rows) == len(specs):
                out.read_over[table] = "cells"
                return read
            by_text = read_rows(_with_tail(out, table, text), specs, out.open_ends)
            more = set(by_text.rows) - set(read.rows)
            if not more:
                out.read_over[table] = "cells"
                return read
            # the rows the grid does not place (printed outside it, or left of its header's
            # columns with exactly their count of cells) from the text; the grid's rows as read
            out.read_over[table] = f"cells, and {plural(len(more), 'row')} from the text"
            return _merged(read, by_text, more)
        out.read_over[table] = f"text: {read.reason}"
        by_text = read_rows(_with_tail(out, table, text), specs, out.open_ends)
        odd = misfits(doc, base, base + len(text), specs)  # rows with a cell more or less: never by position
        if not odd:
            return by_text
        rows, starts = dict(by_text.rows), dict(by_text.starts)
        for i, (row, at) in odd.items():
            rows[i], starts[i] = row, at
        out.read_over[table] += f"; {plural(len(odd), 'row')} with a cell more or less than its columns not read"
        return RowsRead(dict(sorted(rows.items())), by_text.labels, [i for i in by_text.by_order if i not in odd],
                        by_text.extras, by_text.duplicates, starts)
    out.read_over[table] = "text: no grid"
    return read_rows(_with_tail(out, table, text), specs, out.open_ends)


def _as_printed(out: TablesRead, keys: list[str]) -> str:
    """The first cells of `keys` with their printed text, for a warning: `key '无', …; and 3 more`."""
    shown = ", ".join(f"{k} '{out.cells[k].raw.strip()[:40]}'" for k in keys[:4])
    return shown + (f"; and {len(keys) - 4} more" if len(keys) > 4 else "")


def _merged(read: RowsRead, by_text: RowsRead, more: set[int]) -> RowsRead:
    """The rows read over cells, with the rows `more` as the text path read them."""
    rows, labels, starts = dict(read.rows), dict(read.labels), dict(read.starts)
    for i in sorted(more):
        rows[i], labels[i] = by_text.rows[i], by_text.labels.get(i, "")
        if i in by_text.starts:
            starts[i] = by_text.starts[i]
    return RowsRead(dict(sorted(rows.items())), labels, [i for i in by_text.by_order if i in more], by_text.extras,
                    [i for i in by_text.duplicates if i in more], starts)


def _complete_rows(read: RowsRead) -> int:
    return sum(1 for r in read.rows.values() if r.cells is not None)


def _table2_version(key: str) -> tuple[list[TemplateVersion], str | None]:
    """The version(s) to try for table 二, from its `signal_key`."""
    hits = [v for v in (V2021, V2019) if TABLE2_SIGNALS[v].search(key)]
    if len(hits) == 1:
        return hits, None
    if len(hits) == 2:
        return [V2021, V2019], "table 二 has labels of both template versions"
    return [V2021, V2019], "table 二 has no version-specific column labels"


def _with_tail(out: TablesRead, table: str, text: str) -> str:
    """A table's section text with the line breaks after it (a one-cell-per-line table's last
    blank cells: document._pipes.with_tail)."""
    doc, start = out.doc, out.offsets.get(table)
    return text if doc is None or start is None else with_tail(doc.text, start, text)


def _read_active_disclosure(out: TablesRead, text: str | None, overview: str) -> TemplateVersion | None:
    if not text:
        return None
    key = signal_key(text)
    versions, note = _table2_version(key)
    reads, over = {}, {}
    for v in versions:
        reads[v] = _rows(out, "active_disclosure", text, rows("active_disclosure", v))
        over[v] = out.read_over["active_disclosure"]
    version = max(versions, key=lambda v: _complete_rows(reads[v]))
    out.read_over["active_disclosure"] = over[version]
    if not reads[version].rows:
        return None
    if note:
        out.warn(WarningCode.VERSION_UNCERTAIN, f"{note}; read as {version} (the version whose rows fit)")
    glued = store_rows(out, "active_disclosure", rows("active_disclosure", version), reads[version])
    settle_glued(out, "active_disclosure", version, glued, overview + "\n" + text)
    _set_units(out, version, key)
    return version


def _set_units(out: TablesRead, version: TemplateVersion, header: str) -> None:
    cell = out.cells.get(FEES_2021)
    if version == V2021 and cell is not None and cell.state == CellState.NUMBER:
        if cell.unit == "yuan":
            # The cell itself says 元: the only case where the template's 万元 is overridden.
            out.fields[FEES_2021] = out.fields[FEES_2021] / 10000  # type: ignore[operator]  # a NUMBER cell has a value
            out.warn(WarningCode.UNIT_RESCALED, f"{FEES_2021} printed in 元 ({cell.raw}); converted to 万元", [FEES_2021])
        cell.unit, cell.unit_source = "wan_yuan", ("header" if "万元" in header else "template")
        out.units[FEES_2021] = "wan_yuan"
    cell = out.cells.get(PROCUREMENT_AMOUNT)
    if version == V2019 and cell is not None and cell.unit is None:
        header_unit: Unit | None = "wan_yuan" if "采购总金额(万元)" in header else "yuan" if "采购总金额(元)" in header else None
        if header_unit and cell.state == CellState.NUMBER:
            cell.unit, cell.unit_source = header_unit, "header"
            out.units[PROCUREMENT_AMOUNT] = header_unit


def _read_applications(out: TablesRead, text: str | None, fallback: TemplateVersion) -> TemplateVersion | None:
    if not text:
        return None
    key = signal_key(text)
    version = V2021 if TABLE3_SIGNAL_2021.search(key) else V2019
    uncertain = version == V2019 and "其他处理" not in key
    if uncertain:
        version = fallback  # cut off before （六）, the only row that differs
    read = _rows(out, "applications", text, rows("applications", version))
    if not read.rows:
        return None
    if uncertain:
        out.warn(WarningCode.VERSION_UNCERTAIN, "table 三 ends before （六）其他处理, the row that tells the versions "
                 f"apart; read as {version}")
    glued = store_rows(out, "applications", rows("applications", version), read)
    settle_glued(out, "applications", version, glued)
    return version


def _read_review(out: TablesRead, text: str | None) -> bool:
    if not text:
        return False
    doc, base = out.doc, out.offsets.get("review_litigation")
    found = None
    if doc is not None and doc.grid and base is not None:
        from extractor.tables._cells import Refused, read_single_cells
        from extractor.tables._misfit import misfits

        cells = read_single_cells(doc, base, base + len(text), REVIEW_ROW)
        if isinstance(cells, Refused):
            out.read_over["review_litigation"] = f"text: {cells.reason}"
            odd = misfits(doc, base, base + len(text), (REVIEW_ROW,))  # a cell more or less: never by position
            if odd:
                found = odd[0]
                out.read_over["review_litigation"] += "; its row has a cell more or less than its columns"
        else:
            out.read_over["review_litigation"], found = "cells", cells
    else:
        out.read_over["review_litigation"] = "text: no grid"
    if found is None:
        found = read_single_row(_with_tail(out, "review_litigation", text), REVIEW_ROW.columns, out.open_ends)
    if found is None:
        return False
    row, starts = found
    where = out.where("review_litigation", row, starts, len(REVIEW_ROW.keys))
    if row.cells is not None and row.cells[0].split_from and split_refuted("review_litigation", row):
        store_broken_split(out, REVIEW_ROW, row, where)
    elif row.cells is not None:
        out.put_row(REVIEW_ROW.keys, row.cells, where)  # put() of each cell, the common case inline
        if any(c.split_from for c in row.cells):
            out.warn(WarningCode.CELLS_SPLIT, f"review_litigation: glued digits '{row.cells[0].split_from}' fit the "
                     "15 columns one way only", REVIEW_ROW.keys)
    else:
        short = store_short_row(out, REVIEW_ROW, row, where)
        settle_glued(out, "review_litigation", V2019, [short] if short else [])
    return True


def read_tables(sections: Sections, year: int | None, doc: Document | None = None,
                offsets: dict[str, int] | None = None) -> TablesRead:
    """The three tables of a report's sections. With the section offsets (SectionSplit.offsets)
    every printed cell gets `at`, with its grid cell's place when `doc` has one there."""
    out = TablesRead(doc=doc, offsets=offsets or {}, open_ends=doc is not None and open_row_ends(doc.text))
    v2 = _read_active_disclosure(out, sections.active_disclosure, sections.overview or "")
    by_year = V2021 if (year or 0) >= 2021 else V2019
    v3 = _read_applications(out, sections.applications, v2 or by_year)
    has4 = _read_review(out, sections.review_litigation)
    fallback = v2 or v3 or by_year

    for table, version in (("active_disclosure", v2), ("applications", v3)):
        out.table_versions[table] = version
        if version is None:
            keys = all_keys(table, fallback)
            heading = TABLE_HEADINGS[table]
            out.put_unknowns(keys, "", CellState.ABSENT)
            out.warn(WarningCode.TABLE_MISSING, f"table {heading} not found (no values under heading {heading}; "
                     "published as an image?)", keys)
    if not has4:
        out.put_unknowns(REVIEW_ROW.keys, "", CellState.ABSENT)
        out.warn(WarningCode.TABLE_MISSING, "table 四 not found", REVIEW_ROW.keys)

    undo_blind_splits(out)
    if out.out_of_range:
        out.warn(WarningCode.VALUE_OUT_OF_RANGE, f"{plural(len(out.out_of_range), 'cell')} printed beyond what the "
                 f"template holds (counts up to {MAX_VALUE['count']:.0e}, amounts up to {MAX_VALUE['amount']:.0e}, "
                 f"at most {MAX_DIGITS} digits), kept as text: {_as_printed(out, out.out_of_range)}", out.out_of_range)
    beyond = set(out.out_of_range)
    words = [k for k, c in out.cells.items() if c.state == CellState.TEXT and k not in beyond]
    if words:  # a value printed as words or misread letters (无, 未统计, l5): no number, said so
        out.warn(WarningCode.CELL_TEXT, f"{plural(len(words), 'cell')} printed as words, not numbers, no value: "
                 f"{_as_printed(out, words)}", words)
    if v3:
        out.checks += table_checks("applications", v3, out.fields, out.cells)
        out.warnings += blank_total_findings(out.fields, out.cells, rows("applications", v3))
    if has4:
        out.checks += table_checks("review_litigation", V2019, out.fields, out.cells)
    return out
