"""Findings grouped by cause (findings.py) on real corpus reports."""

from __future__ import annotations

from extractor.messages import is_chinese_sentence
from extractor.models import Check
from extractor.outputs._findings import report_findings, year_findings
from extractor.parse import parse_file
from tests.conftest import corpus, needs_shared


@needs_shared
def test_a_blank_total_column_is_one_finding():
    """r001 leaves its 总计 column blank: 12 failed checks and 11 total_blank warnings, one cause."""
    r = parse_file(corpus("reports/r001.html"))
    failed = [c for c in r.checks if c.ok is False]
    blanks = [w for w in r.warnings if w.code == "total_blank"]
    assert len(failed) == 12 and len(blanks) == 11
    findings = report_findings(r)
    grouped = [f for f in findings if f.kind == "blank_line"]
    assert len(grouped) == 1
    f = grouped[0]
    assert f.title == "表三 总计列空白，共19行"
    assert sorted(f.checks) == sorted(c.id for c in failed)  # every failed check folded under it
    assert len(f.folded) == 23 and all(is_chinese_sentence(t) for t in f.folded)
    assert all(p.state == "blank" for p in f.places)
    assert not [x for x in findings if x.kind == "check"]  # nothing left over as its own line


@needs_shared
def test_one_changed_row_is_named_with_its_numbers():
    """r046 prints （七）总计 as 0 beside outcome rows that sum to 3: two cells of that row repair
    all four failed identities, and no other change as small does."""
    r = parse_file(corpus("reports/r046.txt"))
    likely = [f for f in report_findings(r) if f.kind == "likely_cell"]
    assert len(likely) == 1
    f = likely[0]
    assert set(f.keys) == {"applications.results.total.natural_person", "applications.results.total.total"}
    assert "印为0、0，若为3、3，则4项校验全部成立" in f.title and len(f.checks) == 4


@needs_shared
def test_other_failures_say_which_figures_disagree_and_where():
    r = parse_file(corpus("reports/r003.pdf"))
    checks = [f for f in report_findings(r) if f.kind == "check"]
    review = next(f for f in checks if f.checks == ["review_litigation.sum.review"])
    assert "相差11" in review.title and "分项之和为11" in review.lines[0]
    assert review.places[0].label == "表四·行政复议·总计" and review.places[0].raw == "0"
    assert "印为“0”" in review.places[0].text()


def test_provenance_is_used_when_present():
    parse = {"ok": True, "fields": {"review_litigation.review.total": 0, "review_litigation.review.upheld": 2},
             "cells": {"review_litigation.review.total": {"raw": "0", "state": "number",
                                                          "at": {"start": 5, "end": 6, "page": 3, "table": 2, "row": 4, "col": 6}}},
             "checks": [{"id": "review_litigation.sum.review", "ok": False,
                         "detail": "总计 = 维持+纠正+其他+尚未审结: 0 ≠ 2+0+0+0",
                         "keys": ["review_litigation.review.total", "review_litigation.review.upheld"]}],
             "warnings": []}
    (f,) = report_findings(parse)
    # `at` counts table, row and column from 0; people from 1
    assert f.places[0].text() == "表四·行政复议·总计：印为“0”（第3页 第3个表格 第5行 第7列）"
    assert f.places[1].where() == ""  # no provenance: the raw text alone


def test_an_ocr_read_figure_says_so_with_its_confidence():
    parse = {"ok": True, "fields": {"review_litigation.review.total": 0, "review_litigation.review.upheld": 2},
             "cells": {"review_litigation.review.total": {"raw": "0", "state": "number", "ocr": 0.87,
                                                          "at": {"page": 2, "box": [10, 20, 60, 40]}}},
             "checks": [{"id": "review_litigation.sum.review", "ok": False,
                         "detail": "总计 = 维持+纠正+其他+尚未审结: 0 ≠ 2+0+0+0",
                         "keys": ["review_litigation.review.total", "review_litigation.review.upheld"]}],
             "warnings": []}
    (f,) = report_findings({**parse, "source": "scan.pdf"})
    assert f.places[0].where() == "第2页 OCR识别，置信度87%"
    (f,) = report_findings({**parse, "source": "r.html"})  # a picture in a web page: at.page counts the pictures
    assert f.places[0].where() == "第2张图片 OCR识别，置信度87%"


