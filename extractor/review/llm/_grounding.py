"""Finding a model's quote in the section, with an alignment status (as LangExtract does).

`exact`: the quote is a span of the section (white space between characters may differ: PDF
line breaks). `fuzzy`: it matches once punctuation, character width and white space are
normalised (the model wrote `,` for `，`, straight quotes for curly ones, a half-width digit);
the offsets are those of the section's own text, so the statement's text stays verbatim.
None: no match — only such quotes are re-asked.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["align", "normalised"]

_WS = re.compile(r"\s+")
# after NFKC (which folds full-width ，；：（）！？ and digits), the CJK punctuation NFKC keeps
_PUNCT = str.maketrans({
    "。": ".", "、": ",", "，": ",", "；": ";", "：": ":", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"',
    "」": '"', "『": '"', "』": '"', "《": "<", "》": ">", "〈": "<", "〉": ">", "【": "[", "】": "]", "〔": "(",
    "〕": ")", "—": "-", "–": "-", "－": "-", "―": "-", "·": ".", "・": ".", "～": "~", "﹐": ",",
})


def _fold(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).translate(_PUNCT)


@lru_cache(maxsize=64)
def normalised(text: str) -> tuple[str, tuple[int, ...]]:
    """The text folded (NFKC, punctuation classes, no white space), and for each of its
    characters the offset of the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        folded = _fold(ch)
        for f in folded:
            if not f.isspace():
                out.append(f)
                where.append(i)
    return "".join(out), tuple(where)


def _exact(section: str, quote: str, after: int) -> tuple[int, int] | None:
    i = section.find(quote, after)
    if i < 0 and after:
        i = section.find(quote)
    if i >= 0:
        return i, i + len(quote)
    pattern = r"\s*".join(re.escape(ch) for ch in _WS.sub("", quote))
    m = re.compile(pattern).search(section, after) or (re.compile(pattern).search(section) if after else None)
    return (m.start(), m.end()) if m else None


def align(section: str, quote: str, after: int = 0) -> tuple[int, int, str] | None:
    """(start, end, "exact" | "fuzzy") of the quote in the section, preferring a match at or
    after `after`; None when it is not there even after normalising."""
    quote = quote.strip()
    if not quote:
        return None
    span = _exact(section, quote, after)
    if span is not None:
        return span[0], span[1], "exact"
    folded, where = normalised(section)
    needle = normalised(quote)[0]
    if not needle:
        return None
    start_at = next((k for k, i in enumerate(where) if i >= after), len(where)) if after else 0
    k = folded.find(needle, start_at)
    if k < 0 and start_at:
        k = folded.find(needle)
    if k < 0:
        return None
    start, end = where[k], where[k + len(needle) - 1] + 1
    return start, end, "fuzzy"
