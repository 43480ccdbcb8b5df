"""A table section's text as a stream of tokens: labels, values, blanks and row ends.

Every layout of template.md §6 reduces to this stream:
- pipe rows (`| 规章 | 0 | 0 | ||`, and the rows the HTML reader renders) give their cells in
  order, an empty cell as BLANK, and a ROW_END after the row; a line holding one cell and a
  pipe (`规章 |`) is one cell of a row that goes on below, a lone `|` an empty cell;
- other lines are split at white space; a run of words is one LABEL, a number alone a VALUE;
- digits glued to a label with no separator (`规范性文件898989`, `…国家秘密00000002.其他…`)
  are cut off as one VALUE item holding the glued digits; an enumerator glued to the next
  label (`…00002.其他法律…`) goes back to that label.
How many cells a VALUE item holds is decided later, per row (values.py).

Offsets: each line's tokens are preceded by a LINE token whose `start` is the line's offset in
the text; a token's own `start` counts from its line (so a line's tokens are built once and
shared by every report that prints the same line). `absolute(tokens)` gives text offsets.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from extractor.document._pipes import VALUE_ITEM, double_spaced, has_borders

TokenKind = Literal["label", "value", "blank", "row_end", "line"]


__all__ = ["BLANK_CELL", "Token", "absolute", "line_tokens", "tokenize"]


class Token(NamedTuple):  # a tuple, not a frozen dataclass: a report has hundreds, built 3x faster
    kind: TokenKind
    text: str = ""
    delimited: bool = False  # from a pipe row, where a blank cell is a real cell
    start: int = -1  # offset of `text` in its line (a LINE token: the line's in the text; -1: a row end)


_new = tuple.__new__  # Token(...) through its Python-level __new__ costs twice as much: built as a tuple
ROW_END = Token("row_end", delimited=True)
BLANK_CELL = Token("blank", "", True, 0)  # an empty cell of a layout that marks one (docx2txt's blank lines)
PADDED_ROW_END = Token("row_end", "padded", delimited=True)
# The end of a row of a converter's markdown table whose columns are known (_label_columns): each
# of its cells is one cell, so none is split again as glued digits.
CELLS_ROW_END = Token("row_end", "cells", delimited=True)
CELLS_PADDED_ROW_END = Token("row_end", "padded cells", delimited=True)
# The end of a row of a markdown table (a header row, a `---` rule, rows of its width): a
# converter's table, each item one cell (never split again), its columns not inferred.
MD_ROW_END = Token("row_end", "md", delimited=True)
MD_PADDED_ROW_END = Token("row_end", "padded md", delimited=True)

# Inside a word: a run of digits (with signs, points and a money unit) that ends the label
# before it. Digits followed by 年/月/日/条/件/% etc. belong to a sentence, not to a table.
_GLUED_RUN = re.compile(
    r"(?:(?<!\d)[减增]?\d|(?<=\d)[减增\-−－]\d)(?:\d|\.(?=\d)|[减增\-−－](?=\d))*(?:万元|元)?(?![\d年月日号条件个项次人%％‰万亿余多天小份篇期批家户名位类])"
)
_EMPTY_ROW = re.compile(r"\|?(?:[ \t]+\|){2,}\|*")  # two or more empty cells between pipes: a row printed blank
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
# A line break in a cell, a converter's comment, inline markup (pymupdf4llm's <u>0 0</u>): not text.
_BR = re.compile(r"<br\s*/?>|<!--.*?-->|</?(?:u|b|i|em|strong|sup|sub|span)\b[^<>]*>", re.I)
_HAS_DIGIT_OR_DASH = re.compile(r"[\d０-９\-—－–―/／]")
_ENUMERATOR_AFTER = re.compile(r"[.、．](?=[^\d\s])")


def _split_word(word: str) -> list[tuple[TokenKind, str, int]]:
    """One white-space-free word into LABEL and VALUE parts: (kind, text, offset in the word)."""
    if VALUE_ITEM.match(word):
        return [("value", word, 0)]
    parts: list[tuple[TokenKind, str, int]] = []
    pos = 0
    for m in _GLUED_RUN.finditer(word):
        start, end = m.start(), m.end()
        run = m.group(0)
        if _ENUMERATOR_AFTER.match(word, end):
            # "00000002.其他…": the last digit numbers the next label.
            if len(run) == 1 or not run[-2].isdigit():
                continue
            run, end = run[:-1], end - 1
        if start > pos:
            parts.append(("label", word[pos:start], pos))
        parts.append(("value", run, start))
        pos = end
    if pos < len(word):
        parts.append(("label", word[pos:], pos))
    return parts


@lru_cache(maxsize=16384)
def line_tokens(line: str) -> tuple[tuple[TokenKind, str, int], ...]:
    """A line (or a cell) split at white space into labels and values: (kind, text, offset in
    the line); a run of words is one label, at its first word. Cached: the same labels
    (1.属于国家秘密 …) recur in every report."""
    out: list[tuple[TokenKind, str, int]] = []
    label_parts: list[str] = []
    label_at = 0
    pos = 0
    for word in line.split():
        pos = line.find(word, pos)
        for kind, text, rel in _split_word(word):
            if kind == "label":
                if not label_parts:
                    label_at = pos + rel
                label_parts.append(text)
                continue
            if label_parts:
                out.append(("label", "".join(label_parts), label_at))
                label_parts = []
            out.append(("value", text, pos + rel))
        pos += len(word)
    if label_parts:
        out.append(("label", "".join(label_parts), label_at))
    return tuple(out)


def _extend(tokens: list[Token], line: str, delimited: bool, base: int) -> None:
    tokens += [_new(Token, (kind, text, delimited, base + rel)) for kind, text, rel in line_tokens(line)]


def tokenize(text: str, open_ends: bool = False) -> list[Token]:
    """The tokens of a text: per non-empty line a LINE token (its offset in `text`), then the
    line's tokens (offsets in the line). `open_ends`: read this text's rows as the document's
    that end with no pipe after a filled cell (`open_row_ends`): where its rows have no border at
    their start and all end with a pipe (`closed_rows`), that pipe opens an empty last cell."""
    tokens: list[Token] = []
    pos = 0
    lines = text.split("\n")
    piped = "|" in text
    borders = has_borders(lines) if piped else (True, True)
    # Rows with no border at their start that all end with a pipe: a border at their end, unless
    # read as the document's rows that end open (`a | b | c`): then `a | b | ` ends with an empty cell.
    open_row = open_ends and borders == (False, True)
    label_columns = _label_columns(lines, borders) if piped else {}
    markdown, unheaded = _markdown_tables(lines, borders) if piped and "---" in text else (frozenset(), frozenset())
    spaced = "\n\n\n" in text and double_spaced(text)
    empty = 0  # blank lines before this one
    for i, raw in enumerate(lines):
        at, pos = pos, pos + len(raw) + 1
        line = raw.strip()
        if not line:
            empty += 1
            continue
        indented = raw[0].isspace()
        if indented:
            at += len(raw) - len(raw.lstrip())
        tokens.append(_new(Token, ("line", "", False, at)))
        if spaced and empty > 1 and "|" not in line:
            # Cells one per line, each followed by a blank line (docx2txt): each further pair of
            # blank lines is an empty cell.
            tokens += [BLANK_CELL] * (empty // 2)
        empty = 0
        columns = label_columns.get(i)
        if i in unheaded:
            row = _outside(_line(line, indented, borders), line, columns) if columns else _line(line, indented, borders)
            tokens += [CELLS_ROW_END if t is ROW_END or t is PADDED_ROW_END else t for t in row if t.kind != "blank"]
        elif columns:
            tokens += _outside(_line(line, indented, borders), line, columns)
        elif i in markdown and not line.strip("| ") and line.count("|") > 2:
            # A markdown row of empty cells (a piece whose values were all printed blank): each
            # cell is an empty cell, not the padding that pipes alone end a row with elsewhere.
            tokens += [BLANK_CELL] * (line.count("|") - 1) + [MD_ROW_END]
        elif i in markdown:
            tokens += [MD_ROW_END if t is ROW_END else MD_PADDED_ROW_END if t is PADDED_ROW_END else t
                       for t in _line(line, indented, borders)]
        elif open_row and line[-1] == "|":
            tokens += _line(line, indented, _OPEN)
        else:
            tokens += _line(line, indented, borders)
    if spaced and empty > 2:
        # The run of line breaks after the last cell (a table's section text given with the line
        # breaks up to the next heading, `with_tail`): its blank cells, by the same count as
        # between cells (2 per cell; one more where the text ends, or another line follows).
        tokens.append(_new(Token, ("line", "", False, len(text) - empty + 1)))
        tokens += [BLANK_CELL] * ((empty - 1) // 2)
    return tokens


_OPEN = (False, False)  # no border pipes: a pipe at either end of a row opens an empty cell


def _markdown_tables(lines: list[str], borders: tuple[bool, bool]) -> tuple[frozenset[int], frozenset[int]]:
    """The lines of markdown tables (a header row, a `---` rule, the rows of its width after it),
    and among them the unheaded pieces: tables whose header row is a data row, where another
    table's header names columns in the text (markitdown on PDF: one piece per row or two, a
    label column lost or moved, apart from the header). A piece's columns line up with no header, so its
    empty cells say nothing about where a value stands: they are not cells, and a row that printed
    fewer values than the template's columns stays incomplete, never placed by position."""
    headed: set[int] = set()
    tables: list[tuple[int, bool, list[int]]] = []  # (width, unheaded?, lines)
    for i, raw in enumerate(lines):
        if "---" not in raw or not _MD_RULE.match(raw.strip()):
            continue
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j < 0 or lines[j].count("|") < 2:
            continue
        header = lines[j].strip()
        width = header.count("|")
        data = any(t.kind == "value" for t in _line(header, lines[j][:1].isspace(), borders))
        if not data:
            headed.add(width)
        rows = [j]
        k = i + 1
        while k < len(lines) and lines[k].count("|") == width and not (
                k + 1 < len(lines) and "---" in lines[k + 1] and _MD_RULE.match(lines[k + 1].strip())):
            rows.append(k)
            k += 1
        tables.append((width, data, rows))
    markdown: set[int] = set()
    unheaded: set[int] = set()
    for _width, data, rows in tables:
        markdown.update(rows)
        if data and headed:
            unheaded.update(rows)
    return frozenset(markdown), frozenset(unheaded)


