"""The template registry: every table's rows, columns, labels, units and identities, once.

Both versions of the State Council template (template.md §2–§4) as data. The checks, the
glued-cell deduction, the cross-year checks, the CSV columns, the gold loader and the codebook
read it; no other module spells a field key. Beside it: keys.py (the interned FieldKey and the
queries on keys and check ids), figures.py (headline figures, indicator operands) and outline.py
(the six sections and section 五's halves). tests/tables/test_registry_guard.py fails on a key
literal anywhere else.

Row patterns are matched against `normalize.match_key(label)` (NFKC, no spaces, `(` `)` `.`),
so they are written in that form. Keywords are the distinctive words of template.md §6.6;
row order is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Literal, NamedTuple

from extractor.models import TemplateVersion

__all__ = [
    "APPLICANT_COLUMNS", "BALANCE", "CARRIED_OVER", "CARRIED_OVER_YEAR", "CARRIED_TO_NEXT", "CODEBOOK_COLUMNS",
    "DISCLOSED", "FEES_2021", "FEE_UNPAID", "HEADER_ROWS", "IDENTITY_FAMILIES", "IN_FORCE_YEAR", "ITEM_COUNT_YEAR",
    "LABEL_HEADERS", "NON_NEGATIVE", "NORMATIVE_DOCUMENTS", "PARTIALLY_DISCLOSED", "PROCUREMENT_AMOUNT",
    "RECEIVED_NEW", "RESULTS_SUM", "RESULTS_TOTAL", "REVIEW_CORRECTED", "REVIEW_GROUPS", "REVIEW_GROUP_LABELS",
    "REVIEW_KEYS", "REVIEW_RESULT_COLUMNS", "REVIEW_ROW", "REVIEW_SUM", "REVIEW_TOTAL", "REVIEW_VERSION", "ROW_TOTAL",
    "TABLE2_SIGNALS", "TABLE3_SIGNAL_2021", "TABLES", "TABLE_HEADINGS", "V2019", "V2021", "VERSIONS", "YEAR_FAMILIES",
    "Column", "ColumnKind", "Identity", "IdentityFamily", "RowSpec", "YearIdentity", "all_keys", "field_specs",
    "identities", "rows", "sign_rules", "year_identities",
]

ColumnKind = Literal["count", "change", "amount"]
V2019, V2021 = TemplateVersion.V2019, TemplateVersion.V2021
VERSIONS = (V2019, V2021)
TABLES = ("active_disclosure", "applications", "review_litigation")
TABLE_HEADINGS = {"active_disclosure": "二", "applications": "三", "review_litigation": "四"}


class Column(NamedTuple):
    key: str
    kind: ColumnKind = "count"
    label: str = ""
    unit: str | None = None  # fixed by the template: "wan_yuan" for the v2021 fee


@dataclass(frozen=True)
class RowSpec:
    key: str  # field key prefix, e.g. "applications.received_new"
    keyword: str  # the regular expression its label is matched by (`pattern`: compiled when first asked, not at import)
    columns: tuple[Column, ...]
    label: str = ""  # the template's row label
    # How many of the table's label columns the label spans (table 三 has three: 一、… spans all, （一）…
    # two, a numbered sub-row one). A converter that expands merged cells prints label_span − 1 empty cells after it.
    label_span: int = 1

    @cached_property
    def pattern(self) -> re.Pattern[str]:  # when first asked: _rows.py matches one alternation of all keywords
        return re.compile(self.keyword)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(f"{self.key}.{c.key}" for c in self.columns)

    @cached_property
    def kinds(self) -> tuple[ColumnKind, ...]:
        return tuple(c.kind for c in self.columns)

    @cached_property
    def name(self) -> str:
        """The row key without its table's name, as messages print it: `results.disclosed`."""
        return self.key.partition(".")[2] or self.key

    @cached_property
    def total_key(self) -> str | None:
        """The key of the row's 总计 column (tables 三), None when it has none."""
        return next((k for c, k in zip(self.columns, self.keys, strict=True) if c.key == "total"), None)


