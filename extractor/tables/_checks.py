"""The template's accounting identities (template.md §3.3 and §4) as Check objects.

A blank, dash or slash value is read as 0 and the detail says so; a value that is
unknown (glued digits, a row printed short, a row not found) makes the check undecidable (`ok: None`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from operator import itemgetter
from typing import Any

from extractor.models import UNKNOWN_STATES, CellInfo, Check, Finding, TemplateVersion, WarningCode
from extractor.tables._keys import table_of
from extractor.tables._template import Identity, RowSpec, identities, sign_rules
from extractor.tables._values import number_text

__all__ = ["blank_total_findings", "table_checks"]


def _fmt(values: list[int | float]) -> str:
    if len(values) > 7:  # the outcome rows: 19 or 21 terms read better as their sum
        return f"Σ{len(values)} rows {number_text(sum(values))}"
    if float not in map(type, values):  # the common case, without a call per value
        return "+".join(map(str, values))
    return "+".join(map(number_text, values))


def _check_with_gaps(identity: Identity, values: list[int | float | None], cells: Mapping[str, CellInfo]) -> Check:
    """An identity some of whose `values` (its total's, then its terms') are None: a blank read as
    0, said in the detail; a value unknown (no cell, or glued, short row, not found: a state of
    UNKNOWN_STATES) leaves it undecided. Its None values' cells looked up here: a report has a
    few such identities, and ~200 cells (most without a value are blank)."""
    missing = [k for k, v in zip(identity.keys, values)
               if v is None and ((cell := cells.get(k)) is None or cell.state in UNKNOWN_STATES)]
    if missing:  # its detail made when first read, as a decided one's (a report missing a table has ~30)
        return IdentityCheck(identity, None, [], (identity, 0, 0, 0), 0, missing)
    zeroed = values.count(None)
    read: list[int | float] = [0 if v is None else v for v in values]
    n = len(identity.total)
    left, right = read[:n], read[n:]
    return IdentityCheck(identity, abs(sum(left) - sum(right)) < 1e-9, read, (identity, 0, n, len(read)), zeroed)


_Span = tuple[Identity, int, int, int]  # an identity, and where its values lie in a list: total [a:b], terms [b:c]
_DETAIL: Any = Check.__dict__["detail"]  # the slots under IdentityCheck's properties
_KEYS: Any = Check.__dict__["keys"]


class IdentityCheck(Check):
    """An identity's check, decided or not, whose `detail` and `keys` are made when first read. A report
    has ~30 of them and most are never read: `run` stores the compact form, which leaves the
    template's checks out (they are recomputed on reading), and only failed ones are printed."""

    __slots__ = ("_identity", "_values", "_span", "_zeroed", "_unknown")

    def __init__(self, identity: Identity, ok: bool | None, values: list[int | float], span: _Span,
                 zeroed: int, unknown: list[str] | None = None) -> None:
        """`values[a:b]` are the total's values, `values[b:c]` the terms' (`span`: the identity, a, b,
        c; the table's list of values, sliced only when the detail is read). `unknown`: the keys of
        the values unknown (glued, short row, not found), which leave the identity undecided (ok
        None): its detail names them."""
        self.id = identity.id  # (one store a line: a tuple assigned is built first)
        self.ok = ok
        self._identity = identity
        self._values = values
        self._span = span
        self._zeroed = zeroed
        self._unknown = unknown

    @property
    def detail(self) -> str:  # type: ignore[override]  # read-only here: written once, into Check's slot
        try:
            text: str = _DETAIL.__get__(self)
            return text
        except AttributeError:
            pass
        if self._unknown:
            text = f"{self._identity.formula}: not checked, value unknown: {', '.join(self._unknown)}"
            _DETAIL.__set__(self, text)
            return text
        _, a, b, c = self._span
        left, right = self._values[a:b], self._values[b:c]
        text = f"{self._identity.formula}: {_fmt(left)} {'=' if self.ok else '≠'} {_fmt(right)}"
        if self._zeroed:
            text += f" (blank read as 0: {self._zeroed} cell{'s' if self._zeroed > 1 else ''})"
        _DETAIL.__set__(self, text)
        return text

    @property
    def keys(self) -> list[str]:  # type: ignore[override]  # made when first read, into Check's slot
        try:
            keys: list[str] = _KEYS.__get__(self)
            return keys
        except AttributeError:
            pass
        keys = list(self._identity.keys)
        _KEYS.__set__(self, keys)
        return keys

    def __reduce__(self) -> tuple[type[Check], tuple[str, bool | None, str, list[str]]]:
        """Pickled and copied as the plain Check it reads as (its properties have no setter)."""
        return Check, (self.id, self.ok, self.detail, list(self.keys))