def _cell_index(line: str, start: int) -> int:
    return line.count("|", 0, start)


def _label_columns(lines: list[str], borders: tuple[bool, bool]) -> dict[int, set[int]]:
    """Markdown tables whose rows all have the same number of cells (a converter's: pandoc,
    markitdown): the columns where some data row prints its label, by line. A cell in such a
    column is never a value (an empty one is a label's span or a column the converter moved),
    so values are never placed into it by position. A converter that prints a table in pieces
    (markitdown on PDF: one markdown table per row or two, each as wide as the others) gives
    every piece of one width the label columns of all of them: a column where one piece prints
    a label is not a value column in the next piece, whose row then has fewer values than the
    template's columns and stays unread instead of being shifted into the wrong columns."""
    blocks: list[tuple[list[int], int, set[int], int]] = []  # (lines, width, label columns, lines of its block)
    by_width: dict[int, set[int]] = {}

    def close() -> None:
        if not block:
            return
        columns: set[int] = set()
        # Each header's rows (a sub-table of table 二 has its own): its lines, the columns it names.
        parts: list[tuple[list[int], set[int]]] = [([], set())]
        data = False
        for j in block:
            line = lines[j].strip()
            tokens = _line(line, lines[j][:1].isspace(), borders)
            first_value = next((t.start for t in tokens if t.kind == "value"), None)
            if first_value is None:  # a header row; after data rows, the next sub-table's
                if data:
                    parts.append(([], set()))
                    data = False
                parts[-1][0].append(j)
                parts[-1][1].update(_cell_index(line, t.start) for t in tokens if t.kind == "label")
                continue
            data = True
            parts[-1][0].append(j)
            columns.update(_cell_index(line, t.start) for t in tokens if t.kind == "label" and t.start < first_value)
        width = lines[block[0]].strip().count("|") + 1
        by_width.setdefault(width, set()).update(columns)  # the printed labels only: a header is its piece's
        headed: set[int] = set()
        for rows_at, names in parts:
            if len(names) >= 2 or not headed:  # a row of one label is no header: the one above holds
                headed = names
            named = set(columns)
            if len(block) >= 2 and columns and len(headed - columns) >= 1:
                # The header names the value columns: a cell under no header is not a value.
                named |= set(range(width)) - headed
            blocks.append((rows_at, width, named, len(block)))

    block: list[int] = []
    counts: set[int] = set()
    for i, raw in enumerate(lines):
        pipes = raw.count("|")
        if pipes >= 2:
            if "---" in raw and _MD_RULE.match(raw.strip()):
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
    for rows_at, width, columns, size in blocks:
        if size < 2 and len(by_width[width]) < 2:
            continue  # a lone row: its label column alone says nothing
        columns = columns | by_width[width]
        if columns and columns != {min(columns)}:
            for j in rows_at:
                out[j] = columns
    return out