class IdentityFamily(NamedTuple):
    """A kind of check of the template: its checks' ids are `<id>.<subject>` (a column, row or group),
    except a family checked once per report, whose check id is its own."""

    id: str
    table: str
    label: str  # Chinese, as the page's chart groups the checks
    formula: str
    totals: int = 1  # how many of a check's keys, first, are its total side


@dataclass(frozen=True)
class Identity:
    """An accounting identity of the template: Σ terms = Σ total."""

    id: str
    terms: tuple[str, ...]
    total: tuple[str, ...]
    formula: str
    family: IdentityFamily | None = None
    subject: str = ""  # what the id names after its family: a column, row or group

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return self.total + self.terms


class FieldSpec(NamedTuple):
    """One field as the codebook describes it."""

    key: str
    table: str
    row_label: str
    column_label: str
    kind: ColumnKind
    unit: str | None
    versions: tuple[TemplateVersion, ...]

    @property
    def header(self) -> str:
        """The field's Chinese column header, e.g. 表三·（三）不予公开·1.属于国家秘密·自然人."""
        return f"表{TABLE_HEADINGS[self.table]}·{self.row_label}·{self.column_label}"

    def row(self) -> dict[str, str]:
        """The codebook's row for this field (CSV, Markdown and the workbook's 字段说明 sheet)."""
        return {"key": self.key, "header": self.header, "table": f"表{TABLE_HEADINGS[self.table]}",
                "row_label": self.row_label, "column_label": self.column_label, "kind": self.kind,
                "unit": self.unit or "", "versions": " ".join(self.versions)}


CODEBOOK_COLUMNS = ("key", "header", "table", "row_label", "column_label", "kind", "unit", "versions")


def _row(key: str, pattern: str, columns: tuple[Column, ...], label: str) -> RowSpec:
    return RowSpec(key, pattern, columns, label)


# ---------------------------------------------------------------- table 二 (active_disclosure)
_MADE = (Column("new_made_count", label="本年新制作数量"), Column("new_published_count", label="本年新公开数量"),
         Column("total_published_count", label="对外公开总数量"))
_ISSUED = (Column("issued_count", label="本年制发件数"), Column("repealed_count", label="本年废止件数"),
           Column("in_force_count", label="现行有效件数"))
_ITEMS = (Column("prev_year_item_count", label="上一年项目数量"), Column("item_change", "change", "本年增/减"),
          Column("decision_count", label="处理决定数量"))
_DECISION = (Column("decision_count", label="本年处理决定数量"),)

_AD = "active_disclosure"
ACTIVE_DISCLOSURE: dict[TemplateVersion, tuple[RowSpec, ...]] = {
    V2019: (
        _row(f"{_AD}.regulations", r"规章", _MADE, "第二十条第（一）项·规章"),
        _row(f"{_AD}.normative_documents", r"规范性文件", _MADE, "第二十条第（一）项·规范性文件"),
        _row(f"{_AD}.licensing", r"行政许可", _ITEMS, "第二十条第（五）项·行政许可"),
        _row(f"{_AD}.other_admin_services", r"对外管理服务", _ITEMS, "第二十条第（五）项·其他对外管理服务事项"),
        _row(f"{_AD}.penalty", r"行政处罚", _ITEMS, "第二十条第（六）项·行政处罚"),
        _row(f"{_AD}.coercion", r"行政强制", _ITEMS, "第二十条第（六）项·行政强制"),
        _row(f"{_AD}.fees", r"事业性收费", _ITEMS[:2], "第二十条第（八）项·行政事业性收费"),
        _row(f"{_AD}.centralized_procurement", r"集中采购",
             (Column("project_count", label="采购项目数量"), Column("total_amount", "amount", "采购总金额")),
             "第二十条第（九）项·政府集中采购"),
    ),
    V2021: (
        _row(f"{_AD}.regulations", r"规章", _ISSUED, "第二十条第（一）项·规章"),
        _row(f"{_AD}.normative_documents", r"规范性文件", _ISSUED, "第二十条第（一）项·行政规范性文件"),
        _row(f"{_AD}.licensing", r"行政许可", _DECISION, "第二十条第（五）项·行政许可"),
        _row(f"{_AD}.penalty", r"行政处罚", _DECISION, "第二十条第（六）项·行政处罚"),
        _row(f"{_AD}.coercion", r"行政强制", _DECISION, "第二十条第（六）项·行政强制"),
        _row(f"{_AD}.fees", r"事业性收费",
             (Column("amount_wan_yuan", "amount", "本年收费金额（单位：万元）", "wan_yuan"),),
             "第二十条第（八）项·行政事业性收费"),
    ),
}
FEES_2021 = f"{_AD}.fees.amount_wan_yuan"
PROCUREMENT_AMOUNT = f"{_AD}.centralized_procurement.total_amount"
# Rows whose v2021 stock follows year to year: in force = last year's + issued − repealed (soft).
NORMATIVE_DOCUMENTS = f"{_AD}.normative_documents"
STOCK_ROWS = (f"{_AD}.regulations", NORMATIVE_DOCUMENTS)
# v2019 rows whose item count follows year to year: 上一年项目数量 = last year's + 本年增/减 (soft).
ITEM_ROWS = tuple(r.key for r in ACTIVE_DISCLOSURE[V2019] if r.columns[:2] == _ITEMS[:2])

