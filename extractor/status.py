"""One status per report, from its parse and its review — the worst that applies, with all of
them listed (`Status.all`):

| status | when |
|---|---|
| `not_read` | the file could not be read as a report (`parse.ok` false) |
| `tables_missing` | a table of 二, 三, 四 was not found (published as an image, cut off) |
| `cells_unreadable` | some cells have no value: glued beyond deduction, rows printed short, text |
| `checks_failed` | an identity or a text-against-table check fails |
| `year_findings` | a year-on-year check against the body's last report fails: counts that do not carry over (上年结转, 现行有效件数), or section 五 repeated from last year above the limit (crossyear.py) |
| `review_failed` | the section-五 review failed (after its retries) or waits for the Batch API |
| `ok` | none of these |

Public API: `STATUSES` (worst first), `STATUS_LABELS` (Chinese), `report_status(parse, review, year_checks)`.
`year_checks` are the failed `cross_year.*` checks of the pair whose newer report this is (the
comparisons of `run`); without them a report is judged on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from extractor.models import UNKNOWN_STATES, CellState, WarningCode

__all__ = ["STATUSES", "STATUS_LABELS", "Status", "report_status"]

STATUSES = ("not_read", "tables_missing", "cells_unreadable", "checks_failed", "year_findings", "review_failed", "ok")
STATUS_LABELS = {"not_read": "未能读取", "tables_missing": "表格缺失", "cells_unreadable": "数值无法读取",
                 "checks_failed": "校验未通过", "year_findings": "跨年不符", "review_failed": "评议失败", "ok": "正常"}
_UNREADABLE = {s.value for s in UNKNOWN_STATES} - {CellState.ABSENT.value}


@dataclass(frozen=True)
class Status:
    status: str  # the worst
    all: tuple[str, ...]  # every status that applies, worst first

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def report_status(parse: dict[str, Any], review: dict[str, Any] | None = None,
                  year_checks: Iterable[dict[str, Any]] | None = None) -> Status:
    """From the JSON forms (`parse --json`, full form, `classify --json`, and the year-on-year
    checks of the comparison whose newer report this is)."""
    found: list[str] = []
    if not parse.get("ok"):
        found.append("not_read")
    else:
        if any(w["code"] == WarningCode.TABLE_MISSING for w in parse.get("warnings", [])):
            found.append("tables_missing")
        if any(c["state"] in _UNREADABLE for c in parse.get("cells", {}).values()):
            found.append("cells_unreadable")
        if any(c["ok"] is False for c in parse.get("checks", [])):
            found.append("checks_failed")
        if any(c.get("ok") is False for c in year_checks or ()):
            found.append("year_findings")
        if review is not None and review.get("ok") is False:
            found.append("review_failed")
    found = sorted(found, key=STATUSES.index) or ["ok"]
    return Status(found[0], tuple(found))
