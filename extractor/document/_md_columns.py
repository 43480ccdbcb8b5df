"""What a text's markdown tables (a converter's) tell about their columns: the lines of its
markdown tables and the unheaded pieces (`markdown_tables`), the label columns of rows of one
width, the cells a merged header cell proves hold two columns, the rows whose header names all
their cells (`label_columns`), and a row's tokens read by them (`outside`).

Public API: `HeaderWords`, `NO_HEADERS`, `Columns`, `markdown_tables`, `label_columns`, `outside`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from extractor.document._line_tokens import (
    CELLS_PADDED_ROW_END,
    CELLS_ROW_END,
    MD_RULE,
    PADDED_ROW_END,
    ROW_END,
    Token,
    cell_index,
    new_token,
    row_tokens,
)
from extractor.document._normalize import match_key
from extractor.document._pipes import VALUE_ITEM

__all__ = ["NO_HEADERS", "Columns", "HeaderWords", "label_columns", "markdown_tables", "outside"]


class HeaderWords(NamedTuple):
    """A table's header words from the template registry (in match_key form), given by the tables
    stage: they tell a converter's merged header cell (`信息内容<br>本年新制作数量`) for two columns."""

    labels: frozenset[str] = frozenset()  # the label column's header (table 二's 信息内容)
    values: frozenset[str] = frozenset()  # the value columns' labels


NO_HEADERS = HeaderWords()
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_WRAPPED = re.compile(r"[^|\s]<br\s*/?>[^|\s]", re.I)  # text on both sides of a line break, in one cell
_BREAK_BEFORE = re.compile(r"<br\s*/?>\s*$", re.I)  # a line break right before a value: it stands on its own line


def _names(text: str, headers: HeaderWords) -> bool:
    """Whether a header cell holds one of the template's column words (always, where they are not
    known). A header whose value cells do not all hold one (a converter's piece of a label cut
    across two cells, `：万元）`) does not prove the empty cell at a row's end a blank: it may be padding."""
    if not headers.values:
        return True
    return _names_words(text, headers)


@lru_cache(maxsize=4096)  # header cells print the same words in report after report
def _names_words(text: str, headers: HeaderWords) -> bool:
    key = match_key(text)
    return any(w in key for w in headers.labels) or any(w in key for w in headers.values)


def markdown_tables(lines: list[str], borders: tuple[bool, bool]) -> tuple[frozenset[int], frozenset[int]]:
    """The lines of markdown tables (a header row, a `---` rule, the rows of its width after it),
    and among them the unheaded pieces: tables whose header row is a data row, where another
    table's header names columns in the text (markitdown on PDF: one piece per row or two, a
    label column lost or moved, apart from the header). A piece's columns line up with no header, so its
    empty cells say nothing about where a value stands: they are not cells, and a row that printed
    fewer values than the template's columns stays incomplete, never placed by position. Not a
    piece that wraps text inside its cells (`_boxed`: a converter that saw each cell's box)."""
    headed: set[int] = set()
    tables: list[tuple[int, bool, list[int]]] = []  # (width, unheaded?, lines)
    for i, raw in enumerate(lines):
        if "---" not in raw or not MD_RULE.match(raw.strip()):
            continue
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j < 0 or lines[j].count("|") < 2:
            continue
        header = lines[j].strip()
        width = header.count("|")
        data = any(t.kind == "value" for t in row_tokens(header, lines[j][:1].isspace(), borders))
        if not data:
            headed.add(width)
        rows = [j]
        k = i + 1
        while k < len(lines) and lines[k].count("|") == width and not (
                k + 1 < len(lines) and "---" in lines[k + 1] and MD_RULE.match(lines[k + 1].strip())):
            rows.append(k)
            k += 1
        tables.append((width, data, rows))
    markdown: set[int] = set()
    unheaded: set[int] = set()
    for _width, data, rows in tables:
        markdown.update(rows)
        if data and headed and not _boxed(lines, rows):
            # (a row of a label and empty cells only prints no value to misplace: its cells stay
            # cells, blank whichever columns they are, as in a headed table; dropped, the row is lost)
            unheaded.update(j for j in rows if _printed_value(lines[j], borders))
    return frozenset(markdown), frozenset(unheaded)


