"""Checks across sections: what 总体情况 and 六 say against the tables (ids `text_vs_table.*`).

They are findings, like the identities: a failed one means the report contradicts itself (r045:
"共收到政府信息公开申请0条" beside 本年新收 3). A number the text does not state is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import NamedTuple

from extractor.models import Check, ParseResult
from extractor.tables._keys import total_of
from extractor.tables._template import (
    CARRIED_OVER,
    CARRIED_TO_NEXT,
    FEE_UNPAID,
    RECEIVED_NEW,
    RESULTS_TOTAL,
    REVIEW_TOTAL,
)
from extractor.tables._values import MAX_DIGITS

__all__ = ["section_checks"]

# No digit before the number: on a long digit run every start would rescan the run (quadratic).
# The lookbehind sits after the first digit, so that the regex engine can scan for a digit fast.
_NUMBER = r"(\d(?<!\d\d)\d*)\s*"
_N = _NUMBER + r"(?:件|条|个)"
_SEP = r"[^。；;，,\d]"


class _Claim(NamedTuple):  # a NamedTuple, not a dataclass: a frozen dataclass costs 0.5 ms of start-up
    id: str
    label: str
    patterns: tuple[re.Pattern[str], ...]
    zero: re.Pattern[str] | None
    keys: tuple[str, ...]  # summed table cells
    alternative: tuple[str, ...] = ()  # an also-accepted sum (收到 may include the carried-over)


# The regex engine scans for a pattern that starts with an alternation (`(?:受理|收到…)`) by
# trying it at every character (~45 instructions each: 15-30 µs over a report's 总体情况 and
# tables), where str.find of a word takes ~5. So a pattern names the words each of its matches
# starts with (`_LEADS`): it is matched only where one of them stands, in order (the first
# match is the search's), each word found once for all the claims.
# The pattern that starts with the number (`_FROM_UNIT`) is matched from its unit, only where
# a unit stands within its anchor's reach before one of the words it holds (`_ANCHORS`).
# tests/tables/test_crosschecks.py holds each pattern to a plain search.
_Anchor = tuple[str, int]  # a word every match holds, and the most characters before it from the unit
_ANCHORS: dict[re.Pattern[str], tuple[_Anchor, ...]] = {}
_LEADS: dict[re.Pattern[str], tuple[str, ...]] = {}
_UNITS = "件条个"  # (`_N`'s units: what a `_FROM_UNIT` match starts with)


def _led(pattern: str, *words: str) -> re.Pattern[str]:
    compiled = re.compile(pattern)
    _LEADS[compiled] = words
    return compiled


def _anchored(pattern: str, anchors: tuple[_Anchor, ...]) -> re.Pattern[str]:
    compiled = re.compile(pattern)
    _ANCHORS[compiled] = anchors
    return compiled


CLAIMS = (
    _Claim("text_vs_table.received_new", "applications received",
           (_led(rf"(?:受理|收到|接收|新收){_SEP}{{0,24}}?申请(?:件)?{_SEP}{{0,6}}?(?:共计|共)?\s*{_N}",
                 "受理", "收到", "接收", "新收"),
            _led(rf"(?:受理|收到|接收){_SEP}{{0,4}}?{_N}{_SEP}{{0,8}}?申请", "受理", "收到", "接收")),
           _led(r"未(?:收到|受理|接到)[^。；]{0,10}政府信息公开申请|依申请公开(?:政府信息)?\s*0\s*件", "未", "依申请公开"),
           (total_of(RECEIVED_NEW),),
           (total_of(RECEIVED_NEW), total_of(CARRIED_OVER))),
    _Claim("text_vs_table.completed", "applications completed",
           (_led(rf"(?:答复|办结){_SEP}{{0,10}}?{_N}", "答复", "办结"),), None, (total_of(RESULTS_TOTAL),)),
    _Claim("text_vs_table.carried_over_from_prev", "carried over from last year",
           (_led(rf"(?:上年度?|上一年度?)(?:结转|转结){_SEP}{{0,8}}?{_N}", "上年", "上一年"),), None,
           (total_of(CARRIED_OVER),)),
    _Claim("text_vs_table.carried_to_next", "carried to next year",
           (_anchored(rf"{_N}{_SEP}{{0,8}}?(?:结转|顺延)(?:到|至)?下(?:一)?年度?", (("结转", 1 + 8), ("顺延", 1 + 8))),
            _led(rf"(?:结转|顺延)(?:到|至)?下(?:一)?年度?{_SEP}{{0,8}}?{_N}", "结转", "顺延")),
           None, (total_of(CARRIED_TO_NEXT),)),
    _Claim("text_vs_table.review", "administrative reviews",
           (re.compile(rf"行政复议(?:案件)?{_SEP}{{0,4}}?{_N}"),),
           _led(r"(?:未|没有)(?:发生|出现|收到|被申请)?[^。；]{0,16}行政复议", "未", "没有"),
           (REVIEW_TOTAL["review"],)),
    _Claim("text_vs_table.litigation", "administrative lawsuits",
           (re.compile(rf"行政诉讼(?:案件)?{_SEP}{{0,4}}?{_N}"),),
           _led(r"(?:未|没有)(?:发生|出现)?[^。；]{0,24}行政诉讼", "未", "没有"),
           (REVIEW_TOTAL["litigation_direct"], REVIEW_TOTAL["litigation_after_review"])),
)


# A pattern that starts with the number (`12件…结转下年度`) tries every digit of a table's text;
# from its unit on it starts with one of three rare characters. So it is searched from the unit,
# and the digits before are read back: the same match (the number is every digit before the
# unit and its spaces, and matches in order of their unit are in order of their start).
_FROM_UNIT = {p: re.compile(p.pattern[len(_NUMBER):])
              for c in CLAIMS for p in c.patterns if p.pattern.startswith(_NUMBER)}


class _Words:
    """Where words stand in one text, each found once (the claims share them)."""

    __slots__ = ("text", "found")

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, list[int]] = {}

    def at(self, word: str) -> list[int]:
        hit = self.found.get(word)
        if hit is None:
            find, hit = self.text.find, []
            at = find(word)
            while at >= 0:
                hit.append(at)
                at = find(word, at + 1)
            self.found[word] = hit
        return hit


def _unit_matches(pattern: re.Pattern[str], words: _Words) -> Iterator[re.Match[str]]:
    """_FROM_UNIT[pattern].finditer(text)'s matches: tried only at a unit within an anchor's
    reach before one of its words (every match is)."""
    text, places = words.text, set[int]()
    for word, before in _ANCHORS[pattern]:
        for a in words.at(word):
            places.update(u for u in range(max(a - before, 0), a) if text[u] in _UNITS)
    match, end = _FROM_UNIT[pattern].match, 0
    for u in sorted(places):
        if u >= end:  # (finditer goes on from the last match's end)
            m = match(text, u)
            if m:
                end = m.end()
                yield m


def _number_first(pattern: re.Pattern[str], text: str, matches: Iterable[re.Match[str]] | None = None
                  ) -> tuple[str, str] | None:
    """pattern.search(text)'s (group 1, group 0), for a pattern that starts with `_NUMBER`, from
    its unit's matches (`matches`; by default all)."""
    for m in (_FROM_UNIT[pattern].finditer(text) if matches is None else matches):
        end = m.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and text[start - 1].isdecimal():  # regex \d is Unicode Nd, as isdecimal
            start -= 1
        if start < end:
            return text[start:end], text[start:m.end()]
    return None


