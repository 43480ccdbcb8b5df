"""Cell values: one printed cell to a number and a state, and a row's printed items to its cells.

A row's items are matched to its columns without guessing: when items and columns are as many,
each item is one cell; when there are fewer items, an item may hold the digits of several glued
cells, and the row is split only if exactly one split gives every column a well-formed value
(no leading zeros, a sign only in 本年增/减, decimals only in amounts). Otherwise the row is
`glued` (several splits fit) or `incomplete` (none does), and its values stay unknown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from extractor.errors import SearchBudget
from extractor.models import CellState, Unit
from extractor.tables.memo import per_object
from extractor.tables.template import Column, ColumnKind

_DASH = re.compile(r"^(?:[-—－–―]{1,2}|---)$")  # --- : pandoc's —
_SLASH = re.compile(r"^[/／]$")
_NUMBER = re.compile(
    r"^(?P<sign>[减增+\-−])?\s?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s?(?P<unit>万元|元|笔|件|个|项|条)?$"
)


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs twice as much, and no one mutates it
class CellValue:
    value: int | float | None
    state: CellState
    raw: str
    unit: Unit | None = None
    split_from: str | None = None
    out_of_range: bool = False  # printed as a number beyond what the template can hold: kept as text


# What a template cell can hold: beyond it a value is a typo or an attack, never a count, and
# past 2^63 no database or JSON writer could store it. `text`, with a value_out_of_range warning.
MAX_DIGITS = 18  # in any one run of digits (integer part or decimals)
MAX_VALUE: dict[ColumnKind, int] = {"count": 10**12, "change": 10**12, "amount": 10**15}
_FAST_DIGITS = 12  # plain digits this short are always within every bound


def out_of_range(raw: str) -> CellValue:
    return CellValue(None, CellState.TEXT, raw, out_of_range=True)


def number_text(value: int | float) -> str:
    """A value as a report prints it: 3, not 3.0; 5949.088667 in full."""
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() else str(value)


_UNIT_OF_WORD: dict[str, Unit] = {"元": "yuan", "万元": "wan_yuan"}
# A plain-digits cell, one shared object per printed text: a report prints ~200 cells and most
# are the same few small numbers, so a dict lookup replaces building each (no one mutates a
# CellValue: the tables copy what they keep into CellInfo). Filled up to _PLAIN_MAX texts.
_PLAIN: dict[str, CellValue] = {}
_PLAIN_MAX = 20_000


def _plain_cell(raw: str, stripped: str) -> CellValue:
    """CellValue of a cell printed as plain ASCII digits (at most _FAST_DIGITS), shared."""
    cell = CellValue(int(stripped), CellState.NUMBER, raw)
    if len(_PLAIN) < _PLAIN_MAX:
        _PLAIN[raw] = cell
    return cell


def parse_cell(raw: str, kind: ColumnKind) -> CellValue:
    cell = _PLAIN.get(raw)
    if cell is not None:
        return cell
    stripped = raw.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= _FAST_DIGITS:  # the common case, without NFKC
        return _plain_cell(raw, stripped)
    text = unicodedata.normalize("NFKC", raw).strip().replace("，", ",")
    if not text:
        return CellValue(None, CellState.BLANK, raw)
    if _DASH.match(text):
        return CellValue(None, CellState.DASH, raw)
    if _SLASH.match(text):
        return CellValue(None, CellState.SLASH, raw)
    m = _NUMBER.match(text)
    if not m:
        return CellValue(None, CellState.TEXT, raw)
    sign, digits, frac, unit_word = m.group("sign"), m.group("int").replace(",", ""), m.group("frac"), m.group("unit")
    if len(digits) > MAX_DIGITS or (frac and len(frac) - 1 > MAX_DIGITS):
        return out_of_range(raw)  # before int(): Python refuses to convert more than 4,300 digits
    if sign and kind != "change":
        return CellValue(None, CellState.TEXT, raw)  # a negative count is not a count
    number: int | float = float(digits + frac) if frac else int(digits)
    if frac and kind != "amount":
        return CellValue(None, CellState.TEXT, raw)
    if abs(number) > MAX_VALUE[kind]:
        return out_of_range(raw)
    if sign in ("减", "-", "−"):
        number = -number
    unit = _UNIT_OF_WORD.get(unit_word or "")
    return CellValue(number, CellState.NUMBER, raw, unit)


def split_cells(parts: tuple[str, ...], kinds: tuple[ColumnKind, ...], whole: str) -> list[CellValue]:
    """The cells of one split of a glued run: each part read as its column's value, split from `whole`."""
    number = CellState.NUMBER
    cells = []
    for part, kind in zip(parts, kinds):
        if part.isascii() and part.isdigit() and len(part) <= _FAST_DIGITS:  # parse_cell's fast path
            cells.append(CellValue(int(part), number, part, None, whole))
        else:
            v = parse_cell(part, kind)
            cells.append(CellValue(v.value, v.state, part, v.unit, whole, v.out_of_range))
    return cells


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
        list[tuple[int, ...] | None]]:
    """Per column: its part pattern, whether it is a count, the terms it is forced to be the sum
    of, the identities to check once it is placed, and the forced totals it is a count term of."""
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
    return patterns, counts, [forced_at.get(c) for c in range(n)], [check_at.get(c) for c in range(n)], bounded