_new: Callable[[type[IdentityCheck]], IdentityCheck] = object.__new__  # (test_checks_made.py: as constructed)


@cache
def _layout(table: str, version: TemplateVersion | str) -> tuple[tuple[str, ...], tuple[tuple[Identity, int, int, int], ...]]:
    """A table's identities' keys in one tuple (each identity's total, then its terms), and where
    each identity's lie in it (its total at [a:b], its terms at [b:c])."""
    keys: list[str] = []
    spans = []
    for identity in identities(table, version):
        a = len(keys)
        keys += identity.total
        b = len(keys)
        keys += identity.terms
        spans.append((identity, a, b, len(keys)))
    return tuple(keys), tuple(spans)


@cache
def _getter(table: str, version: TemplateVersion | str) -> Callable[[Any], Any]:
    """Every identity's values (`_layout`'s keys) read from `fields` in one C call: twice as fast as
    map(fields.get, keys) over table 三's ~350; a KeyError where a key has no value stored."""
    keys = _layout(table, version)[0]
    return itemgetter(*keys) if len(keys) > 1 else lambda fields: tuple(fields[k] for k in keys)


def table_checks(table: str, version: TemplateVersion | str, fields: Mapping[str, int | float | None],
                 cells: Mapping[str, CellInfo]) -> list[Check]:
    """Every identity of the table, plus I4 (no negative count) for table 三."""
    keys, spans = _layout(table, version)
    try:  # every identity's values in one pass (no cast: a call each)
        values: list[Any] = list(_getter(table, version)(fields))
    except KeyError:  # a key not stored (not the parse's tables: every key of a table read is)
        values = list(map(fields.get, keys))
    checks: list[Check] = []
    gaps = None in values
    add, new = checks.append, _new
    for span in spans:
        identity, a, b, c = span
        if gaps and None in values[a:c]:  # a blank or an unknown value: say which
            add(_check_with_gaps(identity, values[a:c], cells))
            continue
        # IdentityCheck(identity, ok, values, span, 0), its slots set here: a report has ~40
        check = new(IdentityCheck)
        check.id = identity.id
        # (most totals are one cell: its value, not a slice summed)
        check.ok = abs((values[a] if b - a == 1 else sum(values[a:b])) - sum(values[b:c])) < 1e-9
        check._identity = identity
        check._values = values
        check._span = span
        check._zeroed = 0
        check._unknown = None
        add(check)
    for rule in sign_rules(table):
        # the least non-zero value, found in C (filter(None) calls nothing per value): a value below
        # 0 is non-zero, and most reports have none
        nonzero: Iterable[int | float] = filter(None, fields.values())
        negative = [] if min(nonzero, default=0) >= 0 else \
            [k for k, v in fields.items() if v is not None and v < 0 and table_of(k) == rule.table]
        checks.append(Check(
            id=rule.id, ok=not negative,
            detail=rule.formula if not negative else f"negative: {', '.join(negative)}",
            keys=negative,
        ))
    return checks


def blank_total_findings(fields: Mapping[str, int | float | None], cells: Mapping[str, CellInfo],
                         specs: tuple[RowSpec, ...]) -> list[Finding]:
    """A blank 总计 beside non-zero parts is not 0 (template.md §3.3, 上海 2019): say so."""
    findings: list[Finding] = []
    for spec in specs:
        key = spec.total_key
        if key is None:
            continue
        cell = cells.get(key)
        if cell is None or cell.state != "blank":
            continue
        if any((fields.get(k) or 0) != 0 for k in spec.keys if k != key):
            findings.append(Finding(code=WarningCode.TOTAL_BLANK, keys=[key],
                                    message=f"{key} is blank while its parts are not all 0"))
    return findings
