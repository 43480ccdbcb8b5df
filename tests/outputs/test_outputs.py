"""The run's workbook and database: every sheet and table, Chinese headers, statuses, indicators."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl

from samples.synth import SECTION5, ReportSpec, consistent_values, make_report
from tests.batch.test_run import SAMPLES, run_cli
from tests.tables.test_crosschecks import stock_pair_texts

# A report whose 本年新收 总计 is one more than its six applicant columns (the README's first query),
# and whose section 五 names 政务公开 (its full-text query).
OFF_BY_ONE = {**consistent_values(21, "2021")}
OFF_BY_ONE["applications.received_new.total"] += 1
BAISHA = ReportSpec("白沙县财政局", 2021, "2021", "pipe", OFF_BY_ONE,
                    section5=SECTION5[0].replace("部分科室主动公开意识不强", "部分科室政务公开意识不强"))


def _run(tmp_path: Path) -> Path:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for p in SAMPLES.iterdir():
        (src / p.name).write_bytes(p.read_bytes())
    old, new = stock_pair_texts(132)  # one body, two years: a pair for 年度对比
    (src / "old.html").write_text(old, encoding="utf-8")
    (src / "new.txt").write_text(new, encoding="utf-8")
    (src / "baisha.txt").write_text(make_report(BAISHA), encoding="utf-8")
    (src / "broken.html").write_text("<html><body><p>nothing here</p></body></html>", encoding="utf-8")
    run_cli(src, "--out", out, "--quiet")
    return out


def test_workbook_sheets_headers_and_numbers(tmp_path: Path):
    out = _run(tmp_path)
    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    assert book.sheetnames == ["报告", "数据", "提示", "校验", "问题与改进", "年度对比", "排名·实质公开率", "排名·复议纠错率",
                               "排名·第五部分重复率", "字段说明", "说明"]
    reports = list(book["报告"].iter_rows(values_only=True))
    assert reports[0][:3] == ("文件", "状态", "全部状态") and "实质公开率" in reports[0]
    by_file = {r[0]: r for r in reports[1:]}
    assert by_file["broken.html"][1] == "未能读取" and len(by_file) == 8
    data = list(book["数据"].iter_rows(values_only=True))
    header = data[0]
    assert "表三·（三）不予公开·1.属于国家秘密·自然人" in header
    col = header.index("表三·一、本年新收政府信息公开申请数量·总计")
    values = [row[col] for row in data[1:] if row[col] not in (None, "")]
    assert values and all(isinstance(v, (int, float)) for v in values)  # numbers as numbers
    assert len(list(book["字段说明"].iter_rows())) == 227
    assert any(r[7].startswith("cross_year.") and r[4].startswith("跨年") for r in list(book["年度对比"].iter_rows(values_only=True))[1:])


def test_database_tables_keys_and_queries(tmp_path: Path):
    out = _run(tmp_path)
    db = sqlite3.connect(out / "results.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    assert {"reports", "fields", "checks", "warnings", "statements", "comparisons", "indicators", "codebook"} <= tables
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("select count(*) from reports").fetchone() == (8,)
    assert db.execute("select status from reports where source='broken.html'").fetchone() == ("not_read",)
    # the README's queries, read from the README, give the rows these inputs call for
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("Queries an auditor asks", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    queries = [q.strip() for q in block.split(";") if q.strip()]
    assert len(queries) == 6
    not_adding_up, repeated, need_a_look, correction, ocr, fts = (db.execute(q).fetchall() for q in queries)
    assert ocr == []  # no pictures here: tests/outputs/test_ocr_outputs.py runs this query on some
    assert [r[:3] for r in not_adding_up] == [("白沙县财政局", 2021, "applications.row_total.received_new")]
    assert repeated == [("青山县水利局", "new.txt", "100% of section 五 repeats last year's (limit 50%)")]
    assert [r[0] for r in need_a_look] == ["broken.html", "new.txt", "baisha.txt"]
    assert [(body, year) for body, year, _ in correction] == [
        ("东湖街道办事处", 2021), ("临江市统计局", 2020), ("南屏镇政府", 2019), ("白沙县财政局", 2021),
        ("青山县水利局", 2022), ("青山县水利局", 2023)]
    assert [(report, "政务公开" in text) for report, text in fts] == [("baisha.txt", True)]
    value = db.execute("select value from fields where report='new.txt' and "
                       "key='active_disclosure.normative_documents.in_force_count'").fetchone()
    assert value == (132,)  # settled by last year's report
    assert db.execute("select count(*) from indicators where key='substantive_disclosure_rate'").fetchone()[0] >= 4
    # each statement's doc_start/doc_end point at its text in the document text (`extractor text`)
    from extractor.document import read_document

    rows = db.execute("select report, doc_start, doc_end, text from statements").fetchall()
    assert rows
    texts = {r: read_document(tmp_path / "in" / r).text for r in {row[0] for row in rows}}
    for report, start, end, text in rows:
        assert texts[report][start:end] == text, (report, start, end, text)
