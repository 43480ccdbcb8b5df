"""A page image to an OcrPage: deskew, ruled tables cell by cell, the other text line by line.

Text lines are found from the ink itself (a horizontal projection inside each cell, and over
the page outside the tables), then read by the recogniser in batches (engine.py). A cell with
no ink is blank without being read: OCR never invents a blank or a value for it.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from extractor.document._outline import SECTIONS
from extractor.document.ocr._engine import read_chars
from extractor.document.ocr._glyphs import GLYPHS_DISAGREE, number_confidence
from extractor.document.ocr._grid import Grid, GridCell, find_grids
from extractor.document.ocr._image import ink, rotate, skew_angle
from extractor.document.ocr._reread import reread_unsure
from extractor.document.ocr._strips import cell_box_band, strip
from extractor.document.ocr._types import Box, OcrCell, OcrLine, OcrPage, OcrTable

__all__ = ["fix_line", "read_page", "trailing_point"]

# Glyphs the recogniser confuses with the one a report prints (only in text, never digits).
_FIXES = str.maketrans({"丶": "、"})
_TRAILING_POINT = re.compile(r"^[-−—－]?\d[\d,]*\.$")  # `2.`: a number cell ending in a point
# A speck read as a point between a year and 年 (`2023.年`): a year is never printed so. Lines
# only: a cell's characters keep their probabilities one for one.
_YEAR_SPECK = re.compile(r"(?<=(?<!\d)\d{4})[.．·,，、'`](?=年)")
_ONE = re.compile(r"[—－-](?=[、）)])|(?<=[（(])[—－-]")  # 一、 and （一） read as a dash


def _fix(text: str) -> str:
    return _ONE.sub("一", text.translate(_FIXES))  # one character for one: probabilities stay in place


def _strip_blanks(chars: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """A line's characters without the whitespace read before and after them."""
    while chars and chars[0][0].isspace():
        chars = chars[1:]
    while chars and chars[-1][0].isspace():
        chars = chars[:-1]
    return chars


# The six headings as the template prints them (template.md §1). A line OCR read that is one of
# them with a glyph or two misread (申请 as 甲请, 主要 as 王要) is given its printed wording, so
# that the section is found; the line's own numeral is kept (a body may insert sections).
HEADINGS = tuple(s.heading for s in SECTIONS)  # the sections registry's (tables/outline.py)
_NUMBERED = re.compile(r"^([一二三四五六七八九十])[、.．,，]?(.*)$")


def fix_heading(text: str) -> str:
    m = _NUMBERED.match(text.strip())
    if not m or len(m.group(2)) < 4:
        return text
    from rapidfuzz import fuzz

    body = m.group(2)
    for heading in HEADINGS:
        if body != heading and abs(len(body) - len(heading)) <= 2 and fuzz.ratio(body, heading) >= 80:
            return f"{m.group(1)}、{heading}"
    return text


def trailing_point(text: str, conf: float) -> tuple[str, float]:
    """A number cell read ending in a point (`2.`): the point is a speck beside the last digit,
    or a decimal whose digits were lost. The number without it, and unsure (GLYPHS_DISAGREE:
    below every threshold), so that only the identities can confirm it."""
    if _TRAILING_POINT.match(text):
        return text[:-1], min(conf, GLYPHS_DISAGREE)
    return text, conf


def fix_line(text: str) -> str:
    """A text line as read, its known misreadings fixed: 丶 for 、, a dash for 一 in 一、 and
    （一）, a speck read as a point between a year and 年, a heading's misread glyphs."""
    return fix_heading(_YEAR_SPECK.sub("", _fix(text)))


