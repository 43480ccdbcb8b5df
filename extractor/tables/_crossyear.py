"""Checks across years: two reports of one body, last year's and this year's (ids `cross_year.*`).

- carried over this year = carried to next year last year, per applicant column (exact);
- v2021: in force this year = in force last year + issued − repealed (soft: a clean-up can re-base
  it, as 常州 2023 says);
- v2019: this year's 上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (soft);
- repetition: how much of each text section repeats last year's — the share of this year's
  character 4-grams found in last year's text (digits folded, so a changed year does not count
  as new text), and rapidfuzz's similarity ratio. Section 五 over 50% repeated is flagged: local
  assessments deduct for it.
Glued rows (template.md §6) that one report leaves open may be settled by the other year:
`settle_across_years` (called by `compare_reports` for one body's consecutive years).
Public API: `compare_reports(old, new)`, `settle_across_years(old, new)`, `find_pairs(results)`, `Comparison`.
"""

from __future__ import annotations

import re
from itertools import product
from math import prod
from typing import TYPE_CHECKING, cast

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from extractor.corpus import BodyMatcher, body_key
from extractor.document import TEXT_SECTIONS as OUTLINE_TEXT_SECTIONS
from extractor.models import (
    Check,
    Finding,
    ParseResult,
    WarningCode,
)
from extractor.tables._checks import table_checks
from extractor.tables._deduce import GluedRow, candidates, known_value
from extractor.tables._keys import is_table_check, table_of
from extractor.tables._store import TablesRead, glued_row, store_split
from extractor.tables._template import YearIdentity, identities, year_identities
from extractor.tables._values import parse_cell

if TYPE_CHECKING:
    from extractor.document import At
    from extractor.json_forms import ComparisonJSON

__all__ = ["Comparison", "compare_reports", "find_pairs", "repetition", "same_body", "settle_across_years"]

YEAR_TABLES = ("active_disclosure", "applications")

REPEAT_LIMIT = 0.5
TEXT_SECTIONS = OUTLINE_TEXT_SECTIONS  # the sections registry's text-only sections (tables/outline.py)
_NGRAM = 4
_NOISE = re.compile(r"[\s，,。.；;：:、“”\"'（）()《》！!？?\-—]+")


class Repetition(BaseModel):
    section: str
    rate: float  # share of this year's character 4-grams that stand in last year's text
    similarity: float  # rapidfuzz ratio, 0..1
    flagged: bool


class SettledRow(BaseModel):
    """A glued row of one of the two reports that only one split fits, given the other year."""

    source: str
    row: str
    printed: str
    parts: list[str]
    split_by: list[str]


class Comparison(BaseModel):
    old: str
    new: str
    ok: bool = True
    error: str | None = None
    org_name: str | None = None
    years: list[int | None] = Field(default_factory=list)
    same_body: bool | None = None
    consecutive: bool | None = None
    checks: list[Check] = Field(default_factory=list)
    repetition: list[Repetition] = Field(default_factory=list)
    # glued rows of either report that the other year settled (already applied to the reports)
    settled: list[SettledRow] = Field(default_factory=list)
    warnings: list[Finding] = Field(default_factory=list)

    def to_json_dict(self) -> ComparisonJSON:
        return cast("ComparisonJSON", self.model_dump(mode="json"))


def _grams(text: str) -> set[str]:
    folded = re.sub(r"\d", "0", _NOISE.sub("", text))
    return {folded[i:i + _NGRAM] for i in range(len(folded) - _NGRAM + 1)}


def repetition(old: str, new: str) -> tuple[float, float]:
    new_grams = _grams(new)
    if not new_grams:
        return 0.0, 0.0
    rate = len(new_grams & _grams(old)) / len(new_grams)
    return round(rate, 4), round(fuzz.ratio(_NOISE.sub("", old), _NOISE.sub("", new)) / 100, 4)


def _known(result: ParseResult, key: str) -> int | float | None:
    return known_value(key, result.fields, result.cells)


def _sides(ident: YearIdentity, old: ParseResult, new: ParseResult) -> list[tuple[ParseResult, str, int]]:
    """(report, key, sign) of every term: Σ sign·value = 0 when the identity holds."""
    return ([(new, ident.total, -1)] + [(old, k, 1) for k in ident.last] + [(new, k, 1) for k in ident.plus]
            + [(new, k, -1) for k in ident.minus])


