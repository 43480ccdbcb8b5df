"""Checks across sections: what 总体情况 and 六 say against the tables (ids `text_vs_table.*`).

They are findings, like the identities: a failed one means the report contradicts itself (r045:
"共收到政府信息公开申请0条" beside 本年新收 3). A number the text does not state is not checked.
"""

from __future__ import annotations

import re
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
# trying it at every character (~3 ns each: 15-30 µs over a report's 总体情况 and tables), where
# str.find skips to a word several times faster. So a pattern may name words every match holds,
# each with the most characters a match has before it (`_Anchor`): the search starts that far
# before the first one found (no match starts earlier), and is not run when none is in the text.
# A pattern that starts with the number counts from its unit (`_FROM_UNIT`).
# tests/tables/test_crosschecks.py holds each pattern to a plain search.
_Anchor = tuple[str, int]
_ANCHORS: dict[re.Pattern[str], tuple[_Anchor, ...]] = {}


def _re(*parts: str | tuple[str, tuple[_Anchor, ...]]) -> tuple[re.Pattern[str], ...]:
    return tuple(_anchored(*p) if isinstance(p, tuple) else re.compile(p) for p in parts)


def _anchored(pattern: str, anchors: tuple[_Anchor, ...]) -> re.Pattern[str]:
    compiled = re.compile(pattern)
    _ANCHORS[compiled] = anchors
    return compiled


CLAIMS = (
    _Claim("text_vs_table.received_new", "applications received",
           _re((rf"(?:受理|收到|接收|新收){_SEP}{{0,24}}?申请(?:件)?{_SEP}{{0,6}}?(?:共计|共)?\s*{_N}", (("申请", 26),)),
               # no words: three finds over the text cost more than the regex's scan from the first
               rf"(?:受理|收到|接收){_SEP}{{0,4}}?{_N}{_SEP}{{0,8}}?申请"),
           _anchored(r"未(?:收到|受理|接到)[^。；]{0,10}政府信息公开申请|依申请公开(?:政府信息)?\s*0\s*件",
                     (("政府信息公开申请", 13), ("依申请公开", 0))),
           (total_of(RECEIVED_NEW),),
           (total_of(RECEIVED_NEW), total_of(CARRIED_OVER))),
    _Claim("text_vs_table.completed", "applications completed",
           _re((rf"(?:答复|办结){_SEP}{{0,10}}?{_N}", (("答复", 0), ("办结", 0)))), None, (total_of(RESULTS_TOTAL),)),
    _Claim("text_vs_table.carried_over_from_prev", "carried over from last year",
           _re(rf"(?:上年度?|上一年度?)(?:结转|转结){_SEP}{{0,8}}?{_N}"), None,
           (total_of(CARRIED_OVER),)),
    _Claim("text_vs_table.carried_to_next", "carried to next year",
           _re((rf"{_N}{_SEP}{{0,8}}?(?:结转|顺延)(?:到|至)?下(?:一)?年度?", (("结转", 1 + 8), ("顺延", 1 + 8))),
               (rf"(?:结转|顺延)(?:到|至)?下(?:一)?年度?{_SEP}{{0,8}}?{_N}", (("结转", 0), ("顺延", 0)))),
           None, (total_of(CARRIED_TO_NEXT),)),
    _Claim("text_vs_table.review", "administrative reviews",
           _re(rf"行政复议(?:案件)?{_SEP}{{0,4}}?{_N}"),
           _anchored(r"(?:未|没有)(?:发生|出现|收到|被申请)?[^。；]{0,16}行政复议", (("行政复议", 2 + 3 + 16),)),
           (REVIEW_TOTAL["review"],)),
    _Claim("text_vs_table.litigation", "administrative lawsuits",
           _re(rf"行政诉讼(?:案件)?{_SEP}{{0,4}}?{_N}"),
           _anchored(r"(?:未|没有)(?:发生|出现)?[^。；]{0,24}行政诉讼", (("行政诉讼", 2 + 2 + 24),)),
           (REVIEW_TOTAL["litigation_direct"], REVIEW_TOTAL["litigation_after_review"])),
)


# A pattern that starts with the number (`12件…结转下年度`) tries every digit of a table's text;
# from its unit on it starts with one of three rare characters. So it is searched from the unit,
# and the digits before are read back: the same match (the number is every digit before the
# unit and its spaces, and matches in order of their unit are in order of their start).
_FROM_UNIT = {p: re.compile(p.pattern[len(_NUMBER):])
              for c in CLAIMS for p in c.patterns if p.pattern.startswith(_NUMBER)}


def _number_first(pattern: re.Pattern[str], text: str, pos: int = 0) -> tuple[str, str] | None:
    """pattern.search(text)'s (group 1, group 0), for a pattern that starts with `_NUMBER`; its
    unit is looked for from `pos` on."""
    for m in _FROM_UNIT[pattern].finditer(text, pos):
        end = m.start()
        while end > 0 and text[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and text[start - 1].isdecimal():  # regex \d is Unicode Nd, as isdecimal
            start -= 1
        if start < end:
            return text[start:end], text[start:m.end()]
    return None


def _start(pattern: re.Pattern[str], text: str) -> int:
    """Where the first match of the pattern can start by its `_ANCHORS` (0 without), -1 if nowhere."""
    anchors = _ANCHORS.get(pattern)
    if anchors is None:
        return 0
    pos = -1
    for word, before in anchors:
        at = text.find(word)
        if at >= 0:
            start = max(at - before, 0)
            pos = start if pos < 0 else min(pos, start)
    return pos


def _search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """pattern.search(text), started where its `_ANCHORS` say the first match can start."""
    pos = _start(pattern, text)
    return pattern.search(text, pos) if pos >= 0 else None


def _stated(text: str, claim: _Claim) -> tuple[int, str] | None:
    for pattern in claim.patterns:
        if pattern in _FROM_UNIT:
            pos = _start(pattern, text)
            found = _number_first(pattern, text, pos) if pos >= 0 else None
            if found and len(found[0]) <= MAX_DIGITS:  # a longer run is no count (and int() refuses 4,301 digits)
                return int(found[0]), found[1]
            continue
        m = _search(pattern, text)
        if m and len(m.group(1)) <= MAX_DIGITS:
            return int(m.group(1)), m.group(0)
    if claim.zero is not None:
        m = _search(claim.zero, text)
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
    for claim in CLAIMS:
        table = _table_sum(result, claim.keys)
        if table is None:
            continue  # nothing to check the text against: not searched
        stated = _stated(overview, claim)
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
    mentioned = bool(re.search(r"信息处理费|收费", other))
    return [Check(id="text_vs_table.fee_notice", ok=mentioned,
                  detail=f"table 三 counts {int(notices)} application(s) dropped for an unpaid fee notice; section 六 "
                         + ("reports on 信息处理费" if mentioned else "does not mention 信息处理费"),
                  keys=[key])]
