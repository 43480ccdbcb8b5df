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
from math import comb

from extractor.models import CellState
from extractor.tables._template import ColumnKind, Identity
from extractor.tables._values import parse_cell

__all__ = ["MAX_PLACEMENTS", "MAX_STATES", "MAX_WORK", "Joint", "item_value", "placements", "solve"]

MAX_PLACEMENTS = 20_000  # column choices tried for one row (C(15, 7) = 6435 for table 四)
MAX_STATES = 200_000  # residual states over all rows of one table's joint search
MAX_WORK = 2_000_000  # candidate transitions tried in one table's joint search
_ZERO_STATES = (CellState.DASH, CellState.SLASH)  # printed cells the identities read as 0


def item_value(item: str, kind: ColumnKind) -> float | None:
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
    if k > n or not printed and items:
        return []  # (a row of blank cells only, fewer than its columns, lost one: it may have held a value)
    # (a row that printed nothing, no cell, has one placement: every column blank; the joint search
    # takes it only where an identity over other rows holds with it: _deduce._settle_jointly)
    if comb(n, k) > MAX_PLACEMENTS:
        return None
    # each item's value per column, once; each identity checked at its last column
    table = [[item_value(item, kind) for kind in kinds] for item in printed]
    at_col: dict[int, list[tuple[tuple[int, ...], int]]] = {}
    for terms, total in local:
        at_col.setdefault(max(*terms, total), []).append((terms, total))
    values = [0.0] * n
    parts = [""] * n
    out: list[tuple[str, ...]] = []

    def fill(col: int, item: int) -> None:
        if col == n:
            if item == k:
                out.append(tuple(parts))
            return
        choices = []
        if item < k and table[item][col] is not None:
            choices.append(item)  # the next printed value here
        if n - col - 1 >= k - item:
            choices.append(-1)  # a blank here: enough columns left for the values still to place
        for choice in choices:
            values[col] = 0.0 if choice < 0 else table[choice][col]  # type: ignore[assignment]  # None excluded above
            parts[col] = "" if choice < 0 else printed[choice]
            if all(abs(sum(values[t] for t in terms) - values[total]) <= 1e-9 for terms, total in at_col.get(col, ())):
                fill(col + 1, item + (choice >= 0))
        values[col], parts[col] = 0.0, ""

    fill(0, 0)
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
    asked: dict[str, float | None] = {}  # known(k) once a key: a key is in its row's and its column's identities
    for ident in identities:
        owned = owner.keys() & ident.keys  # in C: most identities hold no open row's key
        if not owned:
            continue
        mine = {owner[k][0] for k in owned}
        if len(mine) == 1 and all(k in owner for k in ident.keys):
            continue  # not about these rows, or a row's own identity (its candidates hold it)
        const = 0.0
        terms: list[tuple[int, int, float]] = []
        usable = True
        for sign, keys in ((1.0, ident.terms), (-1.0, ident.total)):
            for k in keys:
                if k in owner:
                    terms.append((*owner[k], sign))
                    continue
                if k in asked:
                    v = asked[k]
                else:
                    v = asked[k] = known(k)
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
    # Exact arithmetic: values as integers (amounts scaled to millionths), so states compare exactly.
    integral = all(float(v).is_integer() for _, cands in rows for c in cands for v in c) and all(
        float(c).is_integer() for c in consts)
    scale = 1 if integral else 10**6

    def whole(x: float) -> int:
        return int(round(x * scale))

    # per row: the identities it takes part in, and its candidates grouped by what they add to them
    touched: list[list[int]] = []
    moves: list[dict[tuple[int, ...], list[int]]] = []
    by_row: list[dict[int, list[tuple[int, float]]]] = [{} for _ in rows]  # one pass over the terms, not one a row
    for j, terms in enumerate(coefs):
        for r, ci, sg in terms:
            by_row[r].setdefault(j, []).append((ci, sg))
    for ri, (_, cands) in enumerate(rows):
        by_id = by_row[ri]
        row_ids = list(by_id)  # in identity order, as the terms were gone through
        touched.append(row_ids)
        grouped: dict[tuple[int, ...], list[int]] = {}
        for ci, cand in enumerate(cands):
            grouped.setdefault(tuple(whole(sum(sg * cand[c] for c, sg in by_id[j])) for j in row_ids), []).append(ci)
        moves.append(grouped)
    # the least and most the rows from r on can still add to each identity
    lo = [[0] * n_ids for _ in range(n_rows + 1)]
    hi = [[0] * n_ids for _ in range(n_rows + 1)]
    for ri in range(n_rows - 1, -1, -1):
        lo[ri], hi[ri] = lo[ri + 1][:], hi[ri + 1][:]
        for pos, j in enumerate(touched[ri]):
            vals = [d[pos] for d in moves[ri]]
            lo[ri][j] += min(vals)
            hi[ri][j] += max(vals)

    start = tuple(whole(c) for c in consts)
    ok_start = all(x + lo[0][j] <= 0 <= x + hi[0][j] for j, x in enumerate(start))
    layers: list[dict[tuple[int, ...], int]] = [{start: 1} if ok_start else {}]
    edges: list[list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]]] = []  # (state, move, next)
    total_states = 1
    work = 0
    for ri in range(n_rows):
        nxt: dict[tuple[int, ...], int] = {}
        step: list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = []
        row_ids, lo_next, hi_next = touched[ri], lo[ri + 1], hi[ri + 1]
        for state, count in layers[-1].items():
            work += len(moves[ri])
            if work > MAX_WORK:
                return Joint(None, [set(range(len(c))) for _, c in rows], used)
            for d in moves[ri]:
                new_list = list(state)
                ok = True
                for pos, j in enumerate(row_ids):
                    x = new_list[j] + d[pos]
                    if not lo_next[j] <= -x <= hi_next[j]:
                        ok = False
                        break
                    new_list[j] = x
                if not ok:
                    continue
                new = tuple(new_list)
                if new not in nxt:
                    total_states += 1
                    if total_states > MAX_STATES:
                        return Joint(None, [set(range(len(c))) for _, c in rows], used)
                    nxt[new] = 0
                nxt[new] += count
                step.append((state, d, new))
        layers.append(nxt)
        edges.append(step)
    final = (0,) * n_ids
    solutions = layers[-1].get(final, 0)
    live: list[set[int]] = [set() for _ in range(n_rows)]
    if solutions:
        reach = {final}
        for ri in range(n_rows - 1, -1, -1):
            back: set[tuple[int, ...]] = set()
            for state, d, new in edges[ri]:
                if new in reach:
                    live[ri].update(moves[ri][d])
                    back.add(state)
            reach = back
    return Joint(solutions, live, used)
