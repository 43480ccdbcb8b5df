"""Chinese titles for findings on the service's pages and letters: the project's message catalogue
(extractor/messages.py), else (a code it does not know) the short names below."""

from __future__ import annotations

from extractor.messages import check_title, verdict_label, warning_title

__all__ = ["finding_title", "verdict"]

_WARNINGS = {"table_missing": "表格缺失", "row_missing": "缺行", "row_incomplete": "行数值不全", "row_overfull": "行数值过多",
             "cells_glued": "数字粘连，无法拆分", "cells_split": "数字粘连，已唯一拆分", "cells_deduced": "数字粘连，已按勾稽关系拆分",
             "total_blank": "总计空白", "label_unrecognised": "行名无法识别", "row_duplicate": "重复行", "extra_row": "多余行",
             "version_uncertain": "模板版本不确定", "unit_rescaled": "单位换算", "section_missing": "缺少章节",
             "section_extra": "多出章节", "old_format": "旧版格式", "year_missing": "未找到年度",
             "year_not_in_title": "标题无年度", "different_body": "机关不同", "years_not_consecutive": "年度不连续"}
_CHECKS = {"applications.balance": "收支平衡：新收+结转 = 办结+结转下年", "applications.results_sum": "办理结果合计",
           "applications.row_total": "行合计：总计 = 各申请人之和", "applications.non_negative": "数值不得为负",
           "review_litigation.sum": "复议诉讼结果合计", "text_vs_table": "正文与表格不一致", "cross_year": "与上年不衔接"}
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
