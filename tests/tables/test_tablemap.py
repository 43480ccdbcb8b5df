"""A Table block mapped onto the template by its row labels and its header: rows that print
exactly their values are aligned; a row with fewer value cells is incomplete, never shifted."""

from __future__ import annotations

from extractor.document import detect
from extractor.tables import rows
from extractor.tables._tablemap import map_table
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report


def _table(text: str, marker: str):
    return next(t.table for t in detect(text) if any(marker in c.text for r in t.table.rows for c in r))


def test_a_merged_markdown_table_is_aligned_row_by_row() -> None:
    spec = ReportSpec("样例1局", 2022, "2021", "markdown_merged", consistent_values(1, "2021"), SECTION5[1],
                      blank_zeros=True)
    mapped = map_table(_table(make_report(spec), "总计"), "applications", "2021")
    assert mapped.table == "applications" and mapped.aligned
    assert {r.key for r in mapped.rows} == {s.key for s in rows("applications", "2021")}  # every row of table 三
    got = {r.key: [c.text for c in r.values] for r in mapped.rows}
    want = [str(int(spec.values[f"applications.received_new.{c}"])) if spec.values[f"applications.received_new.{c}"]
            else "" for c in ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                              "legal_service_org", "other_org", "total")]
    assert got["applications.received_new"] == want


def test_a_row_with_a_cell_missing_is_incomplete() -> None:
    text = ("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| --- | --- | --- | --- |\n"
            "| 规章 | 1 | 2 | 3 |\n| 行政规范性文件 | 4 | 5 |\n")
    mapped = map_table(detect(text)[0].table, "active_disclosure", "2021")
    states = {r.key.rsplit(".", 1)[-1]: r.state for r in mapped.rows}
    assert states == {"regulations": "aligned", "normative_documents": "incomplete"}
    assert mapped.headed and not mapped.aligned