# ---------------------------------------------------------------- table 三 (applications)
APPLICANT_COLUMNS = (
    Column("natural_person", label="自然人"),
    Column("commercial_enterprise", label="商业企业"),
    Column("research_institution", label="科研机构"),
    Column("social_welfare_org", label="社会公益组织"),
    Column("legal_service_org", label="法律服务机构"),
    Column("other_org", label="其他"),
    Column("total", label="总计"),
)
_R = "applications.results"
RECEIVED_NEW, CARRIED_OVER = "applications.received_new", "applications.carried_over_from_prev"
RESULTS_TOTAL, CARRIED_TO_NEXT = f"{_R}.total", "applications.carried_to_next"
FEE_UNPAID = f"{_R}.other.fee_unpaid_overdue"
DISCLOSED, PARTIALLY_DISCLOSED = f"{_R}.disclosed", f"{_R}.partially_disclosed"


_COMMON_HEAD = (
    (RECEIVED_NEW, r"本年新收", "一、本年新收政府信息公开申请数量"),
    (CARRIED_OVER, r"上年(?:度)?(?:结转|转结)", "二、上年结转政府信息公开申请数量"),
    (DISCLOSED, r"予以公开", "三、（一）予以公开"),
    (PARTIALLY_DISCLOSED, r"部分公开", "三、（二）部分公开"),
    (f"{_R}.withheld.state_secret", r"国家秘密", "（三）不予公开·1.属于国家秘密"),
    (f"{_R}.withheld.prohibited_by_law", r"禁止公开|法律行政\w?止公开", "（三）不予公开·2.其他法律行政法规禁止公开"),
    (f"{_R}.withheld.security_stability", r"三安全|一稳定", "（三）不予公开·3.危及“三安全一稳定”"),
    (f"{_R}.withheld.third_party_rights", r"第三方", "（三）不予公开·4.保护第三方合法权益"),
    (f"{_R}.withheld.internal_affairs", r"内部事务", "（三）不予公开·5.属于三类内部事务信息"),
    (f"{_R}.withheld.process_information", r"过程性", "（三）不予公开·6.属于四类过程性信息"),
    (f"{_R}.withheld.enforcement_case_file", r"执法案卷", "（三）不予公开·7.属于行政执法案卷"),
    (f"{_R}.withheld.administrative_query", r"查询事项|行政查询", "（三）不予公开·8.属于行政查询事项"),
    (f"{_R}.unable.not_held", r"不掌握", "（四）无法提供·1.本机关不掌握相关政府信息"),
    (f"{_R}.unable.requires_new_compilation", r"另行制作", "（四）无法提供·2.没有现成信息需要另行制作"),
    (f"{_R}.unable.unclear_after_correction", r"补正后|仍不明确", "（四）无法提供·3.补正后申请内容仍不明确"),
    (f"{_R}.not_processed.petition_complaint", r"信访", "（五）不予处理·1.信访举报投诉类申请"),
    (f"{_R}.not_processed.duplicate", r"重复申请", "（五）不予处理·2.重复申请"),
    (f"{_R}.not_processed.publication", r"出版物", "（五）不予处理·3.要求提供公开出版物"),
    (f"{_R}.not_processed.excessive_repeated", r"大量反复", "（五）不予处理·4.无正当理由大量反复申请"),
    (f"{_R}.not_processed.confirm_or_reissue", r"重新出具|确认或", "（五）不予处理·5.要求行政机关确认或重新出具已获取信息"),
)
_COMMON_TAIL = (
    (RESULTS_TOTAL, r"总计", "三、（七）总计"),
    (CARRIED_TO_NEXT, r"结转下年|下年度继续", "四、结转下年度继续办理"),
)
_OTHER_2019 = ((f"{_R}.other.total", r"其他处理", "（六）其他处理"),)
_OTHER_2021 = (
    (f"{_R}.other.no_correction_overdue", r"逾期不补正", "（六）其他处理·1.申请人无正当理由逾期不补正"),
    (FEE_UNPAID, r"缴纳费用|收费通知", "（六）其他处理·2.申请人逾期未按收费通知要求缴纳费用"),
    (f"{_R}.other.other", r"(?:^|\)|^\d\.)其他$", "（六）其他处理·3.其他"),
)
# Label spans of table 三's rows (template.md §3.2: label columns A, B, C); the rest span one.
_LABEL_SPANS = {RECEIVED_NEW: 3, CARRIED_OVER: 3, CARRIED_TO_NEXT: 3, DISCLOSED: 2,
                PARTIALLY_DISCLOSED: 2, f"{_R}.other.total": 2, RESULTS_TOTAL: 2}
