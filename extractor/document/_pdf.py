"""PDF to text with PDFium (pypdfium2): ruled tables as pipe rows, other text as lines, in reading order.

- Characters come with their boxes from PDFium's text page. Ruled tables come from the page's
  path objects (_pdf_ruling.py): their line segments and rectangle edges are snapped and merged into ruling
  lines, their crossings found, and each cell is the smallest rectangle of crossings joined by
  ruling lines on all four sides (the method pdfplumber's "lines" strategy uses, here on
  PDFium's geometry: 20–30× faster than pdfminer's layout analysis).
- A table's rows are its cells' distinct tops; a cell spanning rows prints in its first row
  only, so each row prints its own cells once (like grid.py's rendering).
- A framed paragraph (a "table" row holding one long cell) is read as a text line.
- Page furniture is dropped: page numbers (`- 4 -`, `第4页`, `4/6`, a lone number) and lines
  repeated at the top or bottom of most pages.
- Wrapped lines are joined back into paragraphs; a line ending a sentence or a line starting a
  heading or enumerator keeps its break.
- A table continued on the next page needs nothing special: the table reader takes rows as
  they come, whatever lines stand between.
"""

from __future__ import annotations

import ctypes
import re
import zlib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.document._furniture import DASHED, FRACTION, PAGE_OF
from extractor.document._grid import GridRow, SourceCell
from extractor.document._pdf_ruling import SNAP, Box, ruled_cells, ruled_tables, ruling_lines
from extractor.errors import LimitError, ReadError
from extractor.limits import MAX_PDF_PAGES, MAX_PDF_STREAM, MAX_PDF_TEXT_OPS, MB

if TYPE_CHECKING:
    from extractor.document.ocr._types import OcrPage

__all__ = ["PageItem", "check_streams", "pdf_to_text"]

_PAGE_NUMBER = re.compile(rf"^\s*(?:{DASHED}|{PAGE_OF}|{FRACTION}|\d{{1,3}})\s*$")  # furniture, or a bare number
_SENTENCE_END = "。！？；：:!?;）)”"
_TITLE_END = ("年度报告", "工作报告", "年报")  # a title line: the paragraph after it is not its continuation
_STARTS_BLOCK = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+是|\d{1,2}[、.．]|附件|\|)")

WORD_GAP = 3.0  # a horizontal gap wider than this between two characters is a space
LINE_GAP = 3.0  # characters whose tops differ by less than this stand on one line


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float  # from the top of the page, as a reader sees it
    bottom: float
    cx: float  # the glyph's centre
    cy: float


# ---------------------------------------------------------------- characters
def _chars(textpage: pdfium.PdfTextPage, height: float) -> list[_Char]:
    raw = textpage.raw
    out: list[_Char] = []
    box = pdfium_c.FS_RECTF()
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code <= 32 or code in (0xA0, 0x3000, 0xFFFE, 0xFFFF) or pdfium_c.FPDFText_IsGenerated(raw, i):
            continue  # white space: spacing is read from the gaps
        # The loose box spans the font's advance and line height: neighbours on a line touch
        # and share a top, where glyph boxes leave gaps and sit punctuation low. Which cell a
        # character is in is told by its glyph's centre: a loose box can reach past a narrow cell.
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, box)
        pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
        out.append(_Char(chr(code), box.left, box.right, height - box.top, height - box.bottom,
                         (left.value + right.value) / 2, height - (top.value + bottom.value) / 2))
    return out


def _lines_of(chars: list[_Char]) -> list[tuple[float, str]]:
    """Characters grouped into lines (by top), each line's text left to right with a space
    where the gap is wide: (top, text)."""
    lines: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: c.top):
        if lines and ch.top - lines[-1][0].top < LINE_GAP:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        parts, prev = [], None
        for ch in line:
            if prev is not None and ch.x0 - prev.x1 > WORD_GAP:
                parts.append(" ")
            parts.append(ch.text)
            prev = ch
        out.append((line[0].top, "".join(parts)))
    return out