def _year_identities(old: ParseResult, new: ParseResult) -> list[YearIdentity]:
    out: list[YearIdentity] = []
    for table in YEAR_TABLES:
        v_old, v_new = old.table_versions.get(table), new.table_versions.get(table)
        if v_old is not None and v_old == v_new:
            out += year_identities(table, v_new)
    return out


def _table_checks(old: ParseResult, new: ParseResult) -> list[Check]:
    checks = []
    for ident in _year_identities(old, new):
        sides = _sides(ident, old, new)
        maybe = [_known(r, k) for r, k, _ in sides]
        values = [v for v in maybe if v is not None]
        if len(values) < len(maybe):
            continue
        expected = sum(v for v, (_, _, sign) in zip(values[1:], sides[1:]) if sign > 0) \
            - sum(v for v, (_, _, sign) in zip(values[1:], sides[1:]) if sign < 0)
        ok = abs(values[0] - expected) < 1e-9
        checks.append(Check(id=ident.id, ok=ok, detail=f"{ident.formula}: {values[0]:g} {'=' if ok else '≠'} {expected:g}",
                            keys=[ident.total, *ident.last, *ident.plus, *ident.minus]))
    return checks


# ---------------------------------------------------------------- glued rows settled across years
MAX_COMBINATIONS = 20_000  # the year-to-year search is a product of a few rows' splits


def settle_across_years(old: ParseResult, new: ParseResult) -> list[SettledRow]:
    """Split glued rows (of either report) that the year-to-year identities leave one way, in
    place: the cells get the values, `split_by` and a `cells_deduced` warning. Rows are settled
    table by table, jointly under every identity of the table, and only when exactly one
    combination of splits satisfies them all (a soft identity can be re-based by a clean-up, but
    a re-based stock that still leaves exactly one well-formed split is not a coincidence to
    expect; the warning names the identity so a reader can judge)."""
    settled: list[SettledRow] = []
    for table in YEAR_TABLES:
        idents = [i for i in _year_identities(old, new) if i.table == table]
        if idents:
            settled += _settle_table(table, idents, old, new)
    return settled


# an identity that a search can use: its sides (report, key, sign) and the glued rows it touches
_Usable = tuple[YearIdentity, list[tuple[ParseResult, str, int]], set[tuple[int, str]]]


def _settle_table(table: str, idents: list[YearIdentity], old: ParseResult, new: ParseResult) -> list[SettledRow]:
    """Each group of glued rows linked by shared identities is searched on its own, so an
    ambiguous row elsewhere in the table does not block one that its identity decides."""
    rows: dict[tuple[int, str], tuple[ParseResult, GluedRow]] = {}  # (report id, row key) -> row
    usable: list[_Usable] = []
    for ident in idents:
        sides = _sides(ident, old, new)
        slots: set[tuple[int, str]] = set()
        for r, k, _ in sides:
            row = glued_row(r.cells, k, r.table_versions.get(table))
            if row is not None:
                slot = (id(r), row.key)
                rows.setdefault(slot, (r, row))
                slots.add(slot)
            elif _known(r, k) is None:
                break  # an unknown the search cannot fill
        else:
            if slots:
                usable.append((ident, sides, slots))
    groups: list[tuple[set[tuple[int, str]], list[_Usable]]] = []
    for item in usable:
        linked = [g for g in groups if g[0] & item[2]]
        merged = (set(item[2]).union(*(g[0] for g in linked)), [item] + [i for g in linked for i in g[1]])
        groups = [g for g in groups if g not in linked] + [merged]
    out: list[SettledRow] = []
    for slots, items in groups:
        out += _settle_group(table, [rows[s] for s in sorted(slots)], items, old, new)
    return out


def _settle_group(table: str, group: list[tuple[ParseResult, GluedRow]], items: list[_Usable], old: ParseResult,
                  new: ParseResult) -> list[SettledRow]:
    for r, row in group:
        row.candidates = candidates(row, identities(table, r.table_versions[table])) or []
    if any(not row.candidates for _, row in group) or prod(len(row.candidates) for _, row in group) > MAX_COMBINATIONS:
        return []
    where = {(id(r), k): (i, ci) for i, (r, row) in enumerate(group) for ci, k in enumerate(row.keys)}

    def value(combo: tuple[int, ...], r: ParseResult, k: str) -> float:
        at = where.get((id(r), k))
        if at is None:
            return _known(r, k) or 0
        row = group[at[0]][1]
        return parse_cell(row.candidates[combo[at[0]]][at[1]], row.kinds[at[1]]).value or 0

    solutions = []
    for combo in product(*(range(len(row.candidates)) for _, row in group)):
        if all(abs(sum(sign * value(combo, r, k) for r, k, sign in sides)) < 1e-9 for _, sides, _ in items):
            solutions.append(combo)
            if len(solutions) > 1:
                return []
    if not solutions:
        return []
    out = []
    for (r, row), ci in zip(group, solutions[0]):
        other = new if r is old else old
        split_by = [f"{ident.id} with {other.source}" for ident, _, slots in items if (id(r), row.key) in slots]
        _store(r, row, row.candidates[ci], split_by)
        out.append(SettledRow(source=r.source, row=row.key, printed=" ".join(row.items), parts=list(row.candidates[ci]),
                              split_by=split_by))
    return out


