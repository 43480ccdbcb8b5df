"""Tables 二, 三 and 四: canonical fields, how each was printed, identity checks, warnings.

Public API: `read_tables(sections, year) -> TablesRead`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.models import CellInfo, Check, ExtraRow, Finding, Sections, Unit
from extractor.normalize import signal_key
from extractor.tables.checks import application_checks, blank_total_findings, review_checks
from extractor.tables.rows import RowsRead, read_rows, read_single_row
from extractor.tables.template import (
    ACTIVE_DISCLOSURE,
    APPLICATIONS,
    REVIEW_KEYS,
    TABLE2_SIGNALS,
    TABLE3_SIGNAL_2021,
    Column,
    RowSpec,
    Version,
    all_keys,
)
from extractor.tables.values import CellValue, RowValues

__all__ = ["TablesRead", "read_tables"]

_FEES_2021 = "active_disclosure.fees.amount_wan_yuan"
_PROCUREMENT_AMOUNT = "active_disclosure.centralized_procurement.total_amount"


@dataclass
class TablesRead:
    fields: dict[str, int | float | None] = field(default_factory=dict)
    cells: dict[str, CellInfo] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    table_versions: dict[str, Version | None] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    extras: list[ExtraRow] = field(default_factory=list)

    def put(self, key: str, cell: CellValue) -> None:
        self.fields[key] = cell.value
        self.cells[key] = CellInfo(raw=cell.raw, state=cell.state, split_from=cell.split_from)
        if cell.unit:
            self.cells[key].unit, self.cells[key].unit_source = cell.unit, "cell"
            self.units[key] = cell.unit

    def put_unknown(self, key: str, raw: str, state: str) -> None:
        self.fields[key] = None
        self.cells[key] = CellInfo(raw=raw, state=state)  # type: ignore[arg-type]

    def warn(self, code: str, message: str, keys: list[str] | None = None) -> None:
        self.warnings.append(Finding(code=code, message=message, keys=keys or []))


def _complete_rows(read: RowsRead) -> int:
    return sum(1 for r in read.rows.values() if r.cells is not None)


def _table2_version(text: str, year: int | None) -> tuple[list[Version], str | None]:
    key = signal_key(text)
    hits = [v for v in ("2021", "2019") if TABLE2_SIGNALS[v].search(key)]
    if len(hits) == 1:
        return hits, None
    if len(hits) == 2:
        return ["2021", "2019"], "table 二 has labels of both template versions"
    return ["2021", "2019"], "table 二 has no version-specific column labels"


def _store_rows(out: TablesRead, table: str, specs: tuple[RowSpec, ...], read: RowsRead) -> None:
    missing: list[RowSpec] = []
    split: list[tuple[RowSpec, str]] = []
    for i, spec in enumerate(specs):
        keys = spec.field_keys()
        row = read.rows.get(i)
        if row is None:
            for k in keys:
                out.put_unknown(k, "", "absent")
            missing.append(spec)
            continue
        if row.cells is not None:
            for k, cell in zip(keys, row.cells):
                out.put(k, cell)
            if row.cells[0].split_from:
                split.append((spec, row.cells[0].split_from))
            continue
        raw = " ".join(i if i else "∅" for i in row.raw_items)
        _store_short_row(out, spec.key, keys, row, raw)
    if split:
        shown = "; ".join(f"{sp.key.removeprefix(table + '.')} '{raw}'" for sp, raw in split[:4])
        more = f"; and {len(split) - 4} more" if len(split) > 4 else ""
        out.warn("cells_split", f"{table}: {len(split)} row{'s' if len(split) > 1 else ''} printed without separators, "
                 f"split the only way that fits the columns: {shown}{more}", [k for sp, _ in split for k in sp.field_keys()])
    if missing:
        names = ", ".join(m.key.removeprefix(table + ".") for m in missing)
        tail = " (the table stops early: a cut-off page?)" if specs[-1] in missing and len(missing) > 2 else ""
        out.warn("row_missing", f"{table}: {len(missing)} row{'s' if len(missing) > 1 else ''} not found{tail}: {names}",
                 [k for m in missing for k in m.field_keys()])
    for i in read.by_order:
        out.warn("label_unrecognised", f"row label '{read.labels[i]}' matched to {specs[i].key} by its position",
                 specs[i].field_keys())
    for i in read.duplicates:
        out.warn("row_duplicate", f"{specs[i].key} printed more than once; the first reading is kept",
                 specs[i].field_keys())
    for seg in read.extras:
        out.extras.append(ExtraRow(table=table, label=seg.label, values=seg.items))
        out.warn("extra_row", f"row not in the template kept in extras: {seg.label}")


def _store_short_row(out: TablesRead, name: str, keys: list[str], row: RowValues, raw: str) -> None:
    printed = [i for i in row.raw_items if i]
    if row.problem == "incomplete" and len(printed) == len(keys) - 1 and printed and all(
        p.strip() == "0" for p in printed
    ) and keys[-1].endswith(".total"):
        # Every printed value is 0 and the row's 总计 is the sum of the others, with no value
        # negative: the one missing value can only be 0 too (template.md §6.7).
        for k in keys:
            out.put(k, CellValue(0, "derived", "0"))
        out.warn("row_incomplete", f"{name}: {len(printed)} of {len(keys)} values printed ({raw}); all are 0, "
                 "so by 总计 = sum of the others the missing one is 0", keys)
        return
    state = {"glued": "glued", "overfull": "text"}.get(row.problem or "", "incomplete")
    for k in keys:
        out.put_unknown(k, raw, state)
    messages = {
        "glued": f"{name}: digits printed without separators ({raw}) split into {len(keys)} cells in "
                 "more than one way; not split",
        "overfull": f"{name}: {len(row.raw_items)} values printed for {len(keys)} columns ({raw})",
        "incomplete": f"{name}: {len(printed)} values printed for {len(keys)} columns ({raw}); "
                      "which cell is missing is unknown",
    }
    code = {"glued": "cells_glued", "overfull": "row_overfull"}.get(row.problem or "", "row_incomplete")
    out.warn(code, messages.get(row.problem or "incomplete", messages["incomplete"]), keys)


def _read_active_disclosure(out: TablesRead, text: str | None, year: int | None) -> Version | None:
    if not text:
        return None
    versions, note = _table2_version(text, year)
    reads = {v: read_rows(text, ACTIVE_DISCLOSURE[v]) for v in versions}
    version = max(versions, key=lambda v: _complete_rows(reads[v]))
    if not reads[version].rows:
        return None
    if note:
        out.warn("version_uncertain", f"{note}; read as {version} (the version whose rows fit)")
    _store_rows(out, "active_disclosure", ACTIVE_DISCLOSURE[version], reads[version])
    _set_units(out, version, signal_key(text))
    return version


def _set_units(out: TablesRead, version: Version, header: str) -> None:
    if version == "2021" and out.cells.get(_FEES_2021) and out.cells[_FEES_2021].state == "number":
        cell = out.cells[_FEES_2021]
        if cell.unit == "yuan":
            # The cell itself says 元: the only case where the template's 万元 is overridden.
            out.fields[_FEES_2021] = out.fields[_FEES_2021] / 10000  # type: ignore[operator]
            out.warn("unit_rescaled", f"{_FEES_2021} printed in 元 ({cell.raw}); converted to 万元", [_FEES_2021])
        cell.unit, cell.unit_source = "wan_yuan", ("header" if "万元" in header else "template")
        out.units[_FEES_2021] = "wan_yuan"
    if version == "2019" and out.cells.get(_PROCUREMENT_AMOUNT) and out.cells[_PROCUREMENT_AMOUNT].unit is None:
        header_unit = "wan_yuan" if "采购总金额(万元)" in header else "yuan" if "采购总金额(元)" in header else None
        if header_unit and out.cells[_PROCUREMENT_AMOUNT].state == "number":
            out.cells[_PROCUREMENT_AMOUNT].unit, out.cells[_PROCUREMENT_AMOUNT].unit_source = header_unit, "header"
            out.units[_PROCUREMENT_AMOUNT] = header_unit


def _read_applications(out: TablesRead, text: str | None, fallback: Version) -> Version | None:
    if not text:
        return None
    key = signal_key(text)
    version: Version = "2021" if TABLE3_SIGNAL_2021.search(key) else "2019"
    uncertain = version == "2019" and "其他处理" not in key
    if uncertain:
        version = fallback  # cut off before （六）, the only row that differs
    read = read_rows(text, APPLICATIONS[version])
    if not read.rows:
        return None
    if uncertain:
        out.warn("version_uncertain", f"table 三 ends before （六）其他处理, the row that tells the versions "
                 f"apart; read as {version}")
    _store_rows(out, "applications", APPLICATIONS[version], read)
    return version


def _read_review(out: TablesRead, text: str | None) -> bool:
    if not text:
        return False
    row = read_single_row(text, tuple(Column(k) for k in REVIEW_KEYS))
    if row is None:
        return False
    if row.cells is not None:
        for k, cell in zip(REVIEW_KEYS, row.cells):
            out.put(k, cell)
        if any(c.split_from for c in row.cells):
            out.warn("cells_split", f"review_litigation: glued digits '{row.cells[0].split_from}' fit the "
                     "15 columns one way only", list(REVIEW_KEYS))
    else:
        raw = " ".join(i if i else "∅" for i in row.raw_items)
        _store_short_row(out, "review_litigation", list(REVIEW_KEYS), row, raw)
    return True


def read_tables(sections: Sections, year: int | None) -> TablesRead:
    out = TablesRead()
    v2 = _read_active_disclosure(out, sections.active_disclosure, year)
    by_year: Version = "2021" if (year or 0) >= 2021 else "2019"
    v3 = _read_applications(out, sections.applications, v2 or by_year)
    has4 = _read_review(out, sections.review_litigation)
    fallback: Version = v2 or v3 or by_year

    for table, version, heading in (("active_disclosure", v2, "二"), ("applications", v3, "三")):
        out.table_versions[table] = version
        if version is None:
            keys = all_keys(table, fallback)
            for k in keys:
                out.put_unknown(k, "", "absent")
            out.warn("table_missing", f"table {heading} not found (no values under heading {heading}; "
                     "published as an image?)", keys)
    if not has4:
        for k in REVIEW_KEYS:
            out.put_unknown(k, "", "absent")
        out.warn("table_missing", "table 四 not found", list(REVIEW_KEYS))

    if v3:
        out.checks += application_checks(out.fields, out.cells, v3)
        out.warnings += blank_total_findings(out.fields, out.cells, all_keys("applications", v3))
    if has4:
        out.checks += review_checks(out.fields, out.cells)
    return out
