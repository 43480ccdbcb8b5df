"""How a document prints its text tables, told once for the whole document: whether its pipe
rows end with no pipe after their last filled cell (`open_row_ends`), whether its cells are one
per line with a blank line after each (`double_spaced`), and a table section's text with the
line breaks the section split stripped from its end (`with_tail`).

Both are the document's, not a section's: one converter wrote every table of a document the
same way, so a section whose rows all happen to end with an empty cell (`规章 | 1 |  | `, every
trailing pipe then closing a cell) reads by the rows of the others; and the blank lines after a
one-cell-per-line table's last cell are its empty cells, which the section's stripped text lost.

Public API: `Borders`, `has_borders`, `open_row_ends`, `with_tail`, `double_spaced`, `VALUE_ITEM`
(a printed value on its own).
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.lazy import lazy_pattern

__all__ = ["VALUE_ITEM", "Borders", "closed_rows", "double_spaced", "has_borders", "open_row_ends", "with_tail"]

Borders = tuple[bool, bool]  # a border pipe at the start, at the end of a pipe row

# A printed value on its own: a number (signed, with thousands separators, decimals, unit),
# 减N / 增N, or a dash or slash alone.
VALUE_ITEM = re.compile(
    r"^(?:[减增+\-−－]?\s?\d[\d,，]*(?:\.\d+)?\s?(?:万元|元|笔|件|个|项|条)?|[-—－–―]{1,2}|[/／])$"
)
_NEWLINES = re.compile(r"\n+")


def has_borders(lines: list[str]) -> Borders:
    """Whether the pipe rows among `lines` have a border pipe at their start and at their end
    (`| a | b |`, as markdown and the readers write them; `a | b |`; or `a | b`, as PDF-to-text
    converters write them): where they have none, a row that starts or ends with a pipe starts or
    ends with an empty cell, and none of its cells is dropped."""
    rows = leading = trailing = 0
    for raw in lines:
        if raw.count("|") >= 2:
            line = raw.strip()
            rows += 1
            leading += line.startswith("|")
            trailing += line.endswith("|")
    # A trailing pipe without a leading one is no border where rows end in a varying count of
    # empty cells (a borderless table: `规范性文件 | 2 | 2 | ` ends with its empty last cell).
    return leading * 2 >= rows, trailing * 2 >= rows and (leading * 2 >= rows or trailing == rows)


# A pipe row that ends with a number and no pipe after it (`行政处罚 | 1 | 1 | 2`), no border before it.
_OPEN_END = lazy_pattern(r"^[ \t]*[^|\s][^\n]*\|[ \t]*[减增+\-−－]?\d[\d,，]*(?:\.\d+)?[ \t]*$", re.M)


@lru_cache(maxsize=8)  # asked once per table of the same document text (a str hashes once)
def open_row_ends(text: str) -> bool:
    """Whether the document's pipe rows end with no pipe after a filled last cell (`行政处罚 |
    1 | 1 | 2`, no border pipes): the writer joined each row's cells with ` | `, so where another
    row of it ends with a pipe and white space (`规章 | 1 |  | `), that pipe opens an empty last
    cell, not a border. One converter wrote every table of a document: a section whose rows all
    end in an empty cell reads by the rows of the others."""
    return "|" in text and _OPEN_END().search(text) is not None


def closed_rows(text: str) -> bool:
    """Whether a text's pipe rows have no border at their start and all end with a pipe: a border,
    or (in a document whose rows end open) an empty last cell; its table is read both ways."""
    return "|" in text and has_borders(text.split("\n")) == (False, True)


def with_tail(doc_text: str, start: int, section: str) -> str:
    """A section's text (`doc_text[start:]`, stripped) with the white space that followed it up
    to the next printed line: offsets into it stay those of the section text."""
    end = start + len(section)
    if doc_text[start:end] != section:
        return section  # not where the section split says: the text as given
    stop = end
    n = len(doc_text)
    while stop < n and doc_text[stop].isspace():
        stop += 1
    cut = doc_text.rfind("\n", end, stop)
    return section if cut < 0 else doc_text[start:cut + 1]


def double_spaced(text: str) -> bool:
    """Whether every line of a text is followed by one blank line, and some by more: then the
    extra blank lines, two per cell, are empty cells (docx2txt writes each cell and a blank
    line). Any odd run of line breaks between cells says the blank lines are not cells; a run
    next to a paragraph (a sentence, a line too long for a cell) is not between cells, nor one
    line break between two lines of words (a label wrapped in its cell)."""
    text = text.strip("\n")
    runs = [(m.start(), m.end()) for m in _NEWLINES.finditer(text)]
    if not runs or sum(b - a == 2 for a, b in runs) * 4 <= len(runs):
        return False
    for a, b in runs:
        if (b - a) % 2:
            before = text[text.rfind("\n", 0, a) + 1:a]
            after_end = text.find("\n", b)
            after = text[b:after_end if after_end >= 0 else len(text)]
            if not (_prose(before) or _prose(after) or b - a == 1 and _words(before) and _words(after)):
                return False
    return True


_MAX_CELL = 60  # characters: a longer line is a paragraph, not a cell


def _prose(line: str) -> bool:
    return len(line) > _MAX_CELL or "。" in line


def _words(line: str) -> bool:
    """A line of a label, not a value alone."""
    line = line.strip()
    return bool(line) and not VALUE_ITEM.match(line) and "|" not in line
