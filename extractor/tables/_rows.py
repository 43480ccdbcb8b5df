"""Tokens to template rows: which printed row is which, by keyword (`_row_match.best_row`), with order
as the fallback."""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from extractor.document import BLANK_CELL, At, Token, closed_rows, match_key, tokenize
from extractor.lazy import lazy_pattern
from extractor.tables._cut_labels import gap_rows, join_cut_labels, rows_inside
from extractor.tables._header_words import header_words
from extractor.tables._labels import across_cells, cut_at_enumerator, wrapped_below
from extractor.tables._memo import per_object
from extractor.tables._row_match import best_row, label_rows
from extractor.tables._row_values import Padding, RowValues, assign_row, lost_before_end, past_width, table_padding
from extractor.tables._template import Column, RowSpec
from extractor.tables._word_cells import words_in_value_cells

__all__ = ["RowsRead", "Segment", "read_rows", "row_reading", "run_span"]


class Segment:
    """A printed row: the label text before its values, and its items ("" for a blank cell).
    A class with slots, not a dataclass: a slotted dataclass costs 0.5 ms of start-up."""

    __slots__ = ("label", "items", "starts", "delimited", "apart", "loose", "padded", "cells", "inferred", "pieces",
                 "label_at", "spaced")

    def __init__(self, label: str) -> None:
        self.label = label
        self.items: list[str] = []
        self.starts: list[int] = []  # each item's offset in the section text
        self.delimited = False
        self.apart = False  # its first value printed apart from its label (white space between)
        self.loose = 0  # a pipe row's label: how many characters of it are loose text lines before the row
        self.padded = False  # a pipe row ending in `||`: its trailing empty cells are padding
        self.cells = False  # a converter's table row (tokens.CELLS_ROW_END, MD_ROW_END): one item, one cell
        self.inferred = False  # its columns inferred where a converter's table dropped some (tokens.CELLS_ROW_END)
        self.pieces: list[str] = []  # its label tokens' texts (joined: `label`)
        self.label_at: list[int] = []  # ... and their offsets in the section text
        self.spaced = False  # its empty cells counted from blank lines (tokens.BLANK_CELL): no label padding

    @property
    def has_values(self) -> bool:
        return any(self.items) or (self.delimited and bool(self.items))


def segments(tokens: list[Token], text: str = "") -> list[Segment]:
    """Tokens into printed rows; `text` (the tokenized text) tells which rows' values were
    printed apart from their label."""
    segs: list[Segment] = []
    current = Segment("")
    items, starts, label_at = current.items, current.starts, current.label_at  # the row's lists (no nested close())
    labels: list[str] = []
    loose = -1  # characters of the labels from loose lines before the first pipe cell's (-1: none yet)
    base = 0  # the offset of the current line (a token's own counts from it)
    line_first = 0  # the first segment closed on the current line
    for tok in tokens:
        kind, tok_text, delimited, start = tok  # unpacked once: a Token is a tuple
        if kind == "label":
            if items:  # a label after values starts the next row
                segs.append(_finish(current, labels, loose))
                current, labels, loose = Segment(""), [], -1
                items, starts, label_at = current.items, current.starts, current.label_at
            if loose < 0 and delimited:
                loose = sum(map(len, labels))
            labels.append(tok_text)
            label_at.append(base + start)
        elif kind == "value" or kind == "blank":
            if not items and labels and text and not delimited:
                at = base + start
                current.apart = at > 0 and text[at - 1].isspace()
            items.append(tok_text)
            starts.append(base + start)
            if delimited:
                current.delimited = True
                if tok is BLANK_CELL:
                    current.spaced = True
        elif kind == "line":
            base = start
            line_first = len(segs)
        else:  # row end of a pipe row
            end = tok_text
            current.padded = end.startswith("padded")
            if end and end != "padded":  # every row this line printed (a number in a label column starts one)
                inferred = end.endswith("cells")
                for seg in (*segs[line_first:], current):
                    seg.cells, seg.inferred = True, inferred
            if items or labels:
                segs.append(_finish(current, labels, loose))
            current, labels, loose = Segment(""), [], -1
            items, starts, label_at = current.items, current.starts, current.label_at
    if items or labels:
        segs.append(_finish(current, labels, loose))
    return segs


def _finish(seg: Segment, labels: list[str], loose: int) -> Segment:
    """A row closed: its label pieces joined, and how much of it is loose text (pipe rows)."""
    seg.label = label = "".join(labels)
    seg.pieces = labels
    if 0 < loose < len(label) and seg.delimited:
        seg.loose = loose
    return seg


