"""A row label cut by a page break: the row's values beside the label's first part at the foot of
one page, the rest of the label in a row of its own, with no value, at the top of the next
(pymupdf4llm: `||2.没<br>有现<br>成信|0|0|…` … `||息需<br>要另<br>行制<br>作|||||`). The first part
matches no row, and the rest may match the row by itself (`另行制作`), with no value: read apart,
the row's values are lost.

Joined only where the template's label proves the cut: the label printed with the values ends
with the label's start, and the row below prints exactly the rest (its last label cell, or all
of them: `予公开` `家秘密` under `（三）不 1.属于国`), the row is taken by no other printed row,
and it lies between the rows matched above and below it. Values are never moved: only which row
a printed row is.

Public API: `join_cut_labels`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.document import match_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractor.tables._rows import Segment
    from extractor.tables._template import RowSpec

__all__ = ["join_cut_labels"]


def join_cut_labels(segs: Sequence[Segment], idx: list[int | None], specs: tuple[RowSpec, ...]) -> None:
    """Give a printed row whose label was cut by a page break its template row (in `idx`, by
    printed row); the row below holding the rest of its label is then no row."""
    for i in range(1, len(segs)):
        lower = segs[i]
        if any(lower.items) or not lower.pieces:
            continue
        u = i - 1
        while u > 0 and not segs[u].label and not any(segs[u].items):
            u -= 1  # the empty cell a row of the next page starts with (`||息需…`)
        upper = segs[u]
        if idx[u] is not None or not upper.label or not upper.delimited:
            continue
        found = _cut_row(match_key(upper.label), lower.pieces, specs)
        if found is None or any(x == found for j, x in enumerate(idx) if j != i):
            continue
        before = next((x for x in reversed(idx[:u]) if x is not None), -1)
        after = next((x for x in idx[i + 1:] if x is not None), len(specs))
        if before < found < after:
            idx[u], idx[i] = found, None


def _cut_row(upper: str, pieces: list[str], specs: tuple[RowSpec, ...]) -> int | None:
    """The one row whose label's item (after its group, `·`) is cut in two: `upper` ends with its
    start and the lower row's last label cell, or all its label cells, are the rest."""
    rests = {match_key(pieces[-1]), match_key("".join(pieces))}
    found = [n for n, spec in enumerate(specs) if _is_cut(upper, rests, match_key(spec.label.rpartition("·")[2]))]
    return found[0] if len(found) == 1 else None


def _is_cut(upper: str, rests: set[str], item: str) -> bool:
    return any(0 < len(item) - len(rest) < len(item) and item.endswith(rest) and upper.endswith(item[:len(item) - len(rest)])
               for rest in rests if rest)
