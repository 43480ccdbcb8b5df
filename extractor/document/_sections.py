"""Split a report's text into its six sections (template.md §1).

Headings are found in a copy of the text with all white space removed (crawled reports run
the whole body on one line; PDF text breaks headings), and mapped back to offsets in the text.
A heading is identified by its **text**, not its numeral: a body may insert a section of its
own (二、政务公开工作主要任务落实情况), which shifts every later numeral (主动公开 becomes 三、,
五 becomes 六、). So a heading counts with any numeral that keeps the headings in increasing
order, and a numbered heading between two of the six is kept under `other_sections`.

Still a heading needs a numeral of its own, so table 三's rows (一、本年新收… 四、结转下年度继续办理),
intro sentences that list every section name, and tables of contents (dot leaders and a page
number) are not taken for headings. Section 五 alone may also be found by its wording without a
numeral (the report then gets a warning), since its absence is what auditors look for.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import NamedTuple

from extractor.document._outline import SECTION_KEYS, SECTIONS
from extractor.document._squeezed import Squeezed
from extractor.lazy import lazy_pattern
from extractor.models import Finding, Sections, WarningCode

__all__ = ["SectionSplit", "split_sections"]

_CANONICAL = "".join(s.numeral for s in SECTIONS)
NUMERALS = "一二三四五六七八九十"
_NUM = f"[{NUMERALS}]"

# Heading wording after the numeral, on text without white space: the sections registry's
# (tables/outline.py, template.md §1).
HEADING_BODIES = tuple(s.wording for s in SECTIONS)
# The numeral first, its lookbehind after it: a pattern that starts with a character class is
# scanned for by the regex engine's fast search, one that starts with a lookbehind is tried at
# every position (3x slower on a report). Not after （ ( 第: as three lookbehinds of one character
# each, not one of a class `[（(第]`, which compiles to a 64 kB bitmap (0.1 ms a pattern at start-up).
_HEADINGS = [re.compile(rf"({_NUM})(?<!（.)(?<!\(.)(?<!第.)[、.．，,:：]?(?:{body})") for body in HEADING_BODIES]
# Words each heading holds, with the most characters before them in a match (numeral, its
# punctuation, the wording's optional words): a heading is looked for from that far before the
# first of them (str.find skips text many times faster than the regex engine steps through it).
# tests/document/test_ranges.py holds each bound to a heading as long as its wording allows.
_HEADING_WORDS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("总体情况", 2 + 9),),  # 政府信息公开工作的
    (("主动公开", 2),),
    (("处理政府信息公开申请", 2 + 3),),  # 收到和
    (("复议", 2 + 15),),  # 因政府信息公开工作被申请行政法
    (("问题", 2 + 13), ("不足", 2 + 13)),  # 政府信息公开工作存在的主要
    (("其他", 2),),
)
# 五 without its numeral, as a last resort between 四 and 六. This and the other patterns for what
# most reports do not need are compiled when first used (lazy_pattern).
_FIVE_UNNUMBERED = lazy_pattern(rf"(?<![（(])(?:{HEADING_BODIES[4]})")
_TOC_AFTER = re.compile(r"[.…·．]{3,}\d")
_OLD_FORMAT = lazy_pattern(r"一(?<![（(].)[、.．，,]?(?:概述|基本情况)")


@cache
def _numbered(n: int) -> re.Pattern[str]:
    """A bare numbered heading (any wording), for the sections a body inserts between the six.
    Compiled when first asked: ten patterns are 1 ms of start-up."""
    return re.compile(rf"{NUMERALS[n - 1]}(?<![（(第\d{NUMERALS}].)[、.．]")


# What follows the last section and is not part of it (template.md §6.19).
_FURNITURE = re.compile(
    r"附件下载|扫一扫在手机打开当前页|相关解读|打印本页|关闭窗口|下载[:：]\S+\.(?:docx?|pdf|wps)|【打印】"
    r"|(?m:^[ \t\u3000]*(?:\S{2}解读|媒体报道)[ \t\u3000]*$)"
)
# A signature line then a date line. Horizontal white space only: `\s*` spanning newlines made
# this pattern backtrack cubically over runs of blank lines. Both signature patterns end in a date's
# 日 and are compiled when a last section first holds one (2.5 ms of start-up; most hold none).
_SIGNATURE_LINES = lazy_pattern(
    r"\n[ \t\u3000]*[^\n]{2,40}\n[ \t\u3000]*(?:20\d\d|二〇[一二][〇一二三四五六七八九])年[ \t\u3000]*\d{1,2}[ \t\u3000]*月"
    r"[ \t\u3000]*\d{1,2}[ \t\u3000]*日[ \t\u3000]*(?:\n|$)"
)
_SIGNATURE_INLINE = lazy_pattern(
    r"\s(?:[\u4e00-\u9fff（）()]{2,40}(?:局|委|委员会|办公室|办|政府|办事处|中心|联社|室|院|所|站|队|街道|镇|乡))[ \t\u3000]*"
    r"20\d\d年[ \t\u3000]*\d{1,2}[ \t\u3000]*月[ \t\u3000]*\d{1,2}[ \t\u3000]*日"
)


class SectionSplit(NamedTuple):  # not a dataclass: its class costs 0.5 ms of start-up
    sections: Sections
    found: dict[str, bool]
    heading_offsets: dict[str, int]
    warnings: list[Finding]
    # Where each section's text (sections.<key>, stripped) starts in the document text.
    offsets: dict[str, int]


def _trim_tail(text: str) -> str:
    """Cut page furniture and the signature block off the last section."""
    cut = len(text)
    patterns = [_FURNITURE]
    if "日" in text:  # no signature pattern matches without it
        patterns += [_SIGNATURE_LINES(), _SIGNATURE_INLINE()]
    for pattern in patterns:
        m = pattern.search(text)
        if m:
            cut = min(cut, m.start())
    return text[:cut]


def _numeral(ch: str) -> int:
    return NUMERALS.index(ch) + 1


def _first_possible(text: str, pos: int, words: tuple[tuple[str, int], ...]) -> int:
    """The first place from `pos` on where a match holding one of `words` (each at most `before`
    characters after the match's start) can start; -1 when none of the words is there."""
    first = -1
    for word, before in words:
        at = text.find(word, pos)
        if at >= 0:
            start = max(at - before, pos)
            first = start if first < 0 else min(first, start)
    return first


def _find_headings(squeezed: str) -> dict[int, tuple[int, int, int]]:
    """Section index -> (start, end, numeral) in the squeezed text: each the first match after the
    previous heading whose numeral is larger than the previous heading's."""
    starts: dict[int, tuple[int, int, int]] = {}
    pos, last_numeral = 0, 0
    for k, pattern in enumerate(_HEADINGS):
        first = _first_possible(squeezed, pos, _HEADING_WORDS[k])
        if first < 0:
            continue  # none of its words after the last heading: no match
        for m in pattern.finditer(squeezed, first):
            numeral = _numeral(m.group(1))
            if numeral <= last_numeral or _TOC_AFTER.match(squeezed, m.end()):
                continue
            if numeral < k + 1:  # a numeral below the template's: a row of table 三, not a heading
                continue
            starts[k] = (m.start(), m.end(), numeral)
            pos, last_numeral = m.end(), numeral
            break
    return starts


# What each section holds when its heading was lost (a converter dropped it): its table's header
# or row labels, and section 五's 存在的问题 / 改进 text after table 四 (on squeezed text).
_CONTENT = {
    1: (lazy_pattern(r"第二十条第[(（]一[)）]项|信息内容(?:本年|第)"), "table 二's header"),
    2: (lazy_pattern(r"申请人情况|[（(]?本列数据的勾稽关系|[一1][、.．]本年新收政府信息公开申请"), "table 三's header"),
    3: (lazy_pattern(r"行政复议.{0,40}?结果维持"), "table 四's header"),
    # (or, in a table's text, the prose after 四's last row that names a 不足 and then an 改进)
    4: (lazy_pattern(r"[（(]一[)）](?:工作中)?(?:存在的?)?(?:主要)?(?:问题|不足|短板)"
                     r"|(?<=\|)(?=[^|]{0,200}?(?:问题|不足|短板)[^|]{0,400}?(?:改进|整改|下一步))"),
        "its 存在的问题 text after table 四"),
}


# Table 三's rows past the page that held its heading and header (a report published page by
# page: the page opens with `四、结转下年度继续办理 0 0 …`): one of its numbered rows (a label that
# no other section or table prints after its numeral) with a value after it. Only looked for
# before section 四's heading where no section before it was found: after any heading found,
# a numbered row is its table's (or a heading of its own).
_TABLE3_ROWS = lazy_pattern(r"[二三四][、.．](?:上年结转政府信息公开申请数量|本年度?办理结果|结转下年度继续办理)"
                            r"(?=[|\d\-—－])")


def _found_by_content(squeezed: str, starts: dict[int, tuple[int, int, int]]) -> list[tuple[int, str]]:
    """Sections 二–五 whose heading is missing, found by what they hold between the sections
    found around them; each added to `starts` (no heading: it starts at its content)."""
    added = []
    if 2 not in starts and 3 in starts and min(starts) == 3:
        m = _TABLE3_ROWS().search(squeezed, 0, starts[3][0])
        if m:
            starts[2] = (m.start(), m.start(), starts[3][2] - 1)
            added.append((2, "table 三's numbered rows before section 四"))
    for k, (pattern, where) in _CONTENT.items():
        if k in starts or (k == 4 and 3 not in starts):
            continue
        lo = max((starts[j][1] for j in starts if j < k), default=None)
        hi = min((starts[j][0] for j in starts if j > k), default=len(squeezed))
        if lo is None:
            continue
        m = pattern().search(squeezed, lo, hi)
        if m and (k != 1 or 2 in starts or 3 in starts):
            # Its numeral: the one after the section before it (a body's inserted section shifts
            # it), so a table 三 row's 四、 after it is not taken for an inserted heading.
            before = max(j for j in starts if j < k)
            starts[k] = (m.start(), m.start(), starts[before][2] + k - before)
            added.append((k, where))
    return added


def _inserted(squeezed: str, starts: dict[int, tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Numbered headings of sections a body inserted: a numeral that falls between two of the six."""
    out: list[tuple[int, int]] = []
    order = sorted(starts)
    for a, b in zip(order, order[1:]):
        (_, end_a, num_a), (start_b, _, num_b) = starts[a], starts[b]
        want = num_a + 1
        pos = end_a
        while want < num_b:
            m = _numbered(want).search(squeezed, pos, start_b)
            if m is None:
                break
            out.append((m.start(), m.end()))
            pos, want = m.end(), want + 1
    return out


def _headings_across_cells(squeezed: str, starts: dict[int, tuple[int, int, int]]
                           ) -> dict[int, tuple[int, int, int]]:
    """Headings a converter printed across table cells (pymupdf4llm: `|四、政府信息公|开行政复|议、行|政诉讼情况|`):
    looked for with the pipes left out, kept where that finds more; offsets mapped back."""
    found = _find_headings(squeezed.replace("|", ""))
    if len(found) <= len(starts):
        return starts
    # Character j of the text without pipes is character j + (pipes before it) of the text: pipe m
    # comes before it when the m characters that are pipes leave p_m - m <= j others before it.
    before = [p.start() - m for m, p in enumerate(_PIPE.finditer(squeezed))]

    def at(j: int) -> int:
        return j + bisect.bisect_right(before, j)

    return {k: (at(s), at(e - 1) + 1, n) for k, (s, e, n) in found.items()}


_PIPE = re.compile(r"\|")
_TABLE_SECTIONS = (1, 2, 3)  # 二, 三, 四: the sections that hold a table


def _row_start(text: str, pos: int, floor: int) -> int:
    """Where the table row that holds text[pos] starts, when pos is inside a pipe row (not at
    its start); else pos. A table found by its header or rows starts with that row: a converter
    that cut a page across tables prints one row of cells from both (pymupdf4llm:
    `|行政事业性收费<br>14<br>三、收到和处理政府信息<br>（本列数据的勾稽关系<br>|0.29<br>…|`, table
    三's header cut into table 二's last row, its 140.29 into 14 and 0.29), and such a row is no
    row of the table before: its cells end where the section starts, not where the row does.
    Never before `floor` (the section before it)."""
    line = text.rfind("\n", floor, pos) + 1 or floor
    head = text[line:pos]
    indent = len(head) - len(head.lstrip())
    if head[indent:indent + 1] == "|" and head.strip() != "|":
        return line + indent
    return pos
_TITLE_END = lazy_pattern(r"[。：:；;（(\n]|$")


def split_sections(text: str) -> SectionSplit:
    sq = Squeezed(text)
    squeezed = sq.text
    starts = _find_headings(squeezed)
    if len(starts) < 6 and "|" in squeezed:
        starts = _headings_across_cells(squeezed, starts)
    warnings: list[Finding] = []

    if 4 not in starts and starts:
        # 五 without a numeral, between 四 (or the last section before it) and 六.
        lo = max((starts[k][1] for k in starts if k < 4), default=0)
        hi = starts[5][0] if 5 in starts else len(squeezed)
        # (from the first 问题 / 不足 on, which every wording of 五 holds: str.find skips to it)
        first = _first_possible(squeezed, lo, _HEADING_WORDS[4])
        m = _FIVE_UNNUMBERED().search(squeezed, first, hi) if first >= 0 else None
        if m:
            starts[4] = (m.start(), m.end(), (starts[3][2] + 1) if 3 in starts else 5)
            warnings.append(Finding(code=WarningCode.SECTION_MISSING,
                                    message="section 五 heading found without its numeral"))

    by_row: set[str | None] = set()  # tables found by their header or rows: each starts at its row's start
    if starts:
        for k, where in _found_by_content(squeezed, starts):
            warnings.append(Finding(code=WarningCode.SECTION_MISSING,
                                    message=f"section {_CANONICAL[k]} heading not found; the section found by {where}"))
            if k in _TABLE_SECTIONS:
                by_row.add(SECTION_KEYS[k])

    found = {key: k in starts for k, key in enumerate(SECTION_KEYS)}
    if not starts and _OLD_FORMAT().search(squeezed):
        warnings.append(Finding(code=WarningCode.OLD_FORMAT, message="headings of a pre-2019 report format (概述/基本情况)"))
    missing = [_CANONICAL[k] for k in range(6) if k not in starts]
    if starts and missing:
        warnings.append(Finding(code=WarningCode.SECTION_MISSING,
                                message=f"section heading not found: {'、'.join(missing)}"))

    # Every boundary, the six and the inserted ones, in text order.
    bounds: list[tuple[int, int, str | None]] = [(s, e, SECTION_KEYS[k]) for k, (s, e, _) in starts.items()]
    extra = _inserted(squeezed, starts)
    bounds += [(s, e, None) for s, e in extra]
    bounds.sort()
    numerals = {SECTION_KEYS[k]: v[2] for k, v in starts.items()}
    shifted = [key for k, key in enumerate(SECTION_KEYS) if key in numerals and numerals[key] != k + 1]

    values: dict[str, str] = {}
    others: dict[str, str] = {}
    heading_offsets: dict[str, int] = {}
    offsets: dict[str, int] = {}
    next_head = sq.origin(bounds[0][0]) if bounds else 0
    if bounds and bounds[0][2] in by_row:
        next_head = _row_start(text, next_head, 0)
    for i, (_start, end, key) in enumerate(bounds):
        head_at = next_head  # found as the previous section's end
        body_start = sq.origin(end - 1) + 1 if end else 0  # a section found by content at the text's start
        if key in by_row:
            body_start = head_at
        if i + 1 < len(bounds):
            next_head = sq.origin(bounds[i + 1][0])
            if bounds[i + 1][2] in by_row:
                next_head = _row_start(text, next_head, body_start)
            body = text[body_start:next_head]
        else:
            body = _trim_tail(text[body_start:])
        if key is not None:
            heading_offsets[key] = head_at
            values[key] = body.strip()
            offsets[key] = body_start + len(body) - len(body.lstrip())
            continue
        title_end = _TITLE_END().search(body)
        title_len = min(title_end.start() if title_end else len(body), 40)
        title = (text[head_at:body_start] + body[:title_len]).strip()
        others[title] = body[title_len:].lstrip("。：: \n").strip()
    if others:
        names = "; ".join(others)
        warnings.append(Finding(code=WarningCode.SECTION_EXTRA,
                                message=f"section(s) not in the template kept in other_sections: {names}"
                                        + (f"; later headings renumbered ({', '.join(shifted)})" if shifted else "")))
    return SectionSplit(Sections(**values, other_sections=others), found, heading_offsets, warnings, offsets)
