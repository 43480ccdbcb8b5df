"""The blocks of the typed document (document/_document.py): `Heading | Paragraph | Table`, a
`Table` holding rows of `Cell`s. A module of their own, imported when a block is first made:
a text report's `parse` makes none, and the three classes are ~2 ms of its start-up.

Public API: `Block`, `Heading`, `Paragraph`, `Table`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from extractor.document._document import Cell

__all__ = ["Block", "Heading", "Paragraph", "Table"]


@dataclass(frozen=True, slots=True)
class Table:
    index: int  # 0-based, in the file
    rows: tuple[tuple[Cell, ...], ...]
    start: int
    end: int
    page: int | None = None  # of its first row
    source: Literal["grid", "text"] = "grid"  # the format's own grid, or pipes read in text


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    start: int
    end: int


Block = Heading | Paragraph | Table
