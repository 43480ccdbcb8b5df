"""Reading: a file of any supported format to a Document (text with tables as pipe rows).

Public API: `read_document(path)`, `document_from_text(text, source)`, `Document`, `ReadError`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from extractor.ingest.encoding import decode
from extractor.ingest.errors import LimitError, ReadError
from extractor.ingest.text import drop_chrome_lines, looks_like_html, split_crawler_header
from extractor.limits import MAX_OFFICE_FILE, MAX_TEXT_CHARS, MAX_TEXT_FILE, MB
from extractor.normalize import clean_text

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}
# In a folder, a file without a suffix (LICENSE, Makefile) is not taken for a report.
FOLDER_SUFFIXES = SUPPORTED_SUFFIXES - {""}

__all__ = ["Document", "LimitError", "ReadError", "SUPPORTED_SUFFIXES", "display_path", "document_from_text",
           "find_reports", "read_document"]


@dataclass(frozen=True)
class Document:
    """A report as text. Table rows that were real tables are lines `| a | b |`."""

    source: str
    format: str  # "html" | "text" | "pdf" | "docx"
    text: str
    title_hint: str | None = None  # a title given outside the body (crawler header, <title>)
    ocr: tuple = ()  # the pages OCR read (extractor.ocr.OcrPage): scanned pages, pictures of tables


def document_from_text(text: str, source: str = "<text>", fmt: str | None = None, base: Path | None = None,
                       ocr=None) -> Document:
    """Build a Document from already decoded text; HTML is recognised by its content. `base`: the
    folder of an HTML file, where pictures it names are looked up for OCR; `ocr`: a list that
    collects the pages OCR read (extractor.ocr.OcrPage); None: pictures are not read."""
    title_hint = None
    if fmt == "html" or (fmt is None and looks_like_html(text)):
        from extractor.ingest.html import html_title, html_to_text  # lxml and the HTML reader: for HTML only

        title_hint = html_title(text)
        text, fmt = html_to_text(text, base, ocr), "html"
    elif fmt not in ("pdf", "docx"):
        fmt = "text"
    if len(text) > MAX_TEXT_CHARS:
        raise LimitError(f"text longer than {MAX_TEXT_CHARS:,} characters ({len(text):,})")
    title_hint_crawler, text = split_crawler_header(text)
    text = drop_chrome_lines(clean_text(text))
    return Document(source=source, format=fmt, text=text, title_hint=title_hint_crawler or title_hint,
                    ocr=tuple(ocr) if ocr else ())


def find_reports(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Report files below a folder, by suffix, sorted; nothing below `exclude` (a run's output
    folder inside its input). Special files (FIFOs, sockets) and symlinks that point nowhere are
    kept: reading them gives their one-line error."""
    found = []
    skip = os.path.realpath(exclude) if exclude is not None else None
    for root, dirs, files in os.walk(folder):
        if skip is not None:
            dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(root, d)) != skip]
        for name in files:
            p = Path(root) / name
            if p.suffix.lower() in FOLDER_SUFFIXES:
                found.append(p)
    return sorted(found)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _read_regular_file(p: Path, suffix: str) -> bytes:
    """The file's bytes, after checking that it is a regular file (a FIFO would block the read)
    within the size limit for its kind."""
    shown = display_path(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ReadError(f"no such file: {shown}") from None
    except OSError as exc:
        raise ReadError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(f"skipped: {_kind(st.st_mode)}, not a report file")
    limit = MAX_OFFICE_FILE if suffix in (".pdf", ".docx") else MAX_TEXT_FILE
    if st.st_size > limit:
        raise LimitError(f"file too large: {st.st_size / MB:.1f} MB (limit {limit // MB} MB for "
                         f"{suffix or 'extension-less'} reports)")
    try:
        with open(p, "rb") as f:
            # read(limit + 1) would allocate the whole limit first: ask for the file's size
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:  # it grew since the stat
                data += f.read(limit + 1 - len(data))
            return data
    except OSError as exc:
        raise ReadError(f"cannot read {shown}: {exc.strerror or exc}") from None


def display_path(p: str | Path) -> str:
    """A path as text that can always be written out: names that are not valid UTF-8 (zip
    archives from Chinese Windows write GBK) are decoded as GB18030 when that reads them, else
    their undecodable bytes are shown as \\xNN. The file itself is opened by its real name."""
    raw = os.fsencode(p)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def read_document(path: str | Path, source: str | None = None) -> Document:
    """Read one report file. Raise ReadError (one-line message) when it cannot be read."""
    p = Path(path)
    source = source if source is not None else str(path)
    suffix = p.suffix.lower()
    data = _read_regular_file(p, suffix)
    if suffix == ".doc":
        raise ReadError("old Word .doc files are not read: save the report as .docx or PDF")
    # pypdfium2 and python-docx are imported only when a PDF or DOCX comes; OCR only for a picture
    log: list = []  # the pages OCR reads (extractor.ocr.OcrPage), if any
    if suffix == ".pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise ReadError(f"not a PDF file (named {p.name})")
        from extractor.ingest.pdf import pdf_to_text

        return document_from_text(pdf_to_text(data, p.name, log), source, "pdf", ocr=log)
    if suffix == ".docx":
        if not data.startswith(b"PK"):
            raise ReadError(f"not a DOCX file (named {p.name})")
        from extractor.ingest.docx import docx_to_text

        return document_from_text(docx_to_text(p, log), source, "docx", ocr=log)
    text, _encoding = decode(data)
    fmt = "html" if suffix in HTML_SUFFIXES else None
    return document_from_text(text, source, fmt, base=p.parent, ocr=log)
