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

Public API: `STATUSES` (worst first), `STATUS_LABELS` (Chinese), `Status`, `report_status(parse, review,
year_checks)` on the JSON forms, `record_status(parse, review_state, year_checks)` as a record
(record.py) computes it, and `parse_status(result)` on a ParseResult. `year_checks` are the failed
`cross_year.*` checks of the pair whose newer report this is (the comparisons of `run`); without
them a report is judged on its own. The three share one rule (`_status`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from extractor.json_forms import CheckJSON, ParseJSON

from extractor.models import PENDING_ERROR, UNKNOWN_STATES, CellState, ParseResult, ReviewState, WarningCode

__all__ = ["STATUSES", "STATUS_LABELS", "Status", "parse_status", "record_status", "report_status",
           "review_state"]

STATUSES = ("not_read", "tables_missing", "cells_unreadable", "checks_failed", "year_findings", "review_failed", "ok")
STATUS_LABELS = {"not_read": "未能读取", "tables_missing": "表格缺失", "cells_unreadable": "数值无法读取",
                 "checks_failed": "校验未通过", "year_findings": "跨年不符", "review_failed": "评议失败", "ok": "正常"}
_PENDING_PREFIX = PENDING_ERROR.split(" ", 1)[0]  # "pending:", as every version wrote it
_UNREADABLE = {s.value for s in UNKNOWN_STATES} - {CellState.ABSENT.value}


class Status(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: str  # the worst
    all: tuple[str, ...]  # every status that applies, worst first

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def review_state(review: Any) -> ReviewState | None:
    """A review's state (a Review, or its JSON form): ok, failed, or pending (waiting for the
    OpenAI Batch API: its stored error is PENDING_ERROR); None without a review."""
    if review is None:
        return None
    ok, error = (review.get("ok"), review.get("error")) if isinstance(review, Mapping) else (review.ok, review.error)
    if ok is not False:
        return ReviewState.OK
    return ReviewState.PENDING if str(error or "").startswith(_PENDING_PREFIX) else ReviewState.FAILED


def _status(ok: bool, tables_missing: bool, unreadable: bool, checks_failed: bool, year_failed: bool,
            review_failed: bool) -> Status:
    found = ["not_read"] if not ok else [name for name, on in (
        ("tables_missing", tables_missing), ("cells_unreadable", unreadable), ("checks_failed", checks_failed),
        ("year_findings", year_failed), ("review_failed", review_failed)) if on]
    found = found or ["ok"]
    return Status.model_construct(status=found[0], all=tuple(found))


def record_status(parse: ParseJSON, review: ReviewState | None = None,
                  year_checks: Iterable[CheckJSON] | None = None) -> Status:
    """From the JSON form of a parse (`parse --json`, full form), the review's state, and the
    year-on-year checks of the comparison whose newer report this is."""
    if not parse.get("ok"):
        return _status(False, False, False, False, False, False)
    return _status(True, any(w["code"] == WarningCode.TABLE_MISSING for w in parse.get("warnings", [])),
                   any(c["state"] in _UNREADABLE for c in parse.get("cells", {}).values()),
                   any(c["ok"] is False for c in parse.get("checks", [])),
                   any(c.get("ok") is False for c in year_checks or ()),
                   review is not None and review != ReviewState.OK)


def report_status(parse: Mapping[str, Any], review: Mapping[str, Any] | None = None,
                  year_checks: Iterable[Mapping[str, Any]] | None = None) -> Status:
    """From the JSON forms (`parse --json`, full form, `classify --json`, and the year-on-year
    checks of the comparison whose newer report this is)."""
    return record_status(cast("ParseJSON", parse), review_state(review), cast("Iterable[CheckJSON] | None", year_checks))


def parse_status(result: ParseResult, review: ReviewState | None = None) -> Status:
    """A parse result's status, read off its objects (a report judged on its own)."""
    if not result.ok:
        return _status(False, False, False, False, False, False)
    return _status(True, any(w.code == WarningCode.TABLE_MISSING for w in result.warnings),
                   any(c.state in _UNREADABLE for c in result.cells.values()),
                   any(c.ok is False for c in result.checks), False,
                   review is not None and review != ReviewState.OK)