class RowsRead(NamedTuple):  # not a dataclass: its class costs 0.5 ms of start-up
    rows: dict[int, RowValues]  # spec index -> values
    labels: dict[int, str]  # spec index -> printed label
    by_order: list[int]  # spec indexes assigned by position, not keyword
    extras: list[Segment]
    duplicates: list[int]
    starts: dict[int, list[int]]  # spec index -> its items' offsets
    ats: dict[int, list[At]] | None = None  # spec index -> its cells' `at`, where a grid row gave them whole


def run_span(row: RowValues, starts: list[int]) -> tuple[int, int] | None:
    """Where a row's printed items run, as (start, end) in the section text: the span that cells
    not read one by one share (split from glued digits, or unknown: glued, incomplete, overfull);
    None where the items' offsets are not known (an all-blank row filled out)."""
    items = row.raw_items
    first = row.first
    if not starts or not items or first + len(items) > len(starts):
        return None
    last = len(items) - 1
    while last >= 0 and not items[last]:
        last -= 1
    if last < 0:  # nothing printed: the first item's position
        return starts[first], starts[first]
    lead = 0
    while not items[lead]:
        lead += 1
    return starts[first + lead], starts[first + last] + len(items[last])


# Words of the column headers: a delimited row of them with empty padding cells is a header.
_HEADER_WORDS = lazy_pattern(r"自然人|商业企业|法人或其他组织|申请人情况|信息内容|结果维持")


def _trailing_empty(items: list[str]) -> int:
    n = 0
    for item in reversed(items):
        if item:
            break
        n += 1
    return n


def _padding(segs: list[Segment]) -> int:
    """How many empty cells end every padded pipe row of this table (`| 0 | ||`): the padding is
    the table's, so it is the count most rows share, not what each row happens to end with (a
    row with a value missing must not have a real blank cell taken for padding)."""
    padded = [s.items for s in segs if s.padded and any(s.items)]
    if not padded:  # most tables (a Counter costs more than the rows it would count)
        return 0
    counts = Counter(map(_trailing_empty, padded))
    top = max(counts.values())
    return min(c for c, n in counts.items() if n == top)


def _unpad(items: list[str], padding: int) -> list[str]:
    drop = min(padding, _trailing_empty(items))
    return items[:len(items) - drop] if drop else items


_ONE_NUMBER = re.compile(r"0|[1-9]\d*")


def _separate_cells(items: list[str], specs: tuple[RowSpec, ...]) -> bool:
    """Whether a short row's items read as separate cells, not glued digits: each is one number
    as a report prints it (`00`, `000023` are glued), and there are several of them, or the row
    is table 二's, which has no 总计 to confirm a split."""
    printed = [i for i in items if i]
    if not all(_ONE_NUMBER.fullmatch(i) or not i.isdigit() for i in printed):
        return False
    return len(printed) > 1 or specs[0].key.startswith("active_disclosure")


def read_rows(text: str, specs: tuple[RowSpec, ...], open_ends: bool = False) -> RowsRead:
    """A table's rows from its section text. `open_ends`: the document's pipe rows end open
    (open_row_ends); where this table's rows all end with a pipe (closed_rows), that pipe is a
    border or an empty last cell: read both ways, the reading kept where more rows fit their
    columns (a tie keeps the border, which never adds a cell)."""
    read = _read_rows(text, specs, False)
    if open_ends and closed_rows(text):
        other = _read_rows(text, specs, True)
        if _complete(other) > _complete(read):
            return other
    return read


@per_object(maxsize=4096)  # by the row's columns: rows print the same items again (0 0 0, 0000000)
def row_reading(columns: tuple[Column, ...], items: tuple[str, ...], exact: bool) -> RowValues:
    """assign_row of a row with no more items than columns, which neither padding nor the pipe
    table's width bears on: the same items read the same way in every report that prints them."""
    return assign_row(list(items), columns, False, exact=exact)


def _row_label(i: int | None, specs: tuple[RowSpec, ...]) -> str | None:
    return None if i is None else match_key(specs[i].label)


def _complete(read: RowsRead) -> int:
    return sum(1 for r in read.rows.values() if r.cells is not None)