APPLICATIONS: dict[TemplateVersion, tuple[RowSpec, ...]] = {
    version: tuple(RowSpec(key, pattern, APPLICANT_COLUMNS, label, _LABEL_SPANS.get(key, 1))
                   for key, pattern, label in _COMMON_HEAD + other + _COMMON_TAIL)
    for version, other in ((V2019, _OTHER_2019), (V2021, _OTHER_2021))
}

# ---------------------------------------------------------------- table 四 (review_litigation)
REVIEW_GROUP_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                       "litigation_after_review": "行政诉讼·复议后起诉"}
REVIEW_GROUPS = tuple(REVIEW_GROUP_LABELS)
REVIEW_RESULT_COLUMNS = (Column("upheld", label="结果维持"), Column("corrected", label="结果纠正"),
                         Column("other_result", label="其他结果"), Column("pending", label="尚未审结"),
                         Column("total", label="总计"))
REVIEW_COLUMNS = tuple(c.key for c in REVIEW_RESULT_COLUMNS)
# Table 四 is one printed row of 15 values: the three groups side by side.
REVIEW_ROW = RowSpec("review_litigation", r"$^", tuple(Column(f"{g}.{c.key}", label=f"{REVIEW_GROUP_LABELS[g]}·{c.label}")
                                                      for g in REVIEW_GROUPS for c in REVIEW_RESULT_COLUMNS),
                     "行政复议、行政诉讼")
REVIEW_KEYS = REVIEW_ROW.keys
# Table 四 is the same in both versions: its checks are read with this one.
REVIEW_VERSION = V2019
REVIEW_CORRECTED = {g: f"review_litigation.{g}.corrected" for g in REVIEW_GROUPS}
REVIEW_TOTAL = {g: f"review_litigation.{g}.total" for g in REVIEW_GROUPS}

# ---------------------------------------------------------------- printed headers (template.md §3.1, §4)
# The words of each header row of tables 三 and 四 as the template prints them, left to right (its merged
# cells' spans aside; 表三's top-left note is no column's). A grid whose header lost its spans (every cell one
# column wide) is still the template's header where its rows print exactly these words; its values then follow
# the template's column order (APPLICANT_COLUMNS, REVIEW_ROW). LABEL_HEADERS: the header of a table's label
# column, where the template prints one (table 二's sub-tables start with 信息内容, §2).
LABEL_HEADERS = {"active_disclosure": "信息内容"}
_RESULTS = tuple(c.label for c in REVIEW_RESULT_COLUMNS)
HEADER_ROWS: dict[str, tuple[tuple[str, ...], ...]] = {
    "applications": (("申请人情况",), ("自然人", "法人或其他组织", "总计"), tuple(c.label for c in APPLICANT_COLUMNS[1:6])),
    "review_litigation": (("行政复议", "行政诉讼"), (*_RESULTS, "未经复议直接起诉", "复议后起诉"), _RESULTS * 2),
}

