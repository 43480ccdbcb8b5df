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
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

TokenKind = Literal["label", "value", "blank", "row_end"]


class Token(NamedTuple):  # a tuple, not a frozen dataclass: a report has hundreds, built 3x faster
    kind: TokenKind
    text: str = ""
    delimited: bool = False  # from a pipe row, where a blank cell is a real cell


ROW_END = Token("row_end", delimited=True)
BLANK_CELL = Token("blank", "", True)  # an empty cell of a pipe row: one shared (immutable) token
# The number cells' tokens, shared too: a table is mostly 0, 1, 2 …, so a lookup saves building one
_NUMBER_TOKENS: dict[tuple[str, bool], Token] = {}


def _number_token(text: str, delimited: bool) -> Token:
    token = _NUMBER_TOKENS.get((text, delimited))
    if token is None:
        if len(_NUMBER_TOKENS) > 4096:
            _NUMBER_TOKENS.clear()
        token = _NUMBER_TOKENS[(text, delimited)] = Token("value", text, delimited)
    return token
PADDED_ROW_END = Token("row_end", "padded", delimited=True)

# A printed value on its own: a number (signed, with thousands separators, decimals, unit),
# 减N / 增N, or a dash or slash alone.
VALUE_ITEM = re.compile(
    r"^(?:[减增+\-−－]?\s?\d[\d,，]*(?:\.\d+)?\s?(?:万元|元|笔|件|个|项|条)?|[-—－–―]{1,2}|[/／])$"
)
# Inside a word: a run of digits (with signs, points and a money unit) that ends the label
# before it. Digits followed by 年/月/日/条/件/% etc. belong to a sentence, not to a table.
_GLUED_RUN = re.compile(
    r"(?:(?<!\d)[减增]?\d|(?<=\d)[减增\-−－]\d)(?:\d|\.(?=\d)|[减增\-−－](?=\d))*(?:万元|元)?(?![\d年月日号条件个项次人%％‰万亿余多天小份篇期批家户名位类])"
)
_HAS_DIGIT_OR_DASH = re.compile(r"[\d０-９\-—－–―/／]")
_ENUMERATOR_AFTER = re.compile(r"[.、．](?=[^\d\s])")


def _split_word(word: str) -> list[Token]:
    """One white-space-free word into LABEL and VALUE tokens."""
    if VALUE_ITEM.match(word):
        return [Token("value", word)]
    tokens: list[Token] = []
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
            tokens.append(Token("label", word[pos:start]))
        tokens.append(Token("value", run))
        pos = end
    if pos < len(word):
        tokens.append(Token("label", word[pos:]))
    return tokens


@lru_cache(maxsize=16384)
def _line_tokens(line: str, delimited: bool) -> tuple[Token, ...]:
    """Cached: the same labels (1.属于国家秘密 …) recur in every report."""
    return tuple(_line_tokens_uncached(line, delimited))


def _line_tokens_uncached(line: str, delimited: bool) -> list[Token]:
    tokens: list[Token] = []
    label_parts: list[str] = []
    for word in line.split():
        for tok in _split_word(word):
            if tok.kind == "label":
                label_parts.append(tok.text)
                continue
            if label_parts:
                tokens.append(Token("label", "".join(label_parts), delimited))
                label_parts = []
            tokens.append(Token("value", tok.text, delimited))
    if label_parts:
        tokens.append(Token("label", "".join(label_parts), delimited))
    return tokens


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if "|" in line:
            cells = line.split("|")
            # A leading pipe is a border (`| 规章 | 0 |`), except in an indented pipe row that ends
            # with padding (` |  | 2 | … | ||`): there the row's first cell is empty, not absent.
            if line.startswith("|") and not (raw[:1].isspace() and line.endswith("||")):
                cells = cells[1:]
            if line.endswith("|") and cells:
                cells = cells[:-1]
            cells = [c.strip() for c in cells]
            if not any(cells):
                # Pipes alone. One cell per line with a trailing pipe (corpus r021, r026): a lone
                # "|" is an empty cell; "||" or "| |||" is the padding that ends a row.
                tokens.append(BLANK_CELL if line == "|" else ROW_END)
                continue
            if len(cells) == 1:  # `规章 |`: one cell on its line, the row continues below
                tokens.extend(_line_tokens(cells[0], False))
                continue
            padded = line.endswith("||")  # `| 0 | ||`: empty cells at the end are colspan padding
            for cell in cells:
                if not cell:
                    tokens.append(BLANK_CELL)
                elif cell.isascii() and cell.isdigit():
                    tokens.append(_number_token(cell, True))
                elif not _HAS_DIGIT_OR_DASH.search(cell):
                    tokens.append(Token("label", "".join(cell.split()), True))
                else:
                    tokens.extend(_line_tokens(cell, True))
            tokens.append(PADDED_ROW_END if padded else ROW_END)
        elif line.isascii() and line.isdigit():  # one cell per line: the common case
            tokens.append(_number_token(line, False))
        elif not _HAS_DIGIT_OR_DASH.search(line):  # words only: one label
            tokens.append(Token("label", "".join(line.split())))
        else:
            tokens.extend(_line_tokens(line, False))
    return tokens
