"""Ruled tables in a page image: OpenCV morphology finds the ruling lines, the regions they
enclose are the cells, and each cell's row and column spans come from the grid lines it covers
(a merged cell is one region crossing several grid lines).

- An opening with a long thin kernel keeps only runs of ink longer than any glyph stroke:
  horizontal rules with a kernel of 1/40 of the page width, vertical ones with a kernel a little
  shorter than the lowest row (measured from the horizontal rules found first).
- A text stroke taken for a rule does no harm: it lies inside a cell and touches no other rule,
  so it does not divide the cell.
- A table is a connected set of rules; its cells are the holes of that set.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extractor.document.ocr._types import Box

__all__ = ["Grid", "GridCell", "find_grids"]

MIN_TABLE_SIDE = 0.08  # a table is at least this fraction of the page's width and height
MERGE = 6  # pixels: cell edges closer than this are one grid line


@dataclass(slots=True)
class GridCell:
    box: Box
    row: int
    col: int
    rowspan: int
    colspan: int


@dataclass(slots=True)
class Grid:
    box: Box
    cells: list[GridCell]
    rules: np.ndarray  # the ruling lines' mask inside `box` (255 on the lines)


def rule_mask(binary: np.ndarray) -> np.ndarray:
    """Horizontal and vertical ruling lines of an ink mask, as one mask."""
    h, w = binary.shape
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 40), 1)))
    rows = np.flatnonzero(horizontal.max(axis=1))
    lowest_row = _lowest_gap(rows)
    k = max(12, int(lowest_row * 0.7)) if lowest_row else max(12, h // 60)
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    # A vertical rule runs from one horizontal rule to another; a stroke of a glyph (the 丨 of
    # 上) stops short of both. Rules a pixel or two short of a crossing still meet.
    reach = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 7)))
    vertical = _touching_both_ends(vertical, reach, lowest_row or k, binary)
    rules = cv2.bitwise_or(horizontal, vertical)
    return cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def _clear_sides(binary: np.ndarray, reach: np.ndarray, x: int, bw: int, y0: int, y1: int) -> bool:
    """A rule has cell padding on both sides; a glyph's stroke has the glyph's other strokes
    beside it (the crossing strokes of 本 or 规, the short stroke of 刂)."""
    rows = [y for y in range(y0, y1) if not reach[y, max(0, x - 1):x + bw + 1].any()]
    if not rows:
        return False
    # 2 to 6 pixels out: a blurred rule's own edge is ink just beside the opened run
    left = binary[rows, max(0, x - 6):max(0, x - 2)].any(axis=1)
    right = binary[rows, x + bw + 2:x + bw + 6].any(axis=1)
    return float((left | right).mean()) < 0.12


def _touching_both_ends(vertical: np.ndarray, reach: np.ndarray, one_row: int, binary: np.ndarray) -> np.ndarray:
    """Vertical runs that meet a horizontal rule at both ends and are long enough to be rules.

    A glyph stroke in a tight row touches both rules (the 丨 of 本), and the strokes of two
    labels that start with the same glyph in consecutive rows (规章 over 规范性文件) join across
    the rule between them into a run two rows high. So a run up to 2.5 rows high is a rule only
    where it lines up with a longer one close above or below it (a column of the same table,
    cut by a caption row), or where nothing stands close beside it (`_clear_sides`)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    runs = []
    slack = max(2, one_row)
    cut: dict[int, tuple[int, int]] = {}  # run -> (first, last) row kept
    for i in map(int, np.flatnonzero(stats[:, cv2.CC_STAT_HEIGHT] > 1.5 * one_row)):
        if i == 0:
            continue
        x, y, bw, bh, _ = (int(v) for v in stats[i])
        # each end at a horizontal rule, or just past one (a rule can run on into a glyph
        # printed right under the table)
        top = reach[max(0, y - 1):y + slack, x:x + bw].any()
        bottom = reach[max(0, y + bh - slack):y + bh + 1, x:x + bw].any()
        if not (top and bottom):
            # A rule ends at the table's frame: whatever it runs on into beyond (a glyph of a
            # heading printed right under the table) is cut off at the last rule it meets.
            crossing = np.flatnonzero(reach[y:y + bh, x:x + bw].any(axis=1))
            if len(crossing) < 2 or crossing[-1] - crossing[0] <= 1.5 * one_row:
                continue
            first, last = y + int(crossing[0]), y + int(crossing[-1])
            cut[i] = (first, last)
            y, bh = first, last - first + 1
        runs.append((i, x + bw / 2, y, y + bh))
    long = [(cx, y0, y1) for _, cx, y0, y1 in runs if y1 - y0 > 2.5 * one_row]
    keep = np.zeros(n, bool)
    for i, cx, y0, y1 in runs:
        keep[i] = y1 - y0 > 2.5 * one_row or any(
            abs(cx - lx) <= 3 and max(ly0 - y1, y0 - ly1) <= 2 * one_row for lx, ly0, ly1 in long) \
            or _clear_sides(binary, reach, int(stats[i][0]), int(stats[i][2]), y0, y1)
    kept: np.ndarray = (keep[labels] * 255).astype(np.uint8)
    for i, (first, last) in cut.items():
        if keep[i]:
            x, y, bw, bh = (int(v) for v in stats[i][:4])
            kept[y:first, x:x + bw][labels[y:first, x:x + bw] == i] = 0
            kept[last + 1:y + bh, x:x + bw][labels[last + 1:y + bh, x:x + bw] == i] = 0
    return kept


