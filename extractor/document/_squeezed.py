"""A text without its white space, each kept character mapped back to its offset in the text:
where section headings are looked for (_sections.py), since crawled reports run the whole body
on one line and PDF text breaks headings.

Public API (private to the package): `Squeezed`.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, repeat
from operator import sub

__all__ = ["Squeezed"]

_USUAL_SPACES = (" ", "\t", "\u3000")  # the white space a report's lines hold (besides rarer ones)
_NON_SPACE = re.compile(r"\S")  # what str.isspace() is false for, the same code points


class Squeezed:
    """The text without white space, mapping a kept character back to its offset in `text`.

    All by C-level string passes, never a Python step per character or per run of characters
    (regex `\\s` on CJK text costs ~15 ns a character; str.split is many times faster, and
    matches the same characters): lines are indexed by their count of non-space characters,
    and within a line a lookup counts forward from the previous one (lookups come in text order)."""

    def __init__(self, text: str):
        self._text = text
        self.text = "".join(text.split())
        self._line_starts: list[int] | None = None  # squeezed index where each line starts
        self._line_offsets: list[int] = []  # ... and the line's offset in the text
        self._cursor = (-1, 0, 0)  # the last lookup: line, squeezed index in it, offset in the text
        self._ahead = (-1, 0)  # the last lookup by _forward: squeezed index, offset in the text
        self._spaces: tuple[str, ...] | None = None  # the white space characters the text holds (_forward)

    def _index(self) -> list[int]:
        """Builds the line index; returns the lines' squeezed starts."""
        if "\n" not in self._text:  # a crawled body on one line
            self._line_starts, self._line_offsets = [0], [0]
            return self._line_starts
        # every pass in C (map, accumulate), none a Python step per line: HTML text has hundreds
        text = self._text
        lines = text.split("\n")
        lengths = list(map(len, lines))
        usual = [ch for ch in _USUAL_SPACES if ch in text]
        if sum(map(text.count, usual)) == len(text) - len(self.text) - (len(lines) - 1):
            # no white space but newlines and these: a line's characters less its count of each
            # (str.count, not a split into words: a grid row printed `| 0 | 1 |` has dozens)
            kept = lengths
            for ch in usual:
                kept = list(map(sub, kept, map(str.count, lines, repeat(ch))))
        else:
            kept = list(map(len, map("".join, map(str.split, lines))))
        starts = list(accumulate(kept, initial=0))
        offsets = list(accumulate(map((1).__add__, lengths), initial=0))
        starts.pop()
        offsets.pop()
        self._line_starts, self._line_offsets = starts, offsets
        return starts

    def origin(self, i: int) -> int:
        """Offset in the text of squeezed character i (past the last one: after its line's last)."""
        if i < len(self.text):
            return self._forward(i)
        starts = self._line_starts if self._line_starts is not None else self._index()
        text = self._text
        row = bisect.bisect_right(starts, i) - 1
        left, offset = i - starts[row], self._line_offsets[row]
        end = self._line_offsets[row + 1] - 1 if row + 1 < len(starts) else len(text)
        line_total = (starts[row + 1] if row + 1 < len(starts) else len(self.text)) - starts[row]
        if left >= line_total:  # the very end: just after the line's last non-space character
            return offset + len(text[offset:end].rstrip())
        c_row, c_left, c_pos = self._cursor
        pos, need = (c_pos, left - c_left) if c_row == row and c_left <= left else (offset, left)
        while need > 0:  # skip `need` non-space characters: a chunk at a time, counted by split
            chunk = text[pos:min(pos + need, end)]
            if not chunk:
                break  # not reached: the line has more than `left` non-space characters
            pos += len(chunk)
            need -= sum(map(len, chunk.split()))
        if pos < end and text[pos].isspace():  # onto the character itself (pos < end: left < line_total),
            m = _NON_SPACE.search(text, pos, end)  # past a run of spaces in C, not a step each
            pos = m.start() if m else end
        self._cursor = (row, left, pos)
        return pos


    def _forward(self, i: int) -> int:
        """origin() of a character of the squeezed text, counted forward from the last one looked up
        (lookups come in text order) in chunks whose non-space characters str.split counts: no index
        of the lines is built (a text of short lines spent more on one than on its dozen lookups)."""
        text = self._text
        if self._spaces is None:
            # the white space the text holds, where it is only the usual kinds: counted with
            # str.count (no list of words made per chunk); () where others occur (str.split counts)
            usual = [ch for ch in ("\n", *_USUAL_SPACES) if ch in text]
            self._spaces = tuple(usual) if sum(map(text.count, usual)) == len(text) - len(self.text) else ()
        spaces = self._spaces
        c_i, c_pos = self._ahead
        pos, need = (c_pos, i - c_i) if 0 <= c_i <= i else (0, i)
        while need > 0:  # skip `need` non-space characters, from the last one found (counted) on
            chunk = text[pos:pos + need]
            if not chunk:
                break  # not reached: the text has more than i non-space characters
            pos += len(chunk)
            need -= len(chunk) - sum(map(chunk.count, spaces)) if spaces else sum(map(len, chunk.split()))
        if pos < len(text) and text[pos].isspace():  # onto the character itself, past spaces in C
            m = _NON_SPACE.search(text, pos)
            pos = m.start() if m else len(text)
        self._ahead = (i, pos)
        return pos
