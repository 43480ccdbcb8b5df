"""Crops of table cells for the recogniser: a row's cells side by side in one strip, after an
anchor of printed digits (a lone digit is read far better among others, and as a digit after
digits), each cell's ink only, darkened on white."""

from __future__ import annotations

import cv2
import numpy as np

from extractor.document.ocr._grid import Grid
from extractor.document.ocr._types import Box

__all__ = ["ANCHOR", "cell_box_band", "strip"]

GAP = 0.45  # white between two cells in a strip, in strip heights (a digit is about 0.55 wide)
ANCHOR = "123"  # printed before every strip: digits read as digits in this context, then dropped


def _anchor(height: int, text: str = ANCHOR) -> np.ndarray:
    img = np.full((60, 40 * len(text) + 20), 255, np.uint8)
    cv2.putText(img, text, (8, 48), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 0, 3, cv2.LINE_AA)
    ys, xs = np.nonzero(img < 128)
    img = img[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    return cv2.resize(img, (max(1, int(img.shape[1] * height / img.shape[0])), max(1, height)))


def cell_box_band(g: Grid, ci: int, inside: np.ndarray) -> tuple[int, int, int, int]:
    x0, y0, _x1, _y1 = g.cells[ci].box
    ys, xs = np.nonzero(inside)
    return (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)


def _window(mask: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> np.ndarray:
    """mask[y0:y1, x0:x1], zeros where the window reaches past the mask."""
    out = np.zeros((y1 - y0, x1 - x0), mask.dtype)
    sy0, sy1, sx0, sx1 = max(0, y0), min(mask.shape[0], y1), max(0, x0), min(mask.shape[1], x1)
    if sy1 > sy0 and sx1 > sx0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = mask[sy0:sy1, sx0:sx1]
    return out


def strip(gray: np.ndarray, g: Grid, group: list[int], bands_of: list[list[Box]] | None,
           bands: list[Box] | None = None, binary: np.ndarray | None = None,
           clean: list[np.ndarray] | None = None, anchor_text: str = ANCHOR) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """One image of the group's cells side by side at their band's height, rules whitened,
    after the anchor; returns it and (cell index, x0, x1) of each cell in the strip's pixels."""
    if bands is None:
        if bands_of is None:
            raise ValueError("_strip needs the cells' bands or the band of each cell")
        bands = [bands_of[ci][0] for ci in group]
    boxes = bands
    top = min(b[1] for b in boxes) - 2
    bottom = max(b[3] for b in boxes) + 2
    top, bottom = max(0, top), min(gray.shape[0], bottom)
    gx, gy = g.box[0], g.box[1]
    pieces, places = [], []
    anchor = _anchor(max(4, bottom - top - 4), anchor_text)
    anchor = cv2.copyMakeBorder(anchor, 2, 2, 8, 16, cv2.BORDER_CONSTANT, value=255)
    if anchor.shape[0] != bottom - top:  # a strip lower than the anchor's least height
        anchor = cv2.resize(anchor, (anchor.shape[1], bottom - top))
    x = anchor.shape[1]
    gap = np.full((bottom - top, max(6, int(GAP * (bottom - top)))), 255, np.uint8)
    for ci, box in zip(group, boxes):
        # only the cell's ink, with a gap after it: blank cell width would only cost time
        cx0, cx1 = box[0] - 2, box[2] + 2
        piece = gray[top:bottom, cx0:cx1].copy()
        piece[g.rules[top - gy:bottom - gy, cx0 - gx:cx1 - gx] > 0] = 255
        if clean is not None:
            # Only the cell's ink, darkened, on white: a blurred minus sign is as light as the
            # paper's grain in the gray and the recogniser would read "-3" as a confident "3";
            # specks dropped from the ink are not read either.
            ox, oy = g.cells[ci].box[0], g.cells[ci].box[1]
            kept = _window(clean[ci], top - oy, bottom - oy, cx0 - ox, cx1 - ox)
            piece = np.where(kept > 0, (piece * 0.4).astype(np.uint8), np.uint8(255))
        pieces += [piece, gap]
        # a character read in the gap between two cells (the recogniser puts a "." there at
        # times) stands on no ink: it is no cell's
        places.append((ci, x, x + piece.shape[1]))
        x += piece.shape[1] + gap.shape[1]
    strip = np.hstack([anchor, *pieces, np.full((bottom - top, 8), 255, np.uint8)])
    return strip, places