def _lowest_gap(rows: np.ndarray) -> int:
    """The height of the lowest rows: the 20th percentile of the distances between distinct
    horizontal rules (a long horizontal stroke of text, a dash, may stand close to a rule once)."""
    if len(rows) < 2:
        return 0
    starts = rows[np.concatenate(([True], np.diff(rows) > 2))]
    gaps = np.diff(starts)
    gaps = gaps[gaps > 8]
    return int(np.percentile(gaps, 20)) if len(gaps) else 0


def _lines(edges: list[int]) -> list[int]:
    """Cell edges clustered into grid lines (MERGE pixels)."""
    out: list[list[int]] = []
    for e in sorted(edges):
        if out and e - out[-1][-1] <= MERGE:
            out[-1].append(e)
        else:
            out.append([e])
    return [int(round(sum(g) / len(g))) for g in out]


def _index(lines: list[int], value: int) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - value))


def find_grids(binary: np.ndarray) -> list[Grid]:
    """The ruled tables of a page, top to bottom, each with its cells in reading order."""
    h, w = binary.shape
    rules = rule_mask(binary)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < w * MIN_TABLE_SIDE or bh < h * 0.02:
            continue
        mine = (labels[y:y + bh, x:x + bw] == i).astype(np.uint8) * 255
        cells = _cells(mine, x, y)
        if len(cells) >= 2:
            grids.append(Grid((int(x), int(y), int(x + bw), int(y + bh)), cells, mine))
    grids.sort(key=lambda g: g.box[1])
    return grids


def _cells(rules: np.ndarray, ox: int, oy: int) -> list[GridCell]:
    """The holes of one table's rules: each a cell, with its grid position and spans."""
    holes = cv2.bitwise_not(rules)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    th, tw = rules.shape
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if x == 0 or y == 0 or x + bw >= tw or y + bh >= th:
            continue  # outside the table's frame
        if bw < 6 or bh < 6 or area < 0.5 * bw * bh:
            continue  # a speck between doubled rules, or not a rectangle
        boxes.append((int(x), int(y), int(x + bw), int(y + bh)))
    if not boxes:
        return []
    xs = _lines([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _lines([b[1] for b in boxes] + [b[3] for b in boxes])
    cells = []
    for x0, y0, x1, y1 in boxes:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, y0), _index(ys, y1)
        cells.append(GridCell((x0 + ox, y0 + oy, x1 + ox, y1 + oy), r0, c0, max(1, r1 - r0), max(1, c1 - c0)))
    # Rows and columns renumbered densely: a grid line that is only a right edge is not a column.
    row_ids = {r: k for k, r in enumerate(sorted({c.row for c in cells}))}
    col_ids = {c: k for k, c in enumerate(sorted({c.col for c in cells}))}
    for c in cells:
        end_r, end_c = c.row + c.rowspan, c.col + c.colspan
        c.rowspan = sum(1 for r in row_ids if c.row <= r < end_r) or 1
        c.colspan = sum(1 for k in col_ids if c.col <= k < end_c) or 1
        c.row, c.col = row_ids[c.row], col_ids[c.col]
    cells.sort(key=lambda c: (c.row, c.col))
    return cells
