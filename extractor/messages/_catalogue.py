"""The message catalogue: a Chinese sentence for everything a person reads.

Every check id, warning code, status, verdict, theme, statement kind and evidence phrase has its
Chinese text here, built from the template registry's own labels (`（七）总计`, not
`applications.results.total`) and from taxonomy.md's theme names. Codes stay where programs read
them (JSON, CSV keys, database columns); the page, the workbook, the cards, the terminal and the
run summary show these sentences beside or instead of them.

The English `detail` of a check and `message` of a warning stay as they are in results.jsonl (a
program may read them); the Chinese sentence is built from the id or code, the keys and the
numbers of the detail, so it never depends on the English wording beyond those numbers.

This module holds the labels and the checks' sentences; warnings are in `_warnings.py`, run
errors, evidence and reasons in `_reasons.py` (the package `extractor.messages` exports them all).

Public API: `status_label`, `verdict_label`, `theme_label`, `kind_label`, `boilerplate_label`,
`table_label`, `row_label`, `column_label`, `field_label`, `cell_state_label`, `check_title`,
`check_family_label`, `check_message`, `identity_sides`, `IdentitySides`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from extractor.document import HALVES
from extractor.models import CellState, TemplateVersion, WarningCode
from extractor.tables import (
    BALANCE,
    CARRIED_OVER_YEAR,
    IDENTITY_FAMILIES,
    IN_FORCE_YEAR,
    ITEM_COUNT_YEAR,
    NON_NEGATIVE,
    RESULTS_SUM,
    REVIEW_GROUP_LABELS,
    REVIEW_SUM,
    ROW_TOTAL,
    STATUS_LABELS,
    YEAR_FAMILIES,
    column_label,
    family_of,
    label_of,
    row_label,
    row_of,
    row_of_check,
    rows,
    table_label,
    year_identity_of,
)

__all__ = [
    "STATUS_LABELS", "VERDICT_LABELS", "THEME_LABELS", "KIND_LABELS", "CELL_STATE_LABELS", "WARNING_TITLES",
    "IdentitySides", "status_label", "verdict_label", "theme_label", "kind_label", "boilerplate_label",
    "table_label", "row_label", "column_label", "field_label", "cell_state_label", "check_title",
    "check_family_label", "check_message", "warning_title", "identity_sides", "rows_label", "UNIT_LABELS", "unit_label",
]

# ---------------------------------------------------------------- plain labels

# taxonomy.md "Substantive judgement": 实质, 部分实质, 套话, 未填写.
VERDICT_LABELS = {"substantive": "实质", "partial": "部分实质", "boilerplate": "套话", "absent": "未填写"}
KIND_LABELS: dict[str, str] = {h.kind: h.label for h in HALVES}  # section 五's halves (tables/outline.py)
# taxonomy.md "Themes", the 中文名 column.
THEME_LABELS = {"content": "公开内容", "timeliness": "公开时效", "quality": "信息质量", "awareness": "公开意识",
                "capacity": "队伍能力", "mechanism": "制度机制", "channels": "公开渠道", "interpretation": "解读回应",
                "participation": "公众参与", "applications": "依申请公开", "scope_limits": "公开范围受限", "other": "其他"}
# CellState values (models.py), as the README defines them.
CELL_STATE_LABELS = {"number": "数值", "blank": "空白", "dash": "横线（不适用）", "slash": "斜线", "text": "文字",
                     "absent": "未印出", "incomplete": "行不完整", "glued": "数字粘连", "derived": "推算",
                     CellState.OCR_UNCERTAIN: "识别存疑"}
WARNING_TITLES: dict[str, str] = {
    WarningCode.TABLE_MISSING: "表格缺失", WarningCode.ROW_MISSING: "缺行", WarningCode.ROW_INCOMPLETE: "行不完整", WarningCode.ROW_OVERFULL: "行数值过多",
    WarningCode.CELLS_GLUED: "数字粘连未拆分", WarningCode.CELLS_SPLIT: "粘连数字已按列数拆分", WarningCode.CELLS_DEDUCED: "粘连数字已按恒等式拆分",
    WarningCode.CELLS_PLACED: "空白格脱落，已按恒等式定位",
    WarningCode.TOTAL_BLANK: "总计空白", WarningCode.LABEL_UNRECOGNISED: "行标签无法识别", WarningCode.ROW_DUPLICATE: "行重复",
    WarningCode.EXTRA_ROW: "模板外的行", WarningCode.VERSION_UNCERTAIN: "模板版本不确定", WarningCode.UNIT_RESCALED: "单位已换算",
    WarningCode.SECTION_MISSING: "缺少部分标题", WarningCode.SECTION_EXTRA: "模板外的部分", WarningCode.OLD_FORMAT: "旧版报告格式",
    WarningCode.YEAR_MISSING: "未找到年度", WarningCode.YEAR_NOT_IN_TITLE: "年度不在标题中", WarningCode.DIFFERENT_BODY: "发布机关不同",
    WarningCode.YEARS_NOT_CONSECUTIVE: "年度不连续", WarningCode.VALUE_OUT_OF_RANGE: "数值超出范围", WarningCode.CELL_TEXT: "单元格印为文字",
    WarningCode.OCR_READ: "图片文字识别", WarningCode.OCR_UNCERTAIN: "识别存疑", WarningCode.OCR_SUSPECT: "可能识别错误",
    WarningCode.OCR_SKIPPED: "图片未识别",
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


UNIT_LABELS = {"yuan": "元", "wan_yuan": "万元", "unknown": "单位不明"}  # models.Unit


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


def warning_title(code: str) -> str:
    return WARNING_TITLES.get(str(code), str(code))


def field_label(key: str, table: bool = False) -> str:
    """A field's label from the registry: `applications.results.total.total` -> 三、（七）总计·总计
    (with `table=True`: 表三·三、（七）总计·总计). A row or table key gives its own label; an
    unknown key is returned as it is."""
    return label_of(key, table)


def rows_label(keys: Iterable[str], limit: int = 4) -> str:
    """The rows of some keys, by their labels, at most `limit` then 等N行."""
    seen: list[str] = []
    for k in keys:
        row = row_of(k)
        if row not in seen:
            seen.append(row)
    shown = "、".join(row_label(r) for r in seen[:limit])
    return shown + (f"等{len(seen)}行" if len(seen) > limit else "")


# ---------------------------------------------------------------- checks

_CHECK_FAMILIES = {f.id: f.label for f in IDENTITY_FAMILIES + YEAR_FAMILIES} | {
    "text_vs_table": "正文与表格一致",
    "cross_year.repetition": "跨年 第五部分重复",
}
_TEXT_CLAIMS = {"received_new": "本年新收申请数", "completed": "办结（答复）申请数", "carried_over_from_prev": "上年结转申请数",
                "carried_to_next": "结转下年度申请数", "review": "行政复议案件数", "litigation": "行政诉讼案件数",
                "fee_notice": "信息处理费"}


def check_family_label(family: str) -> str:
    """A check type (the id without its column or row, as the page's chart groups them)."""
    if family in _CHECK_FAMILIES:
        return _CHECK_FAMILIES[family]
    found = family_of(family)
    if found is not None:
        return found[0].label
    return next((label for prefix, label in _CHECK_FAMILIES.items() if family.startswith(f"{prefix}.")), family)


def check_title(check_id: str) -> str:
    """What a check checks, in Chinese, with its row or column: `applications.balance.total` ->
    表三 总计列：一+二 = （七）总计+四."""
    found = family_of(check_id)
    family, rest = found if found is not None else (None, "")
    if family is BALANCE:
        return f"表三 {column_label(rest)}列：一、本年新收 + 二、上年结转 = 三、（七）总计 + 四、结转下年度"
    if family is RESULTS_SUM:
        return f"表三 {column_label(rest)}列：（七）总计 = 各办理结果之和"
    if family is ROW_TOTAL:
        return f"表三 {row_label(_row_checked(check_id, rest))}行：总计 = 自然人 + 五类法人或其他组织"
    if family is NON_NEGATIVE:
        return "表三 各数值不为负"
    if family is REVIEW_SUM:
        return f"表四 {REVIEW_GROUP_LABELS.get(rest, rest)}：总计 = 结果维持+结果纠正+其他结果+尚未审结"
    if check_id.split(".")[0] == "text_vs_table":  # crosscheck.py's ids, not the registry's
        claim = check_id.rpartition(".")[2]
        return f"正文与表格：{_TEXT_CLAIMS.get(claim, claim)}"
    if family is CARRIED_OVER_YEAR:
        return f"跨年 {column_label(rest)}列：本年“二、上年结转” = 上年报告“四、结转下年度”"
    if family is IN_FORCE_YEAR:  # a v2021 row: its label of that version
        labels = {r.key: r.label for r in rows(IN_FORCE_YEAR.table, TemplateVersion.V2021)}
        return f"跨年 表二 {labels.get(_row_checked(check_id, rest), rest)}：现行有效件数 = 上年现行有效 + 本年制发 − 本年废止"
    if family is ITEM_COUNT_YEAR:
        return f"跨年 表二 {row_label(_row_checked(check_id, rest))}：上一年项目数量 = 上年报告的上一年项目数量 + 本年增/减"
    if check_id.startswith("cross_year.repetition"):
        return "跨年 第五部分与上年重复"
    return check_id


def _row_checked(check_id: str, rest: str) -> str:
    """The row a row's check (表三 row total, 表二 year to year) is about."""
    year = year_identity_of(check_id)
    if year is not None:
        return year.row
    return row_of_check(check_id) or rest


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
    if cid == NON_NEGATIVE.id:
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
