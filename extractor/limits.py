"""Every limit on what one input may cost, in one place (README: "Limits").

An annual report is a few hundred kB of text with three small tables; these limits are tens of
times above the largest real report, and each one that is hit gives the file a one-line
`ok: false` error naming it (`LimitError`), never a hang or the machine's memory.
"""

from __future__ import annotations

__all__ = ["DOC_CONVERT_SECONDS", "FILE_SECONDS", "MAX_COLSPAN", "MAX_DOCX_EXPANDED", "MAX_HTML_DEPTH",
           "MAX_OFFICE_FILE", "MAX_PDF_PAGES", "MAX_PDF_STREAM", "MAX_PDF_TEXT_OPS", "MAX_ROWSPAN", "MAX_TABLE_CELLS",
           "MAX_TEXT_CHARS", "MAX_TEXT_FILE", "MB", "WORKER_MEMORY"]

MB = 1024 * 1024

# On disk, before reading.
MAX_TEXT_FILE = 10 * MB  # .txt, .md, .html
MAX_OFFICE_FILE = 100 * MB  # .pdf, .docx (they may carry images)

# What a file expands to.
MAX_DOCX_EXPANDED = 200 * MB  # the XML parts read (document.xml, styles …), uncompressed
MAX_PDF_PAGES = 500
MAX_PDF_STREAM = 100 * MB  # one Flate stream, inflated (a scanned page as a bitmap is ~25 MB)
# Text-showing operators (Tj, TJ) in the whole file: a report has a few thousand (400,000 took 12 s), and
# PDFium makes a ~1 kB object of each
MAX_PDF_TEXT_OPS = 200_000  # the corpus: at most 2,888 in a report
MAX_TEXT_CHARS = 5_000_000  # the report's text after reading any format
MAX_TABLE_CELLS = 200_000  # cells of one HTML or DOCX table after spans are expanded
# Spans are capped a few times above the template's geometry: table 三 is 10 columns wide
# (3 label columns, 7 value columns) and 28 rows high.
MAX_COLSPAN = 64
MAX_ROWSPAN = 256
MAX_HTML_DEPTH = 255  # libxml2 stops building the tree below this depth; we say so instead

# Per file, in `extractor run`'s worker processes.
FILE_SECONDS = 60.0  # a report parses in milliseconds; this is a hostile or broken file
WORKER_MEMORY = 1024 * MB  # address space a worker may take beyond what it holds at start (RLIMIT_AS)
DOC_CONVERT_SECONDS = 45.0  # LibreOffice converting one old .doc (a few seconds; it starts a whole office suite)

# Images read by OCR (scanned pages, tables published as pictures): checked from the header,
# before decoding. A4 at 300 dpi is 8.7 million pixels.
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 20_000
MAX_OCR_IMAGES = 50  # pictures read by OCR in one HTML or DOCX report
