"""Title, issuing body and reporting year, read from the report's title."""

from __future__ import annotations

import re
from typing import NamedTuple

from extractor.lazy import lazy_pattern

__all__ = ["read_meta"]

_REPORT_WORDS = re.compile(r"(?:政府信息公开|政务公开|信息公开)[^\n。；;>]{0,12}?(?:年度报告|年报|报告)")
# A book title such as "2020年报_审计局" (a flipbook's): a year's report, without the usual words.
_YEAR_REPORT = re.compile(r"20[1-3]\d\s*年度?(?:报告|年报|报)")
# A title quoted inside a sentence: "现将穆寨街道2021年政府信息公开工作年度报告公布如下". Compiled when
# first needed, as _CJK: a CJK range costs most of a millisecond to compile.
_TITLE_IN_SENTENCE = lazy_pattern(
    r"(?:现将|现公布|现就|现形成|现予公布|特发布|发布)?《?([\u4e00-\u9fff（）()]{2,40}?20[1-3]\d\s*年度?"
    r"(?:政府信息公开|政务公开)工作(?:年度|情况)?报告)"
)
_NOT_TITLE_LINE = re.compile(r"^(?:索引号|发布机构|发布目录|首页|当前位置|您当前)|>")
_YEAR = re.compile(r"(20[1-3]\d)\s*年")
_PERIOD_YEAR = lazy_pattern(r"(?:统计期限|统计时限|统计期间)[^。\n]{0,8}?(20[1-3]\d)\s*年\s*1\s*月\s*1\s*日")
_ORG_TRAIL = re.compile(r"(?:关于.*|的)$")
_TITLE_NOISE = re.compile(r"^(?:标题[:：]|.*?首页.*?>\s*)")


# Before the report words, only a year (or nothing): the issuing body is not on this line.
_BODY_FIRST = lazy_pattern(r"^\s*(?:20[1-3]\d\s*年度?)?\s*$")
_SENTENCE = lazy_pattern(r"[。；;，,：:!！?？]")


_MD_MARK = re.compile(r"^#{1,6}\s+|\*\*|__")  # a heading's hashes, bold: how markdown converters print a title
_CJK = lazy_pattern(r"[\u4e00-\u9fff]{2}")


def _line_above(lines: list[str], i: int) -> str:
    """The line above line i, past one blank line (markdown's paragraph break), its markdown marks
    taken off; empty when there is none."""
    j = i - 1
    if j >= 1 and not lines[j]:
        j -= 1
    return _MD_MARK.sub("", lines[j]).strip() if j >= 0 else ""


def _short_line(line: str) -> bool:
    """A line that may be part of a title: short, no sentence punctuation, not page chrome."""
    return len(line) <= 40 and not _SENTENCE().search(line) and not _NOT_TITLE_LINE.search(line)


class ReportMeta(NamedTuple):  # not a frozen dataclass: its class costs 0.5 ms of start-up
    title: str | None
    org_name: str | None
    year: int | None
    year_from_title: bool


def find_title(text: str, hint: str | None) -> str | None:
    """The report's title: the crawler/HTML title if it names a report, else the first line that does."""
    if hint and (_REPORT_WORDS.search(hint) or _YEAR_REPORT.search(hint)):
        return hint.strip()
    head = text[:1500]
    lines = [line.strip() for line in head.split("\n")[:16]]
    for i, line in enumerate(lines[:15]):
        m = _REPORT_WORDS.search(line)
        if not m and i + 1 < len(lines) and lines[i + 1] and _short_line(line) and _short_line(lines[i + 1]):
            # A title wrapped mid-word over two lines (`…政府信息公开工` / `作年度报告`).
            joined = line + lines[i + 1]
            m2 = _REPORT_WORDS.search(joined)
            if m2 and m2.end() > len(line) and m2.start() < len(line):
                return joined
        if not m or _NOT_TITLE_LINE.search(line):
            continue
        if len(line) <= 80 and "。" not in line and not line.lstrip().startswith(("根据", "按照", "依据")):
            above = _line_above(lines, i)
            if above and _BODY_FIRST().match(line[:m.start()]) and _short_line(above) and _CJK().search(above):
                # The body on the line above (`北岸区司法局` / `2023年政府信息公开工作年度报告`),
                # or a paragraph above in a converter's markdown (a blank line, a `#` between).
                return above + _MD_MARK.sub("", line)
            return line.strip()
        quoted = _TITLE_IN_SENTENCE().search(line)
        if quoted:
            return quoted.group(1)
        if "。" in line[: m.start()] or line.lstrip().startswith(("根据", "按照", "依据")):
            continue
        # The body runs on one line (crawled text): keep the words just before the match.
        start = max(0, m.start() - 40)
        prefix = re.split(r"[\s。，,：:]", line[start : m.start()])[-1]
        return (prefix + m.group(0)).strip()
    return None


def org_from_title(title: str) -> str | None:
    t = re.sub(r"\s+", "", _TITLE_NOISE.sub("", title))
    m = _YEAR.search(t)
    if not m:
        name = _REPORT_WORDS.split(t)[0]
    elif m.start() > 0:
        name = t[: m.start()]
    else:  # "2019年上海市人民政府办公厅政府信息公开工作年度报告"
        rest = re.sub(r"^度?(?:报告|年报|报)?[_\-—–:：]*", "", t[m.end():])  # "2020年报_审计局" too
        name = _REPORT_WORDS.split(rest)[0]
    name = _ORG_TRAIL.sub("", name).strip("《》“”\"' ")
    return name or None


def read_meta(text: str, hint: str | None) -> ReportMeta:
    title = find_title(text, hint)
    org = org_from_title(title) if title else None
    year = None
    from_title = False
    if title:
        m = _YEAR.search(title)
        if m:
            year, from_title = int(m.group(1)), True
    if year is None:
        m = _PERIOD_YEAR().search(text[:5000])
        if m:
            year = int(m.group(1))
    return ReportMeta(title, org, year, from_title)