def _boxed(lines: list[str], rows: list[int]) -> bool:
    """Whether a markdown table wraps text inside its cells (`<br>`): its converter read each cell's
    box from the PDF's rules (pymupdf4llm), so a piece of it with no header row (a table continued
    after a page break, its first row a data row) still has its empty cells where the page's cells
    are. Such a piece may lack the columns blank down the whole page: a row of it that prints fewer
    cells than the template's columns is placed only where the identities decide (tables/_shared,
    one choice of columns for the piece), never by position. A converter that guesses columns from
    the text's spacing (markitdown on PDF) wraps nothing: its pieces stay unheaded."""
    return any(_WRAPPED.search(lines[j]) for j in rows)


def _printed_value(raw: str, borders: tuple[bool, bool]) -> bool:
    """Whether a pipe row prints a value, or no label (a row of empty cells)."""
    tokens = row_tokens(raw.strip(), raw[:1].isspace(), borders)
    return any(t.kind == "value" for t in tokens) or not any(t.kind == "label" for t in tokens)


class Columns(NamedTuple):
    """What a text's markdown tables tell about their columns, by line (label_columns)."""

    labels: dict[int, set[int]]  # the label columns (cell indexes) of a data row
    merges: dict[int, dict[int, int]]  # a data row's cells under a merged header cell (merged_cells)
    headed: set[int]  # data rows under a header that names every other column: no cell of them is padding


def label_columns(lines: list[str], borders: tuple[bool, bool], headers: HeaderWords = NO_HEADERS) -> Columns:
    """Markdown tables whose rows all have the same number of cells (a converter's: pandoc,
    markitdown): the columns where some data row prints its label, by line. A cell in such a
    column is never a value (an empty one is a label's span or a column the converter moved),
    so values are never placed into it by position. A converter that prints a table in pieces
    (markitdown on PDF: one markdown table per row or two, each as wide as the others) gives
    every piece of one width the label columns of all of them: a column where one piece prints
    a label is not a value column in the next piece, whose row then has fewer values than the
    template's columns and stays unread instead of being shifted into the wrong columns.

    Also, by line, the cells that a merged header cell proves hold two or more columns
    (merged_cells: cell index -> how many columns, negative where the first is the label column),
    and the rows whose header names each of their cells that is not a label column's: an empty
    cell at their end is a blank cell of a named column, not padding."""
    # (lines, width, label columns, lines of its block, its header names the value columns)
    blocks: list[tuple[list[int], int, set[int], int, bool]] = []
    merges: dict[int, dict[int, int]] = {}
    by_width: dict[int, set[int]] = {}

    def close() -> None:
        if not block:
            return
        columns: set[int] = set()
        # Each header's rows (a sub-table of table 二 has its own): its lines, the columns it names.
        # (worded: the header cells that hold one of the template's words, _names)
        parts: list[tuple[list[int], set[int], set[int]]] = [([], set(), set())]
        data = False
        merged: dict[int, int] = {}  # the merged cells of the header over the rows that follow
        for j in block:
            header, label_cells, word_cells, labels, merged_here = _line_shape(lines[j].strip(), lines[j][:1].isspace(),
                                                                          borders, headers)
            if header and data and len(label_cells) < 2:
                # one label after data rows: a row printed blank (`行政强制 |  |  |  |`) or a caption
                # (`第二十条第（八）项 | | |`), no header: it stays under the header above, whose
                # named columns its empty cells are (not the next header's, which may name fewer)
                header = False
            if header:  # a header row; after data rows, the next sub-table's
                if data:
                    parts.append(([], set(), set()))
                    data = False
                parts[-1][0].append(j)
                parts[-1][2].update(word_cells)
                parts[-1][1].update(label_cells)
                if merged_here is not None:  # a header (a caption row of one label keeps the one above)
                    merged = dict(merged_here)
                continue
            data = True
            parts[-1][0].append(j)
            if merged:
                merges[j] = merged
            columns.update(labels)
        width = lines[block[0]].strip().count("|") + 1
        by_width.setdefault(width, set()).update(columns)  # the printed labels only: a header is its piece's
        headed: set[int] = set()
        worded: set[int] = set()
        for rows_at, names, words in parts:
            if len(names) >= 2 or not headed:  # a row of one label is no header: the one above holds
                headed, worded = names, words
            named = set(columns)
            complete = len(block) >= 2 and bool(columns) and len(headed - columns) >= 1 and headed - columns <= worded
            if complete:
                # The header names the value columns: a cell under no header is not a value.
                named |= set(range(width)) - headed
            blocks.append((rows_at, width, named, len(block), complete))

    block: list[int] = []
    counts: set[int] = set()
    for i, raw in enumerate(lines):
        pipes = raw.count("|")
        if pipes >= 2:
            if "---" in raw and MD_RULE.match(raw.strip()):
                continue
            if block and pipes not in counts:
                counts.add(-1)  # not one width: nothing to do for this block
            counts.add(pipes)
            block.append(i)
        elif raw and not raw.isspace():
            if len(counts) == 1:
                close()
            block.clear()
            counts = set()
    if len(counts) == 1:
        close()
    out: dict[int, set[int]] = {}
    headed_rows: set[int] = set()
    for rows_at, width, columns, size, complete in blocks:
        if size < 2 and len(by_width[width]) < 2:
            continue  # a lone row: its label column alone says nothing
        columns = columns | by_width[width]
        if columns and columns != {min(columns)}:
            for j in rows_at:
                out[j] = columns
            if complete:
                headed_rows.update(rows_at)
    return Columns(out, merges, headed_rows)


