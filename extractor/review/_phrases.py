"""The boilerplate phrase library: wording that several bodies' reports print in section 五.

Mined from the development part of the corpus by `eval/mine_phrases.py` (rerun it when the
corpus grows): every run of `SHINGLE` characters, after folding punctuation, white space and
digits, that stands in the section 五 of two or more different bodies. A statement mostly made
of such runs was copied, whatever it names (taxonomy.md "Boilerplate").
Public API: `normalise`, `shingles`, `corpus_coverage`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from extractor.document import fold_chars

__all__ = ["SHINGLE", "corpus_coverage", "coverage", "library", "normalise", "shingles"]

SHINGLE = 8
_DROP = re.compile(r"[\s\W_]+")
_DIGITS = re.compile(r"\d")


def normalise(text: str) -> str:
    """Characters only: punctuation and white space dropped, digits folded (years do not count)."""
    return _DIGITS.sub("0", _DROP.sub("", fold_chars(text)))


def shingles(text: str, k: int = SHINGLE) -> list[str]:
    s = normalise(text)
    return [s[i:i + k] for i in range(len(s) - k + 1)]


@cache
def library() -> frozenset[str]:
    data = resources.files("extractor.review").joinpath("data/boilerplate_shingles.txt")
    if not data.is_file():
        return frozenset()
    return frozenset(line for line in data.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))


def coverage(text: str, known: frozenset[str] | set[str], k: int = SHINGLE) -> float:
    """Share of the statement's characters that lie inside a known shingle."""
    s = normalise(text)
    if len(s) < k:
        return 0.0
    covered = bytearray(len(s))
    for i in range(len(s) - k + 1):
        if s[i:i + k] in known:
            covered[i:i + k] = b"\x01" * k
    return sum(covered) / len(s)


def corpus_coverage(text: str) -> float:
    lib = library()
    return coverage(text, lib) if lib else 0.0
