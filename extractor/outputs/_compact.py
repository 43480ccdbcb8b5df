"""The compact form of a parse result, as results.jsonl stores it by default (`run --full`
keeps the full form of `parse --json`). Nothing is lost that the registry cannot give back:

- `fields` nested by the dots of their keys (`{"applications": {"received_new": {"total": 3}}}`);
- `cells` only where a cell is not a plain printed number (a blank, a dash, a unit, a split …):
  a field without a cell entry was printed as its value, or, when its value is null, is not in
  the report at all (state `absent`);
- every cell's `at` (where it was printed) kept apart, by template row: `at[row key]` lists the
  row's cells in the registry's column order, each as `[start, end, page, table, row, col]`
  without its trailing nulls (`[10452, 10455]` in a text report), null where a cell has none;
- a warning's `keys` that are whole rows of the template given as those rows (`rows`), and all
  the keys of a table as the table (`tables`);
- the template's own checks (identities, non-negative) left out: `expand` computes them again
  from fields and cells with the registry, exactly as the parser did; other checks (text against
  tables) are kept;
- the table sections' text left out (the numbers are in fields; the text is in the file);
  `sections.overview`, `problems_improvements`, `other_matters` and inserted sections are kept.

`compact(full)` and `expand(compact)` work on the JSON dicts; `expand` returns the full form
(without the table sections' text), and a record already full passes through unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from extractor.document import TABLE_SECTIONS as OUTLINE_TABLE_SECTIONS
from extractor.document import at_json
from extractor.json_forms import CellJSON, ParseJSON
from extractor.models import CellInfo, CellState, cell_state
from extractor.tables import (
    CHECK_PREFIXES,
    REVIEW_KEYS,
    REVIEW_VERSION,
    TABLES,
    VERSIONS,
    all_keys,
    number_text,
    path_of,
    row_of,
    rows,
    table_checks,
)

__all__ = ["TABLE_SECTIONS", "compact", "expand", "implied_cell"]

FORM = "compact"
TABLE_SECTIONS = OUTLINE_TABLE_SECTIONS  # the sections that hold a table (tables/outline.py)
_RECOMPUTED = CHECK_PREFIXES  # check ids under a table's name are the template's


def _nest(fields: dict[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in fields.items():
        node = tree
        *path, leaf = path_of(key)
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def _flatten(tree: dict[str, Any], prefix: str = "", out: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {} if out is None else out
    for part, value in tree.items():
        key = f"{prefix}.{part}" if prefix else part
        if isinstance(value, dict):
            _flatten(value, key, out)
        else:
            out[key] = value
    return out


def _plain(value: Any, cell: dict[str, Any]) -> bool:
    return (cell.get("state") == CellState.NUMBER and set(cell) == {"raw", "state"} and value is not None
            and cell["raw"] == number_text(value))


def _absent(value: Any, cell: dict[str, Any]) -> bool:
    return value is None and cell.get("state") == CellState.ABSENT and cell.get("raw") == "" and len(cell) == 2


def _at_list(at: dict[str, Any]) -> list[Any]:
    """`at` as a list [start, end, page, table, row, col], its trailing nulls left out."""
    out = [at["start"], at["end"], at.get("page"), at.get("table"), at.get("row"), at.get("col")]
    while out[-1] is None:
        out.pop()
    return out


def _at_by_row(at: dict[str, list[Any]], versions: dict[str, Any]) -> dict[str, list[Any]]:
    """Cells' `at` grouped by template row, in column order (a key of no row stays on its own)."""
    by_row, _ = _row_index(versions)
    out: dict[str, list[Any]] = {}
    for k, entry in at.items():
        row = row_of(k)
        keys = by_row.get(row)
        if keys is None or k not in keys:
            out[k] = entry
            continue
        if row not in out:
            out[row] = [None] * len(keys)
        out[row][keys.index(k)] = entry
    return out


def _at_by_key(at: dict[str, list[Any]], versions: dict[str, Any]) -> dict[str, list[Any]]:
    by_row, _ = _row_index(versions)
    out: dict[str, list[Any]] = {}
    for name, value in at.items():
        if value and isinstance(value[0], int):  # one key's own
            out[name] = value
            continue
        for k, entry in zip(by_row.get(name, ()), value):
            if entry is not None:
                out[k] = entry
    return out


def implied_cell(value: Any, cell: CellJSON | dict[str, Any]) -> bool:
    """True for a cell the compact form leaves out: printed as its plain value, or not in the report."""
    plain = {name: v for name, v in cell.items() if name != "at"} if "at" in cell else cast("dict[str, Any]", cell)
    return _plain(value, plain) or _absent(value, plain)  # where it was printed says nothing of how


