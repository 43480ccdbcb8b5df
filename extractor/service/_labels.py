"""Chinese titles for findings on the service's pages and letters: the project's message catalogue
(extractor/messages/_catalogue.py), else (a code it does not know) the short names below."""

from __future__ import annotations

from extractor.messages import check_title, verdict_label, warning_title
from extractor.models import WarningCode
from extractor.tables import BALANCE, NON_NEGATIVE, RESULTS_SUM, REVIEW_SUM, ROW_TOTAL

__all__ = ["finding_title", "verdict"]

_WARNINGS: dict[str, str] = {WarningCode.TABLE_MISSING: "表格缺失", WarningCode.ROW_MISSING: "缺行", WarningCode.ROW_INCOMPLETE: "行数值不全", WarningCode.ROW_OVERFULL: "行数值过多",
             WarningCode.CELLS_GLUED: "数字粘连，无法拆分", WarningCode.CELLS_SPLIT: "数字粘连，已唯一拆分", WarningCode.CELLS_DEDUCED: "数字粘连，已按勾稽关系拆分",
             WarningCode.CELLS_PLACED: "空白格脱落，已按勾稽关系归位",
             WarningCode.TOTAL_BLANK: "总计空白", WarningCode.LABEL_UNRECOGNISED: "行名无法识别", WarningCode.ROW_DUPLICATE: "重复行", WarningCode.EXTRA_ROW: "多余行",
             WarningCode.VERSION_UNCERTAIN: "模板版本不确定", WarningCode.UNIT_RESCALED: "单位换算", WarningCode.SECTION_MISSING: "缺少章节",
             WarningCode.SECTION_EXTRA: "多出章节", WarningCode.OLD_FORMAT: "旧版格式", WarningCode.YEAR_MISSING: "未找到年度",
             WarningCode.YEAR_NOT_IN_TITLE: "标题无年度", WarningCode.DIFFERENT_BODY: "机关不同", WarningCode.YEARS_NOT_CONSECUTIVE: "年度不连续"}
_CHECKS = {BALANCE.id: "收支平衡：新收+结转 = 办结+结转下年", RESULTS_SUM.id: "办理结果合计",
           ROW_TOTAL.id: "行合计：总计 = 各申请人之和", NON_NEGATIVE.id: "数值不得为负",
           REVIEW_SUM.id: "复议诉讼结果合计", "text_vs_table": "正文与表格不一致", "cross_year": "与上年不衔接"}
_VERDICTS = {"substantive": "具体", "partial": "部分具体", "boilerplate": "套话", "absent": "缺失"}

def finding_title(kind: str, code: str) -> str:
    try:
        return warning_title(code) if kind == "warning" else check_title(code)
    except (KeyError, ValueError):
        pass
    if kind == "warning":
        return _WARNINGS.get(code, code)
    family = next((v for k, v in _CHECKS.items() if code.startswith(k)), "校验")
    return family


def verdict(value: str | None) -> str:
    if not value:
        return ""
    try:
        return verdict_label(value)
    except (KeyError, ValueError):
        pass
    return _VERDICTS.get(value, value)
