"""Glued runs settled by deduction: the template's identities, or the report's own sentences.

Crawled text prints a row's cells with no separator (`（七）总计630020469`). Each glued run is
an unknown; its well-formed splits (no leading zeros, a sign only in 本年增/减, decimals only in
amounts) are its candidate values. A split is accepted only when it is the **only** one that
satisfies every identity of the template that applies (template.md §3.3, §4):

1. per row: 总计 = the six applicant columns (table 三), the four results = 总计 per group (四);
2. across rows, jointly: 一+二 = （七）总计+四 and （七）总计 = Σ outcome rows, per column;
3. table 二 has no identity: a split is settled only where the report's own text states one
   of its numbers (制发行政规范性文件62件) and that leaves one split.

A row printed short because its blank cells were dropped (`GluedRow.placed`) has its placements
as candidates (_place.py) and is settled the same way, jointly, never on its own; and not at all
when the report's printed figures break an identity. A row is settled when every combination of
candidates that satisfies the identities gives it the same one (`Deduction.admitted` keeps what
they admit, for `undecided_cells`).

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from extractor.models import UNKNOWN_STATES, CellInfo
from extractor.tables._glued import PART_PATTERNS, Steps, row_splits
from extractor.tables._keys import column_of
from extractor.tables._memo import per_object
from extractor.tables._place import placements, solve
from extractor.tables._shared import shared_candidates
from extractor.tables._table_fit import TABLE_FIT, fitted_joint
from extractor.tables._template import NORMATIVE_DOCUMENTS, ColumnKind, Identity
from extractor.tables._values import MAX_DIGITS, PLAIN_CELLS, CellValue, parse_cell, split_cells

__all__ = ["MAX_BLANK_COLUMNS", "Agreed", "GluedRow", "candidates", "deduce", "known_value", "splits_with_blanks", "stated_facts"]


@dataclass
class GluedRow:
    """A printed row whose items are fewer than its columns and fit them in several ways."""

    key: str  # the row key, e.g. "applications.received_new"
    keys: tuple[str, ...]
    kinds: tuple[ColumnKind, ...]
    items: tuple[str, ...]
    candidates: list[tuple[str, ...]] = field(default_factory=list)  # well-formed splits left
    several: bool = False  # already known to have two or more well-formed splits
    placed: bool = False  # printed short, blanks dropped: each item one cell, candidates are placements (_place.py)

    def split(self, parts: tuple[str, ...]) -> list[tuple[str, CellValue]]:
        """The row's cells for one split: (key, value read from its part, split from the run)."""
        return list(zip(self.keys, split_cells(parts, self.kinds, " ".join(self.items))))


class Settled(NamedTuple):  # NamedTuple and a plain class below, not dataclasses: 0.5 ms of start-up each
    row: GluedRow
    parts: tuple[str, ...]
    split_by: list[str]


class Agreed(NamedTuple):
    """A row left unsettled whose columns all its admitted placements or splits agree on (`parts`:
    the part each gets, None where they differ) and the identities that took part (`split_by`)."""

    row: GluedRow
    parts: tuple[str | None, ...]
    split_by: list[str]


class Deduction:
    """What the deduction settles, and why the rest stays glued."""

    __slots__ = ("settled", "unsettled", "admitted", "agreed")

    def __init__(self) -> None:
        self.settled: list[Settled] = []
        # row key -> why it stays glued ("several splits fit", "no split satisfies …")
        self.unsettled: dict[str, str] = {}
        # row key -> every candidate the identities admit (one for a settled row); a row absent here
        # admits none that is known (none fits, or the search gave up): what the report decides
        self.admitted: dict[str, list[tuple[str, ...]]] = {}
        # a placed row that several placements fit, every one satisfying every identity: the part each
        # column gets in all of them (None where they differ), and the identities that took part
        self.agreed: list[Agreed] = []


def _value(part: str, kind: ColumnKind) -> float | None:
    return parse_cell(part, kind).value