def _store(result: ParseResult, row: GluedRow, parts: tuple[str, ...], split_by: list[str]) -> None:
    """The settled row stored in the report (tables.store_split, as the parser stores its own
    deductions; where the run was printed stays), its glued warning replaced and the table's
    identities checked again."""
    whole = " ".join(row.items)
    store_split(TablesRead(fields=result.fields, cells=result.cells, units=result.units), row, parts, split_by,
                [cast("At | None", c.at) if (c := result.cells.get(k)) is not None else None for k in row.keys])
    keys = list(row.keys)
    result.warnings = [w for w in result.warnings if not (w.code == WarningCode.CELLS_GLUED and w.keys == keys)]
    result.warnings.append(Finding(code=WarningCode.CELLS_DEDUCED, keys=keys, message=(
        f"{row.key}: '{whole}' printed without separators, split {' '.join(parts)}: the only split that "
        f"{', '.join(split_by)} allows")))
    table = table_of(row.key) or row.key
    version = result.table_versions.get(table)
    if version is not None and identities(table, version):
        result.checks = [c for c in result.checks if not is_table_check(c.id, table)] + \
            table_checks(table, version, result.fields, result.cells)


def same_body(a: str | None, b: str | None) -> bool:
    return bool(a and b and body_key(a) == body_key(b))


def compare_reports(old: ParseResult, new: ParseResult, same: bool | None = None) -> Comparison:
    """`same`: the caller has matched the two bodies already (find_pairs' fuzzy match, aliases)."""
    result = Comparison(old=old.source, new=new.source)
    for r in (old, new):
        if not r.ok:
            result.ok, result.error = False, f"{r.source}: {r.error}"
            return result
    result.org_name = new.org_name or old.org_name
    result.years = [old.year, new.year]
    result.same_body = same if same is not None else same_body(old.org_name, new.org_name)
    result.consecutive = None if old.year is None or new.year is None else new.year == old.year + 1
    if not result.same_body:
        result.warnings.append(Finding(code=WarningCode.DIFFERENT_BODY, message=f"issuing bodies differ: {old.org_name} / {new.org_name}"))
    if result.consecutive is False:
        result.warnings.append(Finding(code=WarningCode.YEARS_NOT_CONSECUTIVE, message=f"years {old.year} and {new.year}"))
    if result.same_body and result.consecutive:
        result.settled = settle_across_years(old, new)
    result.checks = _table_checks(old, new)
    for section in TEXT_SECTIONS:
        a, b = getattr(old.sections, section), getattr(new.sections, section)
        if not a or not b:
            continue
        rate, similarity = repetition(a, b)
        flagged = section == "problems_improvements" and rate > REPEAT_LIMIT
        result.repetition.append(Repetition(section=section, rate=rate, similarity=similarity, flagged=flagged))
        if section == "problems_improvements":
            result.checks.append(Check(id="cross_year.repetition.problems_improvements", ok=not flagged,
                                       detail=f"{rate:.0%} of section 五 repeats last year's (limit {REPEAT_LIMIT:.0%})",
                                       keys=[]))
    return result


def find_pairs(results: list[ParseResult], matcher: BodyMatcher | None = None) -> list[tuple[ParseResult, ParseResult]]:
    """Reports of the same body (bodies.py) in consecutive years, oldest first."""
    matcher = matcher or BodyMatcher()
    by_body: dict[str, dict[int, ParseResult]] = {}
    for r in results:
        if r.ok and r.org_name and r.year:
            by_body.setdefault(matcher.key(r.org_name), {}).setdefault(r.year, r)
    pairs = []
    for years in by_body.values():
        for year in sorted(years):
            if year + 1 in years:
                pairs.append((years[year], years[year + 1]))
    return pairs
