"""The ink of a number cell as a second witness to what the recogniser read.

The recogniser's probabilities say how sure it is of each character; the cell's ink says how
many glyphs are printed and what a minus sign looks like. Two rules, both about the ink only:

- **Count.** The glyphs in the ink (blobs, those overlapping from left to right counted as one,
  so that a digit broken in two by a faint scan stays one) must be as many as the characters
  read. Glyphs that touch (the 5 and 4 of "54" at a small size, kerned) make one blob as wide
  as two digits: a blob counts as its width over a digit's pitch. More glyphs than characters is
  a character the recogniser passed over (a minus sign read as nothing): the number is unsure.
- **Minus sign.** The recogniser is never quite sure of a lone "-" (a short bar, 0.8–0.95),
  while the ink shows it plainly: a bar much wider than high, at the digits' mid-height, left of
  them. When the ink has that bar, the number's confidence is its digits' confidence.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

__all__ = ["GLYPHS_DISAGREE", "glyph_boxes", "ink_agrees", "leading_dash", "number_confidence"]

GLYPHS_DISAGREE = 0.3  # the confidence of a number whose glyphs in the ink and characters read differ in count
DIGIT_PITCH = 0.72  # a digit's ink width plus the gap to the next one, in digit heights (CJK fonts' digits: 0.55 em wide, 0.73 em high)
_NUMBER_TEXT = re.compile(r"^[-+−—－]?[\d.,]+$")
_MINUS = "-−—－"

Glyph = tuple[int, int, int, int]  # x0, y0, x1, y1 in the cell's pixels


def glyph_boxes(mask: np.ndarray) -> list[Glyph]:
    """The glyphs of a cell's ink from left to right: blobs whose columns overlap are one glyph."""
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    blobs = sorted((int(s[0]), int(s[1]), int(s[0] + s[2]), int(s[1] + s[3])) for s in stats[1:n])
    out: list[Glyph] = []
    for x0, y0, x1, y1 in blobs:
        if out and x0 < out[-1][2]:
            a = out[-1]
            out[-1] = (a[0], min(a[1], y0), max(a[2], x1), max(a[3], y1))
        else:
            out.append((x0, y0, x1, y1))
    return _join_bar_pieces(out)


def _join_bar_pieces(glyphs: list[Glyph]) -> list[Glyph]:
    """A thin bar (a minus sign) that noise broke in two: pieces side by side at most a pixel
    apart, each at most a third of the digits' height high and level with each other, are one."""
    low = _digit_height(glyphs) / 3
    out: list[Glyph] = []
    for g in glyphs:
        if out:
            a = out[-1]
            if g[0] - a[2] <= 1 and a[3] - a[1] <= low and g[3] - g[1] <= low and min(a[3], g[3]) > max(a[1], g[1]):
                out[-1] = (a[0], min(a[1], g[1]), g[2], max(a[3], g[3]))
                continue
        out.append(g)
    return out


def _digit_height(glyphs: list[Glyph]) -> int:
    return max((g[3] - g[1] for g in glyphs), default=0)


def ink_agrees(mask: np.ndarray, text: str) -> bool:
    """The ink holds as many glyphs as `text` has characters (touching glyphs counted by width)."""
    glyphs = glyph_boxes(mask)
    if len(glyphs) == len(text):
        return True
    if len(glyphs) > len(text) or not glyphs:
        return False  # a glyph the recogniser passed over
    pitch = DIGIT_PITCH * _digit_height(glyphs)
    if pitch <= 0:
        return False
    return sum(max(1, round((g[2] - g[0]) / pitch)) for g in glyphs) == len(text)


def leading_dash(mask: np.ndarray) -> bool:
    """The leftmost glyph is a minus sign: a bar at least 1.25 times as wide as high (blur thickens
    a thin bar as much as it lengthens it: a 150-dpi scan's minus comes out 7 × 5 pixels), at most
    a third of the digits' height high and no wider than a digit, level with the digits' middle."""
    glyphs = glyph_boxes(mask)
    if len(glyphs) < 2:
        return False
    x0, y0, x1, y1 = glyphs[0]
    digits = glyphs[1:]
    top, bottom = min(g[1] for g in digits), max(g[3] for g in digits)
    height = bottom - top
    w, h = x1 - x0, y1 - y0
    if height <= 0 or h > height / 3 or w < 1.25 * h or w > 1.2 * height:
        return False
    middle = (y0 + y1) / 2
    return top + 0.3 * height <= middle <= top + 0.75 * height


def number_confidence(mask: np.ndarray, chars: list[tuple[str, float]]) -> float:
    """A cell's confidence: its least sure character's probability, checked against the ink when
    it reads as a number (see the module's docstring)."""
    text = "".join(c for c, _ in chars)
    conf = min((p for _, p in chars), default=0.0)
    if not _NUMBER_TEXT.match(text):
        return conf
    if not ink_agrees(mask, text):
        return min(conf, GLYPHS_DISAGREE)
    if text[0] in _MINUS and leading_dash(mask):
        return min((p for _, p in chars[1:]), default=0.0)
    return conf
