"""The State Council template's tables as data: rows, their keywords, columns and field keys.

Patterns are matched against `normalize.match_key(label)` (NFKC, no spaces, `(` `)` `.`),
so they are written in that form. Keywords are the distinctive words of template.md §6.6;
row order is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

ColumnKind = Literal["count", "change", "amount"]
Version = Literal["2019", "2021"]


@dataclass(frozen=True)
class Column:
    key: str
    kind: ColumnKind = "count"


@dataclass(frozen=True)
class RowSpec:
    key: str  # field key prefix, e.g. "applications.received_new"
    pattern: re.Pattern[str]
    columns: tuple[Column, ...]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(f"{self.key}.{c.key}" for c in self.columns)

    def field_keys(self) -> list[str]:
        return list(self.keys)


def _row(key: str, pattern: str, columns: tuple[Column, ...]) -> RowSpec:
    return RowSpec(key, re.compile(pattern), columns)


# ---------------------------------------------------------------- table 二 (active_disclosure)
_MADE = (Column("new_made_count"), Column("new_published_count"), Column("total_published_count"))
_ISSUED = (Column("issued_count"), Column("repealed_count"), Column("in_force_count"))
_ITEMS = (Column("prev_year_item_count"), Column("item_change", "change"), Column("decision_count"))
_DECISION = (Column("decision_count"),)

_AD = "active_disclosure"
ACTIVE_DISCLOSURE: dict[Version, tuple[RowSpec, ...]] = {
    "2019": (
        _row(f"{_AD}.regulations", r"规章", _MADE),
        _row(f"{_AD}.normative_documents", r"规范性文件", _MADE),
        _row(f"{_AD}.licensing", r"行政许可", _ITEMS),
        _row(f"{_AD}.other_admin_services", r"对外管理服务", _ITEMS),
        _row(f"{_AD}.penalty", r"行政处罚", _ITEMS),
        _row(f"{_AD}.coercion", r"行政强制", _ITEMS),
        _row(f"{_AD}.fees", r"事业性收费", (Column("prev_year_item_count"), Column("item_change", "change"))),
        _row(
            f"{_AD}.centralized_procurement",
            r"集中采购",
            (Column("project_count"), Column("total_amount", "amount")),
        ),
    ),
    "2021": (
        _row(f"{_AD}.regulations", r"规章", _ISSUED),
        _row(f"{_AD}.normative_documents", r"规范性文件", _ISSUED),
        _row(f"{_AD}.licensing", r"行政许可", _DECISION),
        _row(f"{_AD}.penalty", r"行政处罚", _DECISION),
        _row(f"{_AD}.coercion", r"行政强制", _DECISION),
        _row(f"{_AD}.fees", r"事业性收费", (Column("amount_wan_yuan", "amount"),)),
    ),
}

# ---------------------------------------------------------------- table 三 (applications)
APPLICANT_COLUMNS = (
    Column("natural_person"),
    Column("commercial_enterprise"),
    Column("research_institution"),
    Column("social_welfare_org"),
    Column("legal_service_org"),
    Column("other_org"),
    Column("total"),
)
_R = "applications.results"
_COMMON_HEAD = (
    ("applications.received_new", r"本年新收"),
    ("applications.carried_over_from_prev", r"上年(?:度)?(?:结转|转结)"),
    (f"{_R}.disclosed", r"予以公开"),
    (f"{_R}.partially_disclosed", r"部分公开"),
    (f"{_R}.withheld.state_secret", r"国家秘密"),
    (f"{_R}.withheld.prohibited_by_law", r"禁止公开|法律行政\w?止公开"),
    (f"{_R}.withheld.security_stability", r"三安全|一稳定"),
    (f"{_R}.withheld.third_party_rights", r"第三方"),
    (f"{_R}.withheld.internal_affairs", r"内部事务"),
    (f"{_R}.withheld.process_information", r"过程性"),
    (f"{_R}.withheld.enforcement_case_file", r"执法案卷"),
    (f"{_R}.withheld.administrative_query", r"查询事项|行政查询"),
    (f"{_R}.unable.not_held", r"不掌握"),
    (f"{_R}.unable.requires_new_compilation", r"另行制作"),
    (f"{_R}.unable.unclear_after_correction", r"补正后|仍不明确"),
    (f"{_R}.not_processed.petition_complaint", r"信访"),
    (f"{_R}.not_processed.duplicate", r"重复申请"),
    (f"{_R}.not_processed.publication", r"出版物"),
    (f"{_R}.not_processed.excessive_repeated", r"大量反复"),
    (f"{_R}.not_processed.confirm_or_reissue", r"重新出具|确认或"),
)
_COMMON_TAIL = (
    (f"{_R}.total", r"总计"),
    ("applications.carried_to_next", r"结转下年|下年度继续"),
)
_OTHER_2019 = ((f"{_R}.other.total", r"其他处理"),)
_OTHER_2021 = (
    (f"{_R}.other.no_correction_overdue", r"逾期不补正"),
    (f"{_R}.other.fee_unpaid_overdue", r"缴纳费用|收费通知"),
    (f"{_R}.other.other", r"(?:^|\)|^\d\.)其他$"),
)
APPLICATIONS: dict[Version, tuple[RowSpec, ...]] = {
    version: tuple(_row(key, pattern, APPLICANT_COLUMNS) for key, pattern in _COMMON_HEAD + other + _COMMON_TAIL)
    for version, other in (("2019", _OTHER_2019), ("2021", _OTHER_2021))
}

# ---------------------------------------------------------------- table 四 (review_litigation)
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS = ("upheld", "corrected", "other_result", "pending", "total")
REVIEW_KEYS = tuple(f"review_litigation.{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS)

# ---------------------------------------------------------------- version signals (template.md §5.4)
TABLE2_SIGNALS: dict[Version, re.Pattern[str]] = {
    "2021": re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额"),
    "2019": re.compile(
        r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|本年增|采购项目数量|第二十条第\(九\)项|其他对外管理服务事项"
    ),
}
TABLE3_SIGNAL_2021 = re.compile(r"逾期不补正|缴纳费用")


def all_keys(table: str, version: Version) -> list[str]:
    if table == "active_disclosure":
        return [k for row in ACTIVE_DISCLOSURE[version] for k in row.field_keys()]
    if table == "applications":
        return [k for row in APPLICATIONS[version] for k in row.field_keys()]
    return list(REVIEW_KEYS)