def _row_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# ---------------------------------------------------------------- a page
# A table row's grid, beside its printed line: (table on the page, row, cells, their columns).
_RowInfo = tuple[int, int, tuple[SourceCell, ...], tuple[int, ...]]
# (top, kind, text, row) of a page: kind "row" for a table row (with its grid), "line" for a text line
PageItem = tuple[float, str, str, _RowInfo | None]


def _page_items(page: pdfium.PdfPage) -> list[PageItem]:
    """(top, kind, text, row) of a page: kind "row" for table rows (with their grid), "line" for text lines."""
    _width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height)
    finally:
        textpage.close()
    items: list[tuple[float, str, str, _RowInfo | None]] = []
    horizontal, vertical = ruling_lines(page, height)
    claimed: set[int] = set()
    if horizontal and vertical:
        order = sorted(range(len(chars)), key=lambda i: chars[i].cx)
        centres = [chars[i].cx for i in order]
        for t, table in enumerate(ruled_tables(ruled_cells(horizontal, vertical))):
            items.extend(_table_items(table, chars, order, centres, claimed, t))
    free = [ch for i, ch in enumerate(chars) if i not in claimed]
    items.extend((top, "line", text, None) for top, text in _lines_of(free))
    items.sort(key=lambda item: item[0])
    return items


def _table_items(table: list[Box], chars: list[_Char], order: list[int], centres: list[float], claimed: set[int],
                 number: int = 0) -> list[PageItem]:
    texts: dict[tuple[float, float, float, float], str] = {}
    for cell in table:
        x0, top, x1, bottom = cell
        inside = []
        for k in range(bisect_left(centres, x0), bisect_left(centres, x1)):
            i = order[k]
            if top <= chars[i].cy < bottom and i not in claimed:
                inside.append(chars[i])
                claimed.add(i)
        texts[cell] = "".join(text for _, text in _lines_of(inside))
    columns = sorted({c[0] for c in table})
    items: list[PageItem] = []
    tops = sorted({c[1] for c in table})
    for n, top in enumerate(tops):
        starting = {c[0]: c for c in table if c[1] == top}
        row = [texts[starting[x]] for x in columns if x in starting]
        filled = [t for t in row if t]
        if len(filled) == 1 and len(filled[0]) >= 16 and len(row) <= 2:
            # A framed paragraph (alone, or drawn touching a table): text, not a table row. A
            # long label beside its row's empty value cells (`5．要求行政机关确认或重新出具已获取
            # 信息 |  |  | …`) is a row printed blank.
            items.append((top + n * 0.01, "line", filled[0], None))
        elif filled:
            placed = [starting[x] for x in columns if x in starting]
            cells = tuple(SourceCell(texts[c], _span(tops, c[1], c[3]), _span(columns, c[0], c[2])) for c in placed)
            cols = tuple(bisect_left(columns, c[0]) for c in placed)
            items.append((top + n * 0.01, "row", _row_line(row), (number, n, cells, cols)))
    return items


def _span(edges: list[float], lo: float, hi: float) -> int:
    """How many grid lines (columns or rows) a cell from lo to hi covers."""
    return max(1, bisect_left(edges, hi - SNAP) - bisect_left(edges, lo))


