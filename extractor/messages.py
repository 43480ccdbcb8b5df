"""The message catalogue: a Chinese sentence for everything a person reads.

Every check id, warning code, status, verdict, theme, statement kind and evidence phrase has its
Chinese text here, built from the template registry's own labels (`（七）总计`, not
`applications.results.total`) and from taxonomy.md's theme names. Codes stay where programs read
them (JSON, CSV keys, database columns); the page, the workbook, the cards, the terminal and the
run summary show these sentences beside or instead of them.

The English `detail` of a check and `message` of a warning stay as they are in results.jsonl (a
program may read them); the Chinese sentence is built from the id or code, the keys and the
numbers of the detail, so it never depends on the English wording beyond those numbers.

Public API: `status_label`, `verdict_label`, `theme_label`, `kind_label`, `boilerplate_label`,
`table_label`, `row_label`, `column_label`, `field_label`, `cell_state_label`, `check_title`,
`check_family_label`, `check_message`, `warning_message`, `error_message`, `evidence_message`,
`reason_message`, `identity_sides`, `IdentitySides`, `is_chinese_sentence`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from extractor.status import STATUS_LABELS
from extractor.tables.template import (
    APPLICANT_COLUMNS,
    REVIEW_GROUP_LABELS,
    REVIEW_RESULT_COLUMNS,
    TABLE_HEADINGS,
    TABLES,
    VERSIONS,
    field_specs,
    rows,
)

__all__ = [
    "STATUS_LABELS", "VERDICT_LABELS", "THEME_LABELS", "KIND_LABELS", "CELL_STATE_LABELS", "WARNING_TITLES",
    "IdentitySides", "status_label", "verdict_label", "theme_label", "kind_label", "boilerplate_label",
    "table_label", "row_label", "column_label", "field_label", "cell_state_label", "check_title",
    "check_family_label", "check_message", "warning_message", "warning_title", "error_message",
    "evidence_message", "reason_message", "identity_sides", "is_chinese_sentence", "rows_label",
]

# ---------------------------------------------------------------- plain labels

# taxonomy.md "Substantive judgement": 实质, 部分实质, 套话, 未填写.
VERDICT_LABELS = {"substantive": "实质", "partial": "部分实质", "boilerplate": "套话", "absent": "未填写"}
KIND_LABELS = {"problem": "问题", "improvement": "改进措施"}
# taxonomy.md "Themes", the 中文名 column.
THEME_LABELS = {"content": "公开内容", "timeliness": "公开时效", "quality": "信息质量", "awareness": "公开意识",
                "capacity": "队伍能力", "mechanism": "制度机制", "channels": "公开渠道", "interpretation": "解读回应",
                "participation": "公众参与", "applications": "依申请公开", "scope_limits": "公开范围受限", "other": "其他"}
# CellState values (models.py), as the README defines them.
CELL_STATE_LABELS = {"number": "数值", "blank": "空白", "dash": "横线（不适用）", "slash": "斜线", "text": "文字",
                     "absent": "未印出", "incomplete": "行不完整", "glued": "数字粘连", "derived": "推算",
                     "ocr_uncertain": "识别存疑"}
WARNING_TITLES = {
    "table_missing": "表格缺失", "row_missing": "缺行", "row_incomplete": "行不完整", "row_overfull": "行数值过多",
    "cells_glued": "数字粘连未拆分", "cells_split": "粘连数字已按列数拆分", "cells_deduced": "粘连数字已按恒等式拆分",
    "total_blank": "总计空白", "label_unrecognised": "行标签无法识别", "row_duplicate": "行重复",
    "extra_row": "模板外的行", "version_uncertain": "模板版本不确定", "unit_rescaled": "单位已换算",
    "section_missing": "缺少部分标题", "section_extra": "模板外的部分", "old_format": "旧版报告格式",
    "year_missing": "未找到年度", "year_not_in_title": "年度不在标题中", "different_body": "发布机关不同",
    "years_not_consecutive": "年度不连续", "value_out_of_range": "数值超出范围",
    "ocr_read": "图片文字识别", "ocr_uncertain": "识别存疑", "ocr_suspect": "可能识别错误",
    "ocr_skipped": "图片未识别",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def verdict_label(verdict: str | None) -> str:
    return VERDICT_LABELS.get(verdict or "", verdict or "")


def theme_label(theme: str) -> str:
    return THEME_LABELS.get(theme, theme)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def boilerplate_label(boilerplate: bool) -> str:
    return "套话" if boilerplate else "具体"


def cell_state_label(state: str) -> str:
    return CELL_STATE_LABELS.get(state, state)


def warning_title(code: str) -> str:
    return WARNING_TITLES.get(str(code), str(code))


def table_label(table: str) -> str:
    """`applications` -> 表三."""
    return f"表{TABLE_HEADINGS[table]}" if table in TABLE_HEADINGS else table


@cache
def _row_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for table in TABLES:
        for version in VERSIONS:
            for spec in rows(table, version):
                out.setdefault(spec.key, spec.label)
    for group, label in REVIEW_GROUP_LABELS.items():
        out[f"review_litigation.{group}"] = label
    return out


_COLUMN_LABELS = {c.key: c.label for c in APPLICANT_COLUMNS} | {c.key: c.label for c in REVIEW_RESULT_COLUMNS}


def row_label(row: str) -> str:
    """A row key's template label: `applications.results.total` -> 三、（七）总计."""
    return _row_labels().get(row, row)


