"""A table whose blank cells a converter dropped, placed by all its identities at once.

A row printed short (`31 32 63` for table 三's seven columns) has several placements that hold
its own 总计 (_place.placements). Table 三 also has identities across rows, per column (一 + 二 =
（七）总计 + 四; （七）总计 = Σ the result rows), so the rows decide each other: over all the
table's open rows together, the assignments of one placement to each row that make every
identity hold. `fit_table` counts them up to two, depth first with memo and a node budget (the
exact count of _place.solve gives up on table 三: fourteen column residuals). One assignment:
every row is placed by it. Two or more: no row is placed by the search; what every placement
of a row agrees on (its 总计, a row that printed nothing) is still decided (_deduce._agree),
as any assignment holds it. None: past the budget, nothing decided, never a guess.

What the template cannot decide: the six applicant columns have the same identities, so when
the values sit in fewer than six of them, moving them to any other columns in the same order
satisfies every identity as well; only a table that fills all six is placed whole.

A fit that holds can still be wrong when a row's values were read under another row's label
(pdfplumber prints labels a character or two a line and a row's values beside another's
label): the sums over a column do not change. So the table-wide fit is tried only where every
row that printed values shows its own label, last, on the line of its values (`labels_on_rows`),
and (`drops_blanks`) where the table prints no cell blank: a report that shows its blank cells
does not drop them, and its short rows lost a value instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from extractor.lazy import lazy_pattern
from extractor.models import CellInfo, CellState
from extractor.tables._place import Joint
from extractor.tables._template import Identity, RowSpec

if TYPE_CHECKING:
    from extractor.document import At
    from extractor.tables._store import TablesRead

__all__ = ["MAX_NODES", "TABLE_FIT", "TableFit", "drops_blanks", "fit_table", "fitted_joint", "labels_on_rows", "table_fit_allowed"]

# in a placed cell's split_by: the table-wide fit decided it (tables.undecided_cells runs it again)
TABLE_FIT = "table_fit"
MAX_NODES = 50_000  # row choices tried to count one table's assignments, and again to find each row's used ones
_CJK = lazy_pattern(r"[\u4e00-\u9fff]")
_NUMBERED = lazy_pattern(r"[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.．、]")  # a row label's numbering


class TableFit(NamedTuple):
    """The assignments that make every identity hold: `solutions` 0, 1 or 2 (two or more), None
    past the budget; `choice` each row's candidate in the first one found; `used` the identities
    that took part (over two or more rows, or a row and printed values); `live` each row's
    candidates that some assignment uses (all of them where the budget ran out first)."""

    solutions: int | None
    choice: tuple[int, ...] | None
    used: list[Identity]
    live: list[set[int]] | None = None  # each row's candidates some assignment uses (every one past the budget)


def fit_table(rows: Sequence[tuple[tuple[str, ...], list[tuple[float, ...]]]], identities: Sequence[Identity],
              known: Callable[[str], float | None], max_nodes: int = MAX_NODES) -> TableFit:
    """Count (up to two) the choices of one candidate a row (each row: its keys and each
    candidate's values, blank read as 0) that hold every identity touching two or more rows or
    a row and known values (`known(key)`: None when unknown: the identity cannot be used)."""
    owner = {k: (ri, ci) for ri, (keys, _) in enumerate(rows) for ci, k in enumerate(keys)}
    used: list[Identity] = []
    consts: list[int] = []
    coefs: list[list[tuple[int, int, int]]] = []
    for ident in identities:
        mine = {owner[k][0] for k in ident.keys if k in owner}
        if not mine or len(mine) == 1 and all(k in owner for k in ident.keys):
            continue  # not about these rows, or a row's own (its candidates hold it)
        const, terms, usable = 0, [], True
        for sign, keys in ((1, ident.terms), (-1, ident.total)):
            for k in keys:
                if k in owner:
                    terms.append((*owner[k], sign))
                    continue
                v = known(k)
                if v is None or not float(v).is_integer():
                    usable = False  # unknown, or an amount: table 三's counts only
                    break
                const += sign * int(v)
        if usable:
            used.append(ident)
            consts.append(const)
            coefs.append(terms)
    if any(not float(v).is_integer() for _, cands in rows for c in cands for v in c):
        return TableFit(None, None, used)
    # the rows on the total side of most identities first (（七）总计 and 一/二: their values bound
    # what every other row may add to a column), then those with the most values, then the fewest
    # candidates: the column residuals prune early
    totals = [0] * len(rows)
    for terms in coefs:
        for r in {r for r, _, sg in terms if sg < 0}:
            totals[r] += 1
    order = sorted(range(len(rows)), key=lambda r: (-totals[r], -max(sum(v != 0 for v in c) for c in rows[r][1]),
                                                    len(rows[r][1])))
    adds: list[list[tuple[int, ...]]] = []
    for r in order:
        adds.append([tuple(sum(sg * int(cand[c]) for rr, c, sg in terms if rr == r) for terms in coefs)
                     for cand in rows[r][1]])
    n_ids = len(coefs)
    lo = [[0] * n_ids for _ in range(len(order) + 1)]
    hi = [[0] * n_ids for _ in range(len(order) + 1)]
    for i in range(len(order) - 1, -1, -1):
        for j in range(n_ids):
            lo[i][j] = lo[i + 1][j] + min(a[j] for a in adds[i])
            hi[i][j] = hi[i + 1][j] + max(a[j] for a in adds[i])
    budget = [max_nodes]
    dead: set[tuple[int, tuple[int, ...]]] = set()  # (depth, residuals) with no completion: shared by every search

    def find(state: tuple[int, ...], want: int, pin: tuple[int, int] = (-1, -1)) -> list[tuple[int, ...]] | None:
        """Up to `want` assignments from the start residuals `state`, the row at depth pin[0] held
        to its candidate pin[1]; None when past the budget."""
        picked = [0] * len(order)
        got: list[tuple[int, ...]] = []
        local: set[tuple[int, tuple[int, ...]]] = set()  # dead only under the pin (depths up to it)

        def go(i: int, st: tuple[int, ...]) -> bool:
            if i == len(order):
                got.append(tuple(picked))
                return True
            memo = dead if i > pin[0] else local
            if (i, st) in memo:
                return True
            before = len(got)
            for ci, add in enumerate(adds[i]):
                if i == pin[0] and ci != pin[1]:
                    continue
                budget[0] -= 1
                if budget[0] < 0:
                    return False
                new = tuple(x + a for x, a in zip(st, add))
                if any(not lo[i + 1][j] <= -x <= hi[i + 1][j] for j, x in enumerate(new)):
                    continue
                picked[i] = ci
                if not go(i + 1, new):
                    return False
                if len(got) >= want:
                    return True
            if len(got) == before:
                memo.add((i, st))
            return True

        if any(not lo[0][j] <= -x <= hi[0][j] for j, x in enumerate(state)):
            return []
        return got if go(0, state) else None

    start = tuple(consts)
    found = find(start, 2)
    budget[0] = max_nodes  # the count and the used candidates each have the budget
    if found is None:
        return TableFit(None, None, used)
    if not found:
        return TableFit(0, None, used)
    # each row's candidates that some assignment uses: every one found marks its own; the others
    # are asked for one by one (a pin); past the budget every candidate counts as used
    live_by_depth = [{f[i] for f in found} for i in range(len(order))]
    for i in range(len(order)):
        for ci in range(len(adds[i])):
            if ci in live_by_depth[i] or len(found) < 2:
                continue
            more = find(start, 1, (i, ci))
            if more is None:
                live_by_depth = [set(range(len(a))) for a in adds]
                break
            for f in more:
                for d, c in enumerate(f):
                    live_by_depth[d].add(c)
        else:
            continue
        break
    choice = [0] * len(rows)
    live: list[set[int]] = [set() for _ in rows]
    for i, r in enumerate(order):
        choice[r] = found[0][i]
        live[r] = live_by_depth[i]
    return TableFit(len(found), tuple(choice), used, live)


def fitted_joint(valued: Sequence[tuple[tuple[str, ...], list[tuple[float, ...]]]], identities: Sequence[Identity],
                 known: Callable[[str], float | None]) -> Joint:
    """`fit_table` as the exact count (_place.solve) gives it: one assignment makes each row's
    candidate the only live one; two or more leave live the candidates some assignment uses
    (every one where the budget ran out: what they all agree on holds in any)."""
    fit = fit_table(valued, identities, known)
    if fit.solutions is None:
        return Joint(None, [set(range(len(c))) for _, c in valued], fit.used)
    if fit.solutions == 1 and fit.choice is not None:
        return Joint(1, [{c} for c in fit.choice], fit.used)
    if fit.solutions == 0:
        return Joint(0, [set() for _ in valued], fit.used)
    return Joint(fit.solutions, fit.live or [set(range(len(c))) for _, c in valued], fit.used)


def drops_blanks(cells: Mapping[str, CellInfo], table: str) -> bool:
    """Whether the table prints no cell blank and every row was found (no cell absent): its short
    rows may be rows whose blanks dropped, and a row that printed nothing is in the text."""
    prefix = table + "."
    return not any(c.state in (CellState.BLANK, CellState.ABSENT) for k, c in cells.items() if k.startswith(prefix))


def table_fit_allowed(out: TablesRead, table: str, specs: Sequence[RowSpec], open_rows: Mapping[str, bool]) -> bool:
    """Whether the table-wide fit may place the table's short rows (`open_rows`: row key -> whether
    it printed a value): the table drops its blanks (`drops_blanks`), no row was left over as an
    extra, and each row that printed values shows its own label on their line (`labels_on_rows`)."""
    if out.doc is None or not drops_blanks(out.cells, table) or any(e.table == table for e in out.extras):
        return False
    printed = {k: out.glued_at.get(k) or () for k, has in open_rows.items() if has}
    return labels_on_rows(out.doc.text, specs, printed)


def labels_on_rows(text: str, specs: Sequence[RowSpec], printed: Mapping[str, Sequence[At | None]]) -> bool:
    """Whether each row that printed values (`printed`: row key -> its cells' `at`) shows, on the
    line where its values start, its own label as the last label before them: then no row's
    values were read under another row's label. The labels are found by the template's patterns
    (the last match on the line wins); words after it are the rest of the row's own label
    (`部分公开` + `（区分处理的，…）`) unless they start another numbered label (`2.其`, `（一）予以公`).
    A line with no label, or another row's, fails."""
    labels = {spec.key: "".join(spec.label.split()) for spec in specs}
    for key, where in printed.items():
        start = next((at[0] for at in where if at is not None), None)
        if start is None or not 0 <= start <= len(text):
            return False
        line = text[text.rfind("\n", 0, start) + 1:start]
        best: tuple[int, str] | None = None
        for spec in specs:
            for m in spec.pattern.finditer(line):
                if best is None or m.end() > best[0]:
                    best = (m.end(), spec.key)
        words = line.split()
        whole = [spec.key for spec in specs if words and spec.pattern.search(words[-1])]
        if len(whole) == 1:  # the last word is one row's label as a cell holds it (`3.其他`: an anchored pattern)
            best = (len(line), whole[0])
        if best is None or best[1] != key:
            return False
        tail = "".join(line[best[0]:].split())
        if _CJK().search(tail) and not labels.get(key, "").endswith(tail) and _NUMBERED().search(tail):
            return False  # another row's label, numbered, that no pattern took
    return True
