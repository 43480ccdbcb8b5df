"""Row labels a layout wrapped: the label read again from the lines it was printed on.

A narrow label column wraps its label over several lines. PDF-to-text converters print the
first line beside the row's values and the rest on lines of their own below (pdfplumber,
markitdown on PDF: `2.其 0 0 0 …` then `他法` `律行` …), so the rest reads as the start of the
next row's label. Where the group label beside it wraps too, each line holds a word of each
column (`（三 1.属` / `）不 于国`): the item's label is the last word of each line. And a
label printed across several narrow cells, each wrapped with `<br>` (pymupdf4llm:
`|一、本<br>公开申|年新收政<br>请数量|府信息|`), reads line by line across the cells.

These are other readings of the same printed words; the template's row labels decide which
one holds: a reading is taken only where it matches more of the table's rows than the text as
printed. Values are never moved by it: only which row a printed row is.

Public API: `wrapped_below`, `across_cells`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.lazy import lazy_pattern

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from extractor.tables._rows import Segment

__all__ = ["across_cells", "cut_at_enumerator", "wrapped_below"]

_BR = lazy_pattern(r"<br\s*/?>|<!--.*?-->|</?(?:u|b|i|em|strong|sup|sub|span)\b[^<>]*>", re.I)  # as tokens._BR
# The start of a label of its own (an enumerator, a header's 第二十条…): never the rest of the one above.
_NEW_LABEL = lazy_pattern(r"\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+条")
# A row label's own enumerator, as printed: 3. 3、 （三） 三、
_ENUMERATOR = lazy_pattern(r"(?<![\d.])\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十]+[)）]|(?<![（(])[一二三四五六七八九十]+、")


def _raw(text: str, start: int, label: str) -> str:
    """The label token `label` as printed from text[start:]: its white space and `<br>` kept
    (the token itself has them removed)."""
    need = len(label)
    i, n = start, len(text)
    while need > 0 and i < n:
        if text[i] == "<":
            m = _BR().match(text, i)
            if m:
                i = m.end()
                continue
        if text[i] in "|\n":
            break
        if not text[i].isspace():
            need -= 1
        i += 1
    return text[start:i]


def _line_of(text: str, offset: int) -> int:
    """The line an offset lies on, as the offset of the line break before it."""
    return text.rfind("\n", 0, offset)


def _value_line(seg: Segment, text: str) -> int:
    """The line of a segment's first value (-2: it has none)."""
    return _line_of(text, seg.starts[0]) if seg.starts else -2


def _parts(seg: Segment, text: str) -> list[tuple[int, int, str]]:
    """A segment's label tokens: (line, offset, text)."""
    return [(_line_of(text, at), at, piece) for at, piece in zip(seg.label_at, seg.pieces)]


def _lines(seg: Segment, text: str, own: bool) -> dict[int, list[str]]:
    """A segment's label words by line: the line of its values only (`own`), or the lines before it."""
    out: dict[int, list[str]] = {}
    value_line = _value_line(seg, text)
    for line, start, label in _parts(seg, text):
        if (line == value_line) == own:
            out.setdefault(line, []).extend(_BR().sub(" ", _raw(text, start, label)).split())
    return out


def wrapped_below(segs: Sequence[Segment], idx: list[int | None], text: str,
                  match: Callable[[str], int | None]) -> tuple[list[int | None], list[str]] | None:
    """The rows with each label's loose lines read as the rest of the row above them (the value
    line's label first): the row indexes and labels, where this matches more rows than `idx`
    (the labels as printed, loose lines starting the row below); None where it does not."""
    if all(idx[i] is not None for i, s in enumerate(segs) if any(s.items)):
        return None  # every row with values is named already
    rows = [i for i, s in enumerate(segs) if any(s.items) or idx[i] is not None]
    if len(rows) < 2 or not any(s.starts and s.label_at and s.label_at[0] < s.starts[0]
                                and _line_of(text, s.label_at[0]) < _value_line(s, text) for s in segs):
        return None
    out: list[int | None] = [None] * len(segs)
    labels = [s.label for s in segs]
    for k, r in enumerate(rows):
        lines = _lines(segs[r], text, True)
        if not lines:
            continue  # no label beside its values: its label is above it, as printed
        end = rows[k + 1] if k + 1 < len(rows) else len(segs)
        for j in range(r + 1, end):  # rows holding only label words: all of theirs
            lines.update(_lines(segs[j], text, True))
            lines.update(_lines(segs[j], text, False))
        if end < len(segs):  # the next row's loose lines before its values
            lines.update(_lines(segs[end], text, False))
        words = [lines[ln] for ln in sorted(lines) if lines[ln]]
        for n, w in enumerate(words[1:], 1):
            if _NEW_LABEL().match(w[0]):  # a numbered label or a header below starts something else
                words = words[:n]
                break
        if not words:
            continue
        last = "".join(w[-1] for w in words)  # the item column's word of each line
        whole = "".join("".join(w) for w in words)
        found = match(last)
        label = last
        if found is None:
            found, label = match(whole), whole
        if found is None and k == 0:
            found, label = idx[r], segs[r].label  # the first row's header words before it
        out[r], labels[r] = found, label
    before = {x for x in idx if x is not None}
    after = {x for x in out if x is not None}
    if len(after) <= len(before):
        return None
    return out, labels


def across_cells(seg: Segment, text: str, match: Callable[[str], int | None]) -> tuple[int, str] | None:
    """A row whose label was printed across several cells, each wrapped with `<br>`: the label
    read line by line across the cells (or across the last of them: a group's label cell before
    the item's), where that names a row."""
    value_line = _value_line(seg, text)
    cells = [_BR().split(_raw(text, start, label)) for line, start, label in _parts(seg, text) if line == value_line]
    if len(cells) < 2 or all(len(c) == 1 for c in cells):
        return None
    for first in range(len(cells) - 1):  # the group's cells before the item's may be left out
        part = cells[first:]
        depth = max(map(len, part))
        label = "".join("".join(c[k].split()) for k in range(depth) for c in part if k < len(c))
        found = match(label)
        if found is not None:
            return found, label
    return None


def cut_at_enumerator(segs: Sequence[Segment], idx: list[int | None], match: Callable[[str], int | None]) -> None:
    """Rows whose label starts with the rest of the label above, cut off by a page break and
    printed before this row's own enumerator (`2.其他…禁止公` | `开 3.危及…`): where the row above
    names no row as printed and does with that rest, both rows are named (in place)."""
    for i in range(1, len(segs)):
        if idx[i - 1] is not None or not any(segs[i - 1].items):
            continue
        label = segs[i].label
        m = _ENUMERATOR().search(label, 1)
        if m is None:
            continue
        above = match(segs[i - 1].label + label[:m.start()])
        if above is None or above in idx:
            continue
        own = idx[i] if idx[i] is not None else match(label[m.start():])
        if own != above:
            idx[i - 1], idx[i] = above, own
            segs[i - 1].label += label[:m.start()]
            segs[i].label = label[m.start():]