def column_label(column: str) -> str:
    """An applicant or result column key's label: `natural_person` -> 自然人."""
    return _COLUMN_LABELS.get(column, column)


@cache
def _field_labels() -> dict[str, tuple[str, str, str]]:
    return {s.key: (table_label(s.table), s.row_label, s.column_label) for s in field_specs()}


def field_label(key: str, table: bool = False) -> str:
    """A field's label from the registry: `applications.results.total.total` -> 三、（七）总计·总计
    (with `table=True`: 表三·三、（七）总计·总计). A row or table key gives its own label; an
    unknown key is returned as it is."""
    spec = _field_labels().get(key)
    if spec is not None:
        return "·".join(spec if table else spec[1:])
    if key in TABLE_HEADINGS:
        return table_label(key)
    return row_label(key)


def rows_label(keys: Iterable[str], limit: int = 4) -> str:
    """The rows of some keys, by their labels, at most `limit` then 等N行."""
    seen: list[str] = []
    for k in keys:
        row = _row_of(k)
        if row not in seen:
            seen.append(row)
    shown = "、".join(row_label(r) for r in seen[:limit])
    return shown + (f"等{len(seen)}行" if len(seen) > limit else "")


def _row_of(key: str) -> str:
    if key.startswith("review_litigation."):
        return ".".join(key.split(".")[:2])
    return key.rsplit(".", 1)[0] if key in _field_labels() else key


# ---------------------------------------------------------------- checks

_CHECK_FAMILIES = {
    "applications.balance": "表三 一+二 = （七）总计+四",
    "applications.results_sum": "表三 （七）总计 = 各办理结果之和",
    "applications.row_total": "表三 总计 = 自然人+五类法人或其他组织",
    "applications.non_negative": "表三 无负数",
    "review_litigation.sum": "表四 总计 = 维持+纠正+其他+尚未审结",
    "text_vs_table": "正文与表格一致",
    "cross_year.carried_over": "跨年 上年结转 = 上年报告的结转下年度",
    "cross_year.in_force": "跨年 现行有效件数承接",
    "cross_year.item_count": "跨年 上一年项目数量承接",
    "cross_year.repetition": "跨年 第五部分重复",
}
_TEXT_CLAIMS = {"received_new": "本年新收申请数", "completed": "办结（答复）申请数", "carried_over_from_prev": "上年结转申请数",
                "carried_to_next": "结转下年度申请数", "review": "行政复议案件数", "litigation": "行政诉讼案件数",
                "fee_notice": "信息处理费"}


def check_family_label(family: str) -> str:
    """A check type (the id without its column or row, as the page's chart groups them)."""
    if family in _CHECK_FAMILIES:
        return _CHECK_FAMILIES[family]
    parts = family.split(".")
    for n in (2, 1):
        if ".".join(parts[:n]) in _CHECK_FAMILIES:
            return _CHECK_FAMILIES[".".join(parts[:n])]
    return family


