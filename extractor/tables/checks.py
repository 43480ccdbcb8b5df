"""The template's accounting identities (template.md §3.3 and §4) as Check objects.

A blank, dash or slash value is read as 0 and the detail says so; a value that is
unknown (glued digits, a row printed short, a row not found) makes the check undecidable (`ok: None`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from extractor.models import CellInfo, Check, Finding
from extractor.tables.template import APPLICANT_COLUMNS, APPLICATIONS, REVIEW_COLUMNS, REVIEW_GROUPS, Version

# A row not found (a truncated report) is unknown, not 0; only printed blanks are read as 0.
_UNKNOWN = {"glued", "incomplete", "text", "absent"}
_COLS = [c.key for c in APPLICANT_COLUMNS]


class _Reader:
    def __init__(self, fields: Mapping[str, int | float | None], cells: Mapping[str, CellInfo]):
        self.fields, self.cells = fields, cells

    def terms(self, keys: list[str]) -> tuple[list[int | float], list[str], list[str]]:
        """Values (None read as 0), keys read as 0, keys whose value is unknown."""
        values, zeroed, unknown = [], [], []
        fields, cells = self.fields, self.cells
        for k in keys:
            v = fields.get(k)
            if v is not None:
                values.append(v)
                continue
            cell = cells.get(k)
            if cell is None or cell.state in _UNKNOWN:
                unknown.append(k)
            else:
                zeroed.append(k)
            values.append(0)
        return values, zeroed, unknown


def _fmt(values: list[int | float]) -> str:
    if len(values) > 7:  # the outcome rows: 19 or 21 terms read better as their sum
        return f"Σ{len(values)} rows {_num(sum(values))}"
    return "+".join(_num(v) for v in values)


def _num(v: int | float) -> str:
    if isinstance(v, int):
        return str(v)
    return str(int(v)) if v.is_integer() else str(v)


def _check(id_: str, reader: _Reader, left: list[str], right: list[str], formula: str) -> Check:
    keys = left + right
    lv, lz, lu = reader.terms(left)
    rv, rz, ru = reader.terms(right)
    unknown, zeroed = lu + ru, lz + rz
    if unknown:
        return Check(id=id_, ok=None, detail=f"{formula}: not checked, value unknown: {', '.join(unknown)}", keys=keys)
    ok = abs(sum(lv) - sum(rv)) < 1e-9
    detail = f"{formula}: {_fmt(lv)} = {_fmt(rv)}" if ok else f"{formula}: {_fmt(lv)} ≠ {_fmt(rv)}"
    if zeroed:
        detail += f" (blank read as 0: {len(zeroed)} cell{'s' if len(zeroed) > 1 else ''})"
    return Check(id=id_, ok=ok, detail=detail, keys=keys)


@lru_cache(maxsize=2)
def _application_identities(version: Version) -> list[tuple[str, list[str], list[str], str]]:
    """(id, left keys, right keys, formula) of every table 三 identity, per template version."""
    rows = [spec.key for spec in APPLICATIONS[version]]
    outcome_rows = [r for r in rows if r.startswith("applications.results.") and r != "applications.results.total"]
    out = []
    for col in _COLS:
        out.append((
            f"applications.balance.{col}",
            [f"applications.received_new.{col}", f"applications.carried_over_from_prev.{col}"],
            [f"applications.results.total.{col}", f"applications.carried_to_next.{col}"],
            "一+二 = （七）总计+四",
        ))
    for col in _COLS:
        out.append((
            f"applications.results_sum.{col}",
            [f"applications.results.total.{col}"], [f"{r}.{col}" for r in outcome_rows],
            "（七）总计 = Σ办理结果",
        ))
    for row in rows:
        out.append((
            f"applications.row_total.{row.removeprefix('applications.')}",
            [f"{row}.total"], [f"{row}.{c}" for c in _COLS[:-1]],
            "总计 = 自然人+五类法人或其他组织",
        ))
    return out


def application_checks(fields, cells, version: Version) -> list[Check]:
    reader = _Reader(fields, cells)
    checks = [_check(id_, reader, left, right, formula) for id_, left, right, formula in _application_identities(version)]
    negative = [k for k, v in fields.items() if k.startswith("applications.") and v is not None and v < 0]
    checks.append(Check(
        id="applications.non_negative", ok=not negative,
        detail="all values ≥ 0" if not negative else f"negative: {', '.join(negative)}",
        keys=negative,
    ))
    return checks


def review_checks(fields, cells) -> list[Check]:
    reader = _Reader(fields, cells)
    checks = []
    for g in REVIEW_GROUPS:
        parts = [f"review_litigation.{g}.{c}" for c in REVIEW_COLUMNS[:-1]]
        checks.append(_check(
            f"review_litigation.sum.{g}", reader, [f"review_litigation.{g}.total"], parts,
            "总计 = 维持+纠正+其他+尚未审结",
        ))
    return checks


def blank_total_findings(fields, cells, keys: list[str]) -> list[Finding]:
    """A blank 总计 beside non-zero parts is not 0 (template.md §3.3, 上海 2019): say so."""
    findings = []
    for key in keys:
        if not key.endswith(".total") or cells.get(key) is None or cells[key].state != "blank":
            continue
        prefix = key.rsplit(".", 1)[0]
        parts = [k for k in keys if k.startswith(prefix + ".") and k != key]
        if any((fields.get(k) or 0) != 0 for k in parts):
            findings.append(Finding(code="total_blank", message=f"{key} is blank while its parts are not all 0", keys=[key]))
    return findings
