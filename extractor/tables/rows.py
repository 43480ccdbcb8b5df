"""Tokens to template rows: which printed row is which, by keyword, with order as the fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.normalize import match_key
from extractor.tables.template import Column, RowSpec
from extractor.tables.tokens import Token, tokenize
from extractor.tables.values import RowValues, assign_row


@dataclass
class Segment:
    """A printed row: the label text before its values, and its items ("" for a blank cell)."""

    label: str
    items: list[str] = field(default_factory=list)
    delimited: bool = False

    @property
    def has_values(self) -> bool:
        return any(self.items) or (self.delimited and bool(self.items))


def segments(tokens: list[Token]) -> list[Segment]:
    segs: list[Segment] = []
    current = Segment("")
    labels: list[str] = []

    def close() -> None:
        nonlocal current, labels
        if current.items or labels:
            current.label = "".join(labels)
            segs.append(current)
        current, labels = Segment(""), []

    for tok in tokens:
        if tok.kind == "label":
            if current.items:  # a label after values starts the next row
                close()
            labels.append(tok.text)
        elif tok.kind in ("value", "blank"):
            current.items.append(tok.text)
            current.delimited |= tok.delimited
        else:  # row end of a pipe row
            close()
    close()
    return segs


_PARENTHETICAL = re.compile(r"\([^()]{2,}\)")


_KEYWORDS: dict[int, re.Pattern[str]] = {}


def _keywords(specs: tuple[RowSpec, ...]) -> re.Pattern[str]:
    """All rows' keywords as one alternation; group rN is row N. Cached by identity: the spec
    tuples are module constants, and hashing them costs more than the match."""
    pattern = _KEYWORDS.get(id(specs))
    if pattern is None:
        pattern = re.compile("|".join(f"(?P<r{i}>{spec.pattern.pattern})" for i, spec in enumerate(specs)))
        _KEYWORDS[id(specs)] = pattern
    return pattern


_BEST: dict[tuple[str, int], int | None] = {}


def best_row(label: str, specs: tuple[RowSpec, ...]) -> int | None:
    """The row whose keyword comes last in the label: the row label sits right before its values,
    after any header words that the flattening put in front of it. Cached per label: labels recur."""
    cache_key = (label, id(specs))
    if cache_key in _BEST:
        return _BEST[cache_key]
    if len(_BEST) > 50_000:
        _BEST.clear()
    _BEST[cache_key] = found = _best_row(label, specs)
    return found


def _best_row(label: str, specs: tuple[RowSpec, ...]) -> int | None:
    # Instructions in brackets name other rows: 其他主动公开文件(指规章、规范性文件以外的文件) (湖北 2020).
    key = _PARENTHETICAL.sub("", match_key(label))
    last = None
    for last in _keywords(specs).finditer(key):
        pass
    return int(last.lastgroup[1:]) if last is not None and last.lastgroup else None


@dataclass
class RowsRead:
    rows: dict[int, RowValues]  # spec index -> values
    labels: dict[int, str]  # spec index -> printed label
    by_order: list[int]  # spec indexes assigned by position, not keyword
    extras: list[Segment]
    duplicates: list[int]


# Words of the column headers: a delimited row of them with empty padding cells is a header.
_HEADER_WORDS = re.compile(r"自然人|商业企业|法人或其他组织|申请人情况|信息内容|结果维持")


def read_rows(text: str, specs: tuple[RowSpec, ...]) -> RowsRead:
    segs = [
        s for s in segments(tokenize(text))
        if s.has_values and (any(s.items) or not _HEADER_WORDS.search(match_key(s.label)))
    ]
    idx = [best_row(s.label, specs) for s in segs]

    # Order fallback: an unrecognised row between two recognised ones that are one row apart.
    by_order: list[int] = []
    matched = [i for i, x in enumerate(idx) if x is not None]
    for a, b in zip(matched, matched[1:]):
        if b - a == 2 and idx[a] is not None and idx[b] is not None and idx[b] - idx[a] == 2:
            idx[a + 1] = idx[a] + 1
            by_order.append(idx[a] + 1)

    rows: dict[int, RowValues] = {}
    labels: dict[int, str] = {}
    extras: list[Segment] = []
    duplicates: list[int] = []
    first, last = (matched[0], matched[-1]) if matched else (0, -1)
    for pos, (seg, spec_i) in enumerate(zip(segs, idx)):
        if spec_i is None:
            if first < pos < last and seg.label and any(seg.items):
                extras.append(seg)
            continue
        values = assign_row(seg.items, specs[spec_i].columns, seg.delimited)
        if spec_i in rows:
            # A sentence that names a row and a number can precede the table: keep the
            # reading that fits the row's columns.
            if (rows[spec_i].cells is None and values.cells is not None) or (
                not any(rows[spec_i].raw_items) and any(values.raw_items)
            ):
                rows[spec_i], labels[spec_i] = values, seg.label
            elif any(seg.items):
                duplicates.append(spec_i)
            continue
        rows[spec_i], labels[spec_i] = values, seg.label
    return RowsRead(rows, labels, by_order, extras, duplicates)


def read_single_row(text: str, columns: tuple[Column, ...]) -> RowValues | None:
    """Table 四: one data row of values under a header with no row label."""
    tokens = tokenize(text)
    runs: list[tuple[list[str], bool]] = []
    items: list[str] = []
    delimited = False
    pending_blanks: list[str] = []
    for tok in tokens:
        if tok.kind == "value":
            items.extend(pending_blanks)
            pending_blanks = []
            items.append(tok.text)
            delimited |= tok.delimited
        elif tok.kind == "blank":
            (items if items else pending_blanks).append("")
        elif tok.kind == "row_end":
            if not items:
                pending_blanks = []
            continue
        else:
            if items:
                runs.append((items, delimited))
            items, delimited, pending_blanks = [], False, []
    if items:
        runs.append((items, delimited))
    if not runs:
        return None
    # The first run that fills the row; a year in a sentence ("2020 年，…") is a run too.
    readings = [assign_row(run, columns, delim) for run, delim in runs]
    complete = next((r for r in readings if r.cells is not None), None)
    if complete is not None:
        return complete
    return max(readings, key=lambda r: sum(len(i) for i in r.raw_items))
