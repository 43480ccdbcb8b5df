"""Sections as ranges of blocks: which headings, paragraphs and tables each of the six holds.

`extractor.sections.split_sections` finds the sections by their heading text (the template's
headings win over a narrative's own 一、二、三; a section whose heading a conversion lost is
found by what it holds, with a warning). This maps what it found onto the document's blocks, so
that a table is read as the Table block its section holds, and a reviewer can go from a section
to its printed blocks.

Public API: `SectionRange`, `section_ranges`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.document import Block, Heading, Table

if TYPE_CHECKING:
    from extractor.sections import SectionSplit

__all__ = ["SectionRange", "section_ranges"]


@dataclass(frozen=True, slots=True)
class SectionRange:
    """One section: its text span (from its heading, or from its content where the heading was
    lost, to the next section's start) and its blocks, blocks[first:last]."""

    key: str
    start: int
    end: int
    first: int
    last: int
    heading: Heading | None  # the heading block the section starts with, where it has one

    def blocks(self, blocks: list[Block]) -> list[Block]:
        return blocks[self.first:self.last]

    def tables(self, blocks: list[Block]) -> list[Table]:
        return [b for b in blocks[self.first:self.last] if isinstance(b, Table)]


def _holding(blocks: list[Block], starts: list[int], offset: int) -> int:
    """The index of the block that holds `offset` (a section found by its content starts inside
    its table's block: the block is the section's), else of the first block after it."""
    k = bisect_left(starts, offset)
    if k > 0 and blocks[k - 1].end > offset and (k == len(starts) or starts[k] != offset):
        return k - 1
    return k


def section_ranges(blocks: list[Block], split: SectionSplit, text_length: int) -> list[SectionRange]:
    """The sections `split` found, in text order, each with the blocks it holds: a block belongs
    to the section its start lies in, or whose start it holds. A section runs to the next one found (an inserted section
    of the body's own falls in the one before it: it is not one of the six)."""
    starts: list[tuple[int, str]] = []
    for key, body in split.offsets.items():
        starts.append((split.heading_offsets.get(key, body), key))
    starts.sort()
    block_starts = [b.start for b in blocks]
    out: list[SectionRange] = []
    for k, (start, key) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else text_length
        first, last = _holding(blocks, block_starts, start), _holding(blocks, block_starts, end)
        head = blocks[first] if first < last else None
        out.append(SectionRange(key, start, end, first, last, head if isinstance(head, Heading) else None))
    return out
