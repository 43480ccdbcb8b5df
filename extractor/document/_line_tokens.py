"""One line of a table section's text as tokens (labels, values, blanks, a row end), offsets
counted from the line's start (tokens.py strings the lines together): a pipe row's cells in order,
other lines split at white space, digits glued to a label cut off as one value.

Public API: `Token`, `TokenKind`, `row_tokens` (a line's tokens, cached), `line_tokens` (a cell's
or a line's labels and values), `absolute`, `cell_index`, `new_token`, the row ends and `MD_RULE`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from extractor.document._furniture import PAGE_OF, furniture_cell
from extractor.document._pipes import VALUE_ITEM
from extractor.lazy import lazy_pattern

TokenKind = Literal["label", "value", "blank", "row_end", "line"]


__all__ = ["BLANK_CELL", "CELLS_PADDED_ROW_END", "CELLS_ROW_END", "MD_PADDED_ROW_END", "MD_ROW_END", "MD_RULE",
           "PADDED_ROW_END", "ROW_END", "Token", "TokenKind", "absolute", "cell_index", "line_tokens", "new_token",
           "row_tokens"]


class Token(NamedTuple):  # a tuple, not a frozen dataclass: a report has hundreds, built 3x faster
    kind: TokenKind
    text: str = ""
    delimited: bool = False  # from a pipe row, where a blank cell is a real cell
    start: int = -1  # offset of `text` in its line (a LINE token: the line's in the text; -1: a row end)


new_token = tuple.__new__  # Token(...) through its Python-level __new__ costs twice as much: built as a tuple
ROW_END = Token("row_end", delimited=True)
BLANK_CELL = Token("blank", "", True, 0)  # an empty cell of a layout that marks one (docx2txt's blank lines)
PADDED_ROW_END = Token("row_end", "padded", delimited=True)
# The end of a row of a converter's markdown table whose columns are known (_md_columns.label_columns): each
# of its cells is one cell, so none is split again as glued digits.
CELLS_ROW_END = Token("row_end", "cells", delimited=True)
CELLS_PADDED_ROW_END = Token("row_end", "padded cells", delimited=True)
# The end of a row of a markdown table (a header row, a `---` rule, rows of its width): a
# converter's table, each item one cell (never split again), its columns not inferred.
MD_ROW_END = Token("row_end", "md", delimited=True)
MD_PADDED_ROW_END = Token("row_end", "padded md", delimited=True)

# Inside a word: a run of digits (with signs, points and a money unit) that ends the label
# before it; a sign between a label and its digits is the number's (`行政处罚-311`), never the label's. A point printed or read as `:` `·` `;` (`404:32`) keeps the run whole: one cell that
# is no number (state text), never 404 and 32. Digits followed by 年/月/日/条/件/% etc. belong to a sentence, not to a table.
_GLUED_RUN = re.compile(
    r"(?:(?<!\d)[减增\-−－]?\d|(?<=\d)[减增\-−－]\d)(?:\d|[.:：·;；](?=\d)|[减增\-−－](?=\d))*(?:万元|元)?(?![\d年月日号条件个项次人%％‰万亿余多天小份篇期批家户名位类])"
)
_EMPTY_ROW = re.compile(r"\|?(?:[ \t]+\|){2,}\|*")  # two or more empty cells between pipes: a row printed blank
MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
# A line break in a cell, a converter's comment, inline markup (pymupdf4llm's <u>0 0</u>): not text.
_BR = lazy_pattern(r"<br\s*/?>|<!--.*?-->|</?(?:u|b|i|em|strong|sup|sub|span)\b[^<>]*>", re.I)
_HAS_DIGIT_OR_DASH = re.compile(r"[\d０-９\-—－–―/／]")
_ENUMERATOR_AFTER = re.compile(r"[.、．](?=[^\d\s])")
# A template label ends in Chinese and begins with Chinese or its enumerator, so Latin letters or
# ASCII punctuation before a word's digits (`l5`, `a5`, `.5`), or Latin letters after them (`10O`,
# `5a`), are no label glued to a value but a converter's or OCR's misreading of one cell: they
# and the digits they touch are that cell, no number, never the digits alone as its value.
_NO_LABEL = re.compile(r"[A-Za-z.,:;'\"`~!?@#$%^&*_=\\]+")
_LATIN = re.compile(r"[A-Za-z]+")


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
        lead, tail = start, end  # misread letters touching the digits: the same cell (_NO_LABEL)
        if pos == 0 and start and _NO_LABEL.fullmatch(word, 0, start):
            lead = 0  # `l5`, `.5`: the word's start
        while lead > pos and word[lead - 1].isascii() and (word[lead - 1].isalpha() or word[lead - 1] == "."):
            lead -= 1  # `行政处罚l5`
        while tail < len(word) and word[tail].isascii() and word[tail].isalpha():
            tail += 1  # `5a行政强制`, `10O`
        if lead == pos and parts and parts[-1][0] == "value" and _LATIN.fullmatch(parts[-1][1][-1:]):
            lead = parts.pop()[2]  # `5a6`: one cell
        if (lead, tail) != (start, end):
            run, start, end = word[lead:tail], lead, tail
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
    tokens += [new_token(Token, (kind, text, delimited, base + rel)) for kind, text, rel in line_tokens(line)]


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
def row_tokens(line: str, indented: bool, borders: tuple[bool, bool] = (True, True)) -> tuple[Token, ...]:
    """The tokens of one stripped line, offsets counted from its start. Cached: a table's rows
    (`| 0 | 0 | 0 |`, `1.属于国家秘密`) recur in every report."""
    tokens: list[Token] = []
    append = tokens.append
    if "<" in line:  # a break in a cell, a comment, an underline (<u>0 0</u>): spaces of the same length
        line = _BR().sub(lambda m: " " * len(m.group(0)), line)
    if "|" in line:
        if not line.replace("|", "").strip() and not _EMPTY_ROW.fullmatch(line):
            # Pipes alone. One cell per line with a trailing pipe (corpus r021, r026): a lone
            # "|" is an empty cell; "||" or "| |||" is the padding that ends a row. (Empty cells
            # between pipes, `|  |  |  | ||`, are a row printed blank: read as cells below.)
            append(new_token(Token, ("blank", "", True, 0)) if line == "|" else ROW_END)
            return tuple(tokens)
        if MD_RULE.match(line):
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
            if cell and ("页" in cell or " " in cell) and _PAGE.search(cell):
                # a page's footer that a PDF's text or a cell's line put inside it (`373— 4 —`): never text of it
                printed = raw_cell.strip()
                raw_cell = _PAGE.sub(lambda m: " " * len(m.group(0)), raw_cell)
                cell = raw_cell.strip() or printed
            if not cell:
                append(new_token(Token, ("blank", "", True, o + len(raw_cell) // 2)))
            elif furniture_cell().match(cell):
                pass  # a page's footer that a PDF's text put inside a row (`| 0 | — 4 — | 2 |`): never a cell
            else:
                c = o + raw_cell.find(cell[0])
                if cell.isascii() and cell.isdigit():
                    append(new_token(Token, ("value", cell, True, c)))
                elif cell == "---":  # pandoc writes a printed — as ---
                    append(new_token(Token, ("value", cell, True, c)))
                elif not _HAS_DIGIT_OR_DASH.search(cell):
                    append(new_token(Token, ("label", "".join(cell.split()), True, c)))
                else:
                    _extend(tokens, cell, True, c)
            o += len(raw_cell) + 1
        append(PADDED_ROW_END if padded else ROW_END)
    elif ("页" in line or " " in line) and _PAGE.search(line):  # a page's footer inside a row's line: never a value
        _extend(tokens, _PAGE.sub(lambda m: " " * len(m.group(0)), line), False, 0)
    elif line.isascii() and line.isdigit():  # one cell per line: the common case
        append(new_token(Token, ("value", line, False, 0)))
    elif not _HAS_DIGIT_OR_DASH.search(line):  # words only: one label
        append(new_token(Token, ("label", "".join(line.split()), False, 0)))
    else:
        _extend(tokens, line, False, 0)
    return tuple(tokens)


# `第 3 页`, or a page number between two like dashes set apart by spaces (`— 12 —`, `- 5 -`; a sign
# is printed against its number)
_PAGE = re.compile(rf"{PAGE_OF}|([—–－-])[ \t]+\d{{1,3}}[ \t]+\1")


def cell_index(line: str, start: int) -> int:
    """The index of the cell an offset of a pipe row falls in: the pipes before it."""
    return line.count("|", 0, start)