def row_splits(items: tuple[str, ...], kinds: tuple[ColumnKind, ...],
               local: Sequence[tuple[tuple[int, ...], int]] = (), limit: int = MAX_CANDIDATES,
               steps: Steps | None = None) -> list[tuple[str, ...]] | None:
    """Every way to give each item one or more consecutive columns, each part well formed, that
    satisfies the row's own identities (term indexes, total index). At most `limit` are collected;
    None when the search ran past its step budget or there are more than MAX_CANDIDATES."""
    n = len(kinds)
    printed = sum(map(len, items))
    if printed > MAX_RUN or len(items) > n:
        return None
    patterns, counts, forced, checks, bounded = _search_plan(kinds, tuple(local))
    if printed == n and all(items):
        return _one_per_column(items, kinds, local, patterns, steps)
    # characters in the items after item i: every column still to fill takes at least one
    after = [sum(len(x) for x in items[i + 1:]) for i in range(len(items))]
    digits_only = [x.isascii() and x.isdigit() for x in items]  # every part of it is digits
    found: list[tuple[str, ...]] = []
    parts: list[str] = []
    values: list[float | None] = []
    steps = steps or Steps()
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
        item = items[item_i]
        left_cols = n - col - 1  # columns after this one
        later_items = n_items - item_i - 1
        if left_cols < later_items:
            return
        # the longest part that leaves a character for each later column
        last_end = min(len(item), len(item) + after[item_i] - left_cols)
        if last_end <= pos:
            return
        count = counts[col]
        terms = forced[col]
        ends: Sequence[int]
        if terms is not None:
            tv = [values[t] for t in terms]
            if None in tv:
                return
            total = sum(tv)  # type: ignore[arg-type]  # no None: returned above
            text = str(int(total)) if float(total).is_integer() else None
            ends = [pos + len(text)] if text is not None and item.startswith(text, pos) else []
        elif count and item[pos] == "0":
            ends = (pos + 1,)  # a count with a leading zero is only "0"
        else:
            ends = range(pos + 1, last_end + 1)
        fast = count and digits_only[item_i]
        check = checks[col] is not None
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
            elif not patterns[col].fullmatch(part):
                continue
            else:
                value = parse_cell(part, kinds[col]).value
            whole = end == len(item)
            if not whole and left_cols == 0:
                continue
            if whole and left_cols < later_items:
                continue
            totals = bounded[col]
            if totals is not None:
                # The total will print the sum of its terms, at least the sum so far: it must fit in
                # the characters left once each other column has one. A longer part only leaves
                # fewer characters for a larger sum, so no longer part fits either.
                room = len(item) - end + after[item_i] - (n - col - 2)
                limit_value = _POW10[min(room, _MAX_POW)] if room > 0 else 0
                too_big = False
                for t in totals:
                    if placed_sum[t] + value >= limit_value:  # type: ignore[operator]  # a well-formed part has a value
                        too_big = True
                        break
                if too_big:
                    if fast:
                        break
                    continue
                for t in totals:
                    placed_sum[t] += value  # type: ignore[operator]  # a well-formed part has a value
            parts.append(part)
            values.append(value)
            if not check or ok_at(col):
                if whole:
                    place(item_i + 1, 0, col + 1)
                else:
                    place(item_i, end, col + 1)
            parts.pop()
            values.pop()
            if totals is not None:
                for t in totals:
                    placed_sum[t] -= value  # type: ignore[operator]  # a well-formed part has a value
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


