"""HTML to text: paragraphs become lines, each table row one pipe-delimited line.

A cell is printed once, where it starts, so that a value cell with colspan=3 is one value and a
label with rowspan=20 one label; the spans bound the table's size (see grid.py).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from extractor.ingest.errors import LimitError, ReadError
from extractor.ingest.grid import SourceCell, render_table

if TYPE_CHECKING:
    import lxml.etree
from extractor.limits import MAX_HTML_DEPTH

_BLOCK = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
    "tr", "td", "th", "table", "tbody", "dd", "dt", "dl", "blockquote", "pre", "hr", "header",
    "footer", "form", "center", "title",
}
_SKIP = {"script", "style", "noscript", "head", "iframe", "svg", "object", "button", "select", "input"}
_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u3000]+")
_LEADING_DIGITS = re.compile(r"\s*(\d{1,9})")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_IMG = re.compile(r"<img\b", re.I)


@cache
def _etree():
    """lxml, imported for the first HTML file (a text-only run never loads it)."""
    import lxml.etree

    return lxml.etree


@cache
def _parser():
    return _etree().HTMLParser(remove_comments=True, remove_pis=True)


def _span(value: str) -> int:
    """A span attribute as browsers read it: leading digits, else 1 (grid.py caps it)."""
    if value.isascii() and value.isdigit() and len(value) <= 9:  # the common case, without a regex
        return max(1, int(value))
    m = _LEADING_DIGITS.match(value)
    return max(1, int(m.group(1))) if m else 1


def _cell_text(el: lxml.etree._Element) -> str:
    # <br/> and several <p> inside one cell are line breaks of one label ("本年新<br/>制作数量").
    text = el.text if len(el) == 0 else _etree().tostring(el, method="text", encoding=str, with_tail=False)
    if not text:
        return ""
    if text.isascii() and text.isdigit():  # a value cell: nothing to collapse
        return text
    return _WS.sub(" ", text).strip()


def table_lines(table: lxml.etree._Element) -> list[str]:
    rows: list[list[SourceCell]] = []
    for tr in table.iter("tr"):
        parent = tr.getparent()
        if parent is not table and parent.getparent() is not table:
            continue  # a row of a nested table
        row = []
        for td in tr.iterchildren("td", "th"):
            get = td.get
            rowspan, colspan = get("rowspan"), get("colspan")  # most cells have neither
            row.append(SourceCell(_cell_text(td), 1 if rowspan is None else _span(rowspan),
                                  1 if colspan is None else _span(colspan)))
        rows.append(row)
    return render_table(rows)


def _walk(el: lxml.etree._Element, out: list[str], pictures=None) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    if tag == "img" and pictures is not None:  # a table or a page published as a picture: OCR
        lines = pictures(el.get("src") or "")
        if lines:
            out.append("\n" + "\n".join(lines) + "\n")
    if tag is None or tag in _SKIP:  # comments, processing instructions, scripts
        if el.tail:
            out.append(_WS.sub(" ", el.tail))
        return
    is_data_table = tag == "table" and el.find(".//table") is None
    if is_data_table:
        out.append("\n")
        out.extend(line + "\n" for line in table_lines(el))
    else:
        if tag in _BLOCK:
            out.append("\n")
        if el.text:
            out.append(_WS.sub(" ", el.text))
        for child in el:
            _walk(child, out, pictures)
        if tag in _BLOCK:
            out.append("\n")
    if el.tail:
        out.append(_WS.sub(" ", el.tail))


def html_to_text(html: str, base=None, ocr=None) -> str:
    """The page's text; pictures (inline `data:` or files beside the page, under `base`) are read
    by OCR into the text when `ocr` (a list collecting the pages OCR read) is given."""
    html = _XML_DECL.sub("", html)
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
    body = root.find("body")
    pictures = None
    if ocr is not None and _IMG.search(html):
        from extractor.ocr.sources import html_picture_lines

        def pictures(src: str) -> list[str]:
            return html_picture_lines(src, base, ocr)
    _walk(body if body is not None else root, out, pictures)
    return "\n".join(filter(None, map(str.strip, "".join(out).split("\n"))))  # the non-empty lines, stripped


def html_title(html: str) -> str | None:
    m = re.search(r"<title[^>]*>(.*?)</title>", html[:20000], re.I | re.S)
    return _WS.sub(" ", m.group(1)).strip() if m else None
