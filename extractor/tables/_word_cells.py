"""A pipe cell of words where a row prints its values (`| 74 | 无 |`, `| 18 | 无 | 54 |`, `| 行政强制 |
无 | -2 |`): a value printed as words, one cell of that row (text, no number), unless it names a
row of the table or holds its header's words.

Read as a label it joined the row's label or started a next row, so the row came out a cell
short: its values were then placed one column off, or one of them split as glued digits (`74`
read as 7 and 4).

Public API: `words_in_value_cells`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.document import Token, match_key

__all__ = ["words_in_value_cells"]

_MARKUP = re.compile(r"(?:\s|<[^<>\n]*>)*")  # a converter's <br> or <u> around a cell's words


def _whole_cell(text: str, at: int, words: str) -> bool:
    """Whether the label `words` at `at` is all of its pipe cell (not words beside digits in one);
    a row printed without border pipes begins its first cell at the line's start."""
    left = max(text.rfind("|", 0, at), text.rfind("\n", 0, at))
    if not _MARKUP.fullmatch(text, left + 1, at):
        return False
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    right = text.find("|", at, end)
    return "".join(_MARKUP.sub(" ", text[at:end if right < 0 else right]).split()) == words


def words_in_value_cells(tokens: list[Token], text: str, names: Callable[[str], str | None],
                         heading: Callable[[str], bool], width: int = 0) -> list[Token]:
    """`tokens` (of `text`) with each such cell of words made a value item of its row.
    `names(words)`: the label (match_key) of the row of the table they name, if any;
    `heading(words)`: whether they are its header's words. Words right after the cell naming
    their row are its cell only where the two do not join into that row's label (a label cut over
    two cells, `| 四、结转下年度 | 继续办 |`, stays one label). `width`: a table whose one row has no
    label (表四): words that begin a line are its first cell where the cells after them on the
    line are one fewer than its columns (`O | 2 | 2 | …`), else a label of the row (`数量 | 1 | …`)."""
    if "|" not in text:
        return tokens  # no pipe cells
    out: list[Token] | None = None
    base = 0  # the current line's offset in `text`
    valued = False  # a value printed before, on this line
    prev: Token | None = None
    for i, tok in enumerate(tokens):
        kind = tok.kind
        if kind == "value":
            valued = True
        elif kind == "line":
            base, valued = tok.start, False
        elif kind == "label" and tok.delimited:
            if valued:
                cell = True
            elif prev is not None and prev.kind == "label" and prev.delimited and _item_follows(tokens, i):
                after = names(prev.text) if _whole_cell(text, base + prev.start, prev.text) else None
                cell = after is not None and match_key(prev.text + tok.text) not in after
            else:
                cell = bool(width) and _cells_after(tokens, i) == width - 1
            if (cell and names(tok.text) is None and not heading(tok.text)
                    and _whole_cell(text, base + tok.start, tok.text)):
                if out is None:
                    out = list(tokens)
                out[i] = Token("value", tok.text, True, tok.start)
        prev = tok
    return tokens if out is None else out


def _item_follows(tokens: list[Token], i: int) -> bool:
    """A value or blank cell right after token `i` (the row goes on after the words)."""
    return i + 1 < len(tokens) and tokens[i + 1].kind in ("value", "blank")


def _cells_after(tokens: list[Token], i: int) -> int:
    """The cells after token `i` on its line, without the empty ones that end it (-1: words among them)."""
    cells: list[str] = []
    for tok in tokens[i + 1:]:
        if tok.kind in ("line", "row_end"):
            break
        if tok.kind == "label":
            return -1
        cells.append(tok.text)
    while cells and not cells[-1]:
        cells.pop()
    return len(cells)
