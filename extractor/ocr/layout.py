"""A page image to an OcrPage: deskew, ruled tables cell by cell, the other text line by line.

Text lines are found from the ink itself (a horizontal projection inside each cell, and over
the page outside the tables), then read by the recogniser in batches (engine.py). A cell with
no ink is blank without being read: OCR never invents a blank or a value for it.
"""

from __future__ import annotations

import cv2
import numpy as np

from extractor.ocr.engine import read_lines
from extractor.ocr.grid import find_grids
from extractor.ocr.image import ink, rotate, skew_angle
from extractor.ocr.types import Box, OcrCell, OcrLine, OcrPage, OcrTable

PAD = 4  # white margin around a line crop: the recogniser reads a glyph touching the edge badly
WORD_GAP = 2.5  # a gap wider than this many text heights splits a page line into two pieces


def _bands(mask: np.ndarray, min_ink: int = 1) -> list[tuple[int, int]]:
    """Runs of rows holding ink: (top, bottom)."""
    rows = (mask > 0).sum(axis=1) >= min_ink
    out, start = [], None
    for y, on in enumerate(rows):
        if on and start is None:
            start = y
        elif not on and start is not None:
            out.append((start, y))
            start = None
    if start is not None:
        out.append((start, len(rows)))
    return out


def _join_fragments(bands: list[tuple[int, int]], text_h: float) -> list[tuple[int, int]]:
    """A band much thinner than a line of text is part of a glyph (the strokes of 二, 三, a
    quotation mark): joined to the nearer neighbour. Specks far from any line are dropped."""
    bands = list(bands)
    changed = True
    while changed and len(bands) > 1:
        changed = False
        for i, (t, b) in enumerate(bands):
            if b - t >= 0.45 * text_h:
                continue
            gap_up = t - bands[i - 1][1] if i > 0 else 1 << 30
            gap_down = bands[i + 1][0] - b if i + 1 < len(bands) else 1 << 30
            if min(gap_up, gap_down) > 0.6 * text_h:
                continue
            j = i - 1 if gap_up <= gap_down else i + 1
            lo, hi = min(i, j), max(i, j)
            bands[lo:hi + 1] = [(min(bands[lo][0], bands[hi][0]), max(bands[lo][1], bands[hi][1]))]
            changed = True
            break
    return [(t, b) for t, b in bands if b - t >= 0.3 * text_h]


def _spans(mask: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """Runs of columns holding ink, split where the blank run is wider than `gap`."""
    cols = np.flatnonzero(mask.max(axis=0))
    if not len(cols):
        return []
    out, start, prev = [], int(cols[0]), int(cols[0])
    for x in cols[1:]:
        x = int(x)
        if x - prev > gap:
            out.append((start, prev + 1))
            start = x
        prev = x
    out.append((start, prev + 1))
    return out


def _crop(gray: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    h, w = gray.shape
    piece = gray[max(0, y0):min(h, y1), max(0, x0):min(w, x1)]
    return cv2.copyMakeBorder(piece, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255)


def despeckle(mask: np.ndarray, text_h: float) -> np.ndarray:
    """The mask without specks of scanner noise: blobs smaller than a decimal point of this
    text size that stand alone (a point beside digits is kept: it is within a text height of them)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return mask
    speck = max(3, int((0.08 * text_h) ** 2))
    big = stats[1:, cv2.CC_STAT_AREA] >= speck
    if big.all():
        return mask
    keep = np.zeros(n, bool)
    keep[1:] = big
    if big.any():
        # a small blob near a big one is part of the text (a decimal point, a dot of a glyph)
        boxes = stats[1:][big]
        reach = 0.5 * text_h
        for i in np.flatnonzero(~big) + 1:
            x, y, bw, bh = stats[i][:4]
            cx, cy = x + bw / 2, y + bh / 2
            near = ((boxes[:, 0] - reach <= cx) & (cx <= boxes[:, 0] + boxes[:, 2] + reach)
                    & (boxes[:, 1] - reach <= cy) & (cy <= boxes[:, 1] + boxes[:, 3] + reach))
            keep[i] = bool(near.any())
    return (keep[labels] * 255).astype(np.uint8)


def text_height(binary: np.ndarray) -> float:
    """The typical height of a line of text on the page, from its bands of ink."""
    heights = [b - t for t, b in _bands(binary, 2) if b - t >= 6]
    if not heights:
        return 20.0
    return float(np.median(heights))


def read_page(gray: np.ndarray, page: int = 1, deskew: bool = True) -> OcrPage:
    """Everything printed on one page image (grayscale, ink dark)."""
    binary = ink(gray)
    angle = skew_angle(binary) if deskew else 0.0
    if angle:
        gray = rotate(gray, angle)
        binary = ink(gray)
    h, w = gray.shape
    grids = find_grids(binary)
    free = binary.copy()
    for g in grids:
        x0, y0, x1, y1 = g.box
        free[y0:y1 + 1, x0:x1 + 1] = 0
    text_h = text_height(free) if free.any() else 20.0
    free = despeckle(free, text_h)

    crops: list[np.ndarray] = []
    # what each crop is: (table index, cell index, line number) or (-1, line index, 0)
    owners: list[tuple[int, int, int]] = []
    tables: list[OcrTable] = []
    cell_lines: list[list[list[tuple[str, float]]]] = []
    for ti, g in enumerate(grids):
        table = OcrTable(page, g.box)
        per_cell: list[list[tuple[str, float]]] = []
        gx, gy = g.box[0], g.box[1]
        for ci, cell in enumerate(g.cells):
            x0, y0, x1, y1 = cell.box
            inside = binary[y0:y1, x0:x1].copy()
            inside[g.rules[y0 - gy:y1 - gy, x0 - gx:x1 - gx] > 0] = 0  # the rules are not text
            inside = despeckle(inside, text_h)
            bands = _join_fragments(_bands(inside), text_h)
            table.cells.append(OcrCell("", 1.0, cell.box, cell.row, cell.col, cell.rowspan, cell.colspan))
            per_cell.append([])
            for n, (t, b) in enumerate(bands):
                spans = _spans(inside[t:b], gap=max(w, 1))
                if not spans:
                    continue
                s0, s1 = spans[0][0], spans[-1][1]
                crops.append(_crop(gray, x0 + s0, y0 + t, x0 + s1, y0 + b))
                owners.append((ti, ci, n))
        tables.append(table)
        cell_lines.append(per_cell)

    line_boxes: list[Box] = []
    for t, b in _join_fragments(_bands(free, 2), text_h):
        for s0, s1 in _spans(free[t:b], gap=WORD_GAP * text_h):
            if s1 - s0 < 0.3 * text_h:
                continue  # a speck beside the text
            crops.append(_crop(gray, s0, t, s1, b))
            owners.append((-1, len(line_boxes), 0))
            line_boxes.append((s0, t, s1, b))

    lines: list[OcrLine] = [OcrLine("", 0.0, box) for box in line_boxes]
    for (ti, ci, _n), (text, conf) in zip(owners, read_lines(crops)):
        if ti < 0:
            lines[ci].text, lines[ci].conf = text, conf
        else:
            cell_lines[ti][ci].append((text, conf))
    for table, per_cell in zip(tables, cell_lines):
        for cell, read in zip(table.cells, per_cell):
            read = [(t, c) for t, c in read if t.strip()]
            if read:
                cell.text = "".join(t.strip() for t, _ in read)
                cell.conf = min(c for _, c in read)
    return OcrPage(page, w, h, angle, tables, [ln for ln in lines if ln.text.strip()])
