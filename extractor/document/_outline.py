"""The sections registry: the six sections of a report (template.md §1) and the two halves of
section 五, declared once.

For each section: its key (a field of `models.Sections`, a JSON key), its numeral, the heading the
template prints, its short Chinese name, the wording a heading may have after its numeral (a
pattern on text without white space: real headings drop or add words), and the table it holds.
For section 五's halves (problems, then measures): the kind a statement of that half has, its
Chinese label, and the wording of the half's sub-heading. sections.py finds the headings with
these patterns, narrative/segment.py the halves; every other module that names a section reads it here.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["FIVE", "HALVES", "IMPROVEMENT", "PROBLEM", "SECTIONS", "SECTION_KEYS", "TABLE_SECTIONS",
           "TEXT_SECTIONS", "Half", "SectionSpec", "section"]


class SectionSpec(NamedTuple):
    key: str
    numeral: str
    heading: str  # as the template prints it, after the numeral
    short: str  # how a reader names it: 总体情况, 第五部分
    wording: str  # the heading's accepted wordings after the numeral (regex, no white space)
    table: str | None = None  # the table the section holds (二、三、四)


# Tails that some bodies add to the heading of 五: …和下一步工作计划, …及明年工作打算.
_PLAN_TAIL = r"(?:(?:和|及|与|以及)?(?:下一步|下步|明年|今后|20\d\d年|新一年)(?:的)?(?:工作)?(?:计划|打算|安排|思路|措施|重点))?"

SECTIONS = (
    SectionSpec("overview", "一", "总体情况", "总体情况", r"(?:政府信息公开(?:工作)?(?:的)?)?总体情况"),
    SectionSpec("active_disclosure", "二", "主动公开政府信息情况", "第二部分",
                r"主动公开(?:政府信息)?(?:工作)?(?:的)?情况", "active_disclosure"),
    SectionSpec("applications", "三", "收到和处理政府信息公开申请情况", "第三部分",
                r"收到(?:和|及|与)?处理政府信息公开申请(?:的)?情况", "applications"),
    SectionSpec("review_litigation", "四", "政府信息公开行政复议、行政诉讼情况", "第四部分",
                r"(?:因)?(?:政府信息公开)?(?:工作)?(?:被申请)?行政法?复议[、和及与,，]?(?:被?提起)?行政诉讼(?:的)?情况",
                "review_litigation"),
    SectionSpec("problems_improvements", "五", "存在的主要问题及改进情况", "第五部分",
                r"(?:政府信息公开)?(?:工作)?(?:存在的?(?:主要)?|主要)(?:问题|不足)(?:及|和|与|以及)?(?:其?改进|整改)(?:的)?"
                r"(?:情况|措施|方向|计划)?" + _PLAN_TAIL),
    SectionSpec("other_matters", "六", "其他需要报告的事项", "第六部分", r"其他需(?:要)?(?:报告|说明)(?:的)?事项|其他事项"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
FIVE = SECTIONS[4]
# The sections that hold a table, and the ones that are text only (compared year to year).
TABLE_SECTIONS = tuple(s.key for s in SECTIONS if s.table)
TEXT_SECTIONS = tuple(s.key for s in SECTIONS if not s.table)
_BY_KEY = {s.key: s for s in SECTIONS}


def section(key: str) -> SectionSpec:
    """The section of a key (KeyError for no section of the template)."""
    return _BY_KEY[key]


class Half(NamedTuple):
    kind: Literal["problem", "improvement"]  # a statement's kind in that half (narrative/models.py)
    label: str
    heading: str  # the half's sub-heading wording after its enumerator (regex)
    opens: str = ""  # the wording after an enumerator that starts this half (regex; the second half's)


PROBLEM = Half("problem", "问题", r"存在的?(?:主要)?(?:问题|不足|困难)(?:和困难|及原因)?|主要问题|存在不足")
IMPROVEMENT = Half("improvement", "改进措施", r"改进(?:的)?(?:措施|情况|工作)|下一步(?:整改|工作)?(?:措施|打算|计划)",
                   r"改进(?:的)?(?:措施|情况|工作)|整改措施|工作(?:打算|计划)")
HALVES = (PROBLEM, IMPROVEMENT)
