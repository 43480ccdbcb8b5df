"""Rows printed with fewer values than columns because their blank cells were dropped
(pdfplumber's text, `spaces_dropped`): where the blanks were, decided by the identities.

Each printed item is one cell, in the printed order; the columns no item takes are blank
(read as 0 by the identities, as the checks read a blank: schema.md). A row's placements are its
candidates (`placements`), filtered by the row's own identities; the joint search (`solve`)
keeps, over all the open rows of a table (placements and glued splits alike), every combination
that makes every identity hold. A row is placed only when every such combination gives it the
same placement; otherwise it stays `incomplete`.

`solve` is a dynamic programme over the rows: its state is each cross-row identity's running
residual (Σ terms − Σ totals so far), pruned by the least and most the rows still to come can add.
It counts the combinations exactly and tells each row's candidates that some combination uses;
past `MAX_STATES` states it gives up (nothing decided), so hostile input costs a bounded amount.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from math import comb

from extractor.models import CellState
from extractor.tables._template import ColumnKind, Identity
from extractor.tables._values import parse_cell

__all__ = ["MAX_PLACEMENTS", "MAX_STATES", "MAX_WORK", "Joint", "placements", "solve"]

MAX_PLACEMENTS = 20_000  # column choices tried for one row (C(15, 7) = 6435 for table 四)
MAX_STATES = 200_000  # residual states over all rows of one table's joint search
MAX_WORK = 2_000_000  # candidate transitions tried in one table's joint search
_ZERO_STATES = (CellState.DASH, CellState.SLASH)  # printed cells the identities read as 0


def _item_value(item: str, kind: ColumnKind) -> float | None:
    """The value an item gives in a column of this kind (a dash or slash reads as 0); None when
    the item is not well formed there."""
    cell = parse_cell(item, kind)
    if cell.state == CellState.NUMBER and cell.value is not None:
        return float(cell.value)
    if cell.state in _ZERO_STATES:
        return 0.0
    return None


def placements(items: Sequence[str], kinds: tuple[ColumnKind, ...],
               local: Sequence[tuple[tuple[int, ...], int]] = ()) -> list[tuple[str, ...]] | None:
    """Every way to give each printed item (empty ones dropped: a blank anywhere is what the
    placement adds) one column, in order, each well formed for its column, the rest blank ("")
    and the row's own identities (term indexes, total index) holding with blanks as 0. None when
    there are more column choices than MAX_PLACEMENTS."""
    printed = [i.strip() for i in items if i.strip()]
    n, k = len(kinds), len(printed)
    if not printed or k > n:
        return []
    if comb(n, k) > MAX_PLACEMENTS:
        return None
    # each item's value per column, once
    table = [[_item_value(item, kind) for kind in kinds] for item in printed]
    out: list[tuple[str, ...]] = []
    for cols in combinations(range(n), k):
        values = [0.0] * n
        ok = True
        for i, c in enumerate(cols):
            v = table[i][c]
            if v is None:
                ok = False
                break
            values[c] = v
        if not ok:
            continue
        if any(abs(sum(values[t] for t in terms) - values[total]) > 1e-9 for terms, total in local):
            continue
        parts = [""] * n
        for i, c in enumerate(cols):
            parts[c] = printed[i]
        out.append(tuple(parts))
    return out


@dataclass
class Joint:
    """What the identities leave of the open rows' candidates: how many combinations make every
    identity hold (`solutions`; None when the search gave up), each row's candidates used by one
    of them (`live`), and the ids of the identities that took part (`used`)."""

    solutions: int | None
    live: list[set[int]] = field(default_factory=list)
    used: list[Identity] = field(default_factory=list)


def solve(rows: Sequence[tuple[tuple[str, ...], list[tuple[float, ...]]]], identities: Sequence[Identity],
          known: Callable[[str], float | None]) -> Joint:
    """The combinations of the rows' candidates (each row: its keys and each candidate's values,
    blank read as 0) that make every identity hold that touches two or more rows or a row and
    known values (`known(key)`: a cell's value, 0 for a printed blank, None when unknown)."""
    owner = {k: (ri, ci) for ri, (keys, _) in enumerate(rows) for ci, k in enumerate(keys)}
    used: list[Identity] = []
    consts: list[float] = []
    coefs: list[list[tuple[int, int, float]]] = []  # per identity: (row, column, +1 term / −1 total)
    for ident in identities:
        mine = {owner[k][0] for k in ident.keys if k in owner}
        if not mine or (len(mine) == 1 and all(k in owner for k in ident.keys)):
            continue  # not about these rows, or a row's own identity (its candidates hold it)
        const = 0.0
        terms: list[tuple[int, int, float]] = []
        usable = True
        for sign, keys in ((1.0, ident.terms), (-1.0, ident.total)):
            for k in keys:
                if k in owner:
                    terms.append((*owner[k], sign))
                    continue
                v = known(k)
                if v is None:
                    usable = False
                    break
                const += sign * v
            if not usable:
                break
        if usable:
            used.append(ident)
            consts.append(const)
            coefs.append(terms)
    n_rows, n_ids = len(rows), len(used)
    # each candidate's contribution to each identity
    deltas: list[list[tuple[float, ...]]] = []
    for ri, (_, cands) in enumerate(rows):
        by_id = [[(ci, s) for r, ci, s in coefs[j] if r == ri] for j in range(n_ids)]
        deltas.append([tuple(sum(s * cand[ci] for ci, s in cols) for cols in by_id) for cand in cands])
    # the least and most the rows from r on can still add to each identity
    lo = [[0.0] * n_ids for _ in range(n_rows + 1)]
    hi = [[0.0] * n_ids for _ in range(n_rows + 1)]
    for ri in range(n_rows - 1, -1, -1):
        for j in range(n_ids):
            vals = [d[j] for d in deltas[ri]] or [0.0]
            lo[ri][j] = lo[ri + 1][j] + min(vals)
            hi[ri][j] = hi[ri + 1][j] + max(vals)

    def key(state: Sequence[float]) -> tuple[float, ...]:
        return tuple(round(x, 6) for x in state)

    def alive(state: tuple[float, ...], ri: int) -> bool:
        return all(s + lo[ri][j] <= 1e-9 and s + hi[ri][j] >= -1e-9 for j, s in enumerate(state))

    start = key(consts)
    layers: list[dict[tuple[float, ...], int]] = [{start: 1} if alive(start, 0) else {}]
    edges: list[list[tuple[tuple[float, ...], int, tuple[float, ...]]]] = []
    total_states = 1
    work = 0
    for ri in range(n_rows):
        nxt: dict[tuple[float, ...], int] = {}
        step: list[tuple[tuple[float, ...], int, tuple[float, ...]]] = []
        for state, count in layers[-1].items():
            work += len(deltas[ri])
            if work > MAX_WORK:
                return Joint(None, [set(range(len(c))) for _, c in rows], used)
            for ci, d in enumerate(deltas[ri]):
                new = key([s + x for s, x in zip(state, d)])
                if not alive(new, ri + 1):
                    continue
                if new not in nxt:
                    total_states += 1
                    if total_states > MAX_STATES:
                        return Joint(None, [set(range(len(c))) for _, c in rows], used)
                nxt[new] = nxt.get(new, 0) + count
                step.append((state, ci, new))
        layers.append(nxt)
        edges.append(step)
    final = key([0.0] * n_ids)
    solutions = layers[-1].get(final, 0)
    live: list[set[int]] = [set() for _ in range(n_rows)]
    if solutions:
        reach = {final}
        for ri in range(n_rows - 1, -1, -1):
            back: set[tuple[float, ...]] = set()
            for state, ci, new in edges[ri]:
                if new in reach:
                    live[ri].add(ci)
                    back.add(state)
            reach = back
    return Joint(solutions, live, used)
