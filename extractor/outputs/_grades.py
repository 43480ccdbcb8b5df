"""Risk grades: the one settings file for the thresholds the workbook grades reports by.

Each grade reads one indicator (indicators.py) and sorts a report into 高风险 / 中风险 / 低风险,
or 样本不足 when the indicator rests on too few cases to mean anything (one corrected review out
of one is a 100% rate), or leaves it ungraded when the indicator is unknown. The workbook shows
the grade beside each report (报告) and ranks all reports by each indicator on its own sheet
(排名·…), worst first. Edit the numbers here; each default's reason is written beside it.

These are screening thresholds for deciding what to read first, not legal standards: no
regulation fixes a 实质公开率 or a 复议纠错率 a body must reach.

Public API: `Grade`, `GRADES`, `grade_of(grade, indicators, fields)`, `GRADE_ORDER`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from extractor.tables import RESULTS_TOTAL, REVIEW_TOTAL, total_of

__all__ = ["GRADES", "GRADE_ORDER", "Grade", "grade_of"]

HIGH, MEDIUM, LOW, TOO_FEW = "高风险", "中风险", "低风险", "样本不足"
GRADE_ORDER = (HIGH, MEDIUM, LOW, TOO_FEW)  # worst first; a ranking lists ungraded reports last


@dataclass(frozen=True)
class Grade:
    indicator: str  # the indicator's key (indicators.py)
    label: str  # its Chinese name, as the sheets show it
    worse: Literal["low", "high"]  # which side of the thresholds is the risk
    high: float  # 高风险 at or beyond this value
    medium: float  # 中风险 at or beyond this value
    cases: str | None  # the field that counts the cases the rate rests on
    min_cases: int  # fewer cases than this: 样本不足
    reason: str  # why these defaults (shown on the workbook's 说明 sheet)


GRADES = (
    Grade(
        "substantive_disclosure_rate", "实质公开率", worse="low", high=0.40, medium=0.60,
        cases=total_of(RESULTS_TOTAL), min_cases=5,
        reason="（予以公开+部分公开）/ 办理结果总计。低于40%：多数申请以不予公开、无法提供或不予处理告终，"
               "应逐项看理由是否成立；40%–60%：值得抽查。办理总计少于5件时一两件就能改变比率，记为样本不足。",
    ),
    Grade(
        "review_correction_rate", "复议纠错率", worse="high", high=0.20, medium=0.10,
        cases=REVIEW_TOTAL["review"], min_cases=3,
        reason="行政复议结果纠正 / 复议总计。纠正意味着答复被认定违法或不当；五件中有一件以上被纠正（≥20%）"
               "说明答复质量有系统性问题，≥10%值得抽查。复议少于3件时记为样本不足。",
    ),
    Grade(
        "section5_repeated", "第五部分重复率", worse="high", high=0.80, medium=0.50,
        cases=None, min_cases=0,
        reason="第五部分与同一机关上年报告重复的比例。超过50%时年度对比已报“第五部分重复”，"
               "记为中风险；80%以上基本是照抄上年，问题与改进没有更新，记为高风险。",
    ),
)


def grade_of(grade: Grade, indicators: Mapping[str, float | None], fields: Mapping[str, int | float | None]) -> str | None:
    """The report's grade on one indicator; None when the indicator is unknown."""
    value = indicators.get(grade.indicator)
    if value is None:
        return None
    if grade.cases is not None and (fields.get(grade.cases) or 0) < grade.min_cases:
        return TOO_FEW
    def beyond(threshold: float) -> bool:  # below a "low" threshold, at or above a "high" one
        return value < threshold if grade.worse == "low" else value >= threshold

    return HIGH if beyond(grade.high) else MEDIUM if beyond(grade.medium) else LOW
