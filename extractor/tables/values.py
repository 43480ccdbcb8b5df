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
from dataclasses import dataclass
from functools import lru_cache

from extractor.models import CellState, Unit
from extractor.tables.template import Column, ColumnKind

_DASH = re.compile(r"^[-—－–―]{1,2}$")
_SLASH = re.compile(r"^[/／]$")
_NUMBER = re.compile(
    r"^(?P<sign>[减增+\-−])?\s?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s?(?P<unit>万元|元|笔|件|个|项|条)?$"
)


@dataclass(frozen=True)
class CellValue:
    value: int | float | None
    state: CellState
    raw: str
    unit: Unit | None = None
    split_from: str | None = None


def parse_cell(raw: str, kind: ColumnKind) -> CellValue:
    stripped = raw.strip()
    if stripped.isascii() and stripped.isdigit():  # the common case, without NFKC
        return CellValue(int(stripped), "number", raw)
    text = unicodedata.normalize("NFKC", raw).strip().replace("，", ",")
    if not text:
        return CellValue(None, "blank", raw)
    if _DASH.match(text):
        return CellValue(None, "dash", raw)
    if _SLASH.match(text):
        return CellValue(None, "slash", raw)
    m = _NUMBER.match(text)
    if not m:
        return CellValue(None, "text", raw)
    sign, digits, frac, unit_word = m.group("sign"), m.group("int").replace(",", ""), m.group("frac"), m.group("unit")
    if sign and kind != "change" and sign not in "+增":
        return CellValue(None, "text", raw)  # a negative count is not a count
    number: int | float = float(digits + frac) if frac else int(digits)
    if frac and kind != "amount":
        return CellValue(None, "text", raw)
    if sign in ("减", "-", "−"):
        number = -number
    unit: Unit | None = {"元": "yuan", "万元": "wan_yuan"}.get(unit_word or "")
    return CellValue(number, "number", raw, unit)


# One glued part per column kind: canonical integers (no leading zero), signs only for changes.
_PART = {
    "count": r"(?:0|[1-9]\d*)",
    "change": r"(?:[减增+\-−]?(?:0|[1-9]\d*))",
    "amount": r"(?:(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?)",
}


def _splits(item: str, kinds: tuple[ColumnKind, ...]) -> list[list[str]]:
    """Every way to cut `item` into len(kinds) well-formed parts."""
    if not kinds:
        return [[]] if not item else []
    out = []
    pattern = re.compile(_PART[kinds[0]])
    for end in range(1, len(item) + 1):
        head = item[:end]
        if pattern.fullmatch(head):
            out.extend([head, *rest] for rest in _splits(item[end:], kinds[1:]))
        if len(out) > 1:
            break
    return out


@lru_cache(maxsize=4096)
def _row_splits(items: tuple[str, ...], kinds: tuple[ColumnKind, ...], limit: int = 2) -> list[tuple[str, ...]]:
    """Ways to give each item one or more consecutive columns, each part well formed."""
    if not items:
        return [()] if not kinds else []
    found: list[tuple[str, ...]] = []
    first, rest = items[0], items[1:]
    max_parts = len(kinds) - len(rest)
    for n in range(1, max_parts + 1):
        for parts in _splits(first, kinds[:n]):
            for tail in _row_splits(rest, kinds[n:], limit):
                found.append((*parts, *tail))
                if len(found) >= limit:
                    return found
    return found


@dataclass(frozen=True)
class RowValues:
    cells: list[CellValue] | None  # None when the row could not be matched to its columns
    problem: str | None = None  # "incomplete" | "glued" | "overfull"
    raw_items: tuple[str, ...] = ()


def assign_row(items: list[str], columns: tuple[Column, ...], delimited: bool) -> RowValues:
    """Match a row's printed items (values; "" for a blank cell) to its columns."""
    n = len(columns)
    items = list(items)
    if delimited:
        while len(items) > n and items and items[-1] == "":
            items.pop()  # padding left by flattened colspans: `| 0 | ||`
        while len(items) > n and items and items[0] == "":
            items.pop(0)  # an empty label column before the values (a label spanning two columns in a PDF)
    kinds = tuple(c.kind for c in columns)
    if len(items) == n:
        return RowValues([parse_cell(item, kind) for item, kind in zip(items, kinds)], raw_items=tuple(items))
    if len(items) > n:
        return RowValues(None, "overfull", tuple(items))
    if "" in items:
        return RowValues(None, "incomplete", tuple(items))
    splits = _row_splits(tuple(i.strip() for i in items), kinds)
    if len(splits) == 1:
        whole = " ".join(items)
        cells = [
            CellValue(v.value, v.state, part, v.unit, split_from=whole)
            for part, kind in zip(splits[0], kinds)
            for v in [parse_cell(part, kind)]
        ]
        return RowValues(cells, raw_items=tuple(items))
    return RowValues(None, "glued" if splits else "incomplete", tuple(items))
