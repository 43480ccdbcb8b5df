"""PDF to text with pdfplumber: ruled tables as pipe rows, other text as lines, in reading order.

- A ruled table's rows come from the page geometry; cells covered by a span come back as None
  and are not printed, so each row prints its own cells once (like grid.py's rendering).
- A framed paragraph (a "table" row holding one long cell) is read as text lines.
- Page furniture is dropped: page numbers (`- 4 -`, `第4页`, `4/6`, a lone number) and lines
  repeated at the top or bottom of most pages.
- Wrapped lines are joined back into paragraphs; a line ending a sentence or a line starting a
  heading or enumerator keeps its break.
- A table continued on the next page needs nothing special: the table reader takes rows as
  they come, whatever lines stand between.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError

from extractor.ingest.errors import LimitError, ReadError
from extractor.limits import MAX_PDF_PAGES

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$")
_SENTENCE_END = "。！？；：:!?;）)”"
_STARTS_BLOCK = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+是|\d{1,2}[、.．]|附件|\|)")


def _row_line(row: list[str | None]) -> str:
    cells = [(c or "").replace("\n", "").strip() for c in row if c is not None]
    return "| " + " | ".join(cells) + " |"


def _page_items(page: pdfplumber.page.Page) -> list[tuple[float, str, str]]:
    """(top, kind, text) of a page: kind "row" for table rows, "line" for text lines."""
    items: list[tuple[float, str, str]] = []
    boxes = []
    for table in page.find_tables():
        boxes.append(table.bbox)
        top = table.bbox[1]
        for i, row in enumerate(table.extract()):
            filled = [c.replace("\n", "") for c in row if c]
            if len(filled) == 1 and len(filled[0]) >= 16:
                # A framed paragraph (alone, or drawn touching a table): text, not a table row.
                items.append((top + i * 0.01, "line", filled[0]))
            elif filled:
                items.append((top + i * 0.01, "row", _row_line(row)))
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        centre = (line["x0"] + line["x1"]) / 2
        if any(b[1] <= middle <= b[3] and b[0] <= centre <= b[2] for b in boxes):
            continue  # already read as a table row or a framed paragraph
        items.append((line["top"], "line", line["text"]))
    items.sort(key=lambda item: item[0])
    return items


def _furniture(pages: list[list[tuple[float, str, str]]]) -> set[str]:
    """Lines repeated as the first or last line of most pages (running heads and feet)."""
    if len(pages) < 3:
        return set()
    edges = Counter()
    for items in pages:
        lines = [t for _, kind, t in items if kind == "line"]
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
                and not _STARTS_BLOCK.match(text)):
            out[-1] += text  # a wrapped line: Chinese needs no space
        else:
            out.append(text)
        prev_kind = kind
    return "\n".join(out)


def pdf_to_text(path: Path) -> str:
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise LimitError(f"PDF has {len(pdf.pages)} pages (limit {MAX_PDF_PAGES})")
            if not any(page.chars for page in pdf.pages):
                raise ReadError(f"no text layer: {path.name} looks scanned; run OCR first")
            pages = [_page_items(page) for page in pdf.pages]
    except ReadError:
        raise
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ReadError(f"unreadable PDF: {type(exc).__name__}: {exc}"[:200]) from None
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise ReadError(f"unreadable PDF: {type(exc).__name__}"[:200]) from None
    furniture = _furniture(pages)
    kept: list[tuple[str, str]] = []
    for items in pages:
        for _, kind, text in items:
            if kind == "line" and (_PAGE_NUMBER.match(text) or re.sub(r"\d+", "#", text.strip()) in furniture):
                continue
            kept.append((kind, text))
    return _join(kept)
