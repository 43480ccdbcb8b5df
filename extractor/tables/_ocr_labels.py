"""Row labels OCR misread, named by their place in the grid (issue 25).

A label read with a glyph or two wrong (`(E)不予公开` for （三）不予公开, `1.属于国家秘E` for
1.属于国家秘密) names no template row, and the grid reader would give up the whole table. In a
table OCR read, such a row is named by where it stands: between the row before it and the row
after it that are named, the template has exactly as many rows as the grid has unnamed ones, so
each has one place; it takes that place only when its label is closer to that row's label than
to any other (rapidfuzz, as tables/_ocr_marks.py traces misread labels) and close enough. One
unnamed row that fits nowhere, or fits a place less than another: the table is read as before.

A header cell OCR misread (`自然` for 自然人) is read as the one column label it is close to
(`header_by_likeness`): its grid columns are still its own.

Public API: `name_by_place`, `header_by_likeness`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from extractor.document import Cell, match_key
from extractor.tables._headers import is_value, leaf_key
from extractor.tables._template import RowSpec

__all__ = ["HEADER_AT_LEAST", "LABEL_AT_LEAST", "header_by_likeness", "name_by_place"]

LABEL_AT_LEAST = 70  # rapidfuzz ratio of a misread label to the template row its place gives

Row = TypeVar("Row", bound=tuple[Any, ...])  # (template row or None, label, value cells, columns) as _cells reads them


def _score(label: str, spec: RowSpec) -> float:
    """How close a row's printed label (its own cells, a group label merged down included or not)
    is to a template row's: to the whole label, or to the part after the group's."""
    from rapidfuzz import fuzz

    key = match_key(label)
    return max(fuzz.ratio(key, match_key(spec.label.replace("·", ""))),
               fuzz.ratio(key, match_key(spec.label.rsplit("·", 1)[-1])))


def name_by_place(found: list[Row], specs: tuple[RowSpec, ...]) -> list[Row] | None:
    """`found` with each unnamed row (template row None) named by its place, or None when one
    cannot be (see the module's docstring)."""
    out = list(found)
    i = 0
    while i < len(out):
        if out[i][0] is not None:
            i += 1
            continue
        j = i
        while j < len(out) and out[j][0] is None:
            j += 1
        before = out[i - 1][0] if i else -1
        after = out[j][0] if j < len(out) else len(specs)
        if after - before - 1 != j - i:
            return None
        for k in range(i, j):
            place = before + 1 + (k - i)
            label = out[k][1]
            if not label or not specs[place].label:
                return None
            scores = [_score(label, spec) if spec.label else 0.0 for spec in specs]
            if scores[place] < LABEL_AT_LEAST or max(scores) > scores[place]:
                return None
            out[k] = (place, *out[k][1:])  # type: ignore[assignment]
        i = j
    return out


HEADER_AT_LEAST = 75  # rapidfuzz ratio of a misread header cell (`自然` for 自然人) to a column's label
HEADER_MARGIN = 10  # over the next closest label: a cell near two labels names neither


def header_by_likeness(rows: list[tuple[Cell, ...]], leaves: frozenset[str]) -> list[tuple[Cell, ...]]:
    """Header rows of a table OCR read, each cell that names no template column but is close to
    exactly one column's label (a glyph lost or misread) given that label's wording; the cell's
    place (its grid columns) is its own. Only the header is read this way, never a value."""
    from rapidfuzz import fuzz

    out = []
    for cells in rows:
        fixed = []
        for c in cells:
            key = leaf_key(c.text) if c.text else ""
            if len(key) >= 2 and key not in leaves and not is_value(c.text):
                scores = sorted(((fuzz.ratio(key, leaf), leaf) for leaf in leaves), reverse=True)
                if scores and scores[0][0] >= HEADER_AT_LEAST and (
                        len(scores) == 1 or scores[0][0] - scores[1][0] >= HEADER_MARGIN):
                    c = c._replace(text=scores[0][1])
            fixed.append(c)
        out.append(tuple(fixed))
    return out