def _values_of(parts: tuple[str, ...], kinds: tuple[ColumnKind, ...]) -> tuple[float, ...]:
    """A candidate's values, blank or unknown as 0 (_place.solve): PLAIN_CELLS' first, as parse_cell."""
    plain = PLAIN_CELLS
    return tuple((c.value if (c := plain.get(p)) is not None else parse_cell(p, k).value) or 0.0
                 for p, k in zip(parts, kinds))


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


def candidates(row: GluedRow, identities: tuple[Identity, ...], steps: Steps | None = None) -> list[tuple[str, ...]] | None:
    """The row's well-formed splits that satisfy its own identities; None when too many to search."""
    local = _local(identities, row.keys)
    return row_splits(row.items, row.kinds, [(t, total) for _, t, total in local], steps=steps)


def deduce(glued: list[GluedRow], identities: tuple[Identity, ...], fields: Mapping[str, float | None],
           cells: Mapping[str, CellInfo],
           facts: dict[str, list[tuple[float, str]]] | None = None,
           shared: Sequence[tuple[str, ...]] = (), table_fit: bool | Callable[[], bool] = False) -> Deduction:
    """Settle what the identities (or stated facts, key -> [(value, sentence)]) leave one way.
    `shared`: placed rows (by key) printed in one piece with the same columns (_shared.py),
    placed together, one choice of columns for all. `table_fit`: where the exact count gives
    up, count the assignments up to two instead (_table_fit.py; only for a table that drops its
    blanks and shows each row's label beside its values: _table_fit.table_fit_allowed). A callable
    `table_fit` is asked only where the exact count gave up (rare: the check scans every cell)."""
    out = Deduction()
    steps = Steps()
    open_rows: list[GluedRow] = []
    facts = facts or {}
    pieces = _open_pieces(glued, shared, identities, open_rows)
    in_piece = {r.key for _, members in pieces.values() for r in members}
    for row in glued:
        if row.placed:
            if row.key not in in_piece:
                _open_placement(row, identities, out, open_rows)
            continue
        if row.several and not identities and not any(facts.get(k) for k in row.keys):
            # Nothing could pick one split (table 二 has no identity, and the text states none of
            # its numbers); but the columns every well-formed split gives the same part are decided
            # (`2648-18538`: the sign starts 本年增/减, so 上一年项目数量 is 2648).
            out.unsettled[row.key] = "several splits fit and no identity or sentence decides"
            splits = splits_with_blanks(row, steps)
            if splits:
                _agree(row, splits, identities, [], out)
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
            out.admitted[row.key] = splits
            continue
        stated = _by_facts(row, facts)
        if stated is not None:
            out.settled.append(Settled(row, stated[0], stated[1]))
            out.admitted[row.key] = [stated[0]]
            continue
        open_rows.append(row)
    if open_rows:
        _settle_jointly(open_rows, identities, fields, cells, out, table_fit)
    if pieces:
        _part_pieces(out, pieces)
    return out


MAX_BLANK_COLUMNS = 3  # table 二's rows: a split for each choice of blank columns stays cheap


def splits_with_blanks(row: GluedRow, steps: Steps) -> list[tuple[str, ...]] | None:
    """Every well-formed split of a glued row that has no identity, a blank cell ("") allowed in
    any column (a crawl prints nothing for a blank cell): the splits whose agreement on a column
    decides it whatever the blanks were. None for a row too wide or a search past its budget."""
    n = len(row.kinds)
    if n > MAX_BLANK_COLUMNS:
        return None
    run = "".join(row.items)
    if len(row.items) == 1 and all(parse_cell(run, kind).value is not None and PART_PATTERNS[kind].fullmatch(run)
                                   for kind in row.kinds):
        # the whole run is a value in any one column, the others blank: each column is the run in one
        # split and blank in another, so no column is decided (table 二's digits: no search needed)
        return []
    out: list[tuple[str, ...]] = []
    for mask in range((1 << n) - 1):  # the columns left blank; never all of them (digits are printed)
        filled = [i for i in range(n) if not mask >> i & 1]
        if len(filled) < len(row.items):
            continue
        found = row_splits(row.items, tuple(row.kinds[i] for i in filled), steps=steps)
        if found is None:
            return None
        for parts in found:
            full = [""] * n
            for i, part in zip(filled, parts):
                full[i] = part
            out.append(tuple(full))
    return out


