"""Where the readers meet OCR: a PDF page with no text layer, a picture in an HTML page (an
inline `data:` URI or a file beside the page) or in a DOCX. Each returns the page's lines as the
readers print them and appends the OcrPage to the reader's list (`log`), so the parser can say
which cells OCR read. A picture counts as a page: its number is its place in that list.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.document.ocr._types import OcrLine, OcrPage, OcrTable
from extractor.errors import LimitError, ReadError
from extractor.limits import MAX_IMAGE_PIXELS, MAX_OCR_IMAGES, MAX_OFFICE_FILE

if TYPE_CHECKING:
    from pypdfium2 import PdfPage

    from extractor.document._pdf import PageItem

__all__ = ["html_picture_lines", "pdf_page_items", "pdf_picture_items", "picture_lines"]

# Nothing here imports OpenCV, NumPy or ONNX Runtime at module level: only a report with a
# picture pays for them.

PDF_DPI = 200  # a scanned page is rendered at this resolution (scans are made at 150–300 dpi)
MIN_PICTURE = (300, 80)  # a smaller picture is an icon or a logo, not a table or a page of text


def pdf_page_items(page: PdfPage, number: int, log: list[OcrPage]) -> list[PageItem]:
    """(top in points, kind, text, grid row) of a PDF page with no text layer, read by OCR from its
    rendering, as the PDF reader's own items are; no grid row (an OCR cell's place is its box,
    given by extractor.tables._ocr_marks); [] for a page without images (a blank page)."""
    import pypdfium2.raw as pdfium_c

    from extractor.document.ocr._image import check_size

    if not any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)):
        return []
    width, height = page.get_size()
    scale = PDF_DPI / 72
    if width * height * scale * scale > MAX_IMAGE_PIXELS:
        scale = (MAX_IMAGE_PIXELS / (width * height)) ** 0.5
    check_size(int(width * scale), int(height * scale))
    gray = page.render(scale=scale, grayscale=True).to_numpy()
    if gray.ndim == 3:
        gray = gray[:, :, 0]
    from extractor.document.ocr._layout import read_page

    result = read_page(gray, number)
    log.append(result)
    return [(top / scale, kind, text, None) for top, kind, text in _items(result)]


def _may_hold_picture(page: PdfPage) -> bool:
    """Whether a page has an image object, or a form that may hold one: asked of the raw objects
    (a type per object), since wrapping each of a text page's thousands of objects in a PdfObject
    cost more than reading the page's text."""
    import pypdfium2.raw as pdfium_c

    wanted = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    raw = page.raw
    return any(get_type(get_object(raw, i)) in wanted for i in range(pdfium_c.FPDFPage_CountObjects(raw)))


def pdf_picture_items(page: PdfPage, number: int, log: list[OcrPage]) -> list[PageItem]:
    """(top in points, kind, text, grid row) of the table pictures on a PDF page that has a text
    layer: a picture is read when it is large enough, no text of the layer lies over it (a
    searchable scan's own picture is already read as text) and it holds a ruled table (text
    pasted as a picture beside real text is left alone: finding the rules costs far less than
    reading). The boxes are in the page's pixels at PDF_DPI, as for a scanned page."""
    import pypdfium2.raw as pdfium_c

    if not _may_hold_picture(page):
        return []
    width, height = page.get_size()
    scale = PDF_DPI / 72
    out: list[PageItem] = []
    textpage = None
    try:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
            bounds = obj.get_bounds() if hasattr(obj, "get_bounds") else obj.get_pos()  # pypdfium2 5 / 4
            left, bottom, right, top = (max(0.0, float(v)) for v in bounds)
            right, top = min(right, width), min(top, height)
            w, h = (right - left) * scale, (top - bottom) * scale
            if w < MIN_PICTURE[0] or h < MIN_PICTURE[1] or w * h > MAX_IMAGE_PIXELS:
                continue
            textpage = textpage or page.get_textpage()
            if textpage.get_text_bounded(left, bottom, right, top).strip():
                continue
            if sum(1 for p in log if not p.skipped) >= MAX_OCR_IMAGES:
                break
            gray = page.render(scale=scale, grayscale=True,
                               crop=(left, bottom, width - right, height - top)).to_numpy()
            if gray.ndim == 3:
                gray = gray[:, :, 0]
            from extractor.document.ocr._grid import find_grids  # OpenCV: only for a picture
            from extractor.document.ocr._image import ink

            if not find_grids(ink(gray)):
                continue
            from extractor.document.ocr._layout import read_page

            result = read_page(gray, number)
            _shift(result, int(left * scale), int((height - top) * scale))
            log.append(result)
            out += [(top_px / scale, kind, text, None) for top_px, kind, text in _items(result)]
    finally:
        if textpage is not None:
            textpage.close()
    return out


