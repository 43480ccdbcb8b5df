"""A PDF page's ruled tables from its drawing: the page's path objects' line segments and
rectangle edges snapped and merged into ruling lines (`ruling_lines`), their crossings found, each cell
the smallest rectangle of crossings joined by ruling lines on all four sides (`ruled_cells`, the method
pdfplumber's "lines" strategy uses, here on PDFium's geometry), and cells sharing a corner grouped
into tables (`ruled_tables`).

Apart from _pdf.py because it is geometry alone: it knows nothing of characters or text, and
_pdf.py places each page's characters into the cells it finds.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["SNAP", "Box", "ruled_cells", "ruled_tables", "ruling_lines"]

SNAP = 3.0  # points: ruling lines closer than this are one line; crossings within it meet
MIN_EDGE = 3.0  # shorter segments are not ruling lines
_MAX_FORM_DEPTH = 4  # Form XObjects nested deeper are not searched for rulings
Box = tuple[float, float, float, float]  # a ruled cell: x0, top, x1, bottom


def _path_objects(parent: object, count: Callable[[Any], int], get: Callable[[Any, int], Any], level: int = 0
                  ) -> Iterator[Any]:
    """The raw handles of a page's path objects, in content order, descending into Form XObjects
    up to the depth `PdfPage.get_objects(max_depth=4)` does. Raw calls, not that helper: it wraps
    every object of the page in a Python object first (a report page has hundreds of text objects
    and a few dozen paths), which cost a third of reading a PDF."""
    for i in range(count(parent)):
        raw = get(parent, i)
        if not raw:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = pdfium_c.FPDFPageObj_GetType(raw)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield raw
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level < _MAX_FORM_DEPTH - 1:
            yield from _path_objects(raw, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, level + 1)


def _segments(raw: Any, height: float) -> list[tuple[float, float, float, float]]:
    """A path object's straight segments, in reader coordinates (y down)."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw, matrix):
        raise pdfium.PdfiumError("Failed to get matrix of pageobject.")
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    x, y = ctypes.c_float(), ctypes.c_float()
    out = []
    start = current = None
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            out.append((*current, *point))
            current = point
        else:
            current = point  # a curve: not a ruling line
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and current is not None:
            out.append((*current, *start))
            current = start
    return out


def _merge(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """(position, start, end) edges: positions snapped together, overlapping runs joined."""
    edges.sort()
    snapped: list[list[tuple[float, float, float]]] = []
    for edge in edges:
        if snapped and edge[0] - snapped[-1][-1][0] <= SNAP:  # chained, as a double rule is one line
            snapped[-1].append(edge)
        else:
            snapped.append([edge])
    out = []
    for group in snapped:
        pos = sum(e[0] for e in group) / len(group)
        runs = sorted((e[1], e[2]) for e in group)
        lo, hi = runs[0]
        for s, t in runs[1:]:
            if s <= hi + SNAP:
                hi = max(hi, t)
            else:
                out.append((pos, lo, hi))
                lo, hi = s, t
        out.append((pos, lo, hi))
    return [e for e in out if e[2] - e[1] >= MIN_EDGE]


def ruling_lines(page: pdfium.PdfPage, height: float) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) ruling lines of a page."""
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for raw in _path_objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject):
        for x0, y0, x1, y1 in _segments(raw, height):
            if abs(y1 - y0) < 1 and abs(x1 - x0) >= 1:
                horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif abs(x1 - x0) < 1 and abs(y1 - y0) >= 1:
                vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    return _merge(horizontal), _merge(vertical)


def ruled_cells(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]]
           ) -> list[Box]:
    """Cells (x0, top, x1, bottom): rectangles of crossings joined by ruling lines on all sides."""
    # crossing -> (ids of the horizontal lines, ids of the vertical lines) through it
    crossings: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for vi, (x, y0, y1) in enumerate(vertical):
        for hi, (y, x0, x1) in enumerate(horizontal):
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                h_ids, v_ids = crossings.setdefault((x, y), (set(), set()))
                h_ids.add(hi)
                v_ids.add(vi)
    points = sorted(crossings, key=lambda p: (p[1], p[0]))
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for p in points:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)

    def joined(p: tuple[float, float], q: tuple[float, float], side: int) -> bool:  # side 0: along a horizontal line, 1: a vertical one
        return bool(crossings[p][side] & crossings[q][side])

    cells = []
    for p in points:
        below = [q for q in by_x[p[0]] if q[1] > p[1]]
        right = [q for q in by_y[p[1]] if q[0] > p[0]]
        found = False
        for q in below:
            if not joined(p, q, 1):
                continue
            for r in right:
                if not joined(p, r, 0):
                    continue
                corner = (r[0], q[1])
                if corner in crossings and joined(corner, r, 1) and joined(corner, q, 0):
                    cells.append((p[0], p[1], r[0], q[1]))
                    found = True
                    break
            if found:
                break
    return cells


def ruled_tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables: cells sharing a corner belong together. Tables of one cell are
    frames, not tables."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, t, x1, b) in enumerate(cells):
        for corner in ((x0, t), (x1, t), (x0, b), (x1, b)):
            j = owner.setdefault(corner, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(i), []).append(cell)
    return [g for g in groups.values() if len(g) > 1]
