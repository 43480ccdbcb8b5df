"""The template's accounting identities (template.md §3.3 and §4) as Check objects.

A blank, dash or slash value is read as 0 and the detail says so; a value that is
unknown (glued digits, a row printed short, a row not found) makes the check undecidable (`ok: None`).
"""

from __future__ import annotations

from collections.abc import Mapping

from extractor.models import UNKNOWN_STATES, CellInfo, Check, Finding, TemplateVersion, WarningCode
from extractor.tables.template import Identity, RowSpec, identities
from extractor.tables.values import number_text


class _Reader:
    def __init__(self, fields: Mapping[str, int | float | None], cells: Mapping[str, CellInfo]):
        self.fields, self.cells = fields, cells

    def terms(self, keys: tuple[str, ...]) -> tuple[list[int | float], list[str], list[str]]:
        """Values (None read as 0), keys read as 0, keys whose value is unknown."""
        values, zeroed, unknown = [], [], []
        fields, cells = self.fields, self.cells
        for k in keys:
            v = fields.get(k)
            if v is not None:
                values.append(v)
                continue
            cell = cells.get(k)
            if cell is None or cell.state in UNKNOWN_STATES:
                unknown.append(k)
            else:
                zeroed.append(k)
            values.append(0)
        return values, zeroed, unknown


def _fmt(values: list[int | float]) -> str:
    if len(values) > 7:  # the outcome rows: 19 or 21 terms read better as their sum
        return f"Σ{len(values)} rows {number_text(sum(values))}"
    if float not in map(type, values):  # the common case, without a call per value
        return "+".join(map(str, values))
    return "+".join(map(number_text, values))


def identity_check(identity: Identity, reader: _Reader) -> Check:
    get = reader.fields.get
    lv: list[int | float] = list(map(get, identity.total))  # type: ignore[arg-type]  # None: tested below
    rv: list[int | float] = list(map(get, identity.terms))  # type: ignore[arg-type]  # None: tested below
    if None in lv or None in rv:  # a blank read as 0, or a value unknown: say which
        lv, lz, lu = reader.terms(identity.total)
        rv, rz, ru = reader.terms(identity.terms)
        unknown, zeroed = lu + ru, lz + rz
        if unknown:
            return Check(identity.id, None, f"{identity.formula}: not checked, value unknown: {', '.join(unknown)}",
                         list(identity.keys))
    else:
        zeroed = None
    ok = abs(sum(lv) - sum(rv)) < 1e-9
    return IdentityCheck(identity, ok, lv, rv, len(zeroed) if zeroed else 0)


_DETAIL = Check.__dict__["detail"]  # the slot under IdentityCheck's property


class IdentityCheck(Check):
    """A decided identity's check, whose `detail` is written when it is first read. A report has
    ~40 of them and most are never read: `run` stores the compact form, which leaves the
    template's checks out (they are recomputed on reading), and only failed ones are printed."""

    __slots__ = ("_formula", "_left", "_right", "_zeroed")

    def __init__(self, identity: Identity, ok: bool, left: list[int | float], right: list[int | float], zeroed: int):
        self.id, self.ok, self.keys = identity.id, ok, list(identity.keys)
        self._formula, self._left, self._right, self._zeroed = identity.formula, left, right, zeroed

    @property
    def detail(self) -> str:  # type: ignore[override]  # the slot Check.detail, filled on first read
        try:
            text: str = _DETAIL.__get__(self)
            return text
        except AttributeError:
            pass
        text = f"{self._formula}: {_fmt(self._left)} {'=' if self.ok else '≠'} {_fmt(self._right)}"
        if self._zeroed:
            text += f" (blank read as 0: {self._zeroed} cell{'s' if self._zeroed > 1 else ''})"
        _DETAIL.__set__(self, text)
        return text


def table_checks(table: str, version: TemplateVersion | str, fields: Mapping[str, int | float | None],
                 cells: Mapping[str, CellInfo]) -> list[Check]:
    """Every identity of the table, plus I4 (no negative count) for table 三."""
    reader = _Reader(fields, cells)
    checks = [identity_check(identity, reader) for identity in identities(table, version)]
    if table == "applications":
        # the least non-zero known value, found in C (a 0 or None cannot be negative): most reports
        # have no value below 0
        negative = [] if min(filter(None, fields.values()), default=0) >= 0 else \
            [k for k, v in fields.items() if v is not None and v < 0 and k.startswith("applications.")]
        checks.append(Check(
            id="applications.non_negative", ok=not negative,
            detail="all values ≥ 0" if not negative else f"negative: {', '.join(negative)}",
            keys=negative,
        ))
    return checks


def blank_total_findings(fields: Mapping[str, int | float | None], cells: Mapping[str, CellInfo],
                         specs: tuple[RowSpec, ...]) -> list[Finding]:
    """A blank 总计 beside non-zero parts is not 0 (template.md §3.3, 上海 2019): say so."""
    findings = []
    for spec in specs:
        key = spec.key + ".total"
        cell = cells.get(key)
        if cell is None or cell.state != "blank" or key not in spec.keys:
            continue
        if any((fields.get(k) or 0) != 0 for k in spec.keys if k != key):
            findings.append(Finding(code=WarningCode.TOTAL_BLANK, keys=[key],
                                    message=f"{key} is blank while its parts are not all 0"))
    return findings
