"""OCR of scanned pages and of tables published as pictures, offline (RapidOCR's PP-OCR models
inside the `rapidocr_onnxruntime` wheel, ONNX Runtime on CPU).

This package imports nothing heavy itself: OpenCV, NumPy and ONNX Runtime are imported when a
file has a picture to read (a PDF page with no text layer, a picture in an HTML or DOCX report),
so start-up and every other file are unchanged.

Public API:
- `read_image(data, page)`: picture bytes -> OcrPage (pixel limits checked before decoding);
- `read_gray(gray, page)`: an already decoded grayscale page -> OcrPage;
- `page_lines(page)`: an OcrPage as the readers' lines, each table row as `| a | b |`;
- `OcrPage`, `OcrTable`, `OcrCell`, `OcrLine`: what was read, each cell with its confidence and box.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.ocr.types import OcrCell, OcrLine, OcrPage, OcrTable

if TYPE_CHECKING:
    import numpy as np

_NUMBERISH = re.compile(r"^[\d\s.,，\-—－+/／增减]*$")
__all__ = ["OcrCell", "OcrLine", "OcrPage", "OcrTable", "page_lines", "read_gray", "read_image", "row_cells", "row_line"]


def read_image(data: bytes, page: int = 1) -> OcrPage:
    """A picture's tables and text. LimitError for a picture whose header announces more pixels
    than limits.MAX_IMAGE_PIXELS (nothing decoded), ReadError for one that does not decode."""
    from extractor.ocr.image import decode_image  # OpenCV and ONNX Runtime: only for a picture
    from extractor.ocr.layout import read_page

    return read_page(decode_image(data), page)


def read_gray(gray: np.ndarray, page: int = 1) -> OcrPage:
    from extractor.ocr.layout import read_page

    return read_page(gray, page)


def row_cells(cells: list[OcrCell]) -> list[OcrCell]:
    """The cells a row prints. Empty cells before the row's label are dropped: they are the
    rest of a merged label cell cut by a page break, and a value never precedes a label. A row
    that starts with values (table 四) keeps its blank cells."""
    first = next((i for i, c in enumerate(cells) if c.text), None)
    if first and not _NUMBERISH.match(cells[first].text):
        return cells[first:]
    return cells


def row_line(cells: list[OcrCell]) -> str:
    """A table row as the other readers print it (ingest/grid.py): each cell once, where it starts."""
    return "| " + " | ".join(c.text.replace("|", "｜") for c in row_cells(cells)) + " |"


def page_lines(page: OcrPage) -> list[tuple[str, str]]:
    """(kind, text) in reading order: kind "row" for a table row, "line" for a line of text."""
    out: list[tuple[str, str]] = []
    for _top, _kind, item in page.items():
        if isinstance(item, OcrTable):
            out.extend(("row", row_line(cells)) for cells in item.rows())
        else:
            out.append(("line", item.text))
    return out