PAD = 4
SIDE = 3  # pixels beside a cell's side rules that are never text  # white margin around a line crop: the recogniser reads a glyph touching the edge badly
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
    """The mask without specks of scanner noise:
    - blobs smaller than a decimal point of this text size, unless one stands between two
      glyphs on their baseline (a decimal point: 309.18; a speck between two digits lies
      anywhere, at mid-height or under the line);
    - blobs smaller than a minus sign (a fifth of the text height squared) that no glyph stands
      close beside (half a text height across, level with it): a minus sign, a decimal point, a
      comma or the dot of 、 always touches on its neighbour's line, a speck lies anywhere."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return mask
    area = stats[1:, cv2.CC_STAT_AREA]
    speck = max(3, int((0.1 * text_h) ** 2))
    small = max(speck + 1, int((0.2 * text_h) ** 2))
    if (area >= small).all():
        return mask
    keep = np.zeros(n, bool)
    keep[1:] = area >= small
    reach = 0.5 * text_h
    boxes = stats[1:][area >= speck]
    glyphs = stats[1:][area >= small]
    ids = np.flatnonzero(area < small) + 1  # every small blob against every box at once
    x, y = stats[ids, 0][:, None], stats[ids, 1][:, None]
    x1, cy = x + stats[ids, 2][:, None], y + stats[ids, 3][:, None] / 2
    # a blob under a decimal point's size: glyphs on both sides, it on their baseline
    bx0, by0 = boxes[:, 0][None, :], boxes[:, 1][None, :]
    bx1, by1 = bx0 + boxes[:, 2][None, :], by0 + boxes[:, 3][None, :]
    level = (by0 + 0.6 * (by1 - by0) <= cy) & (y < by1) & (cy <= by1 + 2)
    left = (level & (bx1 <= x + 1) & (bx1 >= x - reach)).any(axis=1)
    right = (level & (bx0 >= x1 - 1) & (bx0 <= x1 + reach)).any(axis=1)
    # a larger one: a glyph close beside it, level with it
    gx0, gy0 = glyphs[:, 0][None, :], glyphs[:, 1][None, :]
    gx1, gy1 = gx0 + glyphs[:, 2][None, :], gy0 + glyphs[:, 3][None, :]
    beside = ((gy0 - 0.25 * text_h <= cy) & (cy <= gy1 + 0.25 * text_h)
              & (np.maximum(gx0 - x1, x - gx1) <= reach)).any(axis=1)
    keep[ids] = np.where(area[ids - 1] < speck, left & right, beside)
    kept: np.ndarray = (keep[labels] * 255).astype(np.uint8)
    return kept


def _without_specks(binary: np.ndarray) -> np.ndarray:
    """The mask without blobs too small to be a glyph's stroke (under 5 pixels each way): scanner
    specks, a few to a row, would otherwise join into bands of their own."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    big = (np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= 5)
    big[0] = False
    kept: np.ndarray = (big[labels] * 255).astype(np.uint8)
    return kept


def text_height(binary: np.ndarray) -> float | None:
    """The typical height of a line of text on the page, from its bands of ink (None: no text)."""
    heights = [b - t for t, b in _bands(_without_specks(binary), 2) if b - t >= 6]
    if not heights:
        return None
    return float(np.median(heights))


def _cell_ink(binary: np.ndarray, g: Grid, cell: GridCell) -> np.ndarray:
    """A cell's ink without its rules."""
    x0, y0, x1, y1 = cell.box
    gx, gy = g.box[0], g.box[1]
    inside = binary[y0:y1, x0:x1].copy()
    inside[g.rules[y0 - gy:y1 - gy, x0 - gx:x1 - gx] > 0] = 0
    # A blurred rule leaves a sliver beside the mask: a cell's text keeps off its side rules
    # (cell padding), and a sliver along the top or bottom rule is a few pixels high.
    inside[:, :SIDE] = 0
    inside[:, -SIDE:] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=8)
    h = inside.shape[0]
    for i in range(1, n):
        _x, y, bw, bh, _a = stats[i]
        if bh <= 3 and bw > 3 * bh and (y <= 1 or y + bh >= h - 1):
            inside[labels == i] = 0
    return inside


def _cell_text_height(cells_ink: list[list[np.ndarray]]) -> float:
    """Text height from the tables when the page has no other text (a picture of a table)."""
    heights = [b - t for per_grid in cells_ink for inside in per_grid for t, b in _bands(inside, 2) if b - t >= 5]
    return float(np.median(heights)) if heights else 20.0


