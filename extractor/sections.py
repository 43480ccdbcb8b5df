"""Split a report's text into its six sections (template.md §1).

Headings are found in a copy of the text with all white space removed (crawled reports run
the whole body on one line; PDF text breaks headings), and mapped back to offsets in the text.
A heading counts only with its own numeral and its own wording, in order, so table 三's rows
(一、本年新收… 四、结转下年度继续办理), intro sentences that list every section name, and
tables of contents (dot leaders and a page number) are not taken for headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.models import Finding, Sections

SECTION_KEYS = (
    "overview",
    "active_disclosure",
    "applications",
    "review_litigation",
    "problems_improvements",
    "other_matters",
)
_NUMERALS = "一二三四五六"
_SPACE = re.compile(r"\s+")

# Heading wording after the numeral, on text without white space.
_HEADING_BODIES = (
    r"总体情况",
    r"主动公开政府信息(?:的)?情况",
    r"收到和处理政府信息公开申请(?:的)?情况",
    r"(?:因)?(?:政府信息公开)?(?:工作)?(?:被申请)?行政法?复议[、和及与,，]?(?:提起)?行政诉讼(?:的)?情况",
    r"(?:政府信息公开工作)?存在(?:的)?(?:主要)?问题(?:及|和|与)改进(?:的)?(?:情况|措施)",
    r"其他需要报告的事项",
)
_HEADINGS = [
    re.compile(rf"(?<![（(第]){n}[、.．，,:：]?{body}") for n, body in zip(_NUMERALS, _HEADING_BODIES)
]
_TOC_AFTER = re.compile(r"[.…·．]{3,}\d")
_OLD_FORMAT = re.compile(r"(?<![（(])一[、.．，,]?(?:概述|基本情况)")

# What follows the last section and is not part of it (template.md §6.19).
_FURNITURE = re.compile(
    r"附件下载|扫一扫在手机打开当前页|相关解读|打印本页|关闭窗口|下载[:：]\S+\.(?:docx?|pdf|wps)|【打印】"
    r"|(?m:^\s*(?:\S{2}解读|媒体报道)\s*$)"
)
_SIGNATURE_LINES = re.compile(r"\n\s*[^\n]{2,40}\n\s*(?:20\d\d|二〇[一二][〇一二三四五六七八九])年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:\n|$)")
_SIGNATURE_INLINE = re.compile(
    r"\s(?:[\u4e00-\u9fff（）()]{2,40}(?:局|委|委员会|办公室|办|政府|办事处|中心|联社|室|院|所|站|队|街道|镇|乡))\s*"
    r"20\d\d年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
)


@dataclass
class SectionSplit:
    sections: Sections
    found: dict[str, bool]
    heading_offsets: dict[str, int] = field(default_factory=dict)
    warnings: list[Finding] = field(default_factory=list)


class _Squeezed:
    """The text without white space, mapping a kept character back to its offset in `text`."""

    def __init__(self, text: str):
        self._text = text
        self.text = _SPACE.sub("", text)

        self._last = (-1, -1)  # (squeezed index, offset) of the last lookup: lookups come in order

    def origin(self, i: int) -> int:
        """Offset in the text of squeezed character i, found by the regex engine, not a Python loop."""
        j, pos = self._last if self._last[0] <= i else (-1, -1)
        if i > j:
            m = re.compile(r"(?:\s*\S){%d}" % (i - j)).match(self._text, pos + 1)
            assert m is not None
            pos = m.end() - 1
        self._last = (i, pos)
        return pos


def _trim_tail(text: str) -> str:
    """Cut page furniture and the signature block off the last section."""
    cut = len(text)
    for pattern in (_FURNITURE, _SIGNATURE_LINES, _SIGNATURE_INLINE):
        m = pattern.search(text)
        if m:
            cut = min(cut, m.start())
    return text[:cut]


def split_sections(text: str) -> SectionSplit:
    sq = _Squeezed(text)
    squeezed = sq.text
    starts: dict[int, tuple[int, int]] = {}  # section index -> (start, end) in squeezed
    pos = 0
    for k, pattern in enumerate(_HEADINGS):
        for m in pattern.finditer(squeezed, pos):
            if _TOC_AFTER.match(squeezed, m.end()):
                continue
            starts[k] = (m.start(), m.end())
            pos = m.end()
            break

    warnings: list[Finding] = []
    found = {key: k in starts for k, key in enumerate(SECTION_KEYS)}
    if not starts and _OLD_FORMAT.search(squeezed):
        warnings.append(Finding(code="old_format", message="headings of a pre-2019 report format (概述/基本情况)"))
    missing = [f"{_NUMERALS[k]}" for k in range(6) if k not in starts]
    if starts and missing:
        warnings.append(
            Finding(code="section_missing", message=f"section heading not found: {'、'.join(missing)}")
        )

    order = sorted(starts)
    values: dict[str, str] = {}
    heading_offsets: dict[str, int] = {}
    for i, k in enumerate(order):  # offsets looked up in increasing order (see _Squeezed.origin)
        heading_offsets[SECTION_KEYS[k]] = sq.origin(starts[k][0])
        body_start = sq.origin(starts[k][1] - 1) + 1
        if i + 1 < len(order):
            body = text[body_start : sq.origin(starts[order[i + 1]][0])]
        else:
            body = _trim_tail(text[body_start:])
        values[SECTION_KEYS[k]] = body.strip()
    return SectionSplit(Sections(**values), found, heading_offsets, warnings)