def _read_rows(text: str, specs: tuple[RowSpec, ...], open_ends: bool) -> RowsRead:
    heads = header_words(specs)
    tokens = words_in_value_cells(tokenize(text, open_ends, heads), text, lambda w: _row_label(best_row(w, specs), specs),
                                  lambda w: match_key(w) in heads.values or match_key(w) in heads.labels)
    every = segments(tokens, text)
    header = _HEADER_WORDS()  # (has_values inline) a header row of empty cells dropped
    # (one cell a line, blank cells counted from blank lines: the blank is its last line's, and a
    # header's words on the lines before are the header row's cells, not this row's: docx2txt's
    # `信息内容` `本年处理决定数量` `行政处罚` then a blank cell is the row 行政处罚, printed blank)
    segs = [s for s in every if any(s.items) or (s.delimited and s.items and not header.search(
        match_key(s.pieces[-1] if s.spaced and s.pieces else s.label)))]
    known = label_rows(specs)
    idx = [known[s.label] if s.label in known else best_row(s.label, specs) for s in segs]
    for i, seg in enumerate(segs):
        if seg.loose:
            # Loose text before a pipe row: the end of the row above, cut off by a page break
            # (`| 2.申请人 | 9 |` … `逾期未按收费通知要求缴纳费用…`), or the start of this row's
            # label. The row's own label decides its row; the loose text may complete the one above.
            idx[i] = best_row(seg.label[seg.loose:], specs)
            if i > 0 and idx[i - 1] is None and segs[i - 1].delimited:
                above = best_row(segs[i - 1].label + seg.label[:seg.loose], specs)
                if above is not None and above != idx[i]:
                    idx[i - 1] = above
            if idx[i] is None:
                idx[i] = best_row(seg.label, specs)
    # Every printed row named, in the template's order, none skipped (most tables): no label to join,
    # no row to insert or to name by its place, so none of those passes is run.
    named = list(range(len(idx)))
    by_order, matched = ([], named) if idx == named else _name_the_rest(segs, every, idx, specs, text)
    padding = _padding(segs)

    rows: dict[int, RowValues] = {}
    labels: dict[int, str] = {}
    starts: dict[int, list[int]] = {}
    extras: list[Segment] = []
    duplicates: list[int] = []
    # assign_row's reading of a row it could not match to its columns, by its input: the same row
    # printed again is not searched again (a first look each time: work a repeated page multiplies)
    read_again: dict[tuple[int, tuple[str, ...], bool, int, bool], RowValues] = {}
    unread: set[int] = set()
    first, last = (matched[0], matched[-1]) if matched else (0, -1)
    # the padding the table's rows prove, made once: asked only of a row that may hold some
    # (a list as its memo: functools.cache builds a wrapper, ~10 µs a table, for a call most tables never make)
    proven: list[Padding] = []

    def table_pads() -> Padding:
        if not proven:
            proven.append(table_padding((len(specs[i].columns), 1 if s.padded or s.spaced else specs[i].label_span,
                                         _unpad(s.items, padding) if s.padded and padding else s.items)
                                        for s, i in zip(segs, idx) if i is not None and s.delimited))
        return proven[0]
    for pos, (seg, spec_i) in enumerate(zip(segs, idx)):
        if spec_i is None:
            if first < pos < last and seg.label and any(seg.items):
                extras.append(seg)
            continue
        earlier = rows.get(spec_i)
        if earlier is not None and earlier.cells is not None and any(earlier.raw_items):
            # A row printed again (a repeated page, or a sentence after the table): the reading
            # kept already fits its columns and no later one replaces it, so it is not read again.
            if any(seg.items):
                duplicates.append(spec_i)
            continue
        items = seg.items
        if seg.padded and padding:
            items = _unpad(items, padding)
        span = 1 if seg.padded or seg.spaced else specs[spec_i].label_span
        exact = seg.padded and bool(padding)
        columns = specs[spec_i].columns
        values: RowValues | None = None
        if len(items) <= len(columns):  # no padding to weigh: its reading is its items' alone
            values = row_reading(columns, tuple(items), exact)
        elif spec_i in unread:
            values = read_again.get((spec_i, tuple(items), seg.delimited, span, exact))
        if values is None:
            past = past_width(text, seg.starts[0]) if len(items) > len(specs[spec_i].columns) and seg.starts else (0, False)
            if exact:  # its table's padding dropped (_padding, the count its `||` rows share): no more blanks are
                past = (0, False)
            elif seg.padded:  # a row ending `||`: its empty cells at the end are a converter's padding
                past = (len(items), past[1])
            values = assign_row(items, specs[spec_i].columns, seg.delimited, span, exact=exact, padding=table_pads(),
                                past=past)
            if values.cells is None:  # rare: only such a row's reading is kept for a repeat
                unread.add(spec_i)
                read_again[(spec_i, tuple(items), seg.delimited, span, exact)] = values
        split = values.problem == "glued" or values.cells is not None and values.cells[0].split_from
        if split and seg.delimited and (seg.cells or sum(1 for i in items if i) > 1):
            # Pipe cells: a separator divides them, so none is split again; the row is short.
            values = RowValues(None, "incomplete", values.raw_items, first=values.first)
        elif split and seg.apart and not seg.delimited and _separate_cells(items, specs):
            # Values printed apart from their label, each a number as printed, fewer than the
            # columns: cells printed blank were dropped (`（七）总计  266  2  268`), not digits
            # glued. Never split again.
            values = RowValues(None, "incomplete", values.raw_items, first=values.first)
        elif (values.cells is not None and seg.delimited and not seg.padded and items and not items[-1] and any(items)
              and len(items) == len(columns) and lost_before_end(items, columns, text, seg.starts[-1], table_pads)):
            values = RowValues(None, "incomplete", values.raw_items, first=values.first)  # a cell lost: which, not proven
        elif (values.problem == "incomplete" and not seg.delimited and not seg.apart and len(items) == 1
              and len(items[0]) > 1):
            # One run glued to its label (`行政处罚-311`): nothing divides it into cells, so it is
            # not one cell whose blanks were dropped (placed, _place.py) but digits to split.
            values = RowValues(None, "glued", values.raw_items, first=values.first)
        elif seg.inferred and values.cells is not None:
            # assign_row's reading is shared (cached): a copy (built directly: dataclasses.replace costs ~10x)
            values = RowValues(values.cells, values.problem, values.raw_items, values.several, values.first, True)
        if spec_i in rows:
            # A sentence that names a row and a number can precede the table: keep the
            # reading that fits the row's columns.
            if (rows[spec_i].cells is None and values.cells is not None) or (
                not any(rows[spec_i].raw_items) and any(values.raw_items)
            ):
                rows[spec_i], labels[spec_i], starts[spec_i] = values, seg.label, seg.starts
            elif any(seg.items):
                duplicates.append(spec_i)
            continue
        rows[spec_i], labels[spec_i] = values, seg.label
        starts[spec_i] = seg.starts
    return RowsRead(rows, labels, by_order, extras, duplicates, starts)


