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

from extractor.document._line_tokens import (
    BLANK_CELL,
    CELLS_ROW_END,
    MD_PADDED_ROW_END,
    MD_ROW_END,
    PADDED_ROW_END,
    ROW_END,
    Token,
    absolute,
    line_tokens,
    new_token,
    row_tokens,
)
from extractor.document._md_columns import NO_HEADERS, Columns, HeaderWords, label_columns, markdown_tables, outside
from extractor.document._pipes import double_spaced, has_borders

__all__ = ["BLANK_CELL", "HeaderWords", "Token", "absolute", "line_tokens", "tokenize"]


def tokenize(text: str, open_ends: bool = False, headers: HeaderWords = NO_HEADERS) -> list[Token]:
    """The tokens of a text: per non-empty line a LINE token (its offset in `text`), then the
    line's tokens (offsets in the line). `open_ends`: read this text's rows as the document's
    that end with no pipe after a filled cell (`open_row_ends`): where its rows have no border at
    their start and all end with a pipe (`closed_rows`), that pipe opens an empty last cell.
    `headers`: the table's header words, which tell a converter's header cell that holds two
    columns (_md_columns.merged_cells)."""
    tokens: list[Token] = []
    pos = 0
    lines = text.split("\n")
    piped = "|" in text
    borders = has_borders(lines) if piped else (True, True)
    # Rows with no border at their start that all end with a pipe: a border at their end, unless
    # read as the document's rows that end open (`a | b | c`): then `a | b | ` ends with an empty cell.
    open_row = open_ends and borders == (False, True)
    known = label_columns(lines, borders, headers) if piped else Columns({}, {}, set())
    labelled, merges = known.labels, known.merges
    markdown, unheaded = markdown_tables(lines, borders) if piped and "---" in text else (frozenset(), frozenset())
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
        tokens.append(new_token(Token, ("line", "", False, at)))
        if spaced and empty > 1 and "|" not in line:
            # Cells one per line, each followed by a blank line (docx2txt): each further pair of
            # blank lines is an empty cell.
            tokens += [BLANK_CELL] * (empty // 2)
        empty = 0
        columns = labelled.get(i)
        merged = merges.get(i)
        if merged:
            tokens += outside(row_tokens(line, indented, borders), line, columns or set(), merged, i in known.headed)
        elif i in unheaded:
            row = outside(row_tokens(line, indented, borders), line, columns) if columns else row_tokens(line, indented, borders)
            tokens += [CELLS_ROW_END if t is ROW_END or t is PADDED_ROW_END else t for t in row if t.kind != "blank"]
        elif columns:
            tokens += outside(row_tokens(line, indented, borders), line, columns, None, i in known.headed)
        elif i in markdown and not line.strip("| ") and line.count("|") > 2:
            # A markdown row of empty cells (a piece whose values were all printed blank): each
            # cell is an empty cell, not the padding that pipes alone end a row with elsewhere.
            tokens += [BLANK_CELL] * (line.count("|") - 1) + [MD_ROW_END]
        elif i in markdown:
            tokens += [MD_ROW_END if t is ROW_END else MD_PADDED_ROW_END if t is PADDED_ROW_END else t
                       for t in row_tokens(line, indented, borders)]
        elif open_row and line[-1] == "|":
            tokens += row_tokens(line, indented, _OPEN)
        else:
            tokens += row_tokens(line, indented, borders)
    if spaced and empty > 2:
        # The run of line breaks after the last cell (a table's section text given with the line
        # breaks up to the next heading, `with_tail`): its blank cells, by the same count as
        # between cells (2 per cell; one more where the text ends, or another line follows).
        tokens.append(new_token(Token, ("line", "", False, len(text) - empty + 1)))
        tokens += [BLANK_CELL] * ((empty - 1) // 2)
    return tokens


_OPEN = (False, False)  # no border pipes: a pipe at either end of a row opens an empty cell