def _row_index(versions: dict[str, Any]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    return _row_index_for(tuple(str(versions.get(t) or "") for t in TABLES))


@cache
def _row_index_for(chosen: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Row key -> its field keys, and table -> all its keys, for the versions a report uses
    (a missing table is indexed under every version: its keys name the version guessed).
    Cached: a handful of version combinations serve every report."""
    versions = dict(zip(TABLES, chosen))
    by_row: dict[str, tuple[str, ...]] = {}
    by_table: dict[str, tuple[str, ...]] = {}
    for table in TABLES:
        for version in ([versions[table]] if versions.get(table) else list(VERSIONS)):
            for spec in rows(table, version):
                by_row.setdefault(spec.key, spec.keys)
            by_table.setdefault(f"{table}@{version}", all_keys(table, version))
    return by_row, by_table


def _short_keys(warning: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    keys = warning.get("keys") or []
    if len(keys) < 2:
        return warning
    by_row, by_table = _row_index(versions)
    for name, table_keys in by_table.items():
        if list(table_keys) == keys:
            return {**{k: v for k, v in warning.items() if k != "keys"}, "tables": [name]}
    row_keys, i = [], 0
    while i < len(keys):
        row = row_of(keys[i])
        spec = by_row.get(row)
        if spec is None or tuple(keys[i:i + len(spec)]) != spec:
            return warning
        row_keys.append(row)
        i += len(spec)
    return {**{k: v for k, v in warning.items() if k != "keys"}, "rows": row_keys}


def _long_keys(warning: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    if "tables" not in warning and "rows" not in warning:
        return warning
    by_row, by_table = _row_index(versions)
    keys = [k for name in warning.get("tables", []) for k in by_table[name]] + \
        [k for row in warning.get("rows", []) for k in by_row[row]]
    short = {k: v for k, v in warning.items() if k not in ("tables", "rows")}
    return {"code": short["code"], "message": short["message"], "keys": keys}


def _compact(full: dict[str, Any]) -> dict[str, Any]:
    if full.get("form") == FORM or not full.get("ok", True):
        return full
    out = dict(full)
    fields = full.get("fields", {})
    out["fields"] = _nest(fields)
    cells, at = {}, {}
    for k, c in full.get("cells", {}).items():
        if "at" in c and "box" not in c["at"]:  # an OCR cell's at (its box) stays with the cell
            at[k] = _at_list(c["at"])
            c = {name: v for name, v in c.items() if name != "at"}
        if not _plain(fields.get(k), c) and not _absent(fields.get(k), c):
            cells[k] = c
    out["cells"] = cells
    if at:
        out["at"] = _at_by_row(at, full.get("table_versions") or {})
    out["warnings"] = [_short_keys(w, full.get("table_versions") or {}) for w in full.get("warnings", [])]
    out["checks"] = [c for c in full.get("checks", []) if not c["id"].startswith(_RECOMPUTED)]
    sections = dict(full.get("sections") or {})
    for name in TABLE_SECTIONS:
        sections.pop(name, None)
    out["sections"] = sections
    out["form"] = FORM
    return out


def _expand(record: dict[str, Any]) -> dict[str, Any]:
    if record.get("form") != FORM:
        return record
    out = dict(record)
    out.pop("form")
    fields = _flatten(record.get("fields", {}))
    out["fields"] = fields
    cells = {k: record["cells"].get(k) or ({"raw": number_text(v), "state": CellState.NUMBER.value} if v is not None
                                           else {"raw": "", "state": CellState.ABSENT.value})
             for k, v in fields.items()}
    for k, at in _at_by_key(record.get("at") or {}, record.get("table_versions") or {}).items():
        if k in cells:
            cells[k] = {**cells[k], "at": at_json(at)}
    out.pop("at", None)
    out["cells"] = cells
    out["warnings"] = [_long_keys(w, record.get("table_versions") or {}) for w in record.get("warnings", [])]
    infos = {k: CellInfo(c["raw"], cell_state(c["state"])) for k, c in cells.items()}
    checks: list[Any] = []
    versions = record.get("table_versions") or {}
    if versions.get("applications"):
        checks += [c.to_json() for c in table_checks("applications", versions["applications"], fields, infos)]
    if any(infos.get(k) is not None and infos[k].state != CellState.ABSENT for k in REVIEW_KEYS):
        checks += [c.to_json() for c in table_checks("review_litigation", REVIEW_VERSION, fields, infos)]
    out["checks"] = checks + record.get("checks", [])
    return out


def compact(full: ParseJSON) -> ParseJSON:
    """The compact form of a full parse (a compact one, or a failed one, as it is)."""
    return cast("ParseJSON", _compact(cast("dict[str, Any]", full)))


def expand(record: ParseJSON) -> ParseJSON:
    """The full form (without the table sections' text) of a compact parse; a full one as it is."""
    return cast("ParseJSON", _expand(cast("dict[str, Any]", record)))