def check_title(check_id: str) -> str:
    """What a check checks, in Chinese, with its row or column: `applications.balance.total` ->
    表三 总计列：一+二 = （七）总计+四."""
    parts = check_id.split(".")
    family = ".".join(parts[:2])
    rest = ".".join(parts[2:])
    if family == "applications.balance":
        return f"表三 {column_label(rest)}列：一、本年新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度"
    if family == "applications.results_sum":
        return f"表三 {column_label(rest)}列：（七）总计 = 各办理结果之和"
    if family == "applications.row_total":
        return f"表三 {row_label('applications.' + rest)}行：总计 = 自然人 + 五类法人或其他组织"
    if family == "applications.non_negative":
        return "表三 各数值不为负"
    if family == "review_litigation.sum":
        return f"表四 {REVIEW_GROUP_LABELS.get(rest, rest)}：总计 = 结果维持+结果纠正+其他结果+尚未审结"
    if parts[0] == "text_vs_table":
        return f"正文与表格：{_TEXT_CLAIMS.get(parts[-1], parts[-1])}"
    if family == "cross_year.carried_over":
        return f"跨年 {column_label(rest)}列：本年“二、上年结转” = 上年报告“四、结转下年度”"
    if family == "cross_year.in_force":  # a v2021 row: its label of that version
        labels = {r.key: r.label for r in rows("active_disclosure", "2021")}
        return f"跨年 表二 {labels.get('active_disclosure.' + rest, rest)}：现行有效件数 = 上年现行有效 + 本年制发 − 本年废止"
    if family == "cross_year.item_count":
        return f"跨年 表二 {row_label('active_disclosure.' + rest)}：上一年项目数量 = 上年报告的上一年项目数量 + 本年增/减"
    if family == "cross_year.repetition":
        return "跨年 第五部分与上年重复"
    return check_id


@dataclass(frozen=True)
class IdentitySides:
    """The numbers of a decided identity's detail: Σ total side, Σ terms side, blanks read as 0."""

    left: float
    right: float
    zeroed: int = 0

    @property
    def difference(self) -> float:
        return self.left - self.right


_SIDE = r"(Σ\d+ rows [-\d.]+|[-\d.+]+)"
_DETAIL = re.compile(rf": {_SIDE} (=|≠) {_SIDE}(?: \(blank read as 0: (\d+) cells?\))?")


def _side(text: str) -> float:
    if text.startswith("Σ"):
        return float(text.rsplit(" ", 1)[-1])
    return sum(float(t) for t in re.findall(r"-?\d+(?:\.\d+)?", text))


def identity_sides(detail: str) -> IdentitySides | None:
    """The two sums of an identity check's detail (`…: 5+0 ≠ 3+1 (blank read as 0: 3 cells)`)."""
    m = _DETAIL.search(detail or "")
    if m is None:
        return None
    try:
        return IdentitySides(_side(m.group(1)), _side(m.group(3)), int(m.group(4) or 0))
    except ValueError:
        return None


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)


def _fields_list(text: str) -> str:
    return "、".join(field_label(k.strip(), table=True) for k in text.split(",") if k.strip())


def check_message(check: Any) -> str:
    """One Chinese sentence for a check (a models.Check or its JSON dict): what it checks and,
    for a decided one, the two sides and the difference."""
    cid, ok, detail = _get(check, "id", ""), _get(check, "ok"), _get(check, "detail", "") or ""
    title = check_title(cid)
    if cid.startswith("text_vs_table.fee_notice"):
        n = re.search(r"counts (\d+)", detail)
        said = "已报告信息处理费" if ok else "未提及信息处理费"
        return f"{title}：表三（六）2 记有{n.group(1) if n else '若干'}件因逾期未缴费终止的申请，第六部分{said}"
    if cid.startswith("text_vs_table."):
        m = re.search(r"states (\d+) \((.*)\); the table has (\d+)(?: \((\d+) with those carried over\))?", detail)
        if m:
            alt = f"（含上年结转为{m.group(4)}）" if m.group(4) else ""
            verb = "一致" if ok else f"相差{abs(int(m.group(1)) - int(m.group(3)))}"
            return f"{title}：正文称{m.group(1)}（“{m.group(2)}”），表中为{m.group(3)}{alt}，{verb}"
        return title
    if cid == "cross_year.repetition.problems_improvements":
        m = re.match(r"(\d+)% .*limit (\d+)%", detail)
        if m:
            return f"第五部分有{m.group(1)}%与上年报告重复（阈值{m.group(2)}%）"
        return title
    if cid == "applications.non_negative":
        m = re.match(r"negative: (.*)", detail)
        return f"{title}：{'有负数：' + _fields_list(m.group(1)) if m else '无负数'}"
    if ok is None:
        m = re.search(r"value unknown: (.*)$", detail)
        unknown = _fields_list(m.group(1)) if m else ""
        return f"{title}：无法校验，数值未知" + (f"（{unknown}）" if unknown else "")
    if cid.startswith("cross_year."):
        m = re.search(r": ([-\d.]+) (=|≠) ([-\d.]+)$", detail)
        if m:
            a, b = float(m.group(1)), float(m.group(3))
            tail = "相符" if ok else f"本年印{_num(a)}，按上年推算应为{_num(b)}，相差{_num(abs(a - b))}"
            return f"{title}：{tail}"
        return title
    sides = identity_sides(detail)
    if sides is None:
        return title
    zero = f"（其中{sides.zeroed}格空白按0计）" if sides.zeroed else ""
    if ok:
        return f"{title}：{_num(sides.left)} = {_num(sides.right)}{zero}"
    return f"{title}：左边{_num(sides.left)}，右边{_num(sides.right)}，相差{_num(abs(sides.difference))}{zero}"


