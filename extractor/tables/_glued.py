"""The search for a glued run's splits: every way to give a row's printed items one or more
consecutive columns each, every part well formed for its column and the row's own identities
holding (`row_splits`).

Apart from the cell parsing because it is a search with its own budget (`Steps`, shared by every
search over one table, so hostile input costs a bounded number of steps) and its own plan of the
template's columns; the deduction (_deduce.py) and a row's first look (_row_values.py) both run it.
Its inner loop (`place`) keeps every lookup local: no extra calls on the parse's hot path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from extractor.errors import SearchBudget
from extractor.tables._template import ColumnKind
from extractor.tables._values import parse_cell

__all__ = [
    "FIRST_LOOK_STEPS",
    "MAX_CANDIDATES",
    "MAX_RUN",
    "PART_PATTERNS",
    "STEP_BUDGET",
    "Steps",
    "row_splits",
]

# One glued part per column kind: canonical integers (no leading zero), signs only for changes.
PART_PATTERNS = {
    "count": re.compile(r"(?:0|[1-9]\d*)"),
    "change": re.compile(r"(?:[减增+\-−]?(?:0|[1-9]\d*))"),
    "amount": re.compile(r"(?:(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?)"),
}
STEP_BUDGET = 60_000  # search steps for all the glued rows of one table
FIRST_LOOK_STEPS = 5_000  # for one row read on its own, before the deduction
MAX_CANDIDATES = 512  # splits kept for one row; a row with more stays glued
MAX_RUN = 120  # characters in one glued row: more than any template row prints, so not searched


_MAX_POW = MAX_RUN + 1
_POW10 = [10 ** k for k in range(_MAX_POW + 1)]


class Steps:
    """Search steps left, shared by every search over one table so that a table of many long
    glued rows costs no more than one: `STEP_BUDGET` steps are a few tenths of a second."""

    def __init__(self, budget: int = STEP_BUDGET):
        self.left = budget
        self.used = 0

    def spend(self) -> None:
        self.used += 1
        if self.used > self.left:
            raise SearchBudget


_PlanChecks = list[tuple[tuple[int, ...], int]]


@lru_cache(maxsize=1024)  # keyed by the template's column kinds and row identities: a handful
def _search_plan(kinds: tuple[ColumnKind, ...], local: tuple[tuple[tuple[int, ...], int], ...]) -> tuple[
        list[re.Pattern[str]], list[bool], list[tuple[int, ...] | None], list[_PlanChecks | None],
        list[tuple[int, ...] | None], list[bool]]:
    """Per column: its part pattern, whether it is a count, the terms it is forced to be the sum
    of, the identities to check once it is placed, the forced totals it is a count term of, and
    whether it is such a total (the search keeps its terms' sum so far)."""
    n = len(kinds)
    patterns = [PART_PATTERNS[k] for k in kinds]
    # counts are the common case: canonical ASCII digits, checked without a regex
    counts = [k == "count" for k in kinds]
    # A total printed after its terms is not searched: it must read as their sum.
    forced_at: dict[int, tuple[int, ...]] = {}
    check_at: dict[int, _PlanChecks] = {}
    for terms, total in local:
        if all(t < total for t in terms) and total not in forced_at:
            forced_at[total] = terms
        else:
            check_at.setdefault(max((*terms, total)), []).append((terms, total))
    # A term of a forced total whose cells are all counts: the sum so far bounds the total's digits.
    counted = {t: terms for t, terms in forced_at.items() if all(kinds[i] == "count" for i in (*terms, t))}
    bounded = [tuple(t for t, terms in counted.items() if c in terms) or None for c in range(n)]
    return (patterns, counts, [forced_at.get(c) for c in range(n)], [check_at.get(c) for c in range(n)], bounded,
            [c in counted for c in range(n)])


_ColPlan = tuple[bool, "tuple[int, ...] | None", bool, "_PlanChecks | None", "tuple[int, ...] | None",
                 re.Pattern[str], ColumnKind]


@lru_cache(maxsize=1024)
def _column_plans(kinds: tuple[ColumnKind, ...], local: tuple[tuple[tuple[int, ...], int], ...]
                  ) -> tuple[tuple[_ColPlan, ...], bool]:
    """_search_plan by column, each column's in one tuple (the search's inner call unpacks one, not
    seven lists), and whether the search must keep the values placed (an identity checked or a total
    forced from values that are not all counts reads them; counted totals keep their own sums)."""
    patterns, counts, forced, checks, bounded, summed = _search_plan(kinds, local)
    plans = tuple(zip(counts, forced, summed, checks, bounded, patterns, kinds))
    keep = any(c is not None for c in checks) or any(f is not None and not s for f, s in zip(forced, summed))
    return plans, keep


_SEARCHED_MAX = 4096  # searches remembered (emptied past it, or past _SPLITS_MAX splits kept in all)
_SPLITS_MAX = 50_000  # (a search keeps up to MAX_CANDIDATES: hostile rows must not make the memo hold millions)
# (items, kinds, identities, limit) -> (the splits, the steps the search took), or (None, -b): it ran
# past a budget of b steps
_searched: dict[tuple[tuple[str, ...], tuple[ColumnKind, ...], tuple[tuple[tuple[int, ...], int], ...], int],
                tuple[tuple[tuple[str, ...], ...] | None, int]] = {}
_splits_kept = 0  # splits held by _searched


def row_splits(items: Sequence[str], kinds: tuple[ColumnKind, ...],
               local: Sequence[tuple[tuple[int, ...], int]] = (), limit: int = MAX_CANDIDATES,
               steps: Steps | None = None) -> list[tuple[str, ...]] | None:
    """Every way to give each item one or more consecutive columns, each part well formed, that
    satisfies the row's own identities (term indexes, total index). At most `limit` are collected;
    None when the search ran past its step budget or there are more than MAX_CANDIDATES.

    A search that ended is remembered (`_searched`): the same glued row is searched by its first
    look and again by the deduction, and rows print the same digits in report after report. Its
    cost in steps is still charged to `steps`, as the search itself would: past the budget, None
    and the budget spent, as where the search stops midway. A search that ran past its budget is
    run again only where more steps are left than it had."""
    if len(items) > len(kinds) or sum(map(len, items)) > MAX_RUN:
        return None
    if steps is None:
        steps = Steps()
    key = (tuple(items), kinds, tuple(local), limit)
    entry = _searched.get(key)
    if entry is not None:
        found, cost = entry
        if cost >= 0 or steps.left - steps.used <= -cost:
            steps.used += cost if cost >= 0 else steps.left - steps.used + 1
            if steps.used > steps.left:
                steps.used = steps.left + 1  # where the search would have stopped (SearchBudget)
                return None
            return None if found is None else list(found)
    before, room = steps.used, steps.left - steps.used
    result = _search(key[0], kinds, key[2], limit, steps)
    global _splits_kept
    if len(_searched) > _SEARCHED_MAX or _splits_kept > _SPLITS_MAX:
        _searched.clear()
        _splits_kept = 0
    if steps.used > steps.left:  # stopped past its budget (none left before it: nothing learnt)
        if room > 0:
            _searched[key] = (None, -room)
    else:
        _searched[key] = (None if result is None else tuple(result), steps.used - before)
        _splits_kept += len(result) if result is not None else 0
    return result


def _search(items: tuple[str, ...], kinds: tuple[ColumnKind, ...], plan_key: tuple[tuple[tuple[int, ...], int], ...],
            limit: int, steps: Steps) -> list[tuple[str, ...]] | None:
    """row_splits' search, each step counted in `steps`; None past its budget or MAX_CANDIDATES."""
    n = len(kinds)
    printed = sum(map(len, items))
    local = plan_key
    if printed == n and all(items):
        return _one_per_column(items, kinds, local, _search_plan(kinds, plan_key)[0], steps)
    plans, keep = _column_plans(kinds, plan_key)
    checks = _search_plan(kinds, plan_key)[3]
    # characters in the items after item i: every column still to fill takes at least one
    after = [sum(len(x) for x in items[i + 1:]) for i in range(len(items))]
    lens = [len(x) for x in items]
    digits_only = [x.isascii() and x.isdigit() for x in items]  # every part of it is digits
    found: list[tuple[str, ...]] = []
    parts: list[str] = []
    values: list[float | None] = []
    n_items = len(items)
    cap = limit if limit <= MAX_CANDIDATES - 1 else MAX_CANDIDATES + 1  # one past the maximum tells "too many"
    placed_sum: list[float] = [0] * n  # per forced total: the sum of its terms placed so far

    def ok_at(col: int) -> bool:
        for terms, total in checks[col]:  # type: ignore[union-attr]  # called only where checks[col] is set
            tv = [values[t] for t in terms]
            if values[total] is None or None in tv:
                return False
            if abs(sum(tv) - values[total]) > 1e-9:  # type: ignore[arg-type,operator]  # no None: returned above
                return False
        return True

    def place(item_i: int, pos: int, col: int) -> None:
        steps.used += 1  # Steps.spend, inline: this is the search's innermost call
        if steps.used > steps.left:
            raise SearchBudget
        if col == n:
            if item_i == n_items:
                found.append(tuple(parts))
            return
        if item_i == n_items:
            return
        left_cols = n - col - 1  # columns after this one
        later_items = n_items - item_i - 1
        if left_cols < later_items:
            return
        # the longest part that leaves a character for each later column (min() inline: a call less)
        item_len, item_after = lens[item_i], after[item_i]
        last_end = item_len if item_after >= left_cols else item_len + item_after - left_cols
        if last_end <= pos:
            return
        item = items[item_i]
        count, terms, is_summed, check, totals, pattern, kind = plans[col]
        ends: Sequence[int]
        if terms is not None and is_summed:
            # a total of counts: its terms' sum is kept as they are placed (placed_sum), an int
            summed_text = str(placed_sum[col])
            ends = [pos + len(summed_text)] if item.startswith(summed_text, pos) else []
        elif terms is not None:
            tv = [values[t] for t in terms]
            if None in tv:
                return
            total = sum(tv)  # type: ignore[arg-type]  # no None: returned above
            text = str(int(total)) if float(total).is_integer() else None
            ends = [pos + len(text)] if text is not None and item.startswith(text, pos) else []
        elif count and item[pos] == "0":
            ends = (pos + 1,)  # a count with a leading zero is only "0"
        elif left_cols == 0:
            ends = (item_len,)  # the last column takes the whole rest: no shorter part can end the row
        else:
            ends = range(pos + 1, last_end + 1)
        fast = count and digits_only[item_i]
        for end in ends:
            if end > last_end:
                break
            part = item[pos:end]
            if fast:
                value: float | None = int(part)
            elif count and part.isascii():
                if not part.isdigit():
                    break  # a non-digit: no longer part is a count either
                value = int(part)
            elif not pattern.fullmatch(part):
                continue
            else:
                value = parse_cell(part, kind).value
            if value is None:
                continue  # printed like a value but none (past the template's range): no cell of a split
            whole = end == item_len
            if not whole and left_cols == 0:
                continue
            if whole and left_cols < later_items:
                continue
            if totals is not None:
                # The total will print the sum of its terms, at least the sum so far: it must fit in
                # the characters left once each other column has one. A longer part only leaves
                # fewer characters for a larger sum, so no longer part fits either.
                room = item_len - end + item_after - (n - col - 2)
                limit_value = (_POW10[room] if room < _MAX_POW else _POW10[_MAX_POW]) if room > 0 else 0
                too_big = False
                for t in totals:
                    if placed_sum[t] + value >= limit_value:
                        too_big = True
                        break
                if too_big:
                    if fast:
                        break
                    continue
                for t in totals:
                    placed_sum[t] += value
            parts.append(part)
            if keep:
                values.append(value)
            if check is None or ok_at(col):
                if left_cols == 0:  # the last column (so `whole`): the call place() would make, inline
                    steps.used += 1
                    if steps.used > steps.left:
                        raise SearchBudget
                    if later_items == 0:
                        found.append(tuple(parts))
                elif whole:
                    place(item_i + 1, 0, col + 1)
                else:
                    place(item_i, end, col + 1)
            parts.pop()
            if keep:
                values.pop()
            if totals is not None:
                for t in totals:
                    placed_sum[t] -= value
            if len(found) >= cap:
                return

    try:
        place(0, 0, 0)
    except SearchBudget:
        return None
    # more than MAX_CANDIDATES is "too many", never a truncated list that a deduction could read
    # as the only candidates left
    return None if len(found) > MAX_CANDIDATES else found


def _one_per_column(items: tuple[str, ...], kinds: tuple[ColumnKind, ...],
                    local: Sequence[tuple[tuple[int, ...], int]], patterns: list[re.Pattern[str]],
                    steps: Steps | None) -> list[tuple[str, ...]]:
    """As many characters as columns (`1 0 0 0 0 0 01`, the commonest glued row): the only
    possible split is one character per column, if each is well formed and the identities hold."""
    if steps is not None:
        steps.spend()
    joined = "".join(items)
    parts = tuple(joined)
    values: list[float | None]
    if joined.isascii() and joined.isdigit() and kinds.count("count") == len(kinds):
        values = list(map(int, parts))  # digits for counts: every part well formed (the common case)
    else:
        part_values = _part_values(parts, kinds, patterns)
        if part_values is None:
            return []
        values = part_values
    for terms, total in local:
        tv = [values[t] for t in terms]
        if values[total] is None or None in tv or abs(sum(tv) - values[total]) > 1e-9:  # type: ignore[arg-type,operator]  # no None: tested first
            return []
    return [parts]


def _part_values(parts: tuple[str, ...], kinds: tuple[ColumnKind, ...], patterns: list[re.Pattern[str]]) -> list[float | None] | None:
    """Each one-character part's value, or None when one is not well formed for its column."""
    values: list[float | None] = []
    for part, kind, pattern in zip(parts, kinds, patterns):
        if kind == "count" and part.isascii():
            if not part.isdigit():
                return None
            values.append(int(part))
        elif pattern.fullmatch(part):
            values.append(parse_cell(part, kind).value)
        else:
            return None
    return values

