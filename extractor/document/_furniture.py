"""Page furniture: the page numbers a PDF, a Word page or a converter prints among a report's lines
and cells, one source for every reader that must never take one for a value.

- `DASHED`: a number between dashes (`— 4 —`, `-5-`);
- `PAGE_OF`: `第 3 页`, `第3页共12页`;
- `FRACTION`: `3/12` (a PDF footer, a table cell of its own);
- `furniture_cell()`: a cell or a line that is `DASHED` or `PAGE_OF` alone (compiled on first use);
- `grid_furniture()`: a table grid's cell that is any of the three alone (a Word or HTML table's
  row of page numbers).

Public API: the three pattern strings, `furniture_cell` and `grid_furniture`.
"""

from __future__ import annotations

from extractor.lazy import lazy_pattern

__all__ = ["DASHED", "FRACTION", "PAGE_OF", "furniture_cell", "grid_furniture"]

DASHED = r"[—\-－–]\s*\d{1,3}\s*[—\-－–]"
PAGE_OF = r"第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?"
FRACTION = r"\d{1,3}\s*/\s*\d{1,3}"

furniture_cell = lazy_pattern(rf"^(?:{DASHED}|{PAGE_OF})$")
grid_furniture = lazy_pattern(rf"^(?:{DASHED}|{PAGE_OF}|{FRACTION})$")