def _search(pattern: re.Pattern[str], words: _Words) -> re.Match[str] | None:
    """pattern.search(text): matched only where its `_LEADS` stand, in order."""
    text = words.text
    leads = _LEADS.get(pattern)
    if leads is None:
        return pattern.search(text)
    places = words.at(leads[0]) if len(leads) == 1 else sorted(chain.from_iterable(map(words.at, leads)))
    match = pattern.match
    for at in places:
        m = match(text, at)
        if m:
            return m
    return None


def _stated(words: _Words, claim: _Claim) -> tuple[int, str] | None:
    for pattern in claim.patterns:
        if pattern in _FROM_UNIT:
            found = _number_first(pattern, words.text, _unit_matches(pattern, words))
            if found and len(found[0]) <= MAX_DIGITS:  # a longer run is no count (and int() refuses 4,301 digits)
                return int(found[0]), found[1]
            continue
        m = _search(pattern, words)
        if m and len(m.group(1)) <= MAX_DIGITS:
            return int(m.group(1)), m.group(0)
    if claim.zero is not None:
        m = _search(claim.zero, words)
        if m:
            return 0, m.group(0)
    return None


_SUMMED = frozenset(("number", "blank", "derived"))  # the states whose value a sum reads (blank as 0)


def _table_sum(result: ParseResult, keys: tuple[str, ...]) -> int | None:
    """The sum of the cells' values, a blank as 0; None where a cell is not read or not a number."""
    fields, cells = result.fields, result.cells
    total: int | float = 0
    for k in keys:  # one pass, added in order (as sum() would)
        cell = cells.get(k)
        if cell is None or cell.state not in _SUMMED:
            return None
        total += fields.get(k) or 0
    return int(total)


def section_checks(result: ParseResult) -> list[Check]:
    checks: list[Check] = []
    # 总体情况, and the sentences some reports put above tables 三 and 四 (r043, r045)
    sections = result.sections
    overview = "\n".join(t for t in (sections.overview, sections.applications, sections.review_litigation) if t)
    places = _Words(overview)
    for claim in CLAIMS:
        table = _table_sum(result, claim.keys)
        if table is None:
            continue  # nothing to check the text against: not searched
        stated = _stated(places, claim)
        if stated is None:
            continue
        number, words = stated
        alt = _table_sum(result, claim.alternative) if claim.alternative else None
        ok = number == table or (alt is not None and number == alt)
        detail = f"the text states {number} ({words.strip()}); the table has {table}"
        if alt is not None and alt != table:
            detail += f" ({alt} with those carried over)"
        checks.append(Check(id=claim.id, ok=ok, detail=detail, keys=list(claim.keys)))
    checks += _fee_checks(result)
    return checks


def _fee_checks(result: ParseResult) -> list[Check]:
    """Fee notices counted in table 三 (（六）2. 逾期未按收费通知要求缴纳费用) should be matched by
    section 六, where the 2021 template reports 信息处理费."""
    key = total_of(FEE_UNPAID)
    notices = result.fields.get(key)
    other = result.sections.other_matters
    if not notices or other is None:
        return []
    mentioned = "收费" in other or "信息处理费" in other  # (re.search of the two: ~10x the instructions)
    return [Check(id="text_vs_table.fee_notice", ok=mentioned,
                  detail=f"table 三 counts {int(notices)} application(s) dropped for an unpaid fee notice; section 六 "
                         + ("reports on 信息处理费" if mentioned else "does not mention 信息处理费"),
                  keys=[key])]