def _open_pieces(glued: list[GluedRow], shared: Sequence[tuple[str, ...]], identities: tuple[Identity, ...],
                 open_rows: list[GluedRow]) -> dict[str, tuple[GluedRow, list[GluedRow]]]:
    """Each piece's rows as one open row whose candidates are the piece's choices of columns
    (_shared.shared_candidates); by its key, that row and the piece's rows. A piece no choice
    fits is read row by row."""
    by_key = {r.key: r for r in glued if r.placed}
    found: dict[str, tuple[GluedRow, list[GluedRow]]] = {}
    for keys in shared:
        rows = [by_key[k] for k in keys if k in by_key]
        if len(rows) < 2:
            continue
        choices = shared_candidates(rows, identities)
        if not choices:
            continue
        piece = GluedRow("+".join(r.key for r in rows), tuple(k for r in rows for k in r.keys),
                         tuple(k for r in rows for k in r.kinds), tuple(i for r in rows for i in r.items),
                         choices, placed=True)
        open_rows.append(piece)
        found[piece.key] = (piece, rows)
    return found


def _part_pieces(out: Deduction, pieces: dict[str, tuple[GluedRow, list[GluedRow]]]) -> None:
    """What the deduction found for each piece, given to its rows."""
    for piece, members in pieces.values():
        spans = []
        at = 0
        for r in members:
            spans.append((r, at, at + len(r.keys)))
            at += len(r.keys)
        for s in [s for s in out.settled if s.row is piece]:
            out.settled.remove(s)
            out.settled += [Settled(r, s.parts[a:b], s.split_by) for r, a, b in spans]
        for g in [g for g in out.agreed if g.row is piece]:
            out.agreed.remove(g)
            out.agreed += [Agreed(r, g.parts[a:b], g.split_by) for r, a, b in spans if any(p is not None for p in g.parts[a:b])]
        if piece.key in out.unsettled:
            reason = out.unsettled.pop(piece.key)
            out.unsettled.update((r.key, reason) for r in members)
        if piece.key in out.admitted:
            admitted = out.admitted.pop(piece.key)
            out.admitted.update((r.key, [c[a:b] for c in admitted]) for r, a, b in spans)


def _open_placement(row: GluedRow, identities: tuple[Identity, ...], out: Deduction,
                    open_rows: list[GluedRow]) -> None:
    """A row whose blank cells were dropped: its placements that hold its own identities, left
    for the joint search (a placement is taken only when the whole table admits it alone)."""
    local = _local(identities, row.keys)
    found = placements(row.items, row.kinds, [(t, total) for _, t, total in local])
    if found is None:
        out.unsettled[row.key] = "too many ways to place the printed values: not searched"
    elif not found:
        out.unsettled[row.key] = ("no placement of the printed values satisfies the row's identities" if local
                                  else "no placement gives every value a column it is well formed in")
    else:
        row.candidates = found
        open_rows.append(row)


