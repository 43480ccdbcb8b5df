"""HTML to text: paragraphs become lines, each table row one pipe-delimited line.

A cell is printed once, where it starts, so that a value cell with colspan=3 is one value and a
label with rowspan=20 one label; the spans bound the table's size (see grid.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from extractor.document._grid import GridRow, SourceCell, grid_rows, grid_size, render_table
from extractor.errors import LimitError, ReadError

if TYPE_CHECKING:
    import lxml.etree

    from extractor.document.ocr._types import OcrPage
from extractor.limits import MAX_HTML_DEPTH

__all__ = ["ascii_lowered", "html_title", "html_to_text"]

_BLOCK = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
    "tr", "td", "th", "table", "tbody", "dd", "dt", "dl", "blockquote", "pre", "hr", "header",
    "footer", "form", "center", "title",
}
# Not shown by a browser, so not report text: a <template>'s or <textarea>'s content, and any
# element with the `hidden` attribute or an inline display:none / visibility:hidden.
_SKIP = {"script", "style", "noscript", "head", "iframe", "svg", "object", "button", "select", "input",
         "template", "textarea"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def ascii_lowered(html: str) -> bytes:
    """The page's ASCII characters lowered, any other one a `?` (as its UTF-8 bytes it would never
    be part of a word here): what the prefilters look in, made once a page. ASCII-lowered bytes: a
    regex with re.I costs 10x more; `?` for a third of the bytes of UTF-8 to lower on a Chinese page."""
    return html.encode("ascii", "replace").lower()


def _may_hide(html: str, low: bytes | None = None, start: int = 0) -> bool:
    """False for a page that hides nothing (no `hidden`, no `none`, in any case, from `start` on):
    its elements' attributes are then not looked at. `low`: ascii_lowered(html), where made."""
    if low is None:
        low = ascii_lowered(html)
    return low.find(b"hidden", start) >= 0 or low.find(b"none", start) >= 0