# ---------------------------------------------------------------- warnings

_QUOTED = re.compile(r"\(([^()]*)\)")


def _raw_in(message: str) -> str:
    """The printed text a warning quotes, in its first parentheses or quotes."""
    m = re.search(r"'([^']*)'", message) or _QUOTED.search(message)
    return m.group(1) if m else ""


def _table_of(keys: list[str], message: str) -> str:
    if keys:
        return table_label(keys[0].split(".")[0])
    m = re.search(r"table (\S+)", message)
    return f"表{m.group(1)}" if m else "表格"


def warning_message(warning: Any) -> str:
    """One Chinese sentence for a warning (a models.Finding or its JSON dict), from its code, its
    keys (named by the registry's labels) and the printed text it quotes."""
    code, message = str(_get(warning, "code", "")), _get(warning, "message", "") or ""
    keys = list(_get(warning, "keys", None) or [])
    rows_ = rows_label(keys) if keys else ""
    raw = _raw_in(message)
    shown = f"（印为“{raw}”）" if raw else ""
    if code == "table_missing":
        return f"{_table_of(keys, message)}未找到：标题下没有数值，可能以图片发布或被截断"
    if code == "row_missing":
        cut = "，表格提前结束（可能缺页）" if "stops early" in message else ""
        return f"{_table_of(keys, message)}缺少{len({_row_of(k) for k in keys}) or ''}行{cut}：{rows_}"
    if code == "row_incomplete":
        if "all are 0" in message:
            return f"{rows_}只印出部分数值{shown}，均为0，按“总计 = 各项之和”推得缺的一格也为0"
        return f"{rows_}印出的数值少于列数{shown}，不知缺的是哪一格，整行不取值"
    if code == "ocr_read":
        m = re.search(r"(\d+) page\(s\) or picture\(s\) read by OCR; (\d+) table cells", message)
        counts = f"{m.group(1)}页或图片经文字识别读取，其中表格单元格{m.group(2)}个" if m else "部分页面或图片经文字识别读取"
        return f"{counts}：请对照图片核对这些数字"
    if code == "ocr_uncertain":
        return f"{rows_ or '部分单元格'}的数字识别把握不足（或无法对应到图片中的格），未取值，请对照图片核对"
    if code == "ocr_skipped":
        return "报告中有图片未经文字识别读取（图片过大、无法解码或图片数超过上限），其中的表格或文字未读入：请查看原图"
    if code == "ocr_suspect":
        return f"经文字识别读取的单元格有恒等式不成立，最可能识别错误的是：{rows_}"
    if code == "value_out_of_range":
        return f"{rows_}印出的数值超出表格能容纳的范围{shown}，按文字保留，不取值"
    if code == "row_overfull":
        return f"{rows_}印出的数值多于列数{shown}，整行不取值"
    if code == "cells_glued":
        return f"{rows_}的数字连在一起{shown}，有不止一种拆法符合表格，未拆分，这些格不取值"
    if code == "cells_split":
        return f"{rows_}的数字连在一起，只有一种拆法符合列数，已按此拆分"
    if code == "cells_deduced":
        by = "和正文" if "stated" in message or "text" in message.split(":")[-1] else ""
        return f"{rows_}的数字连在一起，只有一种拆法满足表内恒等式{by}，已按此拆分（请核对）"
    if code == "total_blank":
        return "、".join(field_label(k) for k in keys) + "印为空白，而同行各项不全为0：总计不是0，是未填写"
    if code == "label_unrecognised":
        m = re.search(r"row label '(.*)' matched", message)
        return f"行标签“{m.group(1) if m else ''}”无法识别，按位置对应为{rows_}"
    if code == "row_duplicate":
        return f"{rows_}印了不止一次，取第一次的数值"
    if code == "extra_row":
        label = message.split(": ", 1)[-1]
        return f"模板外的行“{label}”，另存于附加行"
    if code == "version_uncertain":
        m = re.search(r"read as (\d{4})", message)
        return f"模板版本不确定，按{m.group(1) if m else ''}版读取"
    if code == "unit_rescaled":
        return f"行政事业性收费金额以元印出{shown}，已换算为万元"
    if code == "section_missing":
        if "without its numeral" in message:
            return "第五部分标题没有序号，按标题文字找到"
        m = re.search(r"not found: (.*)$", message)
        return f"未找到部分标题：{m.group(1)}" if m else "缺少部分标题"
    if code == "section_extra":
        m = re.search(r"other_sections: ([^;]*)", message)
        return f"模板外的部分“{m.group(1) if m else ''}”，另存于其他部分"
    if code == "old_format":
        return "2019年以前的报告格式（概述/基本情况）"
    if code == "year_missing":
        return "标题中没有报告年度"
    if code == "year_not_in_title":
        m = re.search(r"year (\d{4})", message)
        return f"标题中没有年度，{m.group(1) if m else ''}年取自统计期间"
    if code == "different_body":
        m = re.search(r"differ: (.*)$", message)
        return f"两年的发布机关不同：{m.group(1) if m else ''}"
    if code == "years_not_consecutive":
        m = re.search(r"years (\S+) and (\S+)", message)
        return f"年度不连续：{m.group(1)}年与{m.group(2)}年" if m else "年度不连续"
    return warning_title(code) + (f"：{message}" if is_chinese_sentence(message) else "")


