"""Checks across years: two reports of one body, last year's and this year's (ids `cross_year.*`).

- carried over this year = carried to next year last year, per applicant column (exact);
- v2021: in force this year = in force last year + issued − repealed (soft: a clean-up can re-base
  it, as 常州 2023 says);
- v2019: this year's 上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (soft);
- repetition: how much of each text section repeats last year's — the share of this year's
  character 4-grams found in last year's text (digits folded, so a changed year does not count
  as new text), and rapidfuzz's similarity ratio. Section 五 over 50% repeated is flagged: local
  assessments deduct for it.
Public API: `compare_reports(old, new)`, `find_pairs(results)`, `Comparison`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from extractor.models import Check, Finding, ParseResult
from extractor.tables.template import APPLICANT_COLUMNS, CARRIED_OVER, CARRIED_TO_NEXT, ITEM_ROWS, STOCK_ROWS

REPEAT_LIMIT = 0.5
TEXT_SECTIONS = ("overview", "problems_improvements", "other_matters")
_NGRAM = 4
_NOISE = re.compile(r"[\s，,。.；;：:、“”\"'（）()《》！!？?\-—]+")
_ORG_NOISE = re.compile(r"\s+|[（(].*?[）)]")


class Repetition(BaseModel):
    section: str
    rate: float  # share of this year's character 4-grams that stand in last year's text
    similarity: float  # rapidfuzz ratio, 0..1
    flagged: bool


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
    warnings: list[Finding] = Field(default_factory=list)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")


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
    cell = result.cells.get(key)
    if cell is None or cell.state not in ("number", "blank", "derived"):
        return None
    return result.fields.get(key) or 0


def _equal_check(id_: str, left: float | None, right: float | None, formula: str, keys: list[str]) -> Check | None:
    if left is None or right is None:
        return None
    ok = abs(left - right) < 1e-9
    return Check(id=id_, ok=ok, detail=f"{formula}: {left:g} {'=' if ok else '≠'} {right:g}", keys=keys)


def _table_checks(old: ParseResult, new: ParseResult) -> list[Check]:
    checks: list[Check | None] = []
    for col in (c.key for c in APPLICANT_COLUMNS):
        prev_key, next_key = f"{CARRIED_OVER}.{col}", f"{CARRIED_TO_NEXT}.{col}"
        checks.append(_equal_check(f"cross_year.carried_over.{col}", _known(new, prev_key), _known(old, next_key),
                                   "二、上年结转 (this year) = 四、结转下年度 (last year)", [prev_key, next_key]))
    v_old, v_new = old.table_versions.get("active_disclosure"), new.table_versions.get("active_disclosure")
    if v_old == v_new == "2021":
        for base in STOCK_ROWS:
            in_force, issued, repealed = (f"{base}.{c}" for c in ("in_force_count", "issued_count", "repealed_count"))
            now, before = _known(new, in_force), _known(old, in_force)
            n_issued, n_repealed = _known(new, issued), _known(new, repealed)
            expected = None if None in (before, n_issued, n_repealed) else before + n_issued - n_repealed  # type: ignore[operator]
            checks.append(_equal_check(f"cross_year.in_force.{base.rsplit('.', 1)[-1]}", now, expected,
                                       "现行有效 = last year's 现行有效 + 本年制发 − 本年废止 (soft: a clean-up re-bases it)",
                                       [in_force, issued, repealed]))
    if v_old == v_new == "2019":
        for base in ITEM_ROWS:
            prev, change = f"{base}.prev_year_item_count", f"{base}.item_change"
            prev_old, change_old = _known(old, prev), _known(old, change)
            expected = None if None in (prev_old, change_old) else prev_old + change_old  # type: ignore[operator]
            checks.append(_equal_check(f"cross_year.item_count.{base.rsplit('.', 1)[-1]}", _known(new, prev),
                                       expected, "上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (soft)",
                                       [prev, change]))
    return [c for c in checks if c is not None]


def same_body_key(name: str | None) -> str:
    """A body's name without spaces or bracketed asides: reports that share it are one body's."""
    return _ORG_NOISE.sub("", name) if name else ""


def same_body(a: str | None, b: str | None) -> bool:
    return bool(a and b and same_body_key(a) == same_body_key(b))


def compare_reports(old: ParseResult, new: ParseResult) -> Comparison:
    result = Comparison(old=old.source, new=new.source)
    for r in (old, new):
        if not r.ok:
            result.ok, result.error = False, f"{r.source}: {r.error}"
            return result
    result.org_name = new.org_name or old.org_name
    result.years = [old.year, new.year]
    result.same_body = same_body(old.org_name, new.org_name)
    result.consecutive = None if None in (old.year, new.year) else new.year == old.year + 1  # type: ignore[operator]
    if not result.same_body:
        result.warnings.append(Finding(code="different_body", message=f"issuing bodies differ: {old.org_name} / {new.org_name}"))
    if result.consecutive is False:
        result.warnings.append(Finding(code="years_not_consecutive", message=f"years {old.year} and {new.year}"))
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


def find_pairs(results: list[ParseResult]) -> list[tuple[ParseResult, ParseResult]]:
    """Reports of the same body in consecutive years, oldest first."""
    by_body: dict[str, dict[int, ParseResult]] = {}
    for r in results:
        if r.ok and r.org_name and r.year:
            by_body.setdefault(same_body_key(r.org_name), {}).setdefault(r.year, r)
    pairs = []
    for years in by_body.values():
        for year in sorted(years):
            if year + 1 in years:
                pairs.append((years[year], years[year + 1]))
    return pairs
