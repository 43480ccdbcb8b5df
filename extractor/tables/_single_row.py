"""Table 四's row: one data row of 15 values under a header with no row label (`read_single_row`),
the first printed run that fills it, or the row joined from three pieces when a converter prints
each group (行政复议, 未经复议直接起诉, 复议后起诉) as a table of its own.

Apart from _rows.py because table 四 has no row labels to match: it is read from its runs of
values alone, and a run printed again (a repeated page) is read once.
"""

from __future__ import annotations

from extractor.document import BLANK_CELL, Token, absolute, closed_rows, match_key, tokenize
from extractor.tables._row_values import NO_PADDING, Padding, RowValues, assign_row
from extractor.tables._rows import row_reading
from extractor.tables._template import Column
from extractor.tables._word_cells import words_in_value_cells

__all__ = ["read_single_row"]


def read_single_row(text: str, columns: tuple[Column, ...], open_ends: bool = False
                    ) -> tuple[RowValues, list[int]] | None:
    """Table 四: one data row of values under a header with no row label; with its items' offsets.
    `open_ends`: the document's pipe rows end open (open_row_ends); where this table's rows all
    end with a pipe (closed_rows), read both ways, as tables/_rows.read_rows does."""
    found = _read_single_row(text, columns, False)
    if open_ends and closed_rows(text) and (found is None or found[0].cells is None):
        other = _read_single_row(text, columns, True)
        if other is not None and other[0].cells is not None:
            return other
    return found


def _read_single_row(text: str, columns: tuple[Column, ...], open_ends: bool) -> tuple[RowValues, list[int]] | None:
    words = {match_key(part) for c in columns for part in c.label.split("·")}
    tokens = absolute(words_in_value_cells(tokenize(text, open_ends), text, lambda w: None,
                                           lambda w: match_key(w) in words, len(columns)))
    runs: list[tuple[list[str], bool, list[int]]] = []
    heads: list[str] = []  # the labels printed before each run (a piece's header)
    head: list[str] = []
    items: list[str] = []
    starts: list[int] = []
    delimited = False
    pending: list[tuple[Token, int]] = []
    labelled = False  # a label since the last row end
    padded_heads = 0  # header rows ending in empty cells: the table pads its rows at the end (_row_values.Padding)
    pads: dict[int, int] = {}  # header rows ending `||`: how many empty cells end them -> how many rows
    padded_runs: set[int] = set()  # runs (id) whose last row ends `||`
    for tok, start in tokens:
        if tok.kind == "value":
            items.extend(t.text for t, _ in pending)
            starts.extend(s for _, s in pending)
            pending = []
            items.append(tok.text)
            starts.append(start)
            delimited |= tok.delimited
        elif tok.kind == "blank":
            if items:
                items.append("")
                starts.append(start)
            else:
                pending.append((tok, start))
        elif tok.kind == "row_end":
            if items:
                (padded_runs.add if tok.text.startswith("padded") else padded_runs.discard)(id(items))
            elif labelled and pending and tok.text.startswith("padded"):
                pads[len(pending)] = pads.get(len(pending), 0) + 1
            if not items and not labelled and len(pending) >= 2 and all(t.delimited for t, _ in pending):
                # A row of empty cells only: a piece's values all printed blank (kept for _pieces).
                _blank_run(runs, heads, head, pending)
                head = []
            if not items:
                padded_heads += labelled and bool(pending)
                pending = []
            labelled = False
            continue
        else:
            labelled = True
            if items:
                runs.append((items, delimited, starts))
                heads.append("".join(head))
                head = []
            elif _blank_lines(pending):
                # One cell per line: a piece's values all printed blank, counted from blank lines.
                _blank_run(runs, heads, head, pending)
                head = []
            items, starts, delimited, pending = [], [], False, []
            head.append(tok.text)
    if items:
        runs.append((items, delimited, starts))
        heads.append("".join(head))
    elif _blank_lines(pending):  # the last piece, all blank
        _blank_run(runs, heads, head, pending)
    if not runs:
        return None
    padding = Padding(ends=True) if padded_heads else NO_PADDING
    # The first run that fills the row; a year in a sentence ("2020 年，…") is a run too.
    readings = []
    seen: set[tuple[tuple[str, ...], bool]] = set()
    for run, delim, run_starts in runs:
        if not any(run):
            continue  # empty cells only: a spacer row, or a piece printed blank (read with its pieces)
        key = (tuple(run), delim)
        if key in seen:
            # The same run printed again (a page repeated by a converter or a crawler): its
            # reading would be the same, did not fill the row, and the earlier one is kept below.
            continue
        seen.add(key)
        pad = next(iter(pads)) if len(pads) == 1 and id(run) in padded_runs else 0
        if pad and len(run) > pad and not any(run[-pad:]):
            # Its header rows all end in `pad` empty cells before `||`: so does this row, and no
            # more of its blanks are padding (a row that lost a cell is short, not shifted).
            reading = assign_row(run[:-pad], columns, delim)
        else:
            # no more items than columns: padding bears on none, and the reading is its items' alone
            reading = row_reading(columns, key[0], False) if len(run) <= len(columns) else \
                assign_row(run, columns, delim, padding=padding)
        if reading.cells is not None:
            return reading, run_starts  # the runs after it are not read
        readings.append((reading, run_starts))
    joined = _pieces(runs, heads, columns, padding)
    if joined is not None:
        return joined
    if not readings:
        return None
    return max(readings, key=lambda r: sum(len(i) for i in r[0].raw_items))


def _blank_lines(pending: list[tuple[Token, int]]) -> bool:
    """Empty cells counted from blank lines (one cell per line), two or more: a run printed blank."""
    return len(pending) >= 2 and all(t is BLANK_CELL for t, _ in pending)


def _blank_run(runs: list[tuple[list[str], bool, list[int]]], heads: list[str], head: list[str],
               pending: list[tuple[Token, int]]) -> None:
    """A run of empty cells only, under its header (kept for _pieces)."""
    runs.append(([""] * len(pending), True, [s for _, s in pending]))
    heads.append("".join(head))


# Table 四 printed as three tables, one per group: each piece's header names its group (the
# last name in it counts: 复议后起诉 and 未经复议直接起诉 both follow 行政诉讼).
_GROUP_NAMES = (("复议后起诉", 2), ("直接起诉", 1), ("未经复议", 1), ("行政复议", 0))


def _pieces(runs: list[tuple[list[str], bool, list[int]]], heads: list[str], columns: tuple[Column, ...],
            padding: Padding) -> tuple[RowValues, list[int]] | None:
    """Table 四's row joined from three pieces, each group's five values under its own header;
    None unless each group is found once, complete."""
    if len(columns) != 15:
        return None
    found: dict[int, tuple[list[str], list[int]]] = {}
    for (run, delim, run_starts), head in zip(runs, heads):
        key = match_key(head)
        at = [(key.rfind(name), group) for name, group in _GROUP_NAMES if name in key]
        if not at:
            continue
        group = max(at)[1]
        piece = assign_row(run, columns[5 * group:5 * group + 5], delim, padding=padding)
        if piece.cells is None or piece.cells[0].split_from or group in found:
            return None
        found[group] = (list(piece.raw_items), run_starts[piece.first:piece.first + 5])
    if len(found) != 3:
        return None
    items = [i for g in range(3) for i in found[g][0]]
    return assign_row(items, columns, True), [s for g in range(3) for s in found[g][1]]