# ---------------------------------------------------------------- errors, evidence, reasons

_ERRORS = (
    (r"^no report found", "文件中没有年度报告：六个部分标题（一、总体情况 … 六、其他需要报告的事项）一个也没有"),
    (r"^pre-2019 report format", "2019年以前的报告格式，不按现行模板读取"),
    (r"^file too large: ([\d.]+) MB", "文件过大（{0} MB）"),
    (r"^no such file", "文件不存在"),
    (r"^cannot read", "无法读取文件"),
    (r"^skipped: (.*), not a report file", "已跳过：不是报告文件"),
    (r"^old Word \.doc", "旧版 Word .doc 文件未读取：请另存为 .docx 或 PDF"),
    (r"^not a PDF file", "不是 PDF 文件（扩展名不符）"),
    (r"^not a DOCX file", "不是 DOCX 文件（扩展名不符）"),
    (r"^empty file", "空文件"),
    (r"^binary file", "二进制文件，不是文本、HTML、DOCX 或 PDF 报告"),
    (r"^undecodable bytes", "无法识别文字编码（不是 UTF-8、GB18030 等）"),
    (r"^unreadable HTML", "HTML 无法解析"),
    (r"^HTML nested deeper", "HTML 嵌套过深，无法读取文字"),
    (r"^unreadable PDF", "PDF 无法解析"),
    (r"^unreadable DOCX", "DOCX 无法解析"),
    (r"^no text layer", "PDF 没有文字层（疑为扫描件），请先做文字识别"),
    (r"^no text in", "文件中没有文字"),
    (r"^PDF has (\d+) pages", "PDF 页数过多（{0} 页）"),
    (r"^PDF stream expands", "PDF 数据流解压后过大"),
    (r"^DOCX expands", "DOCX 解压后过大"),
    (r"^text longer than", "文字过长，超出上限"),
    (r"^a table expands past", "表格展开后单元格过多"),
    (r"^internal error", "程序内部错误"),
    (r"timed? ?out|timeout", "处理超时"),
    (r"memory", "内存不足"),
)


