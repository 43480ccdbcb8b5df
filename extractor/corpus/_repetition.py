"""The batch signal: how many other bodies' reports in a run print nearly the same statement.

A statement copied from report to report is boilerplate whatever it names (taxonomy.md). Each
statement is reduced to a sample of its character shingles (`phrases.shingles`, one in
`SAMPLE` kept by hash, so a batch of 10,000 reports stays small in memory); another report holds
a near-duplicate when it contains at least `NEAR` of those shingles in one of its statements.
Reports of the same body (by normalised name) do not count: a body repeating itself year on
year is the cross-year finding, not this one.
Public API: `BatchIndex`.
"""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict

from extractor.review import shingles

__all__ = ["BatchIndex", "NEAR", "SAMPLE", "same_body"]

MIN_BODY = 4  # the shortest name that a suffix match counts for


def same_body(a: str, b: str) -> bool:
    """One body under two spellings: with and without its region prefix (淮安市洪泽区人民政府 /
    洪泽区人民政府)."""
    return a == b or (min(len(a), len(b)) >= MIN_BODY and (a.endswith(b) or b.endswith(a)))


SAMPLE = 3  # keep shingles whose hash is 0 mod SAMPLE
NEAR = 0.6  # share of a statement's sampled shingles another report must contain
MIN_SHINGLES = 4  # statements shorter than this (after sampling) are not compared
# A section 五 holds tens of statements; past this many in one report (a hostile or broken file)
# the rest are not indexed, so one file cannot take the batch's memory (issue 20, item 8).
MAX_STATEMENTS = 1000


def _sampled(text: str) -> frozenset[int]:
    out = set()
    for sh in shingles(text):
        h = zlib.crc32(sh.encode("utf-8"))
        if h % SAMPLE == 0:
            out.add(h)
    return frozenset(out)


class BatchIndex:
    def __init__(self) -> None:
        self._where: dict[int, set[int]] = defaultdict(set)  # shingle -> reports holding it
        self._body: list[str] = []
        self._statements: dict[str, list[frozenset[int]]] = {}
        self._report_of: dict[str, int] = {}
        # statement -> (bodies of the reports holding it, their total, counts by every name suffix)
        self._memo: dict[frozenset[int], tuple[Counter[str], int, Counter[str]]] = {}

    def add(self, report: str, body: str, statements: list[str]) -> None:
        idx = len(self._body)
        self._body.append(body)
        self._report_of[report] = idx
        sampled = [_sampled(t) for t in statements[:MAX_STATEMENTS]]
        self._statements[report] = sampled
        for s in sampled:
            for h in s:
                self._where[h].add(idx)

    def repeats(self, report: str) -> list[int]:
        """For each statement of the report (the first MAX_STATEMENTS): how many other bodies'
        reports print it too.
        The reports that hold a statement are found once per distinct statement (a batch where
        thousands of reports print the same sentence would otherwise cost the square of that)."""
        me = self._report_of[report]
        body = self._body[me]
        out = []
        for s in self._statements[report]:
            if len(s) < MIN_SHINGLES:
                out.append(0)
                continue
            memo = self._memo.get(s)
            if memo is None:
                hits: dict[int, int] = defaultdict(int)
                for h in s:
                    for other in self._where[h]:
                        hits[other] += 1
                need = NEAR * len(s)
                holders = Counter(self._body[o] for o, n in hits.items() if n >= need)
                memo = self._memo[s] = (holders, sum(holders.values()), _suffix_counts(holders))
            out.append(memo[1] - _same_body_count(body, memo[0], memo[2]))
        return out


def _suffix_counts(holders: Counter[str]) -> Counter[str]:
    """For every name suffix of MIN_BODY characters or more: how many holders' names end with it."""
    by_suffix: Counter[str] = Counter()
    for b, n in holders.items():
        for i in range(len(b) - MIN_BODY + 1):
            by_suffix[b[i:]] += n
    return by_suffix


def _same_body_count(body: str, holders: Counter[str], by_suffix: Counter[str]) -> int:
    """How many of the holders are `same_body` as body, from the counts by name and by suffix,
    not by comparing with every holder (a sentence that thousands of reports print has thousands
    of holders): the body itself, the longer names ending with it, and its own suffixes."""
    n = holders.get(body, 0)
    if len(body) >= MIN_BODY:
        n += by_suffix.get(body, 0) - holders.get(body, 0)  # names ending with it, itself excepted
    n += sum(holders.get(body[i:], 0) for i in range(1, len(body) - MIN_BODY + 1))  # its suffixes
    return n