@lru_cache(maxsize=8192)  # a table's rows and headers print the same lines in report after report
def _line_shape(line: str, indented: bool, borders: tuple[bool, bool], headers: HeaderWords) -> tuple[
        bool, frozenset[int], frozenset[int], frozenset[int], dict[int, int] | None]:
    """What label_columns reads of one pipe line (stripped): whether it is a header row (no value);
    a header's label cells and those naming a template column (_names), and its merged cells
    (merged_cells; None where it names fewer than two cells: no header, the one above holds); a
    data row's label cells before its first value."""
    tokens = row_tokens(line, indented, borders)
    first_value = next((t.start for t in tokens if t.kind == "value"), None)
    if first_value is None:
        names = frozenset(cell_index(line, t.start) for t in tokens if t.kind == "label")
        words = frozenset(cell_index(line, t.start) for t in tokens if t.kind == "label" and _names(t.text, headers))
        merged = (merged_cells(line, headers) if headers.values else {}) if len(names) >= 2 else None
        return True, names, words, frozenset(), merged
    labels = frozenset(cell_index(line, t.start) for t in tokens if t.kind == "label" and t.start < first_value)
    return False, frozenset(), frozenset(), labels, None


def merged_cells(line: str, headers: HeaderWords) -> dict[int, int]:
    """A header row's cells that hold two or more of the template's column labels, one after
    another with a line break between (pymupdf4llm: `信息内容<br>本年新制作数量`): each is as
    many columns, by cell index; negative where the first is the label column. A label wrapped
    in its cell (`本年新<br>制作数量`) joins to one label: one column."""
    out: dict[int, int] = {}
    for index, cell in enumerate(line.split("|")):
        if "<" not in cell:
            continue
        parts = [match_key(p) for p in _LINE_BREAK.split(cell) if p.strip()]
        groups = _label_groups(parts, headers.labels | headers.values)
        if groups is not None and len(groups) >= 2 and all(g in headers.values for g in groups[1:]):
            out[index] = -len(groups) if groups[0] in headers.labels else len(groups)
    return out


