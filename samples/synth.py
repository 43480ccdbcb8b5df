"""Synthetic annual reports in the layouts of template.md §6, for samples, tests and benchmarks.

Everything here is written for this project (bodies, wording and numbers are made up); no
corpus text is copied. `make_report(spec)` returns the report text; `consistent_values(seed)`
gives table values that satisfy every identity of the template.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field, replace

COLS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total"]

T2 = {
    "2019": [
        ("第二十条第（一）项", ["本年新<br/>制作数量", "本年新<br/>公开数量", "对外公开总数量"],
         [("规章", "regulations"), ("规范性文件", "normative_documents")],
         ["new_made_count", "new_published_count", "total_published_count"]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", "licensing"), ("其他对外管理服务事项", "other_admin_services")],
         ["prev_year_item_count", "item_change", "decision_count"]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", "penalty"), ("行政强制", "coercion")],
         ["prev_year_item_count", "item_change", "decision_count"]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", "fees")],
         ["prev_year_item_count", "item_change"]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", "centralized_procurement")],
         ["project_count", "total_amount"]),
    ],
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", "regulations"), ("行政规范性文件", "normative_documents")],
         ["issued_count", "repealed_count", "in_force_count"]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing")], ["decision_count"]),
        ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "penalty"), ("行政强制", "coercion")],
         ["decision_count"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees")], ["amount_wan_yuan"]),
    ],
}

_T3_HEAD = [
    ("一、本年新收政府信息公开申请数量", "received_new"),
    ("二、上年结转政府信息公开申请数量", "carried_over_from_prev"),
    ("三、本年度办理结果", None),
    ("（一）予以公开", "results.disclosed"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "results.partially_disclosed"),
    ("（三）不予公开", None),
    ("1.属于国家秘密", "results.withheld.state_secret"),
    ("2.其他法律行政法规禁止公开", "results.withheld.prohibited_by_law"),
    ("3.危及“三安全一稳定”", "results.withheld.security_stability"),
    ("4.保护第三方合法权益", "results.withheld.third_party_rights"),
    ("5.属于三类内部事务信息", "results.withheld.internal_affairs"),
    ("6.属于四类过程性信息", "results.withheld.process_information"),
    ("7.属于行政执法案卷", "results.withheld.enforcement_case_file"),
    ("8.属于行政查询事项", "results.withheld.administrative_query"),
    ("（四）无法提供", None),
    ("1.本机关不掌握相关政府信息", "results.unable.not_held"),
    ("2.没有现成信息需要另行制作", "results.unable.requires_new_compilation"),
    ("3.补正后申请内容仍不明确", "results.unable.unclear_after_correction"),
    ("（五）不予处理", None),
    ("1.信访举报投诉类申请", "results.not_processed.petition_complaint"),
    ("2.重复申请", "results.not_processed.duplicate"),
    ("3.要求提供公开出版物", "results.not_processed.publication"),
    ("4.无正当理由大量反复申请", "results.not_processed.excessive_repeated"),
    ("5.要求行政机关确认或重新出具已获取信息", "results.not_processed.confirm_or_reissue"),
]
T3 = {
    "2019": _T3_HEAD + [("（六）其他处理", "results.other.total")],
    "2021": _T3_HEAD + [
        ("（六）其他处理", None),
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "results.other.no_correction_overdue"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "results.other.fee_unpaid_overdue"),
        ("3.其他", "results.other.other"),
    ],
}
_T3_TAIL = [("（七）总计", "results.total"), ("四、结转下年度继续办理", "carried_to_next")]
T4_KEYS = [f"review_litigation.{g}.{c}" for g in ("review", "litigation_direct", "litigation_after_review")
           for c in ("upheld", "corrected", "other_result", "pending", "total")]

BODIES = ["青山县水利局", "临江市统计局", "北岸区司法局", "东湖街道办事处", "南屏镇人民政府", "西林县自然资源局",
          "白沙区卫生健康委员会", "金川市生态环境局", "云台县市场监督管理局", "红石乡人民政府"]

SECTION5 = [
    "（一）存在的主要问题\n一是部分科室主动公开意识不强，信息报送不够及时；二是政策解读形式较为单一，图解、视频等解读方式运用较少；"
    "三是{year}年“财政预决算”栏目更新滞后，部分专项资金信息未按期公开。\n（二）改进情况\n一是进一步提高思想认识，加强业务培训。"
    "二是在{next}年3月底前完成“财政预决算”栏目历史信息补录，明确办公室为责任科室。三是每季度至少制作2期图解或视频解读。",
    "{year}年，我单位政府信息公开工作取得了一定成效，但还存在一些不足：公开内容不够丰富，工作人员业务水平有待提高。"
    "下一步，我们将加强学习培训，进一步丰富公开内容，不断提高政府信息公开工作水平。",
]


# The text layouts each of ReportSpec's variant flags applies to (the others print as they would).
VARIANT_LAYOUTS = {
    "narrative": ("html", "pipe", "cells", "markdown", "spaces"),
    "lost_headings": ("html", "pipe", "cells", "markdown", "spaces"),
    "footers": ("pipe", "cells", "markdown", "spaces"),
    "wrap_labels": ("pipe", "cells", "markdown"),
    "pieces": ("pipe", "cells", "markdown", "spaces"),
}


@dataclass
class ReportSpec:
    org: str = "青山县水利局"
    year: int = 2022
    version: str = "2021"
    layout: str = "html"  # html | pipe | cells | markdown | spaces | markdown_merged | glued
    values: dict[str, int | float] = field(default_factory=dict)
    section5: str = SECTION5[0]
    # Zeros printed as empty cells (many reports leave 0 blank); a blank reads as null.
    blank_zeros: bool = False
    # A section of the body's own inserted after 一, shifting every later numeral (template.md §1).
    inserted_section: bool = False
    # The overview numbering its own parts 一、二、三 before the tables: the template's headings win.
    narrative: bool = False
    # The headings of sections 三 and 五 lost in a conversion: found by what they hold (a warning).
    lost_headings: bool = False
    # A page footer (`— 4 —`, `第 3 页`) inside tables 二 and 三, as a PDF's text keeps it: never a value.
    footers: bool = False
    # Table 三's longer row labels wrapped over two or three lines: one cell per line, the label's
    # lines one under the other; pipe rows, its lines loose above the row and its label cell empty.
    wrap_labels: bool = False
    # Tables in pieces: table 三 continued after a page break with its header rows repeated,
    # table 四 as three tables, one per group, each under its own header.
    pieces: bool = False


def expected_fields(spec: ReportSpec) -> dict[str, int | float | None]:
    """What the parser should read: the values, with zeros printed blank read as null."""
    if not spec.blank_zeros:
        return dict(spec.values)
    return {k: (None if v == 0 else v) for k, v in spec.values.items()}


def consistent_values(seed: int, version: str) -> dict[str, int | float]:
    """Random table values that satisfy every identity of template.md §3.3 and §4."""
    rnd = random.Random(seed)
    v: dict[str, int | float] = {}
    for _caption, _heads, rows, cols in T2[version]:
        for _label, row in rows:
            for col in cols:
                key = f"active_disclosure.{row}.{col}"
                if col == "item_change":
                    v[key] = rnd.randint(-3, 3)
                elif col == "total_amount":
                    v[key] = rnd.randint(0, 900000)
                elif col == "amount_wan_yuan":
                    v[key] = round(rnd.uniform(0, 500), 2)
                else:
                    v[key] = rnd.choice([0, 0, 1, 2, rnd.randint(3, 400)])
    outcome_rows = [row for _l, row in T3[version] if row and row.startswith("results.")]
    for col in COLS[:-1]:
        weight = 1 if col == "natural_person" else rnd.choice([0, 0, 0, 1])
        for row in outcome_rows:
            v[f"applications.{row}.{col}"] = rnd.choice([0, 0, 0, rnd.randint(0, 9)]) * weight
        total = sum(v[f"applications.{row}.{col}"] for row in outcome_rows)
        carried_next = rnd.randint(0, 3) * weight
        carried_prev = min(rnd.randint(0, 3) * weight, total + carried_next)
        v[f"applications.results.total.{col}"] = total
        v[f"applications.carried_to_next.{col}"] = carried_next
        v[f"applications.carried_over_from_prev.{col}"] = carried_prev
        v[f"applications.received_new.{col}"] = total + carried_next - carried_prev
    for _l, row in T3[version] + _T3_TAIL:
        if row:
            v[f"applications.{row}.total"] = sum(v[f"applications.{row}.{c}"] for c in COLS[:-1])
    for g in ("review", "litigation_direct", "litigation_after_review"):
        parts = [rnd.choice([0, 0, 1, 2]) for _ in range(4)]
        for c, p in zip(("upheld", "corrected", "other_result", "pending"), parts):
            v[f"review_litigation.{g}.{c}"] = p
        v[f"review_litigation.{g}.total"] = sum(parts)
    return v


def _fmt(value: int | float | None, blank_zeros: bool = False) -> str:
    if value is None or (blank_zeros and value == 0):
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return str(int(value))


def _table_rows(spec: ReportSpec) -> dict[str, list[list[str]]]:
    """Each table as rows of cell strings, in the template's printed order."""
    v, bz = spec.values, spec.blank_zeros
    merged = spec.layout in ("markdown_merged", "md_pages")
    t2: list[list[str]] = []
    for caption, heads, rows, cols in T2[spec.version]:
        t2.append([caption, "", "", ""] if merged else [caption])
        # v2021 single-value sub-tables: the value cell spans 3 columns (template.md §2.2)
        pad = [""] * (3 - len(cols)) if merged else []
        t2.append(["信息内容", *heads, *pad])
        for label, row in rows:
            t2.append([label, *(_fmt(v.get(f"active_disclosure.{row}.{c}"), bz) for c in cols), *pad])
    t3: list[list[str]] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    if merged:
        # As HTML-to-markdown converters write it: merged cells expanded into empty cells after
        # their text, row-spanning labels printed on their first row only.
        t3 = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", "", "", "", "", ""],
              ["自然人", "法人或其他组织", "", "", "", "", "总计"],
              ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    group_a = group_b = None
    for label, row in T3[spec.version] + _T3_TAIL:
        if row is None:
            if label.startswith("三、"):
                group_a = label
            else:
                group_b = label
            continue
        cells = [_fmt(v.get(f"applications.{row}.{c}"), bz) for c in COLS]
        if spec.layout == "wrapped" and (group_a or group_b):
            # the group's label beside its first row's, in a column of its own (tab: the column break)
            t3.append([(group_b or group_a) + "\t" + label, *cells])  # type: ignore[operator]
            group_a = group_b = None
            continue
        if not merged:
            t3.append([label, *cells])
            continue
        if label[:2] in ("一、", "二、", "四、"):
            labels = [label, "", ""]
            group_a = group_b = None
        elif label.startswith("（"):
            labels = ([group_a] if group_a else []) + [label, ""]
            group_a, group_b = None, None
        else:
            labels = ([group_a] if group_a else []) + ([group_b] if group_b else []) + [label]
            group_a = group_b = None
        t3.append([*labels, *cells])
    t4 = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        [_fmt(v.get(k), bz) for k in T4_KEYS],
    ]
    return {"二": t2, "三": t3, "四": t4}