def _outside(tokens: tuple[Token, ...], line: str, columns: set[int]) -> list[Token]:
    """A row's tokens without its empty cells in label columns; a number in a label column
    reads as words (the columns do not line up: it is not placed by position). The row ends
    with CELLS_ROW_END: its cells were printed apart, whatever was dropped between them."""
    out = []
    for t in tokens:
        if t.kind in ("blank", "value") and _cell_index(line, t.start) in columns:
            if t.kind == "value":
                out.append(_new(Token, ("label", t.text, t.delimited, t.start)))
            continue
        out.append(CELLS_ROW_END if t is ROW_END else CELLS_PADDED_ROW_END if t is PADDED_ROW_END else t)
    return out


def absolute(tokens: list[Token]) -> list[tuple[Token, int]]:
    """Each token but the LINE tokens, with its offset in the text."""
    out = []
    base = 0
    for tok in tokens:
        if tok.kind == "line":
            base = tok.start
        else:
            out.append((tok, base + tok.start))
    return out


@lru_cache(maxsize=16384)
def _line(line: str, indented: bool, borders: tuple[bool, bool] = (True, True)) -> tuple[Token, ...]:
    """The tokens of one stripped line, offsets counted from its start. Cached: a table's rows
    (`| 0 | 0 | 0 |`, `1.属于国家秘密`) recur in every report."""
    tokens: list[Token] = []
    append = tokens.append
    if "<" in line:  # a break in a cell, a comment, an underline (<u>0 0</u>): spaces of the same length
        line = _BR.sub(lambda m: " " * len(m.group(0)), line)
    if "|" in line:
        if not line.replace("|", "").strip() and not _EMPTY_ROW.fullmatch(line):
            # Pipes alone. One cell per line with a trailing pipe (corpus r021, r026): a lone
            # "|" is an empty cell; "||" or "| |||" is the padding that ends a row. (Empty cells
            # between pipes, `|  |  |  | ||`, are a row printed blank: read as cells below.)
            append(_new(Token, ("blank", "", True, 0)) if line == "|" else ROW_END)
            return tuple(tokens)
        if _MD_RULE.match(line):
            return ()  # markdown's header rule `| --- | :---: |`: syntax, not cells
        cells = line.split("|")
        at = 0
        # A leading pipe is a border (`| 规章 | 0 |`), except in an indented pipe row that ends
        # with padding (` |  | 2 | … | ||`): there the row's first cell is empty, not absent.
        if line.startswith("|") and borders[0] and not (indented and line.endswith("||")):
            cells = cells[1:]
            at = 1
        if line.endswith("|") and cells and (borders[1] or len(cells) == 2):  # `规章 |`: one cell
            cells = cells[:-1]
        if len(cells) == 1:  # `规章 |`: one cell on its line, the row continues below
            cell = cells[0]
            _extend(tokens, cell.strip(), False, at + len(cell) - len(cell.lstrip()))
            return tuple(tokens)
        padded = line.endswith("||")  # `| 0 | ||`: empty cells at the end are colspan padding
        o = at  # where the cell starts in the line
        for raw_cell in cells:
            cell = raw_cell.strip()
            if not cell:
                append(_new(Token, ("blank", "", True, o + len(raw_cell) // 2)))
            else:
                c = o + raw_cell.find(cell[0])
                if cell.isascii() and cell.isdigit():
                    append(_new(Token, ("value", cell, True, c)))
                elif cell == "---":  # pandoc writes a printed — as ---
                    append(_new(Token, ("value", cell, True, c)))
                elif not _HAS_DIGIT_OR_DASH.search(cell):
                    append(_new(Token, ("label", "".join(cell.split()), True, c)))
                else:
                    _extend(tokens, cell, True, c)
            o += len(raw_cell) + 1
        append(PADDED_ROW_END if padded else ROW_END)
    elif line.isascii() and line.isdigit():  # one cell per line: the common case
        append(_new(Token, ("value", line, False, 0)))
    elif not _HAS_DIGIT_OR_DASH.search(line):  # words only: one label
        append(_new(Token, ("label", "".join(line.split()), False, 0)))
    else:
        _extend(tokens, line, False, 0)
    return tuple(tokens)
