"""A row label cut by a page break: the row's values beside the label's first part at the foot of
one page, the rest of the label in a row of its own, with no value, at the top of the next
(pymupdf4llm: `||2.没<br>有现<br>成信|0|0|…` … `||息需<br>要另<br>行制<br>作|||||`). The first part
matches no row, and the rest may match the row by itself (`另行制作`), with no value: read apart,
the row's values are lost.

Joined only where the template's label proves the cut: the label printed with the values ends
with the label's start, and the row below prints exactly the rest (its last label cell, or all
of them: `予公开` `家秘密` under `（三）不 1.属于国`), the row is taken by no other printed row,
and it lies between the rows matched above and below it. Values are never moved: only which row
a printed row is.

The rest can also open the next row's own label instead of a row of its own (pymupdf4llm:
`||2.其<br>他法…<br>止公|8|…` at a page's foot, `||开<br>3.危<br>…|0|0|` at the next page's top; a
picture's text `逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请<br>3.其<br>他<br>（七）总计 31 31`
after `||2.申<br>请人|||`): the words before that row's own enumerator continue the cut item
(they may run past the template's words: `、行政机关不再处理…`), and the row below keeps its own row.

A row printed with no value, in text where blank cells leave nothing (a picture's text): its
whole label between the end of the label above and the next row's enumerator
(`…公开申请<br>3.其<br>他<br>（七）总计 31 31`: 3.其他 printed no value). It becomes a row of its own,
with no item: no value is placed in it, and the deduction reads its cells blank only where every
identity it touches holds (_place.placements).

Rows whose labels a converter scattered past reading (pymupdf4llm: `||（五<br>1.信|`, `||）不<br>访举|` …,
a few characters of two label columns a row) between two rows found, and with no number printed
between them: none of those rows printed a value. Each becomes a row of its own with no item
(`gap_rows`), read blank only where an identity over other rows holds with it.

Public API: `join_cut_labels`, `rows_inside`, `gap_rows`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.document import match_key
from extractor.lazy import lazy_pattern

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractor.tables._rows import Segment
    from extractor.tables._template import RowSpec

__all__ = ["gap_rows", "join_cut_labels", "rows_inside"]


def join_cut_labels(segs: Sequence[Segment], idx: list[int | None], specs: tuple[RowSpec, ...]) -> None:
    """Give a printed row whose label was cut by a page break its template row (in `idx`, by
    printed row); the row below holding the rest of its label is then no row."""
    for i in range(1, len(segs)):
        lower = segs[i]
        if any(lower.items) or not lower.pieces:
            continue
        u = i - 1
        while u > 0 and not segs[u].label and not any(segs[u].items):
            u -= 1  # the empty cell a row of the next page starts with (`||息需…`)
        upper = segs[u]
        if idx[u] is not None or not upper.label or not upper.delimited:
            continue
        found = _cut_row(match_key(upper.label), lower.pieces, specs)
        if found is None or any(x == found for j, x in enumerate(idx) if j != i):
            continue
        before = next((x for x in reversed(idx[:u]) if x is not None), -1)
        after = next((x for x in idx[i + 1:] if x is not None), len(specs))
        if before < found < after:
            idx[u], idx[i] = found, None
    _join_cut_starts(segs, idx, specs)


# An enumerator that opens a row's own label, in match_key's forms: 3. (七) 四.
_ENUMERATOR = lazy_pattern(r"(?<!\d)\d{1,2}\.(?!\d)|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+\.")


def _join_cut_starts(segs: Sequence[Segment], idx: list[int | None], specs: tuple[RowSpec, ...]) -> None:
    """A printed row matching no row whose label ends with a template item's start, where the next
    printed row's label opens with the item's rest before its own enumerator: that row's (the next
    row keeps its own, found by the words after the enumerator)."""
    for i in range(1, len(segs)):
        lower = segs[i]
        if idx[i] is None or not lower.label:
            continue
        u = i - 1
        while u > 0 and not segs[u].label and not any(segs[u].items):
            u -= 1  # the empty cell a row of the next page starts with
        upper = segs[u]
        if idx[u] is not None or not upper.label or not upper.delimited:
            continue  # (the common case, looked at first: the row above is matched)
        key = match_key(lower.label)
        enumerator = _ENUMERATOR().search(key)
        if enumerator is None or enumerator.start() == 0:
            continue
        rest = key[:enumerator.start()]
        head = match_key(upper.label)
        found = [n for n, spec in enumerate(specs) if _opens(head, rest, match_key(spec.label.rpartition("·")[2]))]
        if len(found) != 1 or found[0] in idx:
            continue
        before = next((x for x in reversed(idx[:u]) if x is not None), -1)
        after = next((x for x in idx[i:] if x is not None), len(specs))
        if before < found[0] < after:
            idx[u] = found[0]


def rows_inside(segs: list[Segment], idx: list[int | None], specs: tuple[RowSpec, ...]) -> None:
    """Rows printed with no value inside the label of the row below (a picture's text: `3.其他`
    between the rest of the row above and `（七）总计 31 31`; a text that drops blank cells: `5.属于三类
    内部事务信息` on a line of its own, joined to the next row's label): inserted before it, with no
    item, where the whole item label stands between two enumerators and the row lies, unread,
    between the rows matched above and below it."""
    taken = set(idx)
    before = -1  # the row matched last above (an inserted row is below it and above `own`)
    i = 0
    while i < len(segs):
        seg, own = segs[i], idx[i]
        i += 1
        if own is None:
            continue
        lo, before = before, own
        if not seg.label or own <= lo + 1:  # no row between the two matched: none is free
            continue
        free = [n for n in range(lo + 1, own) if n not in taken]
        if not free:  # (the common case: every row between is found; nothing to look for in the label)
            continue
        key = match_key(seg.label)
        starts = [m.start() for m in _ENUMERATOR().finditer(key)]
        found: list[tuple[int, str]] = []
        for a, b in zip(starts, starts[1:]):
            rows = [n for n in free if _whole_label(key[a:b], match_key(specs[n].label.rpartition("·")[2]))]
            if len(rows) == 1:
                found.append((rows[0], key[a:b]))
        for row, label in found:
            inner = type(seg)(label)
            inner.pieces = [label]
            segs.insert(i - 1, inner)
            idx.insert(i - 1, row)
            taken.add(row)
            i += 1


# A number in the text between two rows, not an enumerator (`1.`): a value, a page number, a footer
_NUMBER = re.compile(r"\d+(?![.．]\D)")


def gap_rows(segs: list[Segment], idx: list[int | None], specs: tuple[RowSpec, ...], text: str) -> None:
    """The template's rows between two rows found, the upper one a converter's table row (its
    values in its own cells), where every printed row between matches no row and prints no item,
    and the text between holds no number: each inserted before the lower row, with no item."""
    i = 0
    while i < len(segs):
        a = i
        i += 1
        if idx[a] is None or not segs[a].delimited:
            continue
        b = next((j for j in range(a + 1, len(segs)) if idx[j] is not None), None)
        if b is None:
            return
        upper, lower = idx[a], idx[b]
        assert upper is not None and lower is not None  # (mypy: tested above)
        missing = [n for n in range(upper + 1, lower) if n not in idx]
        if not missing or len(missing) != lower - upper - 1 or any(any(s.items) for s in segs[a + 1:b]):
            continue
        begin = max([*(at + len(item) for at, item in zip(segs[a].starts, segs[a].items)), *segs[a].label_at, 0])
        # (where the lower row was printed: a row inserted with no item was printed inside the next one's label)
        end = next((min(s.label_at + s.starts) for s in segs[b:] if s.label_at or s.starts), len(text))
        if begin >= end or _NUMBER.search(text, begin, end) or len(segs[a].items) > len(specs[upper].columns):
            continue
        for n in missing:
            inner = type(segs[a])(specs[n].label)
            segs.insert(b, inner)
            idx.insert(b, n)
            b += 1
        i = b + 1


def _whole_label(piece: str, item: str) -> bool:
    """Whether `piece` (from one enumerator to the next) is the item's label: the item's own
    enumerator, then its words, and at most the words a report adds after them
    (`（二）部分公开（区分处理的…）`, `1.申请人无正当理由逾期不补正、行政机关不再处理…`)."""
    lead = 0
    while (m := _ENUMERATOR().match(item, lead)) is not None and m.end() < len(item):
        start, lead = m.start(), m.end()
    if not lead:
        return False
    enumerator, words = item[start:lead], item[lead:]
    return piece.startswith(enumerator) and piece[len(enumerator):].startswith(words)


def _opens(head: str, rest: str, item: str) -> bool:
    """Whether `head` ends with the item's start, its enumerator and at least one word of it, and
    `rest` opens with the item's rest (or is all of it)."""
    enumerator = _ENUMERATOR().match(item)
    least = enumerator.end() + 1 if enumerator else 1
    return any(head.endswith(item[:cut]) and rest.startswith(item[cut:]) for cut in range(least, len(item)))


def _cut_row(upper: str, pieces: list[str], specs: tuple[RowSpec, ...]) -> int | None:
    """The one row whose label's item (after its group, `·`) is cut in two: `upper` ends with its
    start and the lower row's last label cell, or all its label cells, are the rest."""
    rests = {match_key(pieces[-1]), match_key("".join(pieces))}
    found = [n for n, spec in enumerate(specs) if _is_cut(upper, rests, match_key(spec.label.rpartition("·")[2]))]
    return found[0] if len(found) == 1 else None


def _is_cut(upper: str, rests: set[str], item: str) -> bool:
    return any(0 < len(item) - len(rest) < len(item) and item.endswith(rest) and upper.endswith(item[:len(item) - len(rest)])
               for rest in rests if rest)
