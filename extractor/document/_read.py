"""Reading: a file of any supported format to a Document (extractor.document): its plain text,
with tables as pipe rows, and the grid cells of the tables the reader saw with their offsets.

Public API: `read_document(path)`, `document_from_text(text, source)`, `Document`, `ReadError`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from extractor.document._document import Document, place_rows
from extractor.document._encoding import decode
from extractor.document._normalize import clean_text
from extractor.document._text import drop_chrome_lines, looks_like_html, split_crawler_header
from extractor.errors import LimitError, ReadError
from extractor.limits import MAX_OFFICE_FILE, MAX_TEXT_CHARS, MAX_TEXT_FILE, MB

if TYPE_CHECKING:
    from extractor.document._grid import GridRow
    from extractor.document.ocr._types import OcrPage

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".docx"}
# In a folder, a file without a suffix (LICENSE, Makefile) is not taken for a report. Old Word
# .doc files are listed too: `run` reads them through LibreOffice when it is installed, and every
# other path says why they were not read.
FOLDER_SUFFIXES = (SUPPORTED_SUFFIXES - {""}) | {".doc"}
# A run's output folder holds this lock file (batch/outdir.py): such a folder is never input.
OUTPUT_MARK = ".extractor.lock"
OUTPUT_NAMES = {"results.jsonl", "report.html", "fields.csv", "statements.csv", "comparisons.jsonl", "results.xlsx",
                "results.db", "metadata.json"}

__all__ = ["Document", "LimitError", "ReadError", "SUPPORTED_SUFFIXES", "display_path", "document_from_text",
           "find_reports", "read_document", "scan_reports", "Scan", "Skipped", "source_bytes"]


def document_from_text(text: str, source: str = "<text>", fmt: str | None = None,
                       grid: list[GridRow] | None = None, base: Path | None = None,
                       ocr: list[OcrPage] | None = None) -> Document:
    """Build a Document from already decoded text; HTML is recognised by its content. `grid`:
    the rows of the tables a PDF or DOCX reader wrote into `text`. `base`: the folder of an HTML
    file, where pictures it names are looked up for OCR; `ocr`: a list that collects the pages OCR
    read (extractor.document.ocr.OcrPage); None: pictures are not read."""
    title_hint = None
    grid = list(grid or ())
    lines: list[str] | None = None  # each grid row's line as the reader wrote it (HTML)
    if fmt == "html" or (fmt is None and looks_like_html(text)):
        from extractor.document._html import ascii_lowered, html_title, html_to_text  # lxml, the HTML reader

        low = ascii_lowered(text)  # what both prefilters look in
        title_hint = html_title(text, low)
        lines = [] if not grid else None
        text, fmt = html_to_text(text, grid, base, ocr, lines, low), "html"
    elif fmt not in ("pdf", "docx"):
        fmt = "text"
    if len(text) > MAX_TEXT_CHARS:
        raise LimitError(f"text longer than {MAX_TEXT_CHARS:,} characters ({len(text):,})")
    title_hint_crawler, text = split_crawler_header(text)
    text = drop_chrome_lines(clean_text(text))
    starts, cleaned = place_rows(text, grid, lines) if grid else ((), frozenset())
    if ocr:  # the tables OCR read join the grid: read cell by cell as the readers' own
        from extractor.document.ocr._rows import with_ocr_rows

        grid, starts, cleaned = with_ocr_rows(text, grid, starts, cleaned, ocr)
    return Document(source=source, format=fmt, text=text, title_hint=title_hint_crawler or title_hint,
                    grid=tuple(grid), row_starts=starts, cleaned=cleaned, ocr=tuple(ocr) if ocr else ())


class Skipped(NamedTuple):  # NamedTuples, not dataclasses: their classes cost ~1 ms of `parse`'s start-up
    """What a folder scan passed over, for the summary: a subfolder it could not list, or a
    symlink that leads out of the input folder (not followed unless asked)."""

    path: str  # display_path of it
    reason: str

    def line(self) -> str:
        return f"跳过 {self.path}：{self.reason}"


class Scan(NamedTuple):
    paths: list[Path]
    skipped: list[Skipped]


def scan_reports(folder: Path, exclude: Path | None = None, follow_symlinks: bool = False) -> Scan:
    """Report files below a folder, by suffix, sorted; nothing below `exclude` (a run's output
    folder inside its input) or below any folder a run wrote its outputs to (it holds the run's
    lock file), and, in the input folder itself when it is the output folder, not the outputs.
    Special files (FIFOs, sockets) and symlinks that point nowhere are kept: reading them gives
    their one-line error. Not kept, and said in `skipped`: subfolders that cannot be listed, and
    symlinks to files outside the folder (the system's password file or /proc/self/environ are no
    report), unless `follow_symlinks`. Symlinked folders are not entered (a loop would never end)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    skip = os.path.realpath(exclude) if exclude is not None else None
    root = os.path.realpath(folder)

    def unreadable(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else folder
        skipped.append(Skipped(display_path(where), f"无法读取的文件夹（{exc.strerror or exc}），其中的文件未处理"))

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not _is_output_folder(os.path.join(top, d), skip)]
        outputs_here = OUTPUT_MARK in files or (skip is not None and os.path.realpath(top) == skip)
        for name in files:
            if outputs_here and name in OUTPUT_NAMES:
                continue  # --out is the input folder itself: its report.html is not a report
            p = Path(top) / name
            if p.suffix.lower() not in FOLDER_SUFFIXES:
                continue
            if not follow_symlinks and os.path.islink(p):
                target = os.path.realpath(p)
                if os.path.commonpath([root, target]) != root:
                    skipped.append(Skipped(display_path(p), "符号链接指向输入文件夹之外，未跟随（--follow-symlinks 可跟随）"))
                    continue
            found.append(p)
    return Scan(sorted(found), skipped)


