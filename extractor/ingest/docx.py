"""DOCX to text with python-docx: paragraphs as lines, tables rendered as HTML's are (grid.py).

Merged cells are read from the XML: `w:gridSpan` is a colspan; `w:vMerge` "restart" opens a
rowspan that the following "continue" cells extend (those are not printed again).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from extractor.ingest.errors import LimitError, ReadError
from extractor.ingest.grid import SourceCell, render_table
from extractor.limits import MAX_DOCX_EXPANDED, MAX_ROWSPAN, MB

_W_P, _W_TBL, _W_TR, _W_TC, _W_T = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:t")
_XML_ERR_NO_MEMORY = 2  # libxml2's error code


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(_W_T)).strip()


def _int(value: str | None) -> int:
    """An attribute that should be a count; anything else (gridSpan="abc") is read as 1."""
    try:
        return int(value) if value is not None and len(value) < 10 else 1
    except ValueError:
        return 1


def _cell_spans(tc) -> tuple[int, str | None]:
    """(gridSpan, vMerge state: "restart", "continue" or None)."""
    tc_pr = tc.find(qn("w:tcPr"))
    if tc_pr is None:
        return 1, None
    span = tc_pr.find(qn("w:gridSpan"))
    merge = tc_pr.find(qn("w:vMerge"))
    colspan = _int(span.get(qn("w:val"))) if span is not None else 1
    state = None if merge is None else (merge.get(qn("w:val")) or "continue")
    return max(1, colspan), state


def table_lines(tbl) -> list[str]:
    # First pass: each row's cells with their grid column and merge state.
    rows = []
    for tr in tbl.findall(_W_TR):
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
    return render_table(source_rows)


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
    return exc.code == _XML_ERR_NO_MEMORY or "unknown error" in str(exc) or "Memory allocation failed" in str(exc)


def docx_to_text(path: Path) -> str:
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
    for block in document.element.body.iterchildren():
        if block.tag == _W_P:
            text = _text(block)
            if text:
                lines.append(text)
        elif block.tag == _W_TBL:
            lines.extend(table_lines(block))
    if not lines:
        raise ReadError(f"no text in {path.name}")
    return "\n".join(lines)
