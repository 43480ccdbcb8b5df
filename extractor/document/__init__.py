"""The document stage: files in, one typed document out.

Readers (HTML, DOCX, PDF, text, legacy encodings; pictures through `extractor.document.ocr`) turn a
report file into a `Document` of blocks with provenance; `split_sections` cuts its text into the
report's sections, `read_meta` finds its title and year; text normalisation and safe display of
untrusted text are here too.

Public API:
- reading: `read_document`, `document_from_text`, `scan_reports`, `find_reports`, `display_path`,
  `source_bytes`, `Scan`, `Skipped`, `SUPPORTED_SUFFIXES`, `OUTPUT_MARK`;
- the typed document: `Document`, `Block`, `Paragraph`, `Heading`, `Table`, `Cell`, `At`, `blocks`,
  `place_rows`, `row_line`, `at_json`, `at_tuple`;
- sections, title and year: `split_sections`, `read_meta`; the sections registry: `SECTIONS`,
  `SECTION_KEYS`, `TABLE_SECTIONS`, `TEXT_SECTIONS`, `FIVE`, `HALVES`, `PROBLEM`, `IMPROVEMENT`,
  `SectionSpec`, `Half`, `section`; sections as ranges of blocks: `section_ranges`, `SectionRange`;
- text tables: the tokens every text layout reduces to (`line_tokens`, `double_spaced`, `tokenize`,
  `absolute`, `VALUE_ITEM`, `BLANK_CELL`, `Token`, the template's
  `HeaderWords` a table is tokenized with), told the document's layout (`open_row_ends`,
  `closed_rows`, `with_tail`) and the one text-table detector (`detect`, `TextTable`, `Layout`);
- text: `clean_text`, `fold_chars`, `match_key`, `signal_key`; `terminal_text`, `spreadsheet_cell`,
  `show_controls`; page furniture never read as a value: `grid_furniture`;
- errors (defined in `extractor.errors`): `ReadError`, `LimitError`.
"""

from typing import TYPE_CHECKING

from extractor.document._document import (
    At,
    Cell,
    Document,
    at_json,
    at_tuple,
    blocks,
    place_rows,
    row_line,
)
from extractor.document._furniture import grid_furniture
from extractor.document._meta import read_meta
from extractor.document._normalize import clean_text, fold_chars, match_key, signal_key
from extractor.document._outline import (
    FIVE,
    HALVES,
    IMPROVEMENT,
    PROBLEM,
    SECTION_KEYS,
    SECTIONS,
    TABLE_SECTIONS,
    TEXT_SECTIONS,
    Half,
    SectionSpec,
    section,
)
from extractor.document._pipes import VALUE_ITEM, closed_rows, double_spaced, open_row_ends, with_tail
from extractor.document._read import (
    OUTPUT_MARK,
    SUPPORTED_SUFFIXES,
    Scan,
    Skipped,
    display_path,
    document_from_text,
    find_reports,
    read_document,
    scan_reports,
    source_bytes,
)
from extractor.document._safe_text import show_controls, spreadsheet_cell, terminal_text
from extractor.document._sections import split_sections
from extractor.document._tokens import BLANK_CELL, HeaderWords, Token, absolute, line_tokens, tokenize
from extractor.errors import LimitError, ReadError
from extractor.lazy import lazy_names as _lazy_names

__all__ = ["absolute", "At", "at_json", "at_tuple", "BLANK_CELL", "Block", "blocks", "Cell", "clean_text", "closed_rows",
           "detect", "display_path", "Document", "document_from_text", "double_spaced", "find_reports", "FIVE",
           "fold_chars", "grid_furniture", "Half", "HALVES", "HeaderWords", "Heading", "IMPROVEMENT", "Layout", "LimitError", "line_tokens",
           "match_key", "OUTPUT_MARK", "Paragraph", "open_row_ends", "place_rows", "PROBLEM", "read_document", "read_meta",
           "ReadError", "row_line", "Scan", "scan_reports", "section", "SECTION_KEYS", "section_ranges",
           "SectionRange", "SECTIONS", "SectionSpec", "show_controls", "signal_key", "Skipped", "source_bytes",
           "split_sections", "spreadsheet_cell", "SUPPORTED_SUFFIXES", "Table", "TABLE_SECTIONS", "terminal_text",
           "TEXT_SECTIONS", "TextTable", "Token", "tokenize", "VALUE_ITEM", "with_tail"]

if TYPE_CHECKING:
    from extractor.document._blocks import Block, Heading, Paragraph, Table
    from extractor.document._ranges import SectionRange, section_ranges
    from extractor.document._texttable import Layout, TextTable, detect

# Imported on first use (PEP 562): the text-table detector, the blocks and their ranges are not on `parse`'s path.
_LAZY = {
    "Block": "extractor.document._blocks",
    "Heading": "extractor.document._blocks",
    "Paragraph": "extractor.document._blocks",
    "Table": "extractor.document._blocks",
    "SectionRange": "extractor.document._ranges",
    "section_ranges": "extractor.document._ranges",
    "Layout": "extractor.document._texttable",
    "TextTable": "extractor.document._texttable",
    "detect": "extractor.document._texttable",
}

__getattr__ = _lazy_names(__name__, _LAZY)
