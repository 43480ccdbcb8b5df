"""Warnings in Chinese: one sentence for each warning code, from its keys (named by the
registry's labels) and the printed text it quotes.
"""

from __future__ import annotations

import re
from typing import Any

from extractor.messages._catalogue import _get, field_label, rows_label, table_label, warning_title
from extractor.messages._reasons import is_chinese_sentence
from extractor.models import WarningCode
from extractor.tables import BLANKS_SHOWN, row_of, table_of

__all__ = ["warning_message"]

_QUOTED = re.compile(r"\(([^()]*)\)")


def _raw_in(message: str) -> str | None:
    """The printed text a warning quotes, in its first parentheses or quotes; None where it quotes none."""
    m = re.search(r"'([^']*)'", message) or _QUOTED.search(message)
    return m.group(1) if m else None


def _table_of(keys: list[str], message: str) -> str:
    if keys:
        return table_label(table_of(keys[0]) or keys[0])
    m = re.search(r"table (\S+)", message)
    return f"表{m.group(1)}" if m else "表格"


# Why a glued run stays unsplit (tables._deduce / _store reasons), in the auditor's words.
_GLUED_WHY = (
    ("breaks the row's 总计", "唯一符合列数的拆法与本行总计不符"),
    ("no split gives every column", "没有一种拆法使每一格都是合法数值（可能数字间缺了空白格）"),
    ("do not add up", "没有一种拆法满足表内恒等式（报告本身的数字对不上，或数字间缺了空白格）"),
    ("too many", "可能的拆法过多，未逐一检验"),
)


def _why_glued(message: str) -> str:
    return next((why for words, why in _GLUED_WHY if words in message), "有不止一种拆法符合表格")


# What a section whose heading was lost was found by (document/_sections.py's `_found_by_content`).
_FOUND_BY = {
    "table 二's header": "表二的表头",
    "table 三's header": "表三的表头",
    "table 四's header": "表四的表头",
    "its 存在的问题 text after table 四": "表四之后讲存在的问题与改进的文字",
    "table 三's numbered rows before section 四": "第四部分之前表三的编号行",
}


