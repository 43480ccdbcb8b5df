"""A row's printed items to its cells (`assign_row` -> `RowValues`).

A row's items are matched to its columns without guessing: when items and columns are as many,
each item is one cell; when there are fewer items, an item may hold the digits of several glued
cells, and the row is split only if exactly one split gives every column a well-formed value
(no leading zeros, a sign only in 本年增/减, decimals only in amounts). Otherwise the row is
`glued` (several splits fit) or `incomplete` (none does), and its values stay unknown.

A delimited row with more items than columns has blank cells dropped as padding only where its
table proves them padding, never because one row has a cell too many:
- cells past its markdown table's declared width (the `| --- |` row), or at the end where the
  table's column headers end in empty cells (`past_width`);
- a label's merged cell expanded into span - 1 empty cells, where two rows or more of such
  labels print it so; an empty label column, where two rows or more of one item too many start
  empty and end with a value (`table_padding` -> `Padding`);
- empty cells at the end, where two rows or more of as many columns end so, or rows of other
  column counts do and no more of these are printed without (`Padding.pads_end`).
Any other row with more items than columns is `overfull`, none of its values placed: a real
blank cell taken for padding shifts every value after it (the one defect we never ship).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from extractor.lazy import lazy_pattern
from extractor.models import CellState
from extractor.tables._glued import FIRST_LOOK_STEPS, Steps, row_splits
from extractor.tables._memo import per_object
from extractor.tables._template import Column, ColumnKind
from extractor.tables._values import (
    FAST_DIGITS,
    MAX_DIGITS,
    PLAIN_CELLS,
    CellValue,
    parse_cell,
    plain_cell,
    split_cells,
)

__all__ = ["NO_PADDING", "Padding", "RowValues", "assign_row", "lost_cell_fits", "past_width", "short_of_width", "table_padding"]

@dataclass(frozen=True)
class RowValues:
    cells: list[CellValue] | None  # None when the row could not be matched to its columns
    problem: str | None = None  # "incomplete" | "glued" | "overfull"
    raw_items: tuple[str, ...] = ()
    several: bool = False  # glued, and the first look found two or more splits (not a spent budget)
    first: int = 0  # the printed item the row's first column was read from (items before it were padding)
    inferred: bool = False  # its columns placed where a converter's table had columns dropped (tokens.CELLS_ROW_END)


_DIGITS = {str(d): d for d in range(10)}

class Padding(NamedTuple):  # a NamedTuple, not a frozen dataclass: its class costs ~0.6 ms of start-up
    """The padding a table's delimited rows prove. `spans`: two rows or more of a label spanning
    several columns (RowSpec.label_span) start with its merged cell expanded into empty cells;
    `ends_of`: how many rows of each column count end in empty cells past their columns (two of
    them, or rows of two other column counts, and the table pads such rows at the end:
    `pads_end`); `column`: two rows or more have one item too many (not a
    merged label's), the first empty and the last a value, so the table has an empty label
    column (a label wrapped onto lines of its own, its values' line starting with an empty cell)."""

    spans: bool = False
    ends: bool = False
    ends_of: Mapping[int, int] = {}  # columns -> rows padded at the end (never changed: one shared default)
    exact_of: Mapping[int, int] = {}  # columns -> rows of as many items
    column: bool = False  # an empty label column: two rows or more of one item too many, blank first, a value last

    def pads_end(self, n: int) -> bool:
        """Whether the table pads its rows of `n` columns at the end: two rows or more of them, or
        two or more of other column counts and as many of these as are printed without padding
        (a converter padding its rows; not one row of a cell too many among rows that fit)."""
        padded = self.ends_of.get(n, 0)
        if self.ends or padded >= 2:
            return True
        others = sum(count for m, count in self.ends_of.items() if m != n)
        return padded >= self.exact_of.get(n, 0) and others >= 2

    def drop(self, n: int, span: int, items: Sequence[str]) -> tuple[int, int] | None:
        """How many leading and trailing items of a row of `n` columns are its table's padding;
        None where the row has more items than that (overfull: none of its blanks proven padding)."""
        extra = len(items) - n
        if extra <= 0:
            return 0, 0
        if not any(items):  # every cell printed blank: blank wherever the padding was
            lead = min(span - 1, extra)  # where a label's merged cell would be (the cells' `at`)
            return lead, extra - lead
        own_lead, own_trail = _blank_ends(items)
        lead = 0
        if span > 1 and self.spans and extra >= span - 1:
            lead = span - 1
            if own_lead < lead:
                return None  # a value where the table has its label's merged cell
        elif self.column and own_lead:
            lead = 1
            if self.pads_end(n) and own_trail >= extra:
                return None  # an empty label column, or padding at the end: not proven which
        rest = extra - lead
        if rest == 0:
            return lead, 0
        if self.pads_end(n) and own_trail >= rest:
            return lead, rest
        return None


NO_PADDING = Padding()


def _blank_ends(items: Sequence[str]) -> tuple[int, int]:
    lead = 0
    while lead < len(items) and not items[lead]:
        lead += 1
    trail = 0
    while trail < len(items) and not items[len(items) - 1 - trail]:  # all blank: both ends the whole row
        trail += 1
    return lead, trail


def table_padding(rows: Iterable[tuple[int, int, Sequence[str]]]) -> Padding:
    """The padding proven by a table's delimited rows, each (its columns, its label span, its items)."""
    rows = list(rows)
    over = [(n, span, items) for n, span, items in rows if len(items) > n and any(items)]
    exact: dict[int, int] = {}
    for n, _, items in rows:
        if len(items) == n:
            exact[n] = exact.get(n, 0) + 1
    # The template's geometry, confirmed by the table: a label spanning `span` columns, its merged
    # cell expanded into span - 1 empty cells (an empty first cell alone is no proof: a report's
    # zeros printed blank start many rows with an empty cell).
    spans = sum(1 for n, span, items in over if span > 1 and not any(items[:span - 1]))
    ends: dict[int, int] = {}  # by columns: a table's sub-tables (表二's) pad their rows each their own way
    for n, span, items in over + [(n, span, items) for n, span, items in rows if len(items) > n and not any(items)]:
        k = span - 1 if spans >= 2 and not any(items[:span - 1]) else 0
        tail = items[k + n:]
        if tail and not any(tail):
            ends[n] = ends.get(n, 0) + 1
    column = sum(1 for n, span, items in over
                 if len(items) == n + 1 != n + span - 1 and not items[0] and items[-1])  # not a merged label's cell
    return Padding(spans >= 2, False, ends, exact, column >= 2)


def _split(line: str) -> list[str]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") else line
    return [c.strip() for c in line.split("|")]


def _cells(line: str) -> int:
    return len(_split(line))


def past_width(text: str, at: int) -> tuple[int, bool]:
    """What the pipe table around the row printed at `at` in `text` declares of its padding:
    how many cells the row has past the table's width (its markdown `| --- |` row), and whether
    its nearest header row above (no number in it) ends in an empty cell, so the table pads its
    rows at the end (`| 信息内容 | 上一年项目数量 | 本年增/减 |  |`). (0, False) where it says nothing."""
    row, separator, head = _above(text, at)
    if separator is not None:
        return max(0, row - separator), head is not None and not head[-1]
    return 0, head is not None and not head[-1]


def short_of_width(text: str, at: int) -> bool:
    """Whether the pipe row printed at `at` in `text` lost a cell: every other row of its table
    (of two cells or more; three or more such rows) is as wide as the header row above it, which
    ends in an empty cell (`| 信息内容 | 上一年项目数量 | 本年增/减 |  |`), and this row is
    narrower. The table pads its rows to one width, so a blank at this row's end may be its
    padding (a value lost before it) or its last value (the padding lost): not proven which, so
    its values are not placed. Tables whose rows end each their own way prove nothing. A markdown
    table's `| --- |` row declares its width: a row narrower than that lost a cell (its group
    label printed on its group's first row only makes a row narrower too: callers ask only of rows
    holding values and ending in a blank, where any reading is a guess)."""
    row, separator, head = _above(text, at)
    if separator is not None and row < separator:
        return True  # narrower than its markdown table's `| --- |` row declares: a cell lost
    if head is None or head[-1] or row >= len(head):
        return False
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    others = 0
    for line in (text[:start] + text[end if end >= 0 else len(text):]).split("\n"):
        line = line.strip()
        if "|" not in line or _SEPARATOR().fullmatch(line):
            continue
        cells = _cells(line)
        if cells == 1:
            continue  # a title (`| 第二十条第（八）项 |`)
        if cells != len(head):
            return False
        others += 1
    return others >= 3


def lost_before_end(items: Sequence[str], columns: tuple[Column, ...], text: str, at: int,
                    table_pads: Callable[[], Padding]) -> bool:
    """Whether a pipe row printed at `at`, one item per column and a blank last, may have lost a
    cell before that blank: it is narrower than its table's other rows (`short_of_width`), or its
    table pads its rows at the end (`table_pads`, asked only here) and, read as printed, the row
    breaks its own 总计. The blank at its end may be padding after the lost cell, or its last
    value: not proven which, so its values are not placed (the row is `incomplete`)."""
    return (_totals_break(items, columns) and _end_may_be_padding(items, columns, table_pads())
            or short_of_width(text, at))


def _end_may_be_padding(items: Sequence[str], columns: tuple[Column, ...], padding: Padding) -> bool:
    """Whether a row whose last item is blank may have lost a cell before it: its table pads its
    rows at the end (so the blank may be padding) and, read as printed, the row breaks its own 总计."""
    return (padding.ends or padding.pads_end(len(columns))) and _totals_break(items, columns)


def _above(text: str, at: int) -> tuple[int, int | None, list[str] | None]:
    """The cells of the pipe row printed at `at`; of its markdown `| --- |` row above (None: none
    before its header); and its nearest header row's cells above (three words or more, no number;
    None: none)."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    row = _cells(text[start:end if end >= 0 else len(text)])
    head: list[str] | None = None
    while start > 0:
        prev = text.rfind("\n", 0, start - 1) + 1
        line = text[prev:start - 1].strip()
        if "|" not in line:
            break
        if _SEPARATOR().fullmatch(line):
            return row, _cells(line), head
        cells = _split(line)
        words = [c for c in cells if c]
        if head is None and len(words) >= 3 and not any(_NUMBER().fullmatch(c) for c in words):
            head = cells  # column headers (three or more, no number: no row of blank values)
        start = prev
    return row, None, head


_NUMBER = lazy_pattern(r"[-+]?\d[\d.,]*")
_SEPARATOR = lazy_pattern(r"\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?(?:-{3,}:?\s*)?")


@per_object(maxsize=1024)
def _kinds(columns: tuple[Column, ...]) -> tuple[ColumnKind, ...]:
    return tuple(c.kind for c in columns)


def assign_row(items: list[str], columns: tuple[Column, ...], delimited: bool, label_span: int = 1,
               exact: bool = False, padding: Padding = NO_PADDING, past: tuple[int, bool] = (0, False)
               ) -> RowValues:
    """Match a row's printed items (values; "" for a blank cell) to its columns. `exact`: the
    row's padding is already removed, so a row with fewer items is short, never padded again.
    `padding`: the blank cells its table proves padding (`table_padding`), and `past`: what its
    pipe table declares (`past_width`: its last items past the table's width, its header row
    padded at the end); no other blank is dropped."""
    n = len(columns)
    first = 0  # items dropped in front: where cell 0's item was printed
    if exact and len(items) < n and not any(items):
        items = [""] * n  # every printed cell of the row is empty: all blank
    trail = 0  # blank cells dropped at the row's end as padding
    if delimited and len(items) > n:  # (the caller's list is not changed: a copy)
        items = list(items)
        while len(items) > n and trail < past[0] and not items[-1]:
            items.pop()  # past the table's declared width
            trail += 1
        if past[1] and not padding.ends:
            padding = padding._replace(ends=True)  # its header row padded at the end: the table's rows are
    if delimited and len(items) > n:
        # Padding left by flattened colspans (`| 0 | ||`), a label's merged cell expanded into
        # empty cells, an empty label column before the values: only as the table proves it.
        dropped = padding.drop(n, label_span, items)
        if dropped is None:
            return RowValues(None, "overfull", tuple(items))
        lead, dropped_end = dropped
        items = items[lead:len(items) - dropped_end]
        first = lead
        trail += dropped_end
    if delimited and not exact and len(items) == n and (trail and _totals_break(items, columns)
                                                        or not items[-1] and _end_may_be_padding(items, columns, padding)):
        # Its table pads its rows at the end: the blanks dropped as this row's padding, or the one
        # at its end, may be padding after a lost cell, and so read the row breaks its own 总计:
        # the placement is refuted, none of its values placed.
        return RowValues(None, "incomplete", tuple(items), first=first)
    if len(items) == n:
        joined = "".join(items)
        if joined.isascii() and joined.isdigit() and "" not in items and max(map(len, items)) <= FAST_DIGITS:
            # plain digits: parse_cell's fast path, its shared cells
            plain = PLAIN_CELLS
            return RowValues([plain.get(item) or plain_cell(item, item) for item in items], raw_items=tuple(items),
                             first=first)
        kinds = _kinds(columns)
        return RowValues([parse_cell(item, kind) for item, kind in zip(items, kinds)], raw_items=tuple(items),
                         first=first)
    if len(items) > n:
        return RowValues(None, "overfull", tuple(items), first=first)
    if "" in items:
        return RowValues(None, "incomplete", tuple(items), first=first)
    kinds = _kinds(columns)
    stripped = tuple(map(str.strip, items))
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


def lost_cell_fits(digits: str, group: int) -> bool:
    """Whether a run of glued digits, one per column (groups of `group` columns, each ending in
    its 总计), whose one-digit split breaks a 总计, reads with one cell lost and every 总计 kept:
    the run printed a number of two digits and lost a cell (`1900010`: 1, 9, 0, 0, 0, _, 10), so
    the one-digit split was not the only one, and neither is output. Where no such reading fits
    (`01000`: 结果纠正 1, 总计 0), the figures are as printed and the broken 总计 is the report's."""
    n = len(digits)
    if n % group or not digits.isdigit():
        return False
    for merge in range(n - 1):  # the two digits of one number
        if digits[merge] == "0":
            continue  # no leading zero
        numbers = [int(d) for d in digits[:merge]] + [int(digits[merge:merge + 2])] + [int(d) for d in digits[merge + 2:]]
        for lost in range(n):
            if lost % group == group - 1:
                continue  # a lost 总计 leaves nothing to check
            cells: list[int | None] = [*numbers[:lost], None, *numbers[lost:]]
            if all(_total_fits(cells[g:g + group]) for g in range(0, n, group)):
                return True
    return False


def _total_fits(part: Sequence[int | None]) -> bool:
    """A group's 总计 (its last cell) is the sum of the others, a lost one (None) any count >= 0."""
    total, known = part[-1], [v for v in part[:-1] if v is not None]
    if total is None:
        return True
    return sum(known) == total if len(known) == len(part) - 1 else sum(known) <= total


def _totals_break(items: Sequence[str], columns: tuple[Column, ...]) -> bool:
    """Whether a row's items, one per column (a blank read as 0, as the checks read it), break a
    总计 of its columns (each `total` column the sum of the columns since the last)."""
    since: list[int] = []
    for item, column in zip(items, columns):
        if item and not (item.isascii() and item.isdigit() and len(item) <= MAX_DIGITS):
            return False  # not plain counts (or past what a cell holds: no int() of 5,000 digits): the checks decide
        value = int(item) if item else 0
        if column.key.rpartition(".")[2] == "total":
            if sum(since) != value:
                return True
            since = []
        else:
            since.append(value)
    return False