def test_year_findings_are_chinese():
    fs = year_findings([Check("cross_year.repetition.problems_improvements", False,
                              "99% of section 五 repeats last year's (limit 50%)"),
                        Check("cross_year.carried_over.total", True, "x")], [2022, 2023])
    assert [f.title for f in fs] == ["2022→2023年 第五部分有99%与上年报告重复（阈值50%）"]


def test_a_pdf_source_opens_at_the_figure_s_page():
    from extractor.outputs._cards import findings_html

    parse = {"ok": True, "fields": {"review_litigation.review.total": 0, "review_litigation.review.upheld": 2},
             "cells": {"review_litigation.review.total": {"raw": "0", "state": "number", "at": {"page": 3}}},
             "checks": [{"id": "review_litigation.sum.review", "ok": False,
                         "detail": "总计 = 维持+纠正+其他+尚未审结: 0 ≠ 2+0+0+0",
                         "keys": ["review_litigation.review.total", "review_litigation.review.upheld"]}],
             "warnings": []}
    html = findings_html(report_findings(parse), href="file:///a/r.pdf")
    assert 'href="file:///a/r.pdf#page=3">打开第3页</a>' in html
    assert "#page=" not in findings_html(report_findings(parse), href="file:///a/r.html")


def test_a_row_printed_short_is_named_once_as_the_row():
    """A row that printed three values for its seven columns is read whole (`incomplete`): each
    of its cells holds the row's printed text, so the finding names the row once with it, not
    each column as if it had printed `33 28 90`; and the workbook's 数字及印处 says the same."""
    from extractor import parse_text
    from extractor.outputs._finding_types import CellReader, row_places
    from extractor.outputs._workbook import _places
    from samples.synth import ReportSpec, consistent_values, make_report

    text = make_report(ReportSpec(values=consistent_values(7, "2021"), layout="pipe", version="2021"))
    row = "一、本年新收政府信息公开申请数量 | 33 | 0 | 28 | 0 | 0 | 29 | 90 |"
    assert row in text
    r = parse_text(text.replace(row, "一、本年新收政府信息公开申请数量 | 33 | 28 | 90 |"), "r.txt")
    key = "applications.received_new."
    assert r.cells[key + "total"].state == "incomplete" and r.fields[key + "total"] is None
    short = next(f for f in report_findings(r) if "row_incomplete" in f.warnings and key + "total" in f.keys)
    assert [p.text() for p in short.places] == ["表三·一、本年新收政府信息公开申请数量：印为“33 28 90”"]
    keys = [key + c for c in ("natural_person", "commercial_enterprise", "total")]
    assert _places(CellReader(r.to_json_dict()), keys) == "表三·一、本年新收政府信息公开申请数量：印为“33 28 90”"
    # cells of one row printed apart (each its own figure) stay one each
    apart = [CellReader(r.to_json_dict()).place(f"applications.carried_over_from_prev.{c}")
             for c in ("natural_person", "total")]
    assert row_places(apart) == apart


def test_a_row_whose_dropped_blanks_were_placed_shows_each_cell_as_placed():
    """A row printed `行政许可  -1` for three columns, its blanks dropped: the identities (only
    本年增/减 carries a sign) place -1 and leave the others blank, and ask the auditor to check
    (请核对). The finding shows every cell as placed, not only the first, which is blank."""
    from extractor import parse_text
    from samples.synth import ReportSpec, consistent_values, make_report

    text = make_report(ReportSpec(values=consistent_values(3, "2019"), layout="spaces", version="2019"))
    line = next(line for line in text.splitlines() if line.strip().startswith("行政许可"))
    r = parse_text(text.replace(line, "行政许可  -1"), "r.txt")
    placed = next(f for f in report_findings(r) if "cells_placed" in f.warnings)
    assert is_chinese_sentence(placed.title)
    assert [p.text() for p in placed.places] == [
        "表二·第二十条第（五）项·行政许可·上一年项目数量：印为空白",
        "表二·第二十条第（五）项·行政许可·本年增/减：印为“-1”",
        "表二·第二十条第（五）项·行政许可·处理决定数量：印为空白",
    ]
