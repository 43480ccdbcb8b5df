"""Tables 二, 三 and 四: canonical fields, how each was printed, identity checks, warnings.

Public API: `read_tables(sections, year, doc, offsets) -> TablesRead`.

Every printed cell stored gets `at`, where it was printed in the document text (with its grid
cell's page, table, row and column where the reader saw a grid): the tokens carry their
offsets into the section text, `offsets` gives each section's start in the document text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractor.document import signal_key
from extractor.models import (
    CellInfo,
    CellState,
    Check,
    ExtraRow,
    Finding,
    Sections,
    TemplateVersion,
    Unit,
    WarningCode,
)
from extractor.tables._checks import blank_total_findings, table_checks
from extractor.tables._deduce import GluedRow, deduce, stated_facts
from extractor.tables._keys import TOTAL, column_of, table_of
from extractor.tables._rows import RowsRead, read_rows, read_single_row, run_span
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
    identities,
    rows,
)
from extractor.tables._values import MAX_DIGITS, MAX_VALUE, CellValue, RowValues

if TYPE_CHECKING:
    from extractor.document import At, Document

__all__ = ["TablesRead", "glued_row", "read_tables", "store_split"]
EMPTY_ITEM = "∅"  # how an empty printed item shows in a row's raw text


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
    glued_at: dict[str, Sequence[At | None]] = field(default_factory=dict)  # a glued row's cells' `at`, by row key

    def put(self, key: str, cell: CellValue, split_by: list[str] | None = None, at: At | None = None) -> None:
        self.fields[key] = cell.value
        if cell.out_of_range:
            self.out_of_range.append(key)
        if cell.unit:
            self.cells[key] = CellInfo(cell.raw, cell.state, cell.unit, "cell", cell.split_from, split_by, at)
            self.units[key] = cell.unit
        else:  # positional: a report has ~200 cells, and keywords cost more
            self.cells[key] = CellInfo(cell.raw, cell.state, None, None, cell.split_from, split_by, at)

    def put_unknown(self, key: str, raw: str, state: CellState, at: At | None = None) -> None:
        self.fields[key] = None
        self.cells[key] = CellInfo(raw, state, None, None, None, None, at)

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


def _plural(n: int, word: str = "row") -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _raw(row: RowValues) -> str:
    return " ".join(i if i else EMPTY_ITEM for i in row.raw_items)


def glued_row(cells: dict[str, CellInfo], key: str, version: TemplateVersion | str | None) -> GluedRow | None:
    """The glued row a cell of a parsed report belongs to, rebuilt from its raw text (for the
    year-to-year deduction); None when the cell is not glued."""
    cell = cells.get(key)
    if cell is None or cell.state != CellState.GLUED or version is None:
        return None
    table = table_of(key)
    if table is None:
        return None
    spec = next((r for r in rows(table, version) if key in r.keys), None)
    if spec is None:
        return None
    items = tuple("" if i == EMPTY_ITEM else i for i in cell.raw.split(" "))
    return GluedRow(spec.key, spec.keys, spec.kinds, items)


def _store_rows(out: TablesRead, table: str, specs: tuple[RowSpec, ...], read: RowsRead) -> list[GluedRow]:
    """Store every row read; the glued ones are returned for the deduction."""
    glued: list[GluedRow] = []
    missing: list[RowSpec] = []
    split: list[tuple[RowSpec, str]] = []
    for i, spec in enumerate(specs):
        row = read.rows.get(i)
        if row is None:
            for k in spec.keys:
                out.put_unknown(k, "", CellState.ABSENT)
            missing.append(spec)
            continue
        where = out.where(table, row, read.starts.get(i), len(spec.keys))
        if row.cells is not None and row.cells[0].split_from and _split_refuted(table, row):
            _store_broken_split(out, spec, row, where)
            continue
        if row.cells is not None and row.inferred and _split_refuted(table, row):
            _store_refuted_columns(out, spec, row, where)
            continue
        if row.cells is not None:
            for k, cell, at in zip(spec.keys, row.cells, where):
                out.put(k, cell, None, at)
            if row.cells[0].split_from:
                split.append((spec, row.cells[0].split_from))
            continue
        short = _store_short_row(out, spec, row, where)
        if short is not None:
            glued.append(short)
    if split:
        shown = "; ".join(f"{sp.name} '{raw}'" for sp, raw in split[:4])
        more = f"; and {len(split) - 4} more" if len(split) > 4 else ""
        out.warn(WarningCode.CELLS_SPLIT, f"{table}: {_plural(len(split))} printed without separators, "
                 f"split the only way that fits the columns: {shown}{more}", [k for sp, _ in split for k in sp.keys])
    if missing:
        names = ", ".join(m.name for m in missing)
        tail = " (the table stops early: a cut-off page?)" if specs[-1] in missing and len(missing) > 2 else ""
        out.warn(WarningCode.ROW_MISSING, f"{table}: {_plural(len(missing))} not found{tail}: {names}",
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


def _split_refuted(table: str, row: RowValues) -> bool:
    """Whether the only well-formed split of a row's digits may not be output: the row's own
    总计 refutes it (table 三's rows, table 四's groups)."""
    several = sum(1 for i in row.raw_items if i) > 1
    if table == "active_disclosure":
        return False  # no 总计 to check (rows.py keeps separate cells apart)
    return _split_breaks_total(row.cells or [], 5 if table == "review_litigation" else 7, several)


def _split_breaks_total(cells: list[CellValue], group: int = 7, several: bool = True) -> bool:
    """Whether a split of glued digits breaks its row's own 总计 (the last cell of each group of
    `group` cells is the sum of the others: table 三's rows by 7, table 四's groups by 5). One
    run with one digit per column (`several` False) had no choice: the figures are as printed."""
    if len(cells) % group or (not several and all(len(c.raw) == 1 for c in cells)):
        return False
    for g in range(0, len(cells), group):
        part = cells[g:g + group]
        if any(c.value is None for c in part):
            return False
        if sum(c.value for c in part[:-1]) != part[-1].value:  # type: ignore[misc]  # no None: returned above
            return True
    return False


def _store_broken_split(out: TablesRead, spec: RowSpec, row: RowValues, where: Sequence[At | None]) -> None:
    """A row whose only well-formed split breaks its own 总计: the split is a guess the report
    refutes, so its cells stay unread (glued), with the reason."""
    raw = _raw(row)
    for k, at in zip(spec.keys, where):
        out.put_unknown(k, raw, CellState.GLUED, at)
    out.warn(WarningCode.CELLS_GLUED, f"{spec.key}: digits printed without separators ({raw}) over {len(spec.keys)} "
             "cells; not split: the only well-formed split breaks the row's 总计", spec.keys)


def _store_refuted_columns(out: TablesRead, spec: RowSpec, row: RowValues, where: Sequence[At | None]) -> None:
    """A row whose columns had to be inferred (a converter's table with columns dropped or moved)
    and whose values then break the row's own 总计: the placement is refuted, nothing is output."""
    raw = _raw(row)
    for k, at in zip(spec.keys, where):
        out.put_unknown(k, raw, CellState.INCOMPLETE, at)
    out.warn(WarningCode.ROW_INCOMPLETE, f"{spec.key}: values placed in columns that had to be inferred ({raw}) "
             "break the row's 总计; not output", spec.keys)


def _store_short_row(out: TablesRead, spec: RowSpec, row: RowValues, where: Sequence[At | None]) -> GluedRow | None:
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
        for k, at in zip(keys, where):
            out.put_unknown(k, raw, CellState.GLUED, at)
        out.glued_at[spec.key] = where
        # warned after the deduction, which may settle it
        return GluedRow(spec.key, keys, spec.kinds, tuple(i.strip() for i in row.raw_items), several=row.several)
    if row.problem == "overfull":
        for k, at in zip(keys, where):
            out.put_unknown(k, raw, CellState.TEXT, at)
        out.warn(WarningCode.ROW_OVERFULL, f"{name}: {len(row.raw_items)} values printed for {len(keys)} columns ({raw})",
                 keys)
        return None
    for k, at in zip(keys, where):
        out.put_unknown(k, raw, CellState.INCOMPLETE, at)
    out.warn(WarningCode.ROW_INCOMPLETE, f"{name}: {len(printed)} values printed for {len(keys)} columns ({raw}); "
             "which cell is missing is unknown", keys)
    return None


def store_split(out: TablesRead, row: GluedRow, parts: tuple[str, ...], split_by: list[str] | None,
                where: Sequence[At | None]) -> None:
    """Store the one split a glued row was settled to: each cell's value, the run it was split
    from and what decided it (`split_by`), and where it was printed (`where`, by cell). Also for
    a row the other year's report settles (crossyear.py)."""
    for (k, cell), at in zip(row.split(parts), where):
        out.put(k, cell, split_by or None, at)


def _settle_glued(out: TablesRead, table: str, version: TemplateVersion, glued: list[GluedRow],
                  text: str = "") -> None:
    """Run the deduction over the table's glued rows, store what it settles, warn about the rest."""
    if not glued:
        return
    facts: dict[str, list[tuple[float, str]]] = {}
    if text:
        for row in glued:
            facts.update(stated_facts(text, row))
    result = deduce(glued, identities(table, version), out.fields, out.cells, facts)
    for s in result.settled:
        store_split(out, s.row, s.parts, s.split_by, out.glued_at.get(s.row.key) or [None] * len(s.row.keys))
    if result.settled:
        shown = "; ".join(f"{s.row.key.removeprefix(table + '.')} '{' '.join(s.row.items)}' → {' '.join(s.parts)}"
                          f" ({', '.join(s.split_by) if s.split_by else 'the only well-formed split'})"
                          for s in result.settled[:4])
        more = f"; and {len(result.settled) - 4} more" if len(result.settled) > 4 else ""
        out.warn(WarningCode.CELLS_DEDUCED, f"{table}: {_plural(len(result.settled))} printed without separators, "
                 f"split the only way the identities or the text allow: {shown}{more}",
                 [k for s in result.settled for k in s.row.keys])
    for row in glued:
        reason = result.unsettled.get(row.key)
        if reason is None:
            continue
        out.warn(WarningCode.CELLS_GLUED, f"{row.key}: digits printed without separators ({' '.join(row.items)}) "
                 f"over {len(row.keys)} cells; not split: {reason}", row.keys)


def _read_active_disclosure(out: TablesRead, text: str | None, overview: str) -> TemplateVersion | None:
    if not text:
        return None
    key = signal_key(text)
    versions, note = _table2_version(key)
    reads = {v: read_rows(text, rows("active_disclosure", v)) for v in versions}
    version = max(versions, key=lambda v: _complete_rows(reads[v]))
    if not reads[version].rows:
        return None
    if note:
        out.warn(WarningCode.VERSION_UNCERTAIN, f"{note}; read as {version} (the version whose rows fit)")
    glued = _store_rows(out, "active_disclosure", rows("active_disclosure", version), reads[version])
    _settle_glued(out, "active_disclosure", version, glued, overview + "\n" + text)
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
    read = read_rows(text, rows("applications", version))
    if not read.rows:
        return None
    if uncertain:
        out.warn(WarningCode.VERSION_UNCERTAIN, "table 三 ends before （六）其他处理, the row that tells the versions "
                 f"apart; read as {version}")
    glued = _store_rows(out, "applications", rows("applications", version), read)
    _settle_glued(out, "applications", version, glued)
    return version


def _read_review(out: TablesRead, text: str | None) -> bool:
    if not text:
        return False
    found = read_single_row(text, REVIEW_ROW.columns)
    if found is None:
        return False
    row, starts = found
    where = out.where("review_litigation", row, starts, len(REVIEW_ROW.keys))
    if row.cells is not None and row.cells[0].split_from and _split_refuted("review_litigation", row):
        _store_broken_split(out, REVIEW_ROW, row, where)
    elif row.cells is not None:
        for k, cell, at in zip(REVIEW_ROW.keys, row.cells, where):
            out.put(k, cell, None, at)
        if any(c.split_from for c in row.cells):
            out.warn(WarningCode.CELLS_SPLIT, f"review_litigation: glued digits '{row.cells[0].split_from}' fit the "
                     "15 columns one way only", REVIEW_ROW.keys)
    else:
        short = _store_short_row(out, REVIEW_ROW, row, where)
        _settle_glued(out, "review_litigation", V2019, [short] if short else [])
    return True


def read_tables(sections: Sections, year: int | None, doc: Document | None = None,
                offsets: dict[str, int] | None = None) -> TablesRead:
    """The three tables of a report's sections. With the section offsets (SectionSplit.offsets)
    every printed cell gets `at`, with its grid cell's place when `doc` has one there."""
    out = TablesRead(doc=doc, offsets=offsets or {})
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
            for k in keys:
                out.put_unknown(k, "", CellState.ABSENT)
            out.warn(WarningCode.TABLE_MISSING, f"table {heading} not found (no values under heading {heading}; "
                     "published as an image?)", keys)
    if not has4:
        for k in REVIEW_ROW.keys:
            out.put_unknown(k, "", CellState.ABSENT)
        out.warn(WarningCode.TABLE_MISSING, "table 四 not found", REVIEW_ROW.keys)

    if out.out_of_range:
        shown = ", ".join(f"{k} '{out.cells[k].raw.strip()[:40]}'" for k in out.out_of_range[:4])
        more = f"; and {len(out.out_of_range) - 4} more" if len(out.out_of_range) > 4 else ""
        out.warn(WarningCode.VALUE_OUT_OF_RANGE, f"{_plural(len(out.out_of_range), 'cell')} printed beyond what the "
                 f"template holds (counts up to {MAX_VALUE['count']:.0e}, amounts up to {MAX_VALUE['amount']:.0e}, "
                 f"at most {MAX_DIGITS} digits), kept as text: {shown}{more}", out.out_of_range)
    if v3:
        out.checks += table_checks("applications", v3, out.fields, out.cells)
        out.warnings += blank_total_findings(out.fields, out.cells, rows("applications", v3))
    if has4:
        out.checks += table_checks("review_litigation", V2019, out.fields, out.cells)
    return out