def _strip_groups(cells: list[GridCell], bands_of: list[list[Box]]) -> list[list[int]]:
    """Cells of one grid row printed on one line each, at the same height: read together as
    one strip (a lone digit is read far better among others than on its own)."""
    by_row: dict[int, list[int]] = {}
    for ci, (cell, found) in enumerate(zip(cells, bands_of)):
        if len(found) == 1:
            by_row.setdefault(cell.row, []).append(ci)
    groups: list[list[int]] = []
    for row in sorted(by_row):
        current: list[int] = []
        lo = hi = 0
        for ci in sorted(by_row[row], key=lambda i: cells[i].box[0]):
            _, t, _, b = bands_of[ci][0]
            if current and min(hi, b) - max(lo, t) >= 0.5 * min(hi - lo, b - t):
                current.append(ci)
                lo, hi = min(lo, t), max(hi, b)
            else:
                if current:
                    groups.append(current)
                current, lo, hi = [ci], t, b
        if current:
            groups.append(current)
    return groups


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
    cells_ink = [[_cell_ink(binary, g, cell) for cell in g.cells] for g in grids]
    text_h = text_height(free) or _cell_text_height(cells_ink)
    free = despeckle(free, text_h)

    crops: list[np.ndarray] = []
    # what each crop is: ("cell", table, cell, line), ("strip", table, group, 0), ("line", line, 0, 0)
    owners: list[tuple[str, int, int, int]] = []
    tables: list[OcrTable] = []
    cell_lines: list[list[list[list[tuple[str, float]]]]] = []  # per table, cell, line: (char, p)
    strips: list[list[tuple[int, int, int]]] = []  # per strip: (cell index, x0, x1) in strip pixels
    for ti, g in enumerate(grids):
        table = OcrTable(page, g.box)
        cell_lines.append([[] for _ in g.cells])
        bands_of: list[list[tuple[int, int, int, int]]] = []
        for ci, (cell, inside) in enumerate(zip(g.cells, cells_ink[ti])):
            x0, y0, x1, y1 = cell.box
            table.cells.append(OcrCell("", 1.0, cell.box, cell.row, cell.col, cell.rowspan, cell.colspan))
            found = []
            inside = cells_ink[ti][ci] = despeckle(inside, text_h)
            for t, b in _join_fragments(_bands(inside), text_h):
                spans = _spans(inside[t:b], gap=max(w, 1))
                if spans:
                    found.append((x0 + spans[0][0], y0 + t, x0 + spans[-1][1], y0 + b))
            bands_of.append(found)
        tables.append(table)
        in_strip: set[int] = set()
        for group in _strip_groups(g.cells, bands_of):
            crop, places = strip(gray, g, group, bands_of, binary=binary, clean=cells_ink[ti])
            crops.append(crop)
            owners.append(("strip", ti, len(strips), 0))
            strips.append(places)
            in_strip.update(ci for ci, _, _ in places)
        for ci, found in enumerate(bands_of):
            if ci in in_strip:
                continue
            for n, (bx0, by0, bx1, by1) in enumerate(found):
                crops.append(_crop(gray, bx0, by0, bx1, by1))
                owners.append(("cell", ti, ci, n))

    line_boxes: list[Box] = []
    for t, b in _join_fragments(_bands(free, 2), text_h):
        for s0, s1 in _spans(free[t:b], gap=WORD_GAP * text_h):
            if s1 - s0 < 0.3 * text_h:
                continue  # a speck beside the text
            crops.append(_crop(gray, s0, t, s1, b))
            owners.append(("line", len(line_boxes), 0, 0))
            line_boxes.append((s0, t, s1, b))

    lines: list[OcrLine] = [OcrLine("", 0.0, box) for box in line_boxes]
    unread: list[tuple[int, int]] = []  # cells of a strip with ink that no character fell in
    for owner, chars in zip(owners, read_chars(crops)):
        if owner[0] == "line":
            lines[owner[1]].text = fix_line("".join(c for c, _, _ in chars))
            lines[owner[1]].conf = min((p for _, p, _ in chars), default=0.0)
        elif owner[0] == "cell":
            _, ti, ci, _n = owner
            cell_lines[ti][ci].append([(c, p) for c, p, _ in chars])
        else:
            _, ti, si, _ = owner
            places = strips[si]
            got: dict[int, list[tuple[str, float]]] = {}
            for c, p, x in chars:
                for ci, lo, hi in places:
                    if lo <= x < hi:
                        got.setdefault(ci, []).append((c, p))
                        break
            for ci, _lo, _hi in places:
                if ci in got:
                    cell_lines[ti][ci].append(got[ci])
                else:
                    unread.append((ti, ci))
    if unread:  # read again on their own, with the digit context
        again, starts = [], []
        for ti, ci in unread:
            g = grids[ti]
            crop, places = strip(gray, g, [ci], None, bands=[cell_box_band(g, ci, cells_ink[ti][ci])],
                                  binary=binary, clean=cells_ink[ti])
            again.append(crop)
            starts.append(places[0][1])
        for (ti, ci), start, chars in zip(unread, starts, read_chars(again)):
            # ink that reads as nothing is not a blank: "?" keeps the cell unread (state text)
            cell_lines[ti][ci].append([(c, p) for c, p, x in chars if x >= start] or [("?", 0.0)])
    for ti, (table, per_cell) in enumerate(zip(tables, cell_lines)):
        for ci, (read_cell, read) in enumerate(zip(table.cells, per_cell)):
            # each line's characters, glyphs fixed, without the blanks around them
            fixed = [_strip_blanks(list(zip(_fix("".join(c for c, _ in line_chars)), (p for _, p in line_chars))))
                     for line_chars in read]
            if any(fixed):
                cell_chars = [c for line in fixed for c in line]
                read_cell.text = "".join(c for c, _ in cell_chars)
                read_cell.conf = number_confidence(cells_ink[ti][ci], cell_chars)
    reread_unsure(gray, binary, grids, cells_ink, tables)
    for table in tables:
        for read_cell in table.cells:
            read_cell.text, read_cell.conf = trailing_point(read_cell.text, read_cell.conf)
    return OcrPage(page, w, h, angle, tables, [ln for ln in lines if ln.text.strip()])