def _label_groups(parts: list[str], labels: frozenset[str]) -> list[str] | None:
    """`parts` joined, in order, into whole labels (each one or more consecutive parts); None
    where they do not divide into labels, or divide more than one way (never guessed)."""
    if not parts:
        return []
    found: list[list[str]] = []
    for end in range(1, len(parts) + 1):
        head = "".join(parts[:end])
        if head in labels:
            rest = _label_groups(parts[end:], labels)
            if rest is not None:
                found.append([head, *rest])
    return found[0] if len(found) == 1 else None


def outside(tokens: tuple[Token, ...], line: str, columns: set[int], merged: dict[int, int] | None = None,
             headed: bool = False) -> list[Token]:
    """A row's tokens without its empty cells in label columns; a number in a label column
    reads as words (the columns do not line up: it is not placed by position). The row ends
    with CELLS_ROW_END: its cells were printed apart, whatever was dropped between them.
    `merged`: the row's cells under a merged header cell (merged_cells), read as its columns.
    `headed`: its header names every cell left, so an empty one at its end is a blank cell, not padding."""
    kept: set[int] = set()
    if merged:
        tokens, kept = _unmerge(tokens, line, merged)
    out = []
    for n, t in enumerate(tokens):
        if n in kept:
            out.append(t)
            continue
        if t.kind in ("blank", "value") and cell_index(line, t.start) in columns:
            if t.kind == "value":
                out.append(new_token(Token, ("label", t.text, t.delimited, t.start)))
            continue
        out.append(CELLS_ROW_END if t is ROW_END or headed and t is PADDED_ROW_END
                   else CELLS_PADDED_ROW_END if t is PADDED_ROW_END else t)
    return out


def _unmerge(tokens: tuple[Token, ...], line: str, merged: dict[int, int]) -> tuple[tuple[Token, ...], set[int]]:
    """A row's cells under a merged header cell as the columns the header proves it holds, and
    the positions of the tokens read as values there though in a label column. Under the label
    column and one value column (`信息内容<br>本年新制作数量`): a cell of a label and, after a line
    break, one number (`规章<br>1`) is the label and that value; a label alone, the label and a
    blank cell. Under n value columns: an empty cell is n blank cells; n numbers are already n
    values. Any other cell (a number not after a line break, one number under two value columns)
    is left as printed: its row comes short and stays incomplete, never placed by position."""
    out: list[Token] = []
    kept: set[int] = set()
    by_cell: dict[int, list[Token]] = {}
    for t in tokens:
        by_cell.setdefault(cell_index(line, t.start) if t.kind != "row_end" else -1, []).append(t)
    done: set[int] = set()
    for t in tokens:
        index = cell_index(line, t.start) if t.kind != "row_end" else -1
        span = merged.get(index)
        if span is None:
            out.append(t)
            continue
        if index in done:
            continue
        done.add(index)
        cell = by_cell[index]
        kinds = [c.kind for c in cell]
        if span == -2 and kinds and all(k == "label" for k in kinds[:-1]) and kinds[-1] == "value" and len(kinds) > 1:
            if _BREAK_BEFORE.search(line, 0, cell[-1].start) and VALUE_ITEM.match(cell[-1].text):
                out += cell[:-1]
                kept.add(len(out))
                out.append(cell[-1])
                continue
        elif span == -2 and kinds and all(k == "label" for k in kinds):
            out += cell
            end = line.find("|", cell[-1].start)
            kept.add(len(out))
            out.append(new_token(Token, ("blank", "", True, end if end >= 0 else len(line))))
            continue
        elif span > 1 and kinds == ["blank"]:
            out += [cell[0]] * span
            continue
        out += cell
    return tuple(out), kept
