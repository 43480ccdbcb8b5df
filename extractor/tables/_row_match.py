"""Which template row a printed label names: the row whose keyword comes last in it
(`best_row`), remembered per table's row specs (`label_rows`: labels recur in every report).

Public API: `best_row`, `label_rows`.
"""

from __future__ import annotations

import re

from extractor.document import match_key
from extractor.tables._header_words import header_words
from extractor.tables._memo import per_object
from extractor.tables._template import RowSpec

__all__ = ["best_row", "label_rows"]

_PARENTHETICAL = re.compile(r"\([^()]{2,}\)")


@per_object(maxsize=64)
def _keywords(specs: tuple[RowSpec, ...]) -> re.Pattern[str]:
    """All rows' keywords as one alternation; group rN is row N."""
    return re.compile("|".join(f"(?P<r{i}>{spec.keyword})" for i, spec in enumerate(specs)))


def best_row(label: str, specs: tuple[RowSpec, ...]) -> int | None:
    """The row whose keyword comes last in the label: the row label sits right before its values,
    after any header words that the flattening put in front of it."""
    found = label_rows(specs)
    if label not in found:
        if len(found) > 50_000:  # labels remembered per table (labels recur in every report)
            found.clear()
        found[label] = _best_row(specs, label)
    return found[label]


@per_object(maxsize=64)
def label_rows(specs: tuple[RowSpec, ...]) -> dict[str, int | None]:
    """best_row's answers by label for one table's specs (a dict _read_rows looks in directly)."""
    return {}


def _best_row(specs: tuple[RowSpec, ...], label: str) -> int | None:
    # Instructions in brackets name other rows: 其他主动公开文件(指规章、规范性文件以外的文件) (湖北 2020).
    key = _PARENTHETICAL.sub("", match_key(label))
    last = None
    for last in _keywords(specs).finditer(key):  # noqa: B007 - the loop keeps the last match
        pass
    if last is None or not last.lastgroup:
        return None
    if last.end() < len(key) and _header_words_only(key[last.end():], header_words(specs).values):
        return None  # a column header's word (`…组织总计商业企业…其他`): a header ran into the row, its label lost
    if last.end() < len(key):
        # A keyword before the label's own enumerator is the rest of the row above, wrapped
        # past its values (`…于国家秘密` + `2.其`): this row's own label did not match.
        enumerator = None
        for enumerator in _ENUMERATOR.finditer(key, last.end()):  # noqa: B007 - the first match, if any
            break
        if enumerator is not None:
            return None
    return int(last.lastgroup[1:])


def _header_words_only(rest: str, words: frozenset[str]) -> bool:
    """Whether `rest` is column headers' words, one after another (the longest first at each point)."""
    while rest:
        word = max((w for w in words if w and rest.startswith(w)), key=len, default="")
        if not word:
            return False
        rest = rest[len(word):]
    return True


# An enumerator that starts a row label, in match_key's forms: 二. (三) 2.
_ENUMERATOR = re.compile(r"(?:[一二三四五六七八九十]+\.|\([一二三四五六七八九十]+\)|(?<!\d)\d{1,2}\.(?!\d))")