# ---------------------------------------------------------------- version signals (template.md §5.4)
TABLE2_SIGNALS: dict[TemplateVersion, re.Pattern[str]] = {
    V2021: re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额"),
    V2019: re.compile(
        r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增|采购项目数量|第二十条第\(九\)项|其他对外管理服务事项"
    ),
}
TABLE3_SIGNAL_2021 = re.compile(r"逾期不补正|缴纳费用")


def rows(table: str, version: TemplateVersion | str) -> tuple[RowSpec, ...]:
    """The printed rows of a table (table 四: its one row of 15 values)."""
    if table == "active_disclosure":
        return ACTIVE_DISCLOSURE[TemplateVersion(version)]
    if table == "applications":
        return APPLICATIONS[TemplateVersion(version)]
    return (REVIEW_ROW,)


@cache
def all_keys(table: str, version: TemplateVersion | str) -> tuple[str, ...]:
    return tuple(k for row in rows(table, version) for k in row.keys)


# ---------------------------------------------------------------- identities (template.md §3.3 I1–I4, §4)
_A, _RL = "applications", "review_litigation"
BALANCE = IdentityFamily(f"{_A}.balance", _A, "表三 一+二 = （七）总计+四", "一+二 = （七）总计+四", totals=2)
RESULTS_SUM = IdentityFamily(f"{_A}.results_sum", _A, "表三 （七）总计 = 各办理结果之和", "（七）总计 = Σ办理结果")
ROW_TOTAL = IdentityFamily(f"{_A}.row_total", _A, "表三 总计 = 自然人+五类法人或其他组织", "总计 = 自然人+五类法人或其他组织")
NON_NEGATIVE = IdentityFamily(f"{_A}.non_negative", _A, "表三 无负数", "all values ≥ 0", totals=0)  # I4, once a report
REVIEW_SUM = IdentityFamily(f"{_RL}.sum", _RL, "表四 总计 = 维持+纠正+其他+尚未审结", "总计 = 维持+纠正+其他+尚未审结")
IDENTITY_FAMILIES = (BALANCE, RESULTS_SUM, ROW_TOTAL, NON_NEGATIVE, REVIEW_SUM)
# Year-to-year (crossyear.py): this year's report against the same body's of the year before.
_CY = "cross_year"
CARRIED_OVER_YEAR = IdentityFamily(f"{_CY}.carried_over", _A, "跨年 上年结转 = 上年报告的结转下年度",
                                   "二、上年结转 (this year) = 四、结转下年度 (last year)")
IN_FORCE_YEAR = IdentityFamily(f"{_CY}.in_force", "active_disclosure", "跨年 现行有效件数承接",
                               "现行有效 = last year's 现行有效 + 本年制发 − 本年废止 (soft: a clean-up re-bases it)")
ITEM_COUNT_YEAR = IdentityFamily(f"{_CY}.item_count", "active_disclosure", "跨年 上一年项目数量承接",
                                 "上一年项目数量 = last year's 上一年项目数量 + 本年增/减 (soft)")
YEAR_FAMILIES = (CARRIED_OVER_YEAR, IN_FORCE_YEAR, ITEM_COUNT_YEAR)


def _identity(family: IdentityFamily, subject: str, terms: tuple[str, ...], total: tuple[str, ...]) -> Identity:
    return Identity(f"{family.id}.{subject}", terms, total, family.formula, family, subject)


def sign_rules(table: str) -> tuple[IdentityFamily, ...]:
    """The once-a-report rules of a table that are no sum (I4: no negative count in table 三)."""
    return (NON_NEGATIVE,) if table == NON_NEGATIVE.table else ()