def _render_table(rows: list[list[str]], layout: str, spec: ReportSpec | None = None) -> str:
    if spec is not None and spec.wrap_labels and layout in VARIANT_LAYOUTS["wrap_labels"] and len(rows) > 10:
        rows = _wrap_labels(rows, layout)
    if spec is not None and spec.footers and layout in VARIANT_LAYOUTS["footers"] and len(rows) > 6:
        cut = len(rows) // 2
        footer = "— 4 —" if len(rows) > 10 else "第 3 页"
        apart = "\n\n" if layout == "cells" else "\n"
        return apart.join([_render_table(rows[:cut], layout), footer, _render_table(rows[cut:], layout)])
    if spec is not None and spec.pieces and layout in VARIANT_LAYOUTS["pieces"]:
        pieces = _pieces(rows)
        if len(pieces) > 1:
            return "\n\n".join(_render_table(p, layout, replace(spec, pieces=False)) for p in pieces)
    if layout == "html":
        out = ["<table border=\"1\"><tbody>"]
        for r in rows:
            out.append("<tr>" + "".join(f"<td><p>{c if '<br/>' in c else html.escape(c)}</p></td>" for c in r) + "</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)
    rows = [[c.replace("<br/>", "") for c in r] for r in rows]
    if layout == "pipe":
        return "\n".join(r[0] if _loose(r) else " | ".join(r) + " | ||" for r in rows)
    if layout in ("markdown", "markdown_merged"):
        lines = [r[0] if _loose(r) else "| " + " | ".join(r) + " |" for r in rows]
        if layout == "markdown_merged":
            lines.insert(1, "|" + "---|" * len(rows[0]))
        return "\n".join(lines)
    if layout == "glued":
        # crawled text: every cell run together, one space between rows at most
        return "".join("".join(r) for r in rows)
    if layout == "spaces":
        return "\n".join(" ".join(c if c else "0" for c in r) for r in rows)
    if layout == "wrapped":
        return "\n".join(_wrapped_row(r) for r in rows)
    return _text_table(rows, layout)


_WRAP = 8  # characters of a wrapped label's line


def _loose(row: list[str]) -> bool:
    """A wrapped label's lines printed apart from its row (_wrap_labels)."""
    return len(row) == 1 and "\n" in row[0]


def _text_table(rows: list[list[str]], layout: str) -> str:
    if layout == "md_pages":
        return _pages(rows)
    # one cell per line, blank lines between
    return "\n\n".join(c for r in rows for c in r)


def _wrap_labels(rows: list[list[str]], layout: str) -> list[list[str]]:
    """Table 三's data rows with a label longer than a line wrapped: one cell per line, the
    label's lines in its cell; pipe layouts, its lines before the row and the label cell empty
    (as a PDF converter prints a wrapped cell). A label of one line is printed as it is."""
    out: list[list[str]] = []
    for r in rows:
        label = r[0]
        if len(r) < 8 or len(label) <= _WRAP:  # a header row, a short label
            out.append(r)
            continue
        lines = _chunks(label, _WRAP)[:3]
        lines[-1] += label[_WRAP * 3:]
        if layout == "cells":
            out.append(["\n".join(lines), *r[1:]])
        else:
            out.append(["\n".join(lines)])  # loose lines above the row (pipes: see _render_table)
            out.append(["", *r[1:]])
    return out


def _pieces(rows: list[list[str]]) -> list[list[list[str]]]:
    """Table 三 cut in two, its three header rows repeated on the next page; table 四 one table
    per group, each its group's name over its five results and their values."""
    if rows[0][:2] == ["行政复议", "行政诉讼"]:
        results, values = rows[2][:5], rows[3]
        return [[[group], results, values[5 * g:5 * g + 5]]
                for g, group in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"))]
    if len(rows) > 10 and not rows[0][0].startswith("第二十条"):
        cut = 3 + (len(rows) - 3) // 2
        return [rows[:cut], rows[:3] + rows[cut:]]
    return [rows]


def _md(rows: list[list[str]]) -> list[str]:
    """Rows as markitdown writes a Word table: the header rule as wide as the widest row, each
    row as many cells as it printed (a row-spanning label only on its first row)."""
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    return lines[:1] + ["|" + " --- |" * max(map(len, rows))] + lines[1:]


def _pages(rows: list[list[str]]) -> str:
    """A table in pieces, as converters print a Word table: table 二 one table per 第二十条 item;
    a longer table cut by a page break (a footer, then its header rows repeated)."""
    if rows[0][0].startswith("第二十条"):
        pieces: list[list[list[str]]] = []
        for r in rows:
            if r[0].startswith("第二十条"):
                pieces.append([])
            pieces[-1].append(r)
        return "\n\n".join("\n".join(_md(p)) for p in pieces)
    head = 3 if len(rows) > 10 else 0  # table 三's three header rows
    if not head:
        return "\n".join(_md(rows))
    cut = head + (len(rows) - head) // 2
    return "\n".join(_md(rows[:cut]) + ["", "— 3 —", ""] + _md(rows[:head] + rows[cut:]))


def _chunks(label: str, width: int) -> list[str]:
    return [label[i:i + width] for i in range(0, len(label), width)] or [""]


def _wrapped_row(row: list[str]) -> str:
    """A row as PDF-to-text converters print a table with narrow label columns (pdfplumber):
    the label's first line beside the values, the rest of it on lines of its own below; a
    group's label (before a tab) wrapped in its own column, a word of each column per line."""
    label, values = row[0], row[1:]
    if not values or not any(values):
        return " ".join(row)  # a header row: as printed
    group, _, item = label.rpartition("\t")
    items, groups = _chunks(item, 4), _chunks(group, 2) if group else []
    lines = [" ".join(p for p in (g, i) if p) for g, i in
             zip(groups + [""] * (len(items) - len(groups)), items + [""] * (len(groups) - len(items)))]
    lines[0] += " " + " ".join(c if c else "0" for c in values)
    return "\n".join(lines)


def make_report(spec: ReportSpec) -> str:
    tables = _table_rows(spec)
    five = spec.section5.format(year=spec.year, next=spec.year + 1)
    parts = [
        f"{spec.org}{spec.year}年政府信息公开工作年度报告",
        "一、总体情况",
        f"{spec.year}年，{spec.org}认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息"
        f"{spec.year % 97 + 40}条，按时完成年度报告编制工作。",
    ]
    if spec.narrative:  # the overview's own parts, numbered as the template's sections are
        parts += ["一、加强组织领导", "成立政务公开工作领导小组，统筹推进全年工作。", "二、工作机制保障",
                  "完善信息发布审核机制，做到先审后发。", "三、平台建设", "优化门户网站栏目设置，新增政策解读专栏。"]
    n = iter("二三四五六七" if not spec.inserted_section else "三四五六七")
    if spec.inserted_section:
        parts += ["二、政务公开工作主要任务落实情况", "（一）聚焦重点领域。全年围绕财政预决算、重大项目等领域公开信息。"]
    parts += [
        f"{next(n)}、主动公开政府信息情况", _render_table(tables["二"], spec.layout, spec),
        f"{next(n)}、收到和处理政府信息公开申请情况", _render_table(tables["三"], spec.layout, spec),
        f"{next(n)}、政府信息公开行政复议、行政诉讼情况", _render_table(tables["四"], spec.layout, spec),
        f"{next(n)}、存在的主要问题及改进情况", five,
        f"{next(n)}、其他需要报告的事项", "本年度未收取信息处理费。", spec.org, f"{spec.year + 1}年1月20日",
    ]
    if spec.lost_headings:  # lost in a conversion: sections 三 and 五 found by what they hold
        parts = [p for p in parts if not p.endswith(("、收到和处理政府信息公开申请情况", "、存在的主要问题及改进情况"))]
    if spec.layout == "html":
        body = "\n".join(p if p.startswith("<table") else "".join(f"<p>{html.escape(line)}</p>" for line in p.split("\n"))
                         for p in parts)
        return f"<html><head><title>{html.escape(parts[0])}</title></head><body>\n{body}\n</body></html>\n"
    if spec.layout == "glued":
        return parts[0] + "\n" + "".join(parts[1:]) + "\n"  # the crawler's one-line body
    return "\n".join(parts) + "\n"