# ---------------------------------------------------------------- the document
def _furniture(pages: list[list[PageItem]]) -> set[str]:
    """Lines repeated as the first or last line of most pages (running heads and feet)."""
    if len(pages) < 3:
        return set()
    edges: Counter[str] = Counter()
    for items in pages:
        lines = [t for _, kind, t, _row in items if kind == "line"]
        for t in {*(lines[:1]), *(lines[-1:])}:
            edges[re.sub(r"\d+", "#", t.strip())] += 1
    return {t for t, n in edges.items() if n >= max(2, len(pages) // 2)}


def _join(lines: list[tuple[str, str]]) -> str:
    out: list[str] = []
    prev_kind = ""
    for kind, text in lines:
        text = text.strip()
        if not text:
            continue
        if (kind == "line" and prev_kind == "line" and out and out[-1][-1] not in _SENTENCE_END
                and not _STARTS_BLOCK.match(text) and not out[-1].endswith(_TITLE_END)):
            out[-1] += text  # a wrapped line: Chinese needs no space
        else:
            out.append(text)
        prev_kind = kind
    return "\n".join(out)


_STREAM = re.compile(rb">>\s*stream\r?\n")
_CHUNK = 1 << 16


def _text_ops(chunk: bytes) -> int:
    return chunk.count(b"Tj") + chunk.count(b"TJ")


def _stream_size(data: bytes, start: int, cap: int) -> tuple[int, int]:
    """How many bytes the Flate stream at `start` inflates to, counting no further than cap + 1
    (the output is thrown away as it comes), and how many text-showing operators it holds."""
    inflater, n, ops, pos = zlib.decompressobj(), 0, 0, start
    while pos < len(data) and n <= cap and not inflater.eof:
        try:
            out = inflater.decompress(data[pos:pos + _CHUNK], cap + 1 - n)
            n, ops = n + len(out), ops + _text_ops(out)
            while inflater.unconsumed_tail and n <= cap:
                out = inflater.decompress(inflater.unconsumed_tail, cap + 1 - n)
                n, ops = n + len(out), ops + _text_ops(out)
        except zlib.error:
            break  # a damaged stream: PDFium reads what it can
        pos += _CHUNK
    return n, ops


def check_streams(data: bytes) -> None:
    """Refuse a PDF with a Flate stream that inflates past MAX_PDF_STREAM before PDFium
    inflates it in memory (a 1.5 MB file can hold gigabytes), or with more text-showing
    operators than MAX_PDF_TEXT_OPS (PDFium makes an object of each: 80 kB of 3 M took 3 GB).
    A few ms for a report."""
    ops = _text_ops(data)  # the streams that are not compressed (and, rarely, bytes of those that are)
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 600):m.start()]
        if b"FlateDecode" not in head[head.rfind(b"obj") + 1:]:
            continue
        size, stream_ops = _stream_size(data, m.end(), MAX_PDF_STREAM)
        if size > MAX_PDF_STREAM:
            raise LimitError(f"PDF stream expands past {MAX_PDF_STREAM // MB} MB")
        ops += stream_ops
        if ops > MAX_PDF_TEXT_OPS:
            break
    if ops > MAX_PDF_TEXT_OPS:
        raise LimitError(f"PDF has more than {MAX_PDF_TEXT_OPS:,} text operators (PDF 文字指令过多): "
                         "reading them would take gigabytes")


def pdf_to_text(data: bytes, name: str, grid: list[GridRow] | None = None, ocr: list[OcrPage] | None = None) -> str:
    """The text of a PDF file's bytes (`name` for messages); each table row rendered as a pipe
    line, and given as a GridRow to `grid`. A page with no text layer is read by OCR when `ocr`
    (a list collecting the pages OCR read) is given."""
    check_streams(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"unreadable PDF: {exc}"[:200]) from None
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise LimitError(f"PDF has {len(pdf)} pages (limit {MAX_PDF_PAGES})")
        pages: list[list[PageItem]] = []
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                items = _page_items(page)
                if not items and ocr is not None:  # a scanned page: OCR, imported only now
                    from extractor.document.ocr._sources import pdf_page_items

                    items = pdf_page_items(page, i + 1, ocr)
                elif ocr is not None:  # pictures of tables beside the text layer
                    from extractor.document.ocr._sources import pdf_picture_items

                    if pictures := pdf_picture_items(page, i + 1, ocr):
                        items = sorted(items + pictures, key=lambda item: item[0])
                pages.append(items)
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise ReadError(f"unreadable PDF: {exc}"[:200]) from None
    finally:
        pdf.close()
    if not any(items for items in pages):
        raise ReadError(f"no text layer: {name} looks scanned; run OCR first")
    furniture = _furniture(pages)
    kept: list[tuple[str, str]] = []
    numbers: dict[tuple[int, int], int] = {}  # (page, table on the page) -> table in the file
    for page_no, items in enumerate(pages, 1):
        for _, kind, text, row in items:
            if kind == "line" and (_PAGE_NUMBER.match(text) or re.sub(r"\d+", "#", text.strip()) in furniture):
                continue
            kept.append((kind, text))
            if row is not None and grid is not None:
                table = numbers.setdefault((page_no, row[0]), len(numbers))
                grid.append(GridRow(table, row[1], row[2], row[3], page_no))
    return _join(kept)