def _shift(result: OcrPage, dx: int, dy: int) -> None:
    """A picture's boxes moved from its own pixels to its page's."""
    def moved(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)

    for table in result.tables:
        table.box = moved(table.box)
        for cell in table.cells:
            cell.box = moved(cell.box)
    for line in result.lines:
        line.box = moved(line.box)


def _items(result: OcrPage) -> list[tuple[float, str, str]]:
    from extractor.document.ocr._read import row_line

    out: list[tuple[float, str, str]] = []
    for top, _kind, item in result.items():
        if isinstance(item, OcrTable):
            for n, cells in enumerate(item.rows()):
                out.append((min(c.box[1] for c in cells) + n * 0.01, "row", row_line(cells)))
        elif isinstance(item, OcrLine):
            out.append((float(top), "line", item.text))
    return out


def picture_lines(data: bytes, log: list[OcrPage]) -> list[str]:
    """The lines of a picture (a table drawn as an image, a scanned page): table rows as
    `| a | b |`, text as lines. [] for an icon or what is not a picture at all (an HTML page's
    broken image is not the report's problem). A picture too large to decode, one that does not
    decode, and the pictures past MAX_OCR_IMAGES are not read: each (past the limit: once) is
    logged as a skipped page, which the result's `ocr_skipped` warning reports."""
    from extractor.document.ocr._image import image_size

    try:
        w, h = image_size(data)
    except LimitError as exc:
        return _skip(log, str(exc))
    except ReadError:
        return []
    if w < MIN_PICTURE[0] or h < MIN_PICTURE[1]:
        return []
    if sum(1 for p in log if not p.skipped) >= MAX_OCR_IMAGES:
        if not any(p.skipped.startswith("more than") for p in log):
            _skip(log, f"more than {MAX_OCR_IMAGES} pictures: the rest are not read")
        return []
    from extractor.document.ocr._read import read_image

    try:
        result = read_image(data, len(log) + 1)
    except (LimitError, ReadError) as exc:
        return _skip(log, str(exc))
    log.append(result)
    return [text for _top, _kind, text in _items(result)]


def _skip(log: list[OcrPage], why: str) -> list[str]:
    log.append(OcrPage(len(log) + 1, 0, 0, 0.0, skipped=" ".join(why.split())[:200]))
    return []


def data_uri_bytes(src: str) -> bytes | None:
    """The bytes of a `data:image/...;base64,` URI; None for anything else."""
    head, _, payload = src.partition(",")
    if not head.lower().startswith("data:image/") or ";base64" not in head.lower():
        return None
    if len(payload) > MAX_OFFICE_FILE * 4 // 3:
        return None
    try:
        return base64.b64decode("".join(payload.split()), validate=False)
    except (binascii.Error, ValueError):
        return None


def local_picture(src: str, base: Path | None) -> bytes | None:
    """A picture file named by a relative `src` beside the page (never a URL, never outside the
    page's folder tree: `..` and absolute paths are not followed)."""
    if base is None or not src or "://" in src or src.startswith(("/", "\\", "data:")):
        return None
    rel = src.split("?", 1)[0].split("#", 1)[0]
    path = (base / rel)
    try:
        real = path.resolve()
        if os.path.commonpath([real, base.resolve()]) != str(base.resolve()) or not real.is_file():
            return None
        if real.stat().st_size > MAX_OFFICE_FILE:
            return None
        return real.read_bytes()
    except (OSError, ValueError):
        return None


def html_picture_lines(src: str, base: Path | None, log: list[OcrPage]) -> list[str]:
    data = data_uri_bytes(src) if src.startswith(("data:", "DATA:")) else local_picture(src, base)
    return picture_lines(data, log) if data else []