@cache
def identities(table: str, version: TemplateVersion | str) -> tuple[Identity, ...]:
    """Every accounting identity of one table (template.md §3.3 I1–I3 and §4)."""
    if table == "active_disclosure":
        return ()  # table 二 has none within one report; year to year see crossyear.py
    if table == _RL:
        return tuple(_identity(REVIEW_SUM, g, tuple(f"{_RL}.{g}.{c}" for c in REVIEW_COLUMNS[:-1]), (REVIEW_TOTAL[g],))
                     for g in REVIEW_GROUPS)
    specs = APPLICATIONS[TemplateVersion(version)]
    outcome = [r.key for r in specs if r.key.startswith(_R + ".") and r.key != RESULTS_TOTAL]
    cols = [c.key for c in APPLICANT_COLUMNS]
    out: list[Identity] = []
    for col in cols:
        # I1, printed under the table; written total-first like the others: Σ total is the left side.
        out.append(_identity(BALANCE, col, (f"{RESULTS_TOTAL}.{col}", f"{CARRIED_TO_NEXT}.{col}"),
                             (f"{RECEIVED_NEW}.{col}", f"{CARRIED_OVER}.{col}")))
    for col in cols:
        out.append(_identity(RESULTS_SUM, col, tuple(f"{r}.{col}" for r in outcome), (f"{RESULTS_TOTAL}.{col}",)))
    for spec in specs:
        out.append(_identity(ROW_TOTAL, spec.name, tuple(f"{spec.key}.{c}" for c in cols[:-1]), (f"{spec.key}.total",)))
    return tuple(out)


class YearIdentity(NamedTuple):
    """An identity between two consecutive reports of one body:
    this year's `total` = Σ last year's `last` + Σ this year's `plus` − Σ this year's `minus`.
    A soft one may be re-based by the body (a clean-up of its stock), so a failure is a finding
    for a reader, not an error of either report."""

    id: str
    total: str
    last: tuple[str, ...]
    plus: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    formula: str = ""
    soft: bool = False
    table: str = "applications"
    row: str = ""  # the row it follows


@cache
def year_identities(table: str, version: TemplateVersion | str) -> tuple[YearIdentity, ...]:
    """The year-to-year identities of one table when both years use `version`."""
    version = TemplateVersion(version)
    if table == "applications":
        return tuple(YearIdentity(f"{CARRIED_OVER_YEAR.id}.{c.key}", f"{CARRIED_OVER}.{c.key}",
                                  (f"{CARRIED_TO_NEXT}.{c.key}",), formula=CARRIED_OVER_YEAR.formula, row=CARRIED_OVER)
                     for c in APPLICANT_COLUMNS)
    if table != "active_disclosure":
        return ()
    if version == V2021:
        return tuple(YearIdentity(f"{IN_FORCE_YEAR.id}.{base.rsplit('.', 1)[-1]}", f"{base}.in_force_count",
                                  (f"{base}.in_force_count",), (f"{base}.issued_count",), (f"{base}.repealed_count",),
                                  IN_FORCE_YEAR.formula, soft=True, table=table, row=base)
                     for base in STOCK_ROWS)
    return tuple(YearIdentity(f"{ITEM_COUNT_YEAR.id}.{base.rsplit('.', 1)[-1]}", f"{base}.prev_year_item_count",
                              (f"{base}.prev_year_item_count", f"{base}.item_change"),
                              formula=ITEM_COUNT_YEAR.formula, soft=True, table=table, row=base)
                 for base in ITEM_ROWS)


@cache
def field_specs() -> tuple[FieldSpec, ...]:
    """The codebook: every field key of both versions, with its labels, unit and versions."""
    seen: dict[str, FieldSpec] = {}
    for table in TABLES:
        for version in VERSIONS:
            for row in rows(table, version):
                for col in row.columns:
                    key = f"{row.key}.{col.key}"
                    if key in seen:
                        prev = seen[key]
                        seen[key] = FieldSpec(key, table, prev.row_label, prev.column_label, prev.kind, prev.unit,
                                              (*prev.versions, version))
                        continue
                    row_label = row.label if table != "review_litigation" else REVIEW_GROUP_LABELS[col.key.split(".")[0]]
                    col_label = col.label if table != "review_litigation" else col.label.split("·")[-1]
                    seen[key] = FieldSpec(key, table, row_label, col_label, col.kind, col.unit, (version,))
    return tuple(seen.values())
