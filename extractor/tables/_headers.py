"""A table's header read onto the template's columns (for tables/_cells.py): each template
column found by its label in the header cells over a grid column (the lowest one, its words
wrapped over header rows joined; 表四's groups by the cells above), with the grid columns it
labels. Header readings are cached by the printed header: every report prints the same few.

A header that lost its spans (every cell one column wide, rows packed to the left, as some HTML
writers print the template's merged header) lines up with no grid column; `spans_lost` tells
when it is still the template's header, word for word (template.HEADER_ROWS).

Public API: `Columns`, `header_map`, `in_order`, `is_header`, `is_value`, `leaf_key`, `spans_lost`, `spec_keys`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from extractor.document import VALUE_ITEM, match_key
from extractor.tables._memo import per_object
from extractor.tables._template import HEADER_ROWS, Column, RowSpec

if TYPE_CHECKING:
    from extractor.document import Cell

__all__ = ["Columns", "header_map", "in_order", "is_header", "is_value", "leaf_key", "spans_lost", "spec_keys"]

_UNIT_NOTE = re.compile(r"\([^()]*\)$")

Columns = dict[str, tuple[int, ...]]  # a template column's label -> the grid columns its header cell labels


_LEAF_KEYS: dict[str, str] = {}  # cell text -> its leaf key: header texts recur in every report
_LEAF_KEYS_MAX = 20_000


def leaf_key(text: str) -> str:
    """A header label's key: match_key without a bracketed note after it (a unit: `采购总金额(万元)`)."""
    key = _LEAF_KEYS.get(text)
    if key is None:
        key = _UNIT_NOTE.sub("", match_key(text))
        if len(_LEAF_KEYS) > _LEAF_KEYS_MAX:
            _LEAF_KEYS.clear()
        _LEAF_KEYS[text] = key
    return key


@per_object(maxsize=64)
def spec_keys(specs: tuple[RowSpec, ...]) -> tuple[dict[str, tuple[str, str | None]], frozenset[str]]:
    """The column keys of a table's rows, and their leaf keys (the words a header row prints)."""
    keys = column_keys(tuple(c for s in specs for c in s.columns))
    return keys, frozenset(k for k, _ in keys.values())


def column_keys(columns: tuple[Column, ...]) -> dict[str, tuple[str, str | None]]:
    """Each column label's (leaf key, group key): `行政诉讼·复议后起诉·结果维持` → (结果维持, 复议后起诉)."""
    out: dict[str, tuple[str, str | None]] = {}
    for c in columns:
        parts = c.label.split("·")
        out[c.label] = (leaf_key(parts[-1]), match_key(parts[-2]) if len(parts) > 1 else None)
    return out


_HEADERS: dict[tuple[int, tuple[tuple[str, int, int], ...]], tuple[object, Columns]] = {}
_HEADERS_MAX = 2_000


def header_map(rows: list[tuple[Cell, ...]], keys: dict[str, tuple[str, str | None]]) -> Columns:
    """The template columns the header rows name, each with the grid columns its label is the
    lowest header cell of; a label found in two different header cells is left out (not placed).
    Headers recur in every report: read once per printed form (the caller does not change it)."""
    memo = (id(keys), tuple((c.text, c.col, c.colspan) for cells in rows for c in cells if c.text))
    hit = _HEADERS.get(memo)
    if hit is not None and hit[0] is keys:
        return hit[1]
    if len(_HEADERS) > _HEADERS_MAX:
        _HEADERS.clear()
    out = _HEADERS[memo] = (keys, _read_header(rows, keys))
    return out[1]


def _read_header(rows: list[tuple[Cell, ...]], keys: dict[str, tuple[str, str | None]]) -> Columns:
    leaf: dict[int, tuple[str, int]] = {}  # grid column -> the lowest header cell's key and its first column
    path: dict[int, str] = {}  # grid column -> every header cell's key above it, top down
    for cells in rows:
        for c in cells:
            if not c.text:
                continue
            key, lkey = match_key(c.text), leaf_key(c.text)
            for col in range(c.col, c.col + max(1, c.colspan)):
                leaf[col] = (lkey, c.col)
                path[col] = path.get(col, "") + key
    out: Columns = {}
    for label, (want, group) in keys.items():
        # the lowest cell's words, or their end where the label wrapped over header rows (`结果维` / `持`)
        cols = [(col, first) for col, (k, first) in leaf.items()
                if (k == want or k and want.endswith(k) and path[col].endswith(want))
                and (group is None or group in path[col])]
        if cols and len({first for _, first in cols}) == 1:
            out[label] = tuple(sorted(col for col, _ in cols))
    return out


@cache
def _printed(table: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(leaf_key(w) for w in row) for row in HEADER_ROWS[table])


def spans_lost(rows: list[tuple[Cell, ...]], table: str) -> bool:
    """Whether the last header rows are the template's header of `table` with its spans lost:
    each row prints exactly the words the template's does, in its order, every cell one column
    wide and one row high. The first row (the groups: 申请人情况; 行政复议, 行政诉讼) may start with
    the top-left note of the label columns, or be missing (cut off above a section whose heading
    was lost): the rows below it name every column."""
    printed = _printed(table) if table in HEADER_ROWS else ()
    matched = 0
    for want, cells in zip(reversed(printed), reversed(rows)):
        words = [c for c in cells if c.text]
        if any(c.colspan != 1 or c.rowspan != 1 for c in words):
            return False
        keys = [leaf_key(c.text) for c in words]
        if want is printed[0] and len(keys) == len(want) + 1 and not is_value(words[0].text):
            keys = keys[1:]  # 表三's note over its label columns
        if tuple(keys) != want:
            break
        matched += 1
    return bool(printed) and matched >= len(printed) - 1


def in_order(columns: Columns, keys: dict[str, tuple[str, str | None]]) -> bool:
    """Whether the header prints the template's columns it names left to right in the template's
    order (`keys` is in it), each clear of the next: the data column order is always the
    template's (template.md §3.1), so a header that prints 总计 between 自然人 and 商业企业 (a
    span lost in it shifts its words) is not read as placing the values."""
    last = -1
    for label in keys:
        cols = columns.get(label)
        if cols is None:
            continue
        if cols[0] <= last:
            return False
        last = cols[-1]
    return True


def is_header(cells: tuple[Cell, ...], leaves: frozenset[str]) -> bool:
    """A row naming template columns and printing no value (`（七）总计 | 5 | …` is data)."""
    named = False
    for c in cells:
        text = c.text
        if not text:
            continue
        if text.isdigit() or is_value(text) and text.strip():
            return False
        named = named or leaf_key(text) in leaves
    return named


_VALUE_TEXTS: dict[str, bool] = {}  # a text that is not a run of digits -> whether it is a value: labels recur
_VALUE_TEXTS_MAX = 20_000


def is_value(text: str) -> bool:
    if not text or text.isascii() and text.isdigit():
        return True
    found = _VALUE_TEXTS.get(text)
    if found is None:
        if len(text) > 64:  # no label: not kept
            return bool(VALUE_ITEM.match(text))
        if len(_VALUE_TEXTS) > _VALUE_TEXTS_MAX:
            _VALUE_TEXTS.clear()
        found = _VALUE_TEXTS[text] = bool(VALUE_ITEM.match(text))
    return found