def error_message(error: str | None) -> str:
    """Why a file was not read, in Chinese; the original (a program's or the library's words) kept
    in brackets when it is not one the catalogue knows."""
    text = (error or "").strip()
    for pattern, chinese in _ERRORS:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return chinese.format(*m.groups())
    if is_chinese_sentence(text):
        return text
    return f"无法读取（{text}）" if text else "无法读取"


_SIGNALS = {"titled document": "文件名称", "named column or platform": "点名的栏目或平台",
            "number, date or deadline": "数字、日期或时限", "data category": "具体数据类别",
            "named owner": "明确的责任部门", "stated cause": "说明了原因"}


def evidence_message(evidence: str | None) -> str:
    """Why a statement was judged specific or boilerplate (boilerplate.py's evidence phrases)."""
    text = (evidence or "").strip()
    if not text:
        return ""
    m = re.match(r"appears in (\d+) other reports? of the batch; was (.*)$", text)
    if m:
        before = evidence_message(m.group(2))
        return f"本批另有{m.group(1)}份报告印有同一句，按套话计" + (f"（原判：{before}）" if before else "")
    if text.startswith("specific: "):
        parts = []
        for piece in text[len("specific: "):].split("; "):
            m = re.match(r"(.+?) '(.*)'$", piece)
            if m:
                parts.append(f"{_SIGNALS.get(m.group(1), m.group(1))}“{m.group(2)}”")
        return "具体：" + "；".join(parts)
    m = re.match(r"template sentence: (.*)$", text)
    if m:
        return f"模板句：“{m.group(1).strip('“”')}”"
    m = re.match(r"(\d+)% of it recurs", text)
    if m:
        return f"其中{m.group(1)}%的文字在其他机关的报告中反复出现（常用语库）"
    m = re.match(r"stock phrase: (.*)$", text)
    if m:
        return f"套话：“{m.group(1).strip('“”')}”"
    if text.startswith("no named object"):
        return "没有点名的对象、数字、日期、原因或责任人"
    return text if is_chinese_sentence(text) else ""


def reason_message(reason: str | None) -> str:
    """The section-五 judgement's reason (offline.judge, review_text), in Chinese."""
    text = (reason or "").strip()
    if not text:
        return ""
    batch = ""
    m = re.match(r"(.*) \(batch repetition; (\w+) on its own\)$", text)
    if m:
        text, batch = m.group(1), f"（因本批其他报告印有同样的句子改判；单看本报告为{verdict_label(m.group(2))}）"
    table = (
        (r"^no section 五$", lambda m: "没有第五部分"),
        (r"^section 五 is empty$", lambda m: "第五部分为空"),
        (r"^section 五 says there is nothing", lambda m: "第五部分称没有需要报告的问题"),
        (r"^no problem or improvement statements$", lambda m: "第五部分没有问题或改进措施的陈述"),
        (r"^(\d+) specific problem\(s\); (\d+) specific measure\(s\) aimed at admitted problems \((.*)\)$",
         lambda m: f"{m.group(1)}个具体问题；{m.group(2)}项具体措施针对所承认的问题（"
                   + "、".join(theme_label(t.strip()) for t in m.group(3).split(",") if t.strip()) + "）"),
        (r"^all (\d+) statements are boilerplate$", lambda m: f"全部{m.group(1)}条陈述都是套话"),
        (r"^(no specific problem|no specific measure aimed at an admitted problem); (\d+) of (\d+) problems and "
         r"(\d+) of (\d+) measures specific$",
         lambda m: ("没有具体问题" if m.group(1) == "no specific problem" else "没有针对所承认问题的具体措施")
         + f"；{m.group(3)}个问题中{m.group(2)}个具体，{m.group(5)}项措施中{m.group(4)}项具体"),
    )
    for pattern, make in table:
        m = re.match(pattern, text)
        if m:
            return make(m) + batch
    return (text if is_chinese_sentence(text) else "") + batch


_CJK = re.compile(r"[\u3400-\u9fff]")


def is_chinese_sentence(text: str) -> bool:
    """True when the text has Chinese in it (a sentence a Chinese reader can read), not only ASCII."""
    return bool(_CJK.search(text or ""))