_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u3000]+")
_LEADING_DIGITS = re.compile(r"\s*(\d{1,9})")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_IMG = re.compile(r"<img\b", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


@cache
def _etree() -> ModuleType:
    """lxml, imported for the first HTML file (a text-only run never loads it)."""
    import lxml.etree

    return lxml.etree


@cache
def _parser() -> lxml.etree.HTMLParser:
    parser: lxml.etree.HTMLParser = _etree().HTMLParser(remove_comments=True, remove_pis=True)
    return parser


def _span(value: str) -> int:
    """A span attribute as browsers read it: leading digits, else 1 (grid.py caps it)."""
    if value.isascii() and value.isdigit() and len(value) <= 9:  # the common case, without a regex
        return max(1, int(value))
    m = _LEADING_DIGITS.match(value)
    return max(1, int(m.group(1))) if m else 1


def _hidden(el: lxml.etree._Element) -> bool:
    get = el.get
    if get("hidden") is not None:
        return True
    style = get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


def _cell_text(el: lxml.etree._Element, text: str | None, children: int) -> str:
    """The text of a cell with `children` (> 0) element children, whose own `.text` is `text`
    (both read already: each lxml access costs as much as a dozen lines of Python)."""
    # <br/> and several <p> inside one cell are line breaks of one label ("本年新<br/>制作数量").
    if children == 1 and len(child := el[0]) == 0 and child.tag.__class__ is str:
        # one element child holding only text (`<td><p>12</p></td>`): its text nodes, as tostring's
        text = (text or "") + (child.text or "") + (child.tail or "")
    else:
        text = _etree().tostring(el, method="text", encoding=str, with_tail=False)
    if not text:
        return ""
    if text.isascii() and text.isdigit() or text.split() == [text]:  # nothing to collapse (_WS's are all str.split's)
        return text
    return _WS.sub(" ", text).strip()


_new_tuple = tuple.__new__
_TEXT = itemgetter(0)  # SourceCell.text


def table_lines(table: lxml.etree._Element, hides: bool = True) -> list[str]:
    return render_table(table_cells(table, hides))


@cache
def _own_rows() -> Callable[[lxml.etree._Element], list[lxml.etree._Element]]:
    """A table's own rows (not a nested table's), in document order: one XPath call."""
    rows: Callable[[lxml.etree._Element], list[lxml.etree._Element]] = _etree().XPath("tr|*/tr")
    return rows


def table_cells(table: lxml.etree._Element, hides: bool = True, spanned: list[int] | None = None
                ) -> list[list[SourceCell]]:
    """A table's rows of cells as drawn (each cell once, with its spans; hidden rows and cells left out).
    `spanned` gets the rows holding a cell with a span (grid.grid_size counts the others at once)."""
    if hides:
        trs = []
        for tr in _own_rows()(table):
            parent = tr.getparent()
            if not _hidden(tr) and (parent is table or parent is None or not _hidden(parent)):
                trs.append(tr)
    else:
        trs = _own_rows()(table)
    rows: list[list[SourceCell]] = []
    sub, new, span = _WS.sub, _new_tuple, _span
    plain: dict[str, SourceCell] = {}  # a cell without spans, by its text: a table prints 0 a hundred times
    parsed: dict[str | None, SourceCell] = {}  # the same, by its text as parsed (before its clean-up)
    for tr in trs:
        row: list[SourceCell] = []
        append = row.append
        for td in tr:  # its children (iterchildren("td", "th") costs twice this loop's tag test)
            tag = td.tag
            if tag != "td" and tag != "th":
                continue
            if hides and _hidden(td):
                continue  # not drawn: the row as a reader sees it
            text = td.text
            children = len(td)
            names = td.keys()  # its attributes' names (a get() of one that is absent costs as much)
            if not names:
                if not children:  # most cells: text alone, no attribute, no span
                    cell = parsed.get(text)  # its clean form made once a table
                    if cell is None:
                        clean = "" if text is None else text if text.isascii() and text.isdigit() or \
                            text.split() == [text] else sub(" ", text).strip()  # _WS's are all str.split's
                        cell = parsed[text] = new(SourceCell, (clean, 1, 1))
                    append(cell)
                    continue
                text = _cell_text(td, text, children)
                rowspan = colspan = None
            else:
                if children:
                    text = _cell_text(td, text, children)
                elif text is None:
                    text = ""
                elif not (text.isascii() and text.isdigit()) and text.split() != [text]:
                    text = sub(" ", text).strip()  # a space to collapse (_WS's are all str.split's): _cell_text inline
                rowspan = td.get("rowspan") if "rowspan" in names else None
                colspan = td.get("colspan") if "colspan" in names else None
            if rowspan is None and colspan is None:
                cell = plain.get(text)
                if cell is None:
                    cell = plain[text] = new(SourceCell, (text, 1, 1))
                append(cell)
                continue
            rows_down = 1 if rowspan is None else span(rowspan)
            cols_across = 1 if colspan is None else span(colspan)
            if spanned is not None and (rows_down != 1 or cols_across != 1):
                spanned.append(len(rows))
            # tuple.__new__: SourceCell(...) is a Python-level __new__ around it
            append(new(SourceCell, (text, rows_down, cols_across)))
        rows.append(row)
    return rows


_SHORT: dict[str, str] = {}  # a short text (the white space between tags, mostly) -> _collapsed of it: they recur
_SHORT_MAX = 4_096


def _collapsed(text: str) -> str:
    """Runs of white space as one space (_WS's are all str.split's: a text it does not split has none)."""
    done = _SHORT.get(text)
    if done is not None:
        return done
    done = text if text.split() == [text] else _WS.sub(" ", text)
    if len(text) <= 32:
        if len(_SHORT) >= _SHORT_MAX:
            _SHORT.clear()
        _SHORT[text] = done
    return done


def _walk(el: lxml.etree._Element, out: list[str], hides: bool,
          tables: list[tuple[list[list[SourceCell]], list[tuple[int, ...]], list[str]]],
          pictures: Callable[[str], list[str]] | None = None) -> None:
    tag: str | None = el.tag  # a function for a comment or processing instruction
    if tag.__class__ is not str:
        tag = None
    elif tag == "img" and pictures is not None:  # a table or a page published as a picture: OCR
        lines = pictures(el.get("src") or "")
        if lines:
            out.append("\n" + "\n".join(lines) + "\n")
    if tag is None or tag in _SKIP or (hides and _hidden(el)):  # comments, processing instructions, scripts, hidden
        tail = el.tail
        if tail:
            out.append(_collapsed(tail))
        return
    if tag == "table" and next(el.iterdescendants("table"), None) is None:  # a data table
        out.append("\n")
        spanned: list[int] = []
        cells = table_cells(el, hides, spanned)
        cols: list[tuple[int, ...]] = []
        grid_size(cells, cols, set(spanned))  # render_table's lines, each with its line break
        lines = ["| " + " | ".join(map(_TEXT, row)) + " |" for row in cells]  # row_line of each row, inline
        tables.append((cells, cols, lines))
        out.append("\n".join(lines))
        out.append("\n")
    else:
        block = tag in _BLOCK
        if block:
            out.append("\n")
        text = el.text
        if text:
            out.append(_collapsed(text))
        for child in el:
            _walk(child, out, hides, tables, pictures)
        if block:
            out.append("\n")
    tail = el.tail
    if tail:
        out.append(_collapsed(tail))


def html_to_text(html: str, grid: list[GridRow] | None = None, base: Path | None = None,
                 ocr: list[OcrPage] | None = None, rows: list[str] | None = None, low: bytes | None = None) -> str:
    """The text; each table row rendered as a pipe line (`rows` gets them, one for each GridRow),
    and given as a GridRow to `grid`.
    Pictures (inline `data:` or files beside the page, under `base`) are read by OCR into the
    text when `ocr` (a list collecting the pages OCR read) is given. `low`: ascii_lowered(html),
    where the caller made it already."""
    decl = _XML_DECL.match(html)  # anchored at the start: sub() would try every position of the page
    start = 0
    if decl is not None:
        start = decl.end()
        html = html[start:]
    try:
        # lxml.etree's parser, not lxml.html's: no per-element Python class lookup.
        root = _etree().fromstring(html, _parser())
    except (_etree().ParserError, _etree().XMLSyntaxError, ValueError) as exc:
        raise ReadError(f"unreadable HTML: {exc}") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _parser().error_log):
        # libxml2 drops everything below its depth limit without failing: say so
        raise LimitError(f"HTML nested deeper than {MAX_HTML_DEPTH} levels: its text cannot be read")
    if root is None:
        raise ReadError("unreadable HTML: no elements")
    out: list[str] = []
    tables: list[tuple[list[list[SourceCell]], list[tuple[int, ...]], list[str]]] = []
    body = root.find("body")
    pictures: Callable[[str], list[str]] | None = None
    if ocr is not None:
        found: list[bool] = []  # whether the page names a picture: looked for at its first <img>, not before

        def pictures(src: str) -> list[str]:
            if not found:
                found.append(_IMG.search(html) is not None)
            if not found[0]:
                return []
            from extractor.document.ocr._sources import html_picture_lines

            return html_picture_lines(src, base, ocr)
    hides = _may_hide(html) if low is None else _may_hide(html, low, start)  # (in the page past its XML declaration)
    _walk(body if body is not None else root, out, hides, tables, pictures)
    if grid is not None:
        for i, (cells, cols, lines) in enumerate(tables):
            grid.extend(grid_rows(cells, i, cols))
            if rows is not None:
                rows += lines
    return "\n".join(filter(None, map(str.strip, "".join(out).split("\n"))))  # the non-empty lines, stripped


def html_title(html: str, low: bytes | None = None) -> str | None:
    """The page's <title>, in its first 20,000 characters. `low`: ascii_lowered(html), where made:
    a page without `<title` in it (İ and ı, which re.I takes for i, are `?` there) has none."""
    if low is not None and low.find(b"<title", 0, 20000) < 0 and low.find(b"<t?tle", 0, 20000) < 0:
        return None
    m = _TITLE.search(html, 0, 20000)  # the first 20,000 characters, not a copy of them
    return _WS.sub(" ", m.group(1)).strip() if m else None
