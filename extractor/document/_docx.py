"""DOCX to text with python-docx: paragraphs as lines, tables rendered as HTML's are (grid.py).

Merged cells are read from the XML: `w:gridSpan` is a colspan; `w:vMerge` "restart" opens a
rowspan that the following "continue" cells extend (those are not printed again).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.oxml.ns import qn
from lxml import etree

from extractor.document._grid import GridRow, SourceCell, grid_rows, render_table
from extractor.errors import LimitError, ReadError
from extractor.limits import MAX_DOCX_EXPANDED, MAX_ROWSPAN, MB

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from extractor.document.ocr._types import OcrPage

__all__ = ["docx_to_text"]

_W_P, _W_TBL, _W_TR, _W_TC, _W_T = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:t")
_XML_ERR_NO_MEMORY = 2  # libxml2's error code
_W_BR, _W_TYPE, _W_RENDERED_BREAK = qn("w:br"), qn("w:type"), qn("w:lastRenderedPageBreak")
_W_BREAK_BEFORE = qn("w:pageBreakBefore")


def _page_breaks(element: etree._Element) -> int:
    """Page breaks inside a block, as the file records them: where Word last laid the pages out
    (w:lastRenderedPageBreak), else the typed breaks (page break, page break before)."""
    rendered = sum(1 for _ in element.iter(_W_RENDERED_BREAK))
    if rendered:
        return rendered
    typed = sum(1 for br in element.iter(_W_BR) if br.get(_W_TYPE) == "page")
    return typed + sum(1 for _ in element.iter(_W_BREAK_BEFORE))
_A_BLIP, _R_EMBED = qn("a:blip"), qn("r:embed")


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(_W_T)).strip()


def _int(value: str | None) -> int:
    """An attribute that should be a count; anything else (gridSpan="abc") is read as 1."""
    try:
        return int(value) if value is not None and len(value) < 10 else 1
    except ValueError:
        return 1


def _cell_spans(tc: etree._Element) -> tuple[int, str | None]:
    """(gridSpan, vMerge state: "restart", "continue" or None)."""
    tc_pr = tc.find(qn("w:tcPr"))
    if tc_pr is None:
        return 1, None
    span = tc_pr.find(qn("w:gridSpan"))
    merge = tc_pr.find(qn("w:vMerge"))
    colspan = _int(span.get(qn("w:val"))) if span is not None else 1
    state = None if merge is None else (merge.get(qn("w:val")) or "continue")
    return max(1, colspan), state


def table_lines(tbl: etree._Element) -> list[str]:
    return render_table(table_cells(tbl))


def table_cells(tbl: etree._Element, page: int | None = None, pages: list[int] | None = None) -> list[list[SourceCell]]:
    """A table's rows of cells as written (each merged cell once, with its spans); each row's
    page appended to `pages` when given, counted on from `page`."""
    # First pass: each row's cells with their grid column and merge state.
    rows = []
    for tr in tbl.findall(_W_TR):
        if pages is not None and page is not None:
            breaks = _page_breaks(tr)
            pages.append(page + min(breaks, 1))
            page += breaks
        col, cells = 0, []
        for tc in tr.findall(_W_TC):
            colspan, state = _cell_spans(tc)
            cells.append((col, colspan, state, _text(tc)))
            col += colspan
        rows.append(cells)
    # Second pass: a "restart" cell spans down over the "continue" cells below it.
    continued = [{c for c, _, s, _ in cells if s == "continue"} for cells in rows]
    source_rows: list[list[SourceCell]] = []
    for r, cells in enumerate(rows):
        out = []
        for col, colspan, state, text in cells:
            if state == "continue":
                continue
            rowspan = 1
            if state == "restart":
                while r + rowspan < len(rows) and rowspan < MAX_ROWSPAN and col in continued[r + rowspan]:
                    rowspan += 1
            out.append(SourceCell(text, rowspan, colspan))
        source_rows.append(out)
    return source_rows


def _check_expansion(path: Path) -> None:
    """A DOCX is a zip: refuse one whose parts expand past the limit before anything inflates them."""
    try:
        with zipfile.ZipFile(path) as z:
            expanded = sum(i.file_size for i in z.infolist() if i.filename.endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(f"unreadable DOCX (broken zip): {exc}"[:200]) from None
    if expanded > MAX_DOCX_EXPANDED:
        raise LimitError(f"DOCX expands past {MAX_DOCX_EXPANDED // MB} MB ({expanded / MB:,.0f} MB of XML)")


def _out_of_memory(exc: Exception) -> bool:
    """libxml2 out of memory (under a worker's limit) surfaces as an XMLSyntaxError with no
    message of its own ("unknown error") or XML_ERR_NO_MEMORY: the cause is memory, not syntax."""
    if not isinstance(exc, etree.XMLSyntaxError):
        return False
    code = exc.code  # type: ignore[attr-defined]  # lxml has it; lxml-stubs leave it out
    return code == _XML_ERR_NO_MEMORY or "unknown error" in str(exc) or "Memory allocation failed" in str(exc)


def _pictures(block: etree._Element, document: DocxDocument, ocr: list[OcrPage]) -> list[str]:
    """The lines OCR reads from the pictures of one paragraph (a table pasted as an image)."""
    from extractor.document.ocr._sources import picture_lines

    lines: list[str] = []
    for blip in block.iter(_A_BLIP):
        part = document.part.related_parts.get(blip.get(_R_EMBED))
        blob = getattr(part, "blob", None)
        if blob:
            lines.extend(picture_lines(blob, ocr))
    return lines


def docx_to_text(path: Path, grid: list[GridRow] | None = None, ocr: list[OcrPage] | None = None) -> str:
    """The text; each table row rendered as a pipe line, and given as a GridRow to `grid`;
    pictures are read by OCR when `ocr` (a list collecting the pages OCR read) is given."""
    _check_expansion(path)
    try:
        document = docx.Document(str(path))
    except MemoryError:
        raise  # not a broken file: parse_file says the worker ran out of memory
    except Exception as exc:  # python-docx lets many kinds through: BadZipFile, KeyError, XMLSyntaxError …
        if _out_of_memory(exc):
            raise LimitError("ran out of memory reading the DOCX (读取 DOCX 时内存不足): its XML holds more "
                             "elements than the memory limit allows") from None
        raise ReadError(f"unreadable DOCX: {type(exc).__name__}: {exc}"[:200]) from None
    entity = next(document.element.iter(etree.Entity), None)
    if entity is not None:
        # python-docx does not resolve entities (an external one could read any file): the text
        # after one would be lost without a word
        raise ReadError(f"DOCX has an unresolved XML entity {entity.text[:40]} (DOCX 含未解析的 XML 实体): "
                        "the text after it cannot be read")
    lines: list[str] = []
    page, tables = 1, 0
    for block in document.element.body.iterchildren():
        if block.tag == _W_P:
            text = _text(block)
            if text:
                lines.append(text)
            if grid is not None:
                page += _page_breaks(block)
            if ocr is not None and next(block.iter(_A_BLIP), None) is not None:
                lines.extend(_pictures(block, document, ocr))
        elif block.tag == _W_TBL:
            pages: list[int] = []
            cells = table_cells(block, page, pages)
            cols: list[tuple[int, ...]] = []
            lines.extend(render_table(cells, cols))
            if grid is not None:
                grid.extend(grid_rows(cells, tables, cols, pages))
                page = pages[-1] if pages else page
            tables += 1
    if not lines:
        raise ReadError(f"no text in {path.name}")
    return "\n".join(lines)