@dataclass(frozen=True)
class RowValues:
    cells: list[CellValue] | None  # None when the row could not be matched to its columns
    problem: str | None = None  # "incomplete" | "glued" | "overfull"
    raw_items: tuple[str, ...] = ()
    several: bool = False  # glued, and the first look found two or more splits (not a spent budget)
    first: int = 0  # the printed item the row's first column was read from (items before it were padding)
    inferred: bool = False  # its columns placed where a converter's table had columns dropped (tokens.CELLS_ROW_END)


_DIGITS = {str(d): d for d in range(10)}


@per_object(maxsize=1024)
def _kinds(columns: tuple[Column, ...]) -> tuple[ColumnKind, ...]:
    return tuple(c.kind for c in columns)


def assign_row(items: list[str], columns: tuple[Column, ...], delimited: bool, label_span: int = 1,
               exact: bool = False) -> RowValues:
    """Match a row's printed items (values; "" for a blank cell) to its columns. `exact`: the
    row's padding is already removed, so a row with fewer items is short, never padded again."""
    n = len(columns)
    items = list(items)
    first = 0  # items dropped in front: where cell 0's item was printed
    if exact and len(items) < n and not any(items):
        items = [""] * n  # every printed cell of the row is empty: all blank
    pad = label_span - 1
    if delimited and pad and len(items) >= n + pad and not any(items[:pad]):
        # The template's geometry, not a count of blanks: a label spanning `label_span` columns,
        # its merged cell expanded into empty cells by an HTML-to-markdown converter.
        items = items[pad:]
        first = pad
    if delimited:
        while len(items) > n and items and items[-1] == "":
            items.pop()  # padding left by flattened colspans: `| 0 | ||`
        while len(items) > n and items and items[0] == "":
            items.pop(0)  # an empty label column before the values (a label spanning two columns in a PDF)
            first += 1
    if len(items) == n:
        joined = "".join(items)
        if joined.isascii() and joined.isdigit() and "" not in items and max(map(len, items)) <= _FAST_DIGITS:
            # plain digits: parse_cell's fast path, its shared cells
            plain = _PLAIN
            return RowValues([plain.get(item) or _plain_cell(item, item) for item in items], raw_items=tuple(items),
                             first=first)
        kinds = _kinds(columns)
        return RowValues([parse_cell(item, kind) for item, kind in zip(items, kinds)], raw_items=tuple(items),
                         first=first)
    if len(items) > n:
        return RowValues(None, "overfull", tuple(items), first=first)
    if "" in items:
        return RowValues(None, "incomplete", tuple(items), first=first)
    kinds = _kinds(columns)
    stripped = tuple(i.strip() for i in items)
    if sum(map(len, stripped)) == n and all(stripped):
        joined = "".join(stripped)
        if joined.isascii() and joined.isdigit() and kinds.count("count") == n:
            # row_splits' commonest case, without its search set-up: one digit per column, all counts
            # (`1 0 0 0 0 0 01`), the only split, each digit its column's cell
            whole, number = " ".join(items), CellState.NUMBER
            return RowValues([CellValue(_DIGITS[d], number, d, None, whole) for d in joined], raw_items=tuple(items),
                             first=first)
    # A first look, cheap and bounded: one split or several; the deduction searches further.
    splits = row_splits(stripped, kinds, limit=2, steps=Steps(FIRST_LOOK_STEPS))
    if splits is None:
        return RowValues(None, "glued", tuple(items), first=first)
    if len(splits) == 1:
        return RowValues(split_cells(splits[0], kinds, " ".join(items)), raw_items=tuple(items), first=first)
    return RowValues(None, "glued" if splits else "incomplete", tuple(items), several=bool(splits), first=first)
