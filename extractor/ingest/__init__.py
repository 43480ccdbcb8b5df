"""Reading: a file of any supported format to a Document (text with tables as pipe rows).

Public API: `read_document(path)`, `document_from_text(text, source)`, `Document`, `ReadError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractor.ingest.encoding import decode
from extractor.ingest.errors import ReadError
from extractor.ingest.html import html_title, html_to_text, looks_like_html
from extractor.ingest.text import drop_chrome_lines, split_crawler_header
from extractor.normalize import clean_text

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}

__all__ = ["Document", "ReadError", "read_document", "document_from_text", "SUPPORTED_SUFFIXES"]


@dataclass(frozen=True)
class Document:
    """A report as text. Table rows that were real tables are lines `| a | b |`."""

    source: str
    format: str  # "html" | "text" | "pdf" | "docx"
    text: str
    title_hint: str | None = None  # a title given outside the body (crawler header, <title>)


def document_from_text(text: str, source: str = "<text>", fmt: str | None = None) -> Document:
    """Build a Document from already decoded text; HTML is recognised by its content."""
    title_hint = None
    if fmt == "html" or (fmt is None and looks_like_html(text)):
        title_hint = html_title(text)
        text, fmt = html_to_text(text), "html"
    elif fmt not in ("pdf", "docx"):
        fmt = "text"
    title_hint_crawler, text = split_crawler_header(text)
    text = drop_chrome_lines(clean_text(text))
    return Document(source=source, format=fmt, text=text, title_hint=title_hint_crawler or title_hint)


def read_document(path: str | Path, source: str | None = None) -> Document:
    """Read one report file. Raise ReadError (one-line message) when it cannot be read."""
    p = Path(path)
    source = source if source is not None else str(path)
    if not p.exists():
        raise ReadError(f"no such file: {path}")
    if p.is_dir():
        raise ReadError(f"is a directory: {path}")
    suffix = p.suffix.lower()
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {path}: {exc.strerror or exc}") from None
    if suffix == ".doc":
        raise ReadError("old Word .doc files are not read: save the report as .docx or PDF")
    # pdfplumber and python-docx are imported only when a PDF or DOCX comes (0.2 s per process)
    if suffix == ".pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise ReadError(f"not a PDF file (named {p.name})")
        from extractor.ingest.pdf import pdf_to_text

        return document_from_text(pdf_to_text(p), source, "pdf")
    if suffix == ".docx":
        if not data.startswith(b"PK"):
            raise ReadError(f"not a DOCX file (named {p.name})")
        from extractor.ingest.docx import docx_to_text

        return document_from_text(docx_to_text(p), source, "docx")
    text, _encoding = decode(data)
    fmt = "html" if suffix in HTML_SUFFIXES else None
    return document_from_text(text, source, fmt)