def _name_the_rest(segs: list[Segment], every: list[Segment], idx: list[int | None], specs: tuple[RowSpec, ...],
                   text: str) -> tuple[list[int], list[int]]:
    """The printed rows their labels did not name as printed (`idx`, in place): labels cut, wrapped
    or spread over cells joined, rows printed with no value inserted, and a row between two named
    one row apart named by its place. Those spec indexes (for the warning), and the printed rows
    named before the last two steps (by position: the table's first and last bound its extras)."""
    for i in range(1, len(segs)):
        if idx[i] is None and not any(segs[i].items) and segs[i].label:
            # A row holding only the rest of the label above, wrapped onto a row of its own in a
            # PDF (`| 2.其他法律行政法规禁止公 | 0 | …` then `|  |  | 开 |  | …`): joined.
            j = i - 1
            while j > 0 and not segs[j].label and not any(segs[j].items):
                j -= 1  # the empty cells before the rest of the label
            if idx[j] is None and any(segs[j].items):
                idx[j] = best_row(segs[j].label + segs[i].label, specs)
    join_cut_labels(segs, idx, specs)  # a label cut by a page break, its rest on a row of its own (_cut_labels.py)
    rows_inside(segs, idx, specs)  # a row with no value inside the label below (a picture's text: _cut_labels.py)
    for i, seg in enumerate(segs):
        if idx[i] is None and any(seg.items):
            across = across_cells(seg, text, lambda label: best_row(label, specs))
            if across is not None:
                idx[i], seg.label = across
    # Rows of label words only (dropped above) may hold the rest of the label of the row above: only
    # where a row with values is not named yet (wrapped_below's first test; a row of values is in segs).
    unnamed = any(idx[k] is None and any(s.items) for k, s in enumerate(segs))
    kept = {id(s): i for i, s in enumerate(segs)} if unnamed else {}
    wrapped = wrapped_below(every, [idx[kept[id(s)]] if id(s) in kept else None for s in every], text,
                            lambda label: best_row(label, specs)) if unnamed else None
    if wrapped is not None:
        for s, found, label in zip(every, *wrapped):
            if id(s) in kept:
                idx[kept[id(s)]], s.label = found, label
    cut_at_enumerator(segs, idx, lambda label: best_row(label, specs))

    # Order fallback: an unrecognised row between two recognised ones that are one row apart.
    by_order: list[int] = []
    matched = [i for i, x in enumerate(idx) if x is not None]
    for a, b in zip(matched, matched[1:]):
        row_a, row_b = idx[a], idx[b]
        if b - a == 2 and row_a is not None and row_b is not None and row_b - row_a == 2:
            idx[a + 1] = row_a + 1
            by_order.append(row_a + 1)
    gap_rows(segs, idx, specs, text)  # rows with no value whose labels were scattered (_cut_labels.py)
    return by_order, matched