def find_reports(folder: Path, exclude: Path | None = None, follow_symlinks: bool = False) -> list[Path]:
    """scan_reports' files alone."""
    return scan_reports(folder, exclude, follow_symlinks).paths


def _is_output_folder(path: str, skip: str | None) -> bool:
    if skip is not None and os.path.realpath(path) == skip:
        return True
    return os.path.isfile(os.path.join(path, OUTPUT_MARK))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _read_regular_file(p: Path, suffix: str) -> bytes:
    """The file's bytes, after checking that it is a regular file (a FIFO would block the read)
    within the size limit for its kind. The path is shown (display_path) only in an error."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ReadError(f"no such file: {display_path(p)}") from None
    except OSError as exc:
        raise ReadError(f"cannot read {display_path(p)}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(f"skipped: {_kind(st.st_mode)}, not a report file")
    limit = MAX_OFFICE_FILE if suffix in (".pdf", ".docx") else MAX_TEXT_FILE
    if st.st_size > limit:
        raise LimitError(f"file too large: {st.st_size / MB:.1f} MB (limit {limit // MB} MB for "
                         f"{suffix or 'extension-less'} reports)")
    try:
        # os.open/os.read, not open(): a file object's buffer and its isatty() system call cost
        # more than reading a report's few kB (a tenth of a text report's parse)
        fd = os.open(p, os.O_RDONLY)
        try:
            # reading limit + 1 would allocate the whole limit first: ask for the file's size
            data = _read_up_to(fd, st.st_size + 1)
            if len(data) > st.st_size:  # it grew since the stat
                data += _read_up_to(fd, limit + 1 - len(data))
            return data
        finally:
            os.close(fd)
    except OSError as exc:
        raise ReadError(f"cannot read {display_path(p)}: {exc.strerror or exc}") from None


def _read_up_to(fd: int, n: int) -> bytes:
    """n bytes from fd, fewer only at its end (as a buffered file's read(n))."""
    data = os.read(fd, n)
    if len(data) < n and data:
        parts = [data]
        while n > (got := sum(map(len, parts))):
            more = os.read(fd, n - got)
            if not more:
                break
            parts.append(more)
        data = b"".join(parts)
    return data


_BYTES_MARK = "〔字节 {}〕"  # after the readable form of a name that is not UTF-8: its raw bytes in hex
_BYTES_MARKED = re.compile(r"〔字节 ([0-9a-f]+)〕$")


def display_path(p: str | Path) -> str:
    """A path as text that can always be written out and that no other path shares (it keys a
    file in every output). A UTF-8 name is itself. A name that is not (zip archives from Chinese
    Windows write GBK) is decoded as GB18030 when that reads it, else its undecodable bytes are
    shown as \\xNN, and `〔字节 <hex of the raw path>〕` follows: so GBK `报.txt` is not UTF-8
    `报.txt`, nor the byte FF `\\xff.txt` a file literally named so. A report found in a folder
    ends in its suffix (.txt …), a marked name in `〕`: the two never meet. `source_bytes` gives
    the raw path back; the file itself is opened by its real name."""
    raw = os.fsencode(p)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        shown = raw.decode("gb18030")
    except UnicodeDecodeError:
        shown = raw.decode("utf-8", errors="backslashreplace")
    return shown + _BYTES_MARK.format(raw.hex())


def source_bytes(source: str) -> bytes:
    """The raw path a `display_path` key stands for (its bytes round-trip whatever they are)."""
    m = _BYTES_MARKED.search(source)
    return bytes.fromhex(m.group(1)) if m else source.encode("utf-8", errors="surrogateescape")


def read_document(path: str | Path, source: str | None = None) -> Document:
    """Read one report file. Raise ReadError (one-line message) when it cannot be read."""
    p = path if isinstance(path, Path) else Path(path)  # Path(a Path) parses it again
    source = source if source is not None else str(path)
    suffix = p.suffix.lower()
    data = _read_regular_file(p, suffix)
    if suffix == ".doc":
        raise ReadError("old Word .doc files are not read: save the report as .docx or PDF")
    # pypdfium2 and python-docx are imported only when a PDF or DOCX comes; OCR only for a picture
    log: list[OcrPage] = []  # the pages OCR reads, if any
    if suffix == ".pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise ReadError(f"not a PDF file (named {p.name})")
        from extractor.document._pdf import pdf_to_text

        grid: list[GridRow] = []
        return document_from_text(pdf_to_text(data, p.name, grid, log), source, "pdf", grid, ocr=log)
    if suffix == ".docx":
        if not data.startswith(b"PK"):
            raise ReadError(f"not a DOCX file (named {p.name})")
        from extractor.document._docx import docx_to_text

        grid = []
        return document_from_text(docx_to_text(p, grid, log), source, "docx", grid, ocr=log)
    text, _encoding = decode(data)
    fmt = "html" if suffix in HTML_SUFFIXES or looks_like_html(text) else "text"
    # the folder, where an HTML page's pictures are: a Path made for HTML only (a tenth of reading a text report)
    return document_from_text(text, source, fmt, base=p.parent if fmt == "html" else None, ocr=log)
