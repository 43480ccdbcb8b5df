"""The picture beside a cell read by OCR (issue 25): cut from the source by the cell's `at`
(`page`, 1-based, and `box` [x0, y0, x1, y1] in pixels of that page's image: a PDF page rendered
at OCR_DPI, or the image file itself), with a margin, as PNG. Rendered once and cached under
OUT/.crops/ by the file's sha256, so a changed file never shows an old picture.

Only a PDF or an image file is cut (a picture inside an HTML page or a DOCX is not located
here). Pillow and pypdfium2 are imported only when a crop is asked for. A page or image larger
than MAX_PIXELS is not rendered.

Public API: `crop_keys(parse, path)`, `cell_crop(out_dir, parse, key, path, sha256)`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["IMAGE_SUFFIXES", "OCR_DPI", "cell_crop", "crop_keys"]

OCR_DPI = 200  # the OCR reader renders a scanned PDF page at this resolution (extractor/ocr/sources.py PDF_DPI)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
MAX_PIXELS = 40_000_000  # as the OCR reader's limit: a larger page is not rendered
MARGIN = 16  # pixels of the page around the box: the cell's neighbours, for context
CACHE_DIR = ".crops"


def _box(cell: object) -> tuple[int, tuple[int, int, int, int]] | None:
    at = cell.get("at") if isinstance(cell, dict) else None
    if not isinstance(at, dict):
        return None
    page, box = at.get("page"), at.get("box")
    if not (isinstance(page, int) and page >= 1 and isinstance(box, (list, tuple)) and len(box) == 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box)):
        return None
    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 <= x0 or y1 <= y0 or x0 < 0 or y0 < 0:
        return None
    return page, (x0, y0, x1, y1)


def _kind(path: Path | None) -> str:
    if path is None:
        return ""
    suffix = path.suffix.lower()
    return "pdf" if suffix == ".pdf" else "image" if suffix in IMAGE_SUFFIXES else ""


def crop_keys(parse: dict, path: Path | None) -> dict[str, bool]:
    """The cells of a report that have a picture to show: read by OCR with a page and a box, in
    a PDF or an image file that is there."""
    kind = _kind(path)
    if not kind:
        return {}
    out = {}
    for key, cell in (parse.get("cells") or {}).items():
        found = _box(cell)
        if found and (kind == "pdf" or found[0] == 1):
            out[key] = True
    return out


def _page_image(path: Path, kind: str, page: int):
    from PIL import Image

    if kind == "image":
        with Image.open(path) as img:  # reads the header only: the size is checked before decoding
            if img.width * img.height > MAX_PIXELS:
                return None
            return img.convert("RGB")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        if page > len(pdf):
            return None
        p = pdf[page - 1]
        width, height = p.get_size()
        scale = OCR_DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5  # as the OCR reader scales a huge page
        return p.render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def cell_crop(out_dir: Path, parse: dict, key: str, path: Path | None, sha256: str) -> bytes | None:
    """PNG bytes of the cell's picture, or None (no box, not a PDF or image, unreadable)."""
    kind = _kind(path)
    found = _box((parse.get("cells") or {}).get(key))
    if path is None or not kind or found is None or (kind == "image" and found[0] != 1):
        return None
    page, (x0, y0, x1, y1) = found
    name = hashlib.sha256(f"{sha256}:{page}:{x0},{y0},{x1},{y1}".encode()).hexdigest()[:24] + ".png"
    cache = Path(out_dir) / CACHE_DIR / name
    if cache.is_file():
        return cache.read_bytes()
    try:
        image = _page_image(path, kind, page)
    except Exception:  # a damaged or refused file: no picture, the page says so  # noqa: BLE001
        return None
    if image is None:
        return None
    box = (max(0, x0 - MARGIN), max(0, y0 - MARGIN), min(image.width, x1 + MARGIN), min(image.height, y1 + MARGIN))
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    import io

    buffer = io.BytesIO()
    image.crop(box).save(buffer, format="PNG")
    png = buffer.getvalue()
    cache.parent.mkdir(exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(png)
    os.replace(tmp, cache)  # whole or not at all: a worker reading it never sees half a file
    return png
