"""A number cell the recogniser was unsure of, read again on its own.

In a strip of a row's cells a lone "0" is often read at 0.90–0.94, and a blurred minus sign is
passed over (the ink then holds one glyph more than the characters read). The cell alone, after
two different anchors of printed digits (strips.py), is two more readings of the same ink. The
new reading is taken only when both say the same number, each with at least AGREE_ABOVE once
checked against the ink (glyphs.number_confidence: as many glyphs as characters, a minus sign
where the ink has a bar); otherwise the cell keeps its first, unsure reading. Nothing is
guessed: the digits are the recogniser's, from the cell's own ink.
"""

from __future__ import annotations

import re

import numpy as np

from extractor.document.ocr._engine import read_chars
from extractor.document.ocr._glyphs import number_confidence
from extractor.document.ocr._grid import Grid
from extractor.document.ocr._strips import cell_box_band, strip
from extractor.document.ocr._types import OcrTable

__all__ = ["AGREE_ABOVE", "REREAD_BELOW", "reread_unsure"]

REREAD_BELOW = 0.95  # the tables' UNSURE_BELOW: a number read with less is not trusted
AGREE_ABOVE = 0.98  # each of the two readings must be this sure (a margin over REREAD_BELOW)
ANCHORS = ("123", "908")  # two contexts that differ in every digit
_NUMBER = re.compile(r"^[-+−—－]?[\d.,]+$")


def reread_unsure(gray: np.ndarray, binary: np.ndarray, grids: list[Grid], cells_ink: list[list[np.ndarray]],
                  tables: list[OcrTable]) -> None:
    """Read again, in place, every table cell that reads as a number with a confidence below
    REREAD_BELOW (see the module's docstring)."""
    crops: list[np.ndarray] = []
    jobs: list[tuple[int, int, int, int]] = []  # (table, cell, x0, x1 of the cell in the crop)
    for ti, (g, table) in enumerate(zip(grids, tables)):
        for ci, cell in enumerate(table.cells):
            inside = cells_ink[ti][ci]
            if cell.conf >= REREAD_BELOW or not _NUMBER.match(cell.text) or not inside.any():
                continue
            band = cell_box_band(g, ci, inside)
            for anchor in ANCHORS:
                crop, places = strip(gray, g, [ci], None, bands=[band], binary=binary, clean=cells_ink[ti],
                                     anchor_text=anchor)
                crops.append(crop)
                jobs.append((ti, ci, places[0][1], places[0][2]))
    readings: dict[tuple[int, int], list[tuple[str, float]]] = {}
    for (ti, ci, lo, hi), chars in zip(jobs, read_chars(crops)):
        mine = [(c, p) for c, p, x in chars if lo <= x < hi and not c.isspace()]
        text = "".join(c for c, _ in mine)
        readings.setdefault((ti, ci), []).append((text, number_confidence(cells_ink[ti][ci], mine)))
    for (ti, ci), got in readings.items():
        texts = {text for text, _ in got}
        conf = min(p for _, p in got)
        if len(texts) == 1 and conf >= AGREE_ABOVE and _NUMBER.match(got[0][0]):
            cell = tables[ti].cells[ci]
            cell.text, cell.conf = got[0][0], conf
