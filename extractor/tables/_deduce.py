"""Glued runs settled by deduction: the template's identities, or the report's own sentences.

Crawled text prints a row's cells with no separator (`（七）总计630020469`). Each glued run is
an unknown; its well-formed splits (no leading zeros, a sign only in 本年增/减, decimals only in
amounts) are its candidate values. A split is accepted only when it is the **only** one that
satisfies every identity of the template that applies (template.md §3.3, §4):

1. per row: 总计 = the six applicant columns (table 三), the four results = 总计 per group (四);
2. across rows, jointly: 一+二 = （七）总计+四 and （七）总计 = Σ outcome rows, per column;
3. table 二 has no identity: a split is settled only where the report's own text states one
   of its numbers (制发行政规范性文件62件) and that leaves one split.

When no split satisfies the identities, the report's own arithmetic is wrong: nothing is
repaired, the run stays glued and the warning says so. When several remain, nothing is assigned.

Cost is bounded: a row total or group total that follows its terms is not searched but forced
(it must read as their sum), all the searches of one table share one budget of steps
(`values.STEP_BUDGET`), and a row with more than `values.MAX_CANDIDATES` splits is left glued.
Public API: `GluedRow`, `deduce(glued, identities, fields, cells, facts) -> Deduction`,
`candidates(row, identities)` (one row's splits, for the year-to-year deduction in crossyear.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from extractor.errors import SearchBudget
from extractor.models import UNKNOWN_STATES, CellInfo
from extractor.tables._glued import Steps, row_splits
from extractor.tables._keys import column_of
from extractor.tables._memo import per_object
from extractor.tables._template import NORMATIVE_DOCUMENTS, ColumnKind, Identity
from extractor.tables._values import MAX_DIGITS, CellValue, parse_cell, split_cells

__all__ = ["GluedRow", "candidates", "deduce", "known_value", "stated_facts"]


@dataclass
class GluedRow:
    """A printed row whose items are fewer than its columns and fit them in several ways."""

    key: str  # the row key, e.g. "applications.received_new"
    keys: tuple[str, ...]
    kinds: tuple[ColumnKind, ...]
    items: tuple[str, ...]
    candidates: list[tuple[str, ...]] = field(default_factory=list)  # well-formed splits left
    several: bool = False  # already known to have two or more well-formed splits

    def split(self, parts: tuple[str, ...]) -> list[tuple[str, CellValue]]:
        """The row's cells for one split: (key, value read from its part, split from the run)."""
        return list(zip(self.keys, split_cells(parts, self.kinds, " ".join(self.items))))


@dataclass
class Settled:
    row: GluedRow
    parts: tuple[str, ...]
    split_by: list[str]


@dataclass
class Deduction:
    settled: list[Settled] = field(default_factory=list)
    # row key -> why it stays glued ("several splits fit", "no split satisfies …")
    unsettled: dict[str, str] = field(default_factory=dict)


def _value(part: str, kind: ColumnKind) -> float | None:
    return parse_cell(part, kind).value


@per_object(maxsize=10_000)  # the template's identities and rows are few
def _local(identities: tuple[Identity, ...], keys: tuple[str, ...]) -> list[tuple[Identity, tuple[int, ...], int]]:
    """Identities that lie within one row whose total is a single cell: (identity, term indexes, total index)."""
    index = {k: i for i, k in enumerate(keys)}
    out = []
    for ident in identities:
        if len(ident.total) == 1 and all(k in index for k in ident.keys):
            out.append((ident, tuple(index[k] for k in ident.terms), index[ident.total[0]]))
    return out


def known_value(key: str, fields: Mapping[str, float | None], cells: Mapping[str, CellInfo]) -> float | None:
    """A printed value, 0 for a printed blank (as the checks read it); None when unknown."""
    cell = cells.get(key)
    if cell is None or cell.state in UNKNOWN_STATES:
        return None
    v = fields.get(key)
    return 0 if v is None else v


def _joint(rows: list[GluedRow], identities: tuple[Identity, ...], fields: Mapping[str, float | None],
           cells: Mapping[str, CellInfo],
           steps: Steps) -> tuple[list[tuple[int, ...]], list[Identity]]:
    """Combinations of the rows' candidates that satisfy every cross-row identity that applies;
    at most two are collected (one is an answer, two mean none). Returns them and the identities used."""
    owner = {k: (ri, ci) for ri, row in enumerate(rows) for ci, k in enumerate(row.keys)}
    usable: list[tuple[Identity, int]] = []  # identity, index of the last row it needs
    for ident in identities:
        mine = [owner[k][0] for k in ident.keys if k in owner]
        if not mine or len(set(mine)) == 1 and len(mine) == len(ident.keys):
            continue  # not about these rows, or a row's own identity (already applied)
        if any(k not in owner and known_value(k, fields, cells) is None for k in ident.keys):
            continue  # needs a value nobody knows
        usable.append((ident, max(mine)))
    by_last: dict[int, list[Identity]] = {}
    for ident, last in usable:
        by_last.setdefault(last, []).append(ident)

    chosen: list[int] = []
    solutions: list[tuple[int, ...]] = []
    # Each candidate's values, read once (0 where a part reads as nothing, as the checks read it),
    # and each identity as its terms and totals: (row, column) of a glued cell or a known value.
    parsed = [[[_value(part, kind) or 0 for part, kind in zip(cand, row.kinds)] for cand in row.candidates]
              for row in rows]

    def operand(key: str) -> tuple[int, int] | float:
        return owner[key] if key in owner else known_value(key, fields, cells) or 0

    plans = {ri: [([operand(k) for k in i.terms], [operand(k) for k in i.total]) for i in idents]
             for ri, idents in by_last.items()}

    def total(ops: list[tuple[int, int] | float]) -> float:
        return sum(parsed[op[0]][chosen[op[0]]][op[1]] if isinstance(op, tuple) else op for op in ops)

    def search(ri: int) -> None:
        if ri == len(rows):
            solutions.append(tuple(chosen))
            return
        for ci in range(len(rows[ri].candidates)):
            steps.spend()
            chosen.append(ci)
            if all(abs(total(terms) - total(totals)) < 1e-9 for terms, totals in plans.get(ri, ())):
                search(ri + 1)
            chosen.pop()
            if len(solutions) > 1:
                return

    try:
        search(0)
    except SearchBudget:
        return [(), ()], []
    return solutions, [i for i, _ in usable]


