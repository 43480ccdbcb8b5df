"""DOCX to text with python-docx: paragraphs as lines, tables through the same span-expanded grid as HTML.

Merged cells are read from the XML: `w:gridSpan` is a colspan; `w:vMerge` "restart" opens a
rowspan that the following "continue" cells extend (those are not printed again).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from extractor.ingest.errors import ReadError
from extractor.ingest.grid import SourceCell, expand_spans

_W_P, _W_TBL, _W_TR, _W_TC, _W_T = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:t")


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(_W_T)).strip()


def _cell_spans(tc) -> tuple[int, str | None]:
    """(gridSpan, vMerge state: "restart", "continue" or None)."""
    tc_pr = tc.find(qn("w:tcPr"))
    if tc_pr is None:
        return 1, None
    span = tc_pr.find(qn("w:gridSpan"))
    merge = tc_pr.find(qn("w:vMerge"))
    colspan = int(span.get(qn("w:val"), "1")) if span is not None else 1
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
    source_rows: list[list[SourceCell]] = []
    for r, cells in enumerate(rows):
        out = []
        for col, colspan, state, text in cells:
            if state == "continue":
                continue
            rowspan = 1
            if state == "restart":
                for below in rows[r + 1:]:
                    if any(c == col and s == "continue" for c, _, s, _ in below):
                        rowspan += 1
                    else:
                        break
            out.append(SourceCell(text, rowspan, colspan))
        source_rows.append(out)
    return expand_spans(source_rows).render_rows()


def docx_to_text(path: Path) -> str:
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"unreadable DOCX: {type(exc).__name__}: {exc}"[:200]) from None
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
