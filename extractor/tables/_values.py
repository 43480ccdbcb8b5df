"""Cell values: one printed cell to a number and a state (`parse_cell`), and the cells of one
split of a glued run (`split_cells`).

A printed cell is a number only when it is well formed for its column (no sign outside 本年增/减,
decimals only in amounts) and within what the template can hold; anything else keeps its text.
Matching a row's items to its columns is in _row_values.py, the search for a glued run's splits
in _glued.py; both read each part through `parse_cell`.
"""

from __future__ import annotations

import unicodedata

from extractor.lazy import lazy_pattern
from extractor.models import CellState, Unit
from extractor.tables._template import ColumnKind

__all__ = [
    "FAST_DIGITS",
    "MAX_DIGITS",
    "MAX_VALUE",
    "PLAIN_CELLS",
    "CellValue",
    "number_text",
    "out_of_range",
    "parse_cell",
    "plain_cell",
    "split_cells",
]

# What a cell that is not plain digits may be, compiled when such a cell first comes (lazy_pattern:
# a CJK class compiles to a 64 kB bitmap, and many reports print digits only).
_DASH = lazy_pattern(r"^(?:[-—－–―]{1,2}|---)$")  # --- : pandoc's —
_SLASH = lazy_pattern(r"^[/／]$")
_NUMBER = lazy_pattern(
    r"^(?P<sign>[减增+\-−])?\s?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s?(?P<unit>万元|元|笔|件|个|项|条)?$"
)


class CellValue:
    """A cell's value, state and printed text. A class with slots written out, not a dataclass (the
    class costs 0.5 ms of start-up as one); not frozen: a frozen __init__ costs twice as much, and
    no one mutates it. Compared field by field, as a dataclass is."""

    __slots__ = ("value", "state", "raw", "unit", "split_from", "out_of_range")
    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: unhashable, as a dataclass

    def __init__(self, value: int | float | None, state: CellState, raw: str, unit: Unit | None = None,
                 split_from: str | None = None, out_of_range: bool = False) -> None:
        self.value = value
        self.state = state
        self.raw = raw
        self.unit = unit
        self.split_from = split_from
        self.out_of_range = out_of_range  # printed as a number beyond what the template can hold: kept as text

    def _fields(self) -> tuple[int | float | None, CellState, str, Unit | None, str | None, bool]:
        return self.value, self.state, self.raw, self.unit, self.split_from, self.out_of_range

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self) -> str:
        return ("CellValue(value={!r}, state={!r}, raw={!r}, unit={!r}, split_from={!r}, out_of_range={!r})"
                .format(*self._fields()))


# What a template cell can hold: beyond it a value is a typo or an attack, never a count, and
# past 2^63 no database or JSON writer could store it. `text`, with a value_out_of_range warning.
MAX_DIGITS = 18  # in any one run of digits (integer part or decimals)
MAX_VALUE: dict[ColumnKind, int] = {"count": 10**12, "change": 10**12, "amount": 10**15}
FAST_DIGITS = 12  # plain digits this short are always within every bound


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
PLAIN_CELLS: dict[str, CellValue] = {}
_PLAIN_MAX = 20_000


def plain_cell(raw: str, stripped: str) -> CellValue:
    """CellValue of a cell printed as plain ASCII digits (at most FAST_DIGITS), shared."""
    cell = CellValue(int(stripped), CellState.NUMBER, raw)
    if len(PLAIN_CELLS) < _PLAIN_MAX:
        PLAIN_CELLS[raw] = cell
    return cell


def parse_cell(raw: str, kind: ColumnKind) -> CellValue:
    cell = PLAIN_CELLS.get(raw)
    if cell is not None:
        return cell
    stripped = raw.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= FAST_DIGITS:  # the common case, without NFKC
        return plain_cell(raw, stripped)
    text = unicodedata.normalize("NFKC", raw).strip().replace("，", ",")
    if not text:
        return CellValue(None, CellState.BLANK, raw)
    if _DASH().match(text):
        return CellValue(None, CellState.DASH, raw)
    if _SLASH().match(text):
        return CellValue(None, CellState.SLASH, raw)
    m = _NUMBER().match(text)
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
        if part.isascii() and part.isdigit() and len(part) <= FAST_DIGITS:  # parse_cell's fast path
            cells.append(CellValue(int(part), number, part, None, whole))
        else:
            v = parse_cell(part, kind)
            cells.append(CellValue(v.value, v.state, part, v.unit, whole, v.out_of_range))
    return cells