def warning_message(warning: Any) -> str:
    """One Chinese sentence for a warning (a models.Finding or its JSON dict), from its code, its
    keys (named by the registry's labels) and the printed text it quotes."""
    code, message = str(_get(warning, "code", "")), _get(warning, "message", "") or ""
    keys = list(_get(warning, "keys", None) or [])
    rows_ = rows_label(keys) if keys else ""
    raw = _raw_in(message)
    # a row that printed only blank cells quotes '' or ' ': said in words, not as quoted spaces
    shown = f"（印为“{raw}”）" if raw and raw.strip() else "（整行印为空白）" if raw is not None else ""
    if code == WarningCode.TABLE_MISSING:
        return f"{_table_of(keys, message)}未找到：标题下没有数值，可能以图片发布或被截断"
    if code == WarningCode.ROW_MISSING:
        cut = "，表格提前结束（可能缺页）" if "stops early" in message else ""
        return f"{_table_of(keys, message)}缺少{len({row_of(k) for k in keys}) or ''}行{cut}：{rows_}"
    if code == WarningCode.ROW_INCOMPLETE:
        if "all are 0" in message:
            return f"{rows_}只印出部分数值{shown}，均为0，按“总计 = 各项之和”推得缺的一格也为0"
        if "partly placed" in message:
            return f"{rows_}印出的数值少于列数{shown}，不知缺的是哪一格；各种位置一致的格已取值，其余格不取值"
        return f"{rows_}印出的数值少于列数{shown}，不知缺的是哪一格，整行不取值"
    if code == WarningCode.OCR_READ:
        m = re.search(r"(\d+) page\(s\) or picture\(s\) read by OCR; (\d+) table cells", message)
        counts = f"{m.group(1)}页或图片经文字识别读取，其中表格单元格{m.group(2)}个" if m else "部分页面或图片经文字识别读取"
        return f"{counts}：请对照图片核对这些数字"
    if code == WarningCode.OCR_UNCERTAIN:
        return f"{rows_ or '部分单元格'}的数字识别把握不足（或无法对应到图片中的格），未取值，请对照图片核对"
    if code == WarningCode.OCR_SKIPPED:
        return "报告中有图片未经文字识别读取（图片过大、无法解码或图片数超过上限），其中的表格或文字未读入：请查看原图"
    if code == WarningCode.OCR_SUSPECT:
        return f"经文字识别读取的单元格有恒等式不成立，最可能识别错误的是：{rows_}"
    if code == WarningCode.VALUE_OUT_OF_RANGE:
        return f"{rows_}印出的数值超出表格能容纳的范围{shown}，按文字保留，不取值"
    if code == WarningCode.CELL_TEXT:
        named = "、".join(field_label(k, table=True) for k in keys[:3]) + (f"等{len(keys)}格" if len(keys) > 3 else "")
        return f"{named or '单元格'}印为文字{shown}，不是数值，未取值：请对照原文核对"
    if code == WarningCode.ROW_OVERFULL:
        return f"{rows_}印出的数值多于列数{shown}，整行不取值"
    if code == WarningCode.CELLS_GLUED and BLANKS_SHOWN in message:
        return (f"{rows_}的数字连在一起{shown}；报告别处有空白格或少印数值的行，这一串中也可能缺了空白格，"
                "不拆分，这些格不取值")
    if code == WarningCode.CELLS_GLUED:
        return f"{rows_}的数字连在一起{shown}，{_why_glued(message)}，未拆分，这些格不取值"
    if code == WarningCode.CELLS_SPLIT:
        return f"{rows_}的数字连在一起，只有一种拆法符合列数，已按此拆分"
    if code == WarningCode.CELLS_DEDUCED and "partly split" in message:
        cols = "、".join(field_label(k).rsplit("·", 1)[-1] for k in keys)
        return f"{rows_}的数字连在一起{shown}，有不止一种拆法，但{cols}在每种拆法中都相同，已取值（请核对）"
    if code == WarningCode.CELLS_DEDUCED:
        by = "和正文" if "stated" in message or "text" in message.split(":")[-1] else ""
        return f"{rows_}的数字连在一起，只有一种拆法满足表内恒等式{by}，已按此拆分（请核对）"
    if code == WarningCode.CELLS_PLACED and "partly placed" in message:
        return (f"{rows_}印出的数值少于列数{shown}，空白格在转换中脱落；满足表内恒等式的各种位置在这些格上一致，"
                "已按此取值（请核对）")
    if code == WarningCode.CELLS_PLACED:
        return f"{rows_}印出的数值少于列数{shown}，空白格在转换中脱落；只有一种位置满足表内恒等式，已按此归位，其余格为空白（请核对）"
    if code == WarningCode.TOTAL_BLANK:
        return "、".join(field_label(k) for k in keys) + "印为空白，而同行各项不全为0：总计不是0，是未填写"
    if code == WarningCode.LABEL_UNRECOGNISED:
        m = re.search(r"row label '(.*)' matched", message)
        return f"行标签“{m.group(1) if m else ''}”无法识别，按位置对应为{rows_}"
    if code == WarningCode.ROW_DUPLICATE:
        return f"{rows_}印了不止一次，取第一次的数值"
    if code == WarningCode.EXTRA_ROW:
        label = message.split(": ", 1)[-1]
        return f"模板外的行“{label}”，另存于附加行"
    if code == WarningCode.VERSION_UNCERTAIN:
        m = re.search(r"read as (\d{4})", message)
        return f"模板版本不确定，按{m.group(1) if m else ''}版读取"
    if code == WarningCode.UNIT_RESCALED:
        return f"行政事业性收费金额以元印出{shown}，已换算为万元"
    if code == WarningCode.SECTION_MISSING:
        if "without its numeral" in message:
            return "第五部分标题没有序号，按标题文字找到"
        m = re.search(r"section (\S) heading not found; the section found by (.*)$", message)
        if m:
            where = _FOUND_BY.get(m.group(2), m.group(2))
            return f"未找到第{m.group(1)}部分的标题，按{where}找到这一部分（请核对其起止）"
        m = re.search(r"not found: (.*)$", message)
        return f"未找到部分标题：{m.group(1)}" if m else "缺少部分标题"
    if code == WarningCode.SECTION_EXTRA:
        m = re.search(r"other_sections: ([^;]*)", message)
        return f"模板外的部分“{m.group(1) if m else ''}”，另存于其他部分"
    if code == WarningCode.OLD_FORMAT:
        return "2019年以前的报告格式（概述/基本情况）"
    if code == WarningCode.YEAR_MISSING:
        return "标题中没有报告年度"
    if code == WarningCode.YEAR_NOT_IN_TITLE:
        m = re.search(r"year (\d{4})", message)
        return f"标题中没有年度，{m.group(1) if m else ''}年取自统计期间"
    if code == WarningCode.DIFFERENT_BODY:
        m = re.search(r"differ: (.*)$", message)
        return f"两年的发布机关不同：{m.group(1) if m else ''}"
    if code == WarningCode.YEARS_NOT_CONSECUTIVE:
        m = re.search(r"years (\S+) and (\S+)", message)
        return f"年度不连续：{m.group(1)}年与{m.group(2)}年" if m else "年度不连续"
    return warning_title(code) + (f"：{message}" if is_chinese_sentence(message) else "")