def _settle_jointly(open_rows: list[GluedRow], identities: tuple[Identity, ...], fields: Mapping[str, float | None],
                    cells: Mapping[str, CellInfo], out: Deduction, table_fit: bool | Callable[[], bool] = False) -> None:
    """Every combination of the open rows' candidates (rows settled on their own take part with
    their one split) that makes every identity hold; a row whose candidates all these
    combinations agree on is settled, the others say why not."""
    fixed = [GluedRow(s.row.key, s.row.keys, s.row.kinds, s.row.items, [s.parts]) for s in out.settled]
    rows = fixed + open_rows
    valued = [(r.keys, [_values_of(c, r.kinds) for c in r.candidates]) for r in rows]
    joint = solve(valued, identities, lambda k: known_value(k, fields, cells))
    fitted: list[str] = []  # said in split_by: the table-wide fit decided (undecided_cells runs it again)
    if joint.solutions is None and all(r.placed for r in open_rows) and (table_fit() if callable(table_fit) else table_fit):
        joint, fitted = fitted_joint(valued, identities, lambda k: known_value(k, fields, cells)), [TABLE_FIT]
    broken = _broken_known(identities, rows, fields, cells) if any(r.placed for r in open_rows) else None
    refuted = next((k for k, why in out.unsettled.items() if why.startswith("no placement")), None)
    if fitted and broken is None and refuted is not None:
        # a short row that no placement fits breaks its own 总计 (a value misprinted or lost, not a blank
        # dropped): the table's figures do not add up, so no fit of the others is trusted
        broken = f"{refuted}'s own identities"
    for row, live in zip(open_rows, joint.live[len(fixed):]):
        what = "placements" if row.placed else "splits"
        if joint.solutions:
            out.admitted[row.key] = [row.candidates[i] for i in sorted(live)]
        if joint.solutions is None:
            out.unsettled[row.key] = f"too many combinations of {what} to search"
        elif joint.solutions == 0:
            out.unsettled[row.key] = (f"no combination of {what} satisfies the identities: "
                                      "the report's own figures do not add up")
        elif row.placed and broken is not None:
            out.unsettled[row.key] = f"the report's own figures break {broken}: no placement is trusted"
        elif row.placed and not any(row.items) and not any(set(row.keys) & set(u.keys) for u in joint.used):
            # a row that printed no value is read blank only where an identity over other rows holds with it
            out.unsettled[row.key] = "no value printed and no identity over other rows takes part"
        elif len(live) == 1:
            mine = set(row.keys)
            local_ids = [i.id for i, _, _ in _local(identities, row.keys)]
            out.settled.append(Settled(row, row.candidates[next(iter(live))],
                                       local_ids + [u.id for u in joint.used if mine & set(u.keys)] + fitted))
        elif not identities:
            out.unsettled[row.key] = f"several {what} fit and no identity or sentence decides"
        else:
            out.unsettled[row.key] = f"several {what} satisfy every identity"
            if row.placed and not any(not i or i == "0" for i in row.items):
                # (a row that prints a blank cell or a 0 keeps its blanks: what it lacks may be a value,
                # and then no placement of blanks is the truth, so agreeing ones prove nothing)
                _agree(row, [row.candidates[i] for i in live], identities, joint.used, out, fitted)


def _agree(row: GluedRow, live: list[tuple[str, ...]], identities: tuple[Identity, ...],
           used: list[Identity], out: Deduction, fitted: Sequence[str] = ()) -> None:
    """The columns of a row that every placement or split the identities admit gives the same part
    (a value, or a blank): decided by the report although the row as a whole is not (`agreed`)."""
    parts = tuple(p if all(c[i] == p for c in live) else None for i, p in enumerate(live[0]))
    if any(p is not None for p in parts):
        mine = set(row.keys)
        out.agreed.append(Agreed(row, parts, [i.id for i, _, _ in _local(identities, row.keys)]
                                 + [u.id for u in used if mine & set(u.keys)] + list(fitted)))


def _broken_known(identities: tuple[Identity, ...], rows: list[GluedRow], fields: Mapping[str, float | None],
                  cells: Mapping[str, CellInfo]) -> str | None:
    """The first identity over printed values only (no open row's cell) that fails: a report
    whose own figures do not add up gives no ground for placing values by its identities."""
    open_keys = {k for r in rows for k in r.keys}
    for ident in identities:
        if any(k in open_keys for k in ident.keys):
            continue
        values = [known_value(k, fields, cells) for k in ident.keys]
        if None in values:
            continue
        n = len(ident.total)
        if abs(sum(values[:n]) - sum(values[n:])) > 1e-9:  # type: ignore[arg-type]  # no None: tested above
            return ident.id
    return None


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
