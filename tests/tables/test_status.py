"""One status per report, year-on-year findings included (status.py, views.py)."""

from __future__ import annotations

from extractor.outputs import ReportView, year_checks_by_report
from extractor.tables._status import STATUSES, report_status

_OK_PARSE = {"ok": True, "warnings": [], "cells": {}, "checks": [{"id": "applications.balance.total", "ok": True}],
             "fields": {}}
_REPEATED = {"id": "cross_year.repetition.problems_improvements", "ok": False,
             "detail": "99% of section 五 repeats last year's (limit 50%)", "keys": []}


def test_year_on_year_findings_raise_the_status():
    assert report_status(_OK_PARSE).status == "ok"
    raised = report_status(_OK_PARSE, None, [_REPEATED])
    assert raised.status == "year_findings" and raised.label == "跨年不符" and raised.all == ("year_findings",)
    held = report_status(_OK_PARSE, None, [{**_REPEATED, "ok": True}])
    assert held.status == "ok"
    # worse statuses stay worse, and every one is listed
    failed = {**_OK_PARSE, "checks": [{"id": "applications.balance.total", "ok": False}]}
    both = report_status(failed, None, [_REPEATED])
    assert both.status == "checks_failed" and both.all == ("checks_failed", "year_findings")
    assert STATUSES.index("year_findings") < STATUSES.index("ok")


def test_views_take_the_failed_year_checks_of_the_newer_report():
    comparisons = [{"old": "a2022.txt", "new": "a2023.txt", "checks": [_REPEATED, {"id": "x", "ok": True}]},
                   {"old": "b2022.txt", "new": "b2023.txt", "checks": [{"id": "x", "ok": True}]}]
    by_report = year_checks_by_report(comparisons)
    assert list(by_report) == ["a2023.txt"] and by_report["a2023.txt"] == [_REPEATED]
    record = {"source": "a2023.txt", "parse": {**_OK_PARSE, "source": "a2023.txt"}, "classify": None}
    assert ReportView(record).status.status == "ok"
    view = ReportView(record, year_checks=by_report["a2023.txt"])
    assert view.status.status == "year_findings" and view.report_row()["statuses"] == "year_findings"
