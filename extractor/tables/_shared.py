"""Rows of one converter's table piece that share their columns (pymupdf4llm on a PDF page whose
blank columns it dropped: every row of the piece `||2.其…|1||1|` prints the same three of table
三's seven columns, which ones unknown). Each row alone admits many placements; the piece admits
one choice of columns for all its rows together, which the identities then settle as for one row.

`shared_columns` finds the pieces: pipe rows of a text document (no grid) in one markdown table
(a block of pipe lines with a `---` rule, every row as many cells), each cell holding one value
or none, and only rows of empty cells where a cell of the table holds two values (`6<br>7`: a
cell spans columns there, and one value in it may be in any of them); `shared_candidates`
gives a piece's choices of columns that every row of it fits (each value well formed in its
column, every identity within the piece holding, blanks read as 0), one per reading of its cells.

Public API: `shared_columns`, `shared_candidates`.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import TYPE_CHECKING

from extractor.document import VALUE_ITEM
from extractor.lazy import lazy_pattern
from extractor.tables._place import MAX_PLACEMENTS, item_value

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from extractor.tables._deduce import GluedRow
    from extractor.tables._store import TablesRead
    from extractor.tables._template import Identity

__all__ = ["shared_candidates", "shared_columns"]

_BR = lazy_pattern(r"<br\s*/?>", re.I)
_RULE = lazy_pattern(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")  # markdown's `|---|---|` under a header


def shared_columns(out: TablesRead, rows: Sequence[GluedRow]) -> list[tuple[str, ...]]:
    """The keys of the placed rows printed in one piece of pipe rows, with as many cells each
    (two or more rows a piece; a row of empty cells too: blank whichever columns they are)."""
    doc = out.doc
    if doc is None or doc.grid:
        return []
    text = doc.text
    pieces: dict[tuple[int, int], list[str]] = {}
    for row in rows:
        if not row.placed:
            continue
        start = next((at[0] for at in out.glued_at.get(row.key) or () if at is not None), None)
        if start is None:
            continue
        begin = text.rfind("\n", 0, start) + 1
        end = text.find("\n", start)
        line = text[begin:end if end >= 0 else len(text)].strip()
        if line.count("|") < 2 or not _one_value_a_cell(line, row.items):
            continue
        piece = _piece(text, begin)
        if piece is not None and (not any(row.items) or not _spans(text, piece)):
            pieces.setdefault((piece, len(row.items)), []).append(row.key)
    return [tuple(keys) for keys in pieces.values() if len(keys) > 1]


def _one_value_a_cell(line: str, items: tuple[str, ...]) -> bool:
    """Whether each printed item of the row is a cell of its own (no cell holds two: `0<br>0`),
    and the row kept the empty cells printed between its values: a row read with its empty cells
    dropped (a piece with no header row whose cells do not line up, document/_md_columns) holds
    its values in columns of its own, not the piece's (`|9|7||16|` and `||6|5|11|` are no one choice)."""
    cells = [" ".join(_BR().sub(" ", c).split()) for c in line.split("|")]
    values = [c for c in cells if c and VALUE_ITEM.match(c)]
    if values != [i for i in items if i] or any(" " in c for c in values):
        return False
    return _inner_blanks(cells, lambda c: bool(c) and bool(VALUE_ITEM.match(c))) == _inner_blanks(items, bool)


def _inner_blanks(cells: Sequence[str], filled: Callable[[str], bool]) -> int:
    """How many empty cells lie between the first and the last filled one."""
    at = [j for j, c in enumerate(cells) if filled(c)]
    return sum(1 for c in cells[at[0]:at[-1]] if not c) if at else 0


def _piece(text: str, begin: int) -> int | None:
    """Where the markdown table holding the line at `begin` starts: its block of pipe lines (up to a
    blank or plain line), with a `---` rule and every row as many cells (a converter's table whose
    columns are the piece's, not rows that each dropped their own empty cells); None if it is not one."""
    while begin > 0:
        prev = text.rfind("\n", 0, begin - 1) + 1
        if text[prev:begin - 1].count("|") < 2:
            break
        begin = prev
    widths: set[int] = set()
    rule = False
    for line in text[begin:].split("\n"):
        line = line.strip()
        if line.count("|") < 2:
            break
        if _RULE().match(line):
            rule = True
        else:
            widths.add(line.count("|"))
    return begin if rule and len(widths) == 1 else None


def _spans(text: str, begin: int) -> bool:
    """Whether a cell of the markdown table at `begin` holds two or more values (pymupdf4llm:
    `20<br>44<br>42`): a cell there spans columns, and one value in such a cell may be in any of
    them, so its rows that print a value do not share columns (a row of empty cells still does)."""
    for line in text[begin:].split("\n"):
        if line.count("|") < 2:
            break
        for cell in line.split("|"):
            if sum(1 for w in _BR().sub(" ", cell).split() if VALUE_ITEM.match(w)) > 1:
                return True
    return False


def shared_candidates(rows: Sequence[GluedRow], identities: tuple[Identity, ...]) -> list[tuple[str, ...]] | None:
    """Each choice of columns, in order, for the rows' printed cells (all rows as many cells)
    that every row fits: the rows' parts, one after another; None when there are too many choices."""
    n, k = len(rows[0].kinds), len(rows[0].items)
    if any(len(r.items) != k or len(r.kinds) != n for r in rows) or k > n:
        return []
    keys = [key for r in rows for key in r.keys]
    index = {key: i for i, key in enumerate(keys)}
    inside = [(tuple(index[t] for t in i.terms), tuple(index[t] for t in i.total)) for i in identities
              if all(key in index for key in i.keys)]
    choices = list(combinations(range(n), k))
    if len(choices) * len(rows) > MAX_PLACEMENTS:
        return None
    out: list[tuple[str, ...]] = []
    for columns in choices:
        parts: list[str] = []
        values: list[float] = []
        for r in rows:
            row = [""] * n
            for item, col in zip(r.items, columns):
                row[col] = item
            for part, kind in zip(row, r.kinds):
                v = item_value(part, kind) if part else 0.0
                if v is None:
                    break
                values.append(v)
            else:
                parts += row
                continue
            break
        else:
            if all(abs(sum(values[t] for t in terms) - sum(values[t] for t in total)) <= 1e-9 for terms, total in inside):
                out.append(tuple(parts))
    # Choices that differ only in which columns the piece's empty cells are give one reading (`30 ∅ ∅ 32 62`
    # under columns 1, 2 or 3 for its blanks): one candidate, so the rows are not left unread for it.
    return list(dict.fromkeys(out))