def candidates(row: GluedRow, identities: tuple[Identity, ...], steps: Steps | None = None) -> list[tuple[str, ...]] | None:
    """The row's well-formed splits that satisfy its own identities; None when too many to search."""
    local = _local(identities, row.keys)
    return row_splits(row.items, row.kinds, [(t, total) for _, t, total in local], steps=steps)


def deduce(glued: list[GluedRow], identities: tuple[Identity, ...], fields: Mapping[str, float | None],
           cells: Mapping[str, CellInfo],
           facts: dict[str, list[tuple[float, str]]] | None = None) -> Deduction:
    """Settle what the identities (or stated facts, key -> [(value, sentence)]) leave one way."""
    out = Deduction()
    steps = Steps()
    open_rows: list[GluedRow] = []
    facts = facts or {}
    for row in glued:
        if row.several and not identities and not any(facts.get(k) for k in row.keys):
            # Nothing could pick one split (table 二 has no identity, and the text states none of
            # its numbers): the row was glued because several splits fit, so it is not searched again.
            out.unsettled[row.key] = "several splits fit and no identity or sentence decides"
            continue
        local = _local(identities, row.keys)
        splits = row_splits(row.items, row.kinds, [(t, total) for _, t, total in local], steps=steps)
        if splits is None:
            out.unsettled[row.key] = "too many ways to split: not searched further"
            continue
        row.candidates = splits
        if not splits:
            ids = ", ".join(i.id for i, _, _ in local)
            out.unsettled[row.key] = (f"no split satisfies {ids}: the report's own figures do not add up" if local
                                      else "no split gives every column a well-formed value")
            continue
        if len(splits) == 1:
            out.settled.append(Settled(row, splits[0], [i.id for i, _, _ in local]))
            continue
        stated = _by_facts(row, facts)
        if stated is not None:
            out.settled.append(Settled(row, stated[0], stated[1]))
            continue
        open_rows.append(row)

    if open_rows and identities:
        # Rows settled on their own take part with their one split.
        fixed = [GluedRow(s.row.key, s.row.keys, s.row.kinds, s.row.items, [s.parts]) for s in out.settled]
        solutions, used = _joint(fixed + open_rows, identities, fields, cells, steps)
        solutions = [sol[len(fixed):] for sol in solutions]
        if len(solutions) == 1:
            for row, ci in zip(open_rows, solutions[0]):
                local_ids = [i.id for i, _, _ in _local(identities, row.keys)]
                mine = set(row.keys)
                out.settled.append(Settled(row, row.candidates[ci],
                                           local_ids + [u.id for u in used if mine & set(u.keys)]))
            return out
        reason = ("no combination of splits satisfies the identities: the report's own figures do not add up"
                  if not solutions else "several splits satisfy every identity")
        for row in open_rows:
            out.unsettled[row.key] = reason
        return out
    for row in open_rows:
        out.unsettled[row.key] = "several splits fit and no identity or sentence decides"
    return out


def _by_facts(row: GluedRow, facts: dict[str, list[tuple[float, str]]]) -> tuple[tuple[str, ...], list[str]] | None:
    """The one candidate that every stated number about this row agrees with."""
    left = set(range(len(row.candidates)))
    used: list[str] = []
    for ci, key in enumerate(row.keys):
        for value, sentence in facts.get(key, ()):
            agree = {i for i in left if _value(row.candidates[i][ci], row.kinds[ci]) == value}
            if agree:
                left = agree
                used.append(f"text: {sentence}")
    if len(left) == 1 and used:
        return row.candidates[left.pop()], used
    return None


# ---------------------------------------------------------------- stated facts (table 二)
_DOC = r"(?:行政)?规范性文件"
_FACT_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "issued_count": (re.compile(rf"(?:制发|印发|出台|制定)(?:的|了)?{_DOC}(?:共)?(\d+)件"),),
    "repealed_count": (re.compile(rf"废止(?:的|了)?{_DOC}(?:共)?(\d+)件"),),
    "in_force_count": (re.compile(rf"现行有效(?:的)?{_DOC}(?:共)?(\d+)件"),),
}


def stated_facts(text: str, row: GluedRow) -> dict[str, list[tuple[float, str]]]:
    """Numbers the report's text states about one row of table 二 (v2021 规范性文件 counts)."""
    if row.key != NORMATIVE_DOCUMENTS or "规范性文件" not in text:
        return {}
    by_column = {column_of(k): k for k in row.keys}
    squeezed = "".join(text.split())
    out: dict[str, list[tuple[float, str]]] = {}
    for column, patterns in _FACT_PATTERNS.items():
        if column not in by_column:
            continue  # a v2019 row counts other things
        for pattern in patterns:
            for m in pattern.finditer(squeezed):
                if len(m.group(1)) > MAX_DIGITS:
                    continue  # no count (and int() refuses 4,301 digits)
                start = squeezed.rfind("。", 0, m.start()) + 1
                out.setdefault(by_column[column], []).append((int(m.group(1)), squeezed[start:m.end()][-40:]))
    return out
