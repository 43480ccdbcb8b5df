"""The workbook and the database as an auditor and an analyst use them (issue 21), and Excel's
limits kept without a silent loss (issue 20, item 8)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from extractor.messages import is_chinese_sentence
from extractor.outputs._compact import expand
from extractor.outputs._workbook import MAX_CELL, STATE_COLOURS, TRUNCATED
from samples.synth import ReportSpec, consistent_values, make_report
from tests.batch.test_run import SAMPLES, raw_lines, run_cli
from tests.tables.test_crosschecks import stock_pair_texts


def odd_cells_report() -> str:
    """A pipe report with a dash, a printed blank and a row left out."""
    text = make_report(ReportSpec("北岸区司法局", 2022, "2021", "pipe", consistent_values(3, "2021")))
    lines = text.splitlines()
    out = []
    for line in lines:
        if line.startswith("2.重复申请"):
            continue  # the row is not printed
        if line.startswith("行政处罚 |"):
            line = "行政处罚 | - | ||"
        if line.startswith("3.要求提供公开出版物"):
            line = "3.要求提供公开出版物 | 0 |  | 0 | 0 | 0 | 0 | 0 | ||"
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def run_out(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("auditor")
    src, out = tmp / "in", tmp / "out"
    src.mkdir()
    for p in SAMPLES.iterdir():
        (src / p.name).write_bytes(p.read_bytes())
    old, new = stock_pair_texts(140)  # 现行有效件数 does not carry over (120 + 15 − 3 = 132): a year finding
    (src / "old.html").write_text(old, encoding="utf-8")
    (src / "new.txt").write_text(new, encoding="utf-8")  # glued rows, split by deduction
    (src / "odd.txt").write_text(odd_cells_report(), encoding="utf-8")
    values = consistent_values(5, "2021")
    values["applications.results.disclosed.natural_person"] += 7  # breaks its row and column totals
    (src / "mismatch.html").write_text(make_report(ReportSpec("南湖区民政局", 2022, "2021", "html", values)),
                                       encoding="utf-8")
    (src / "broken.html").write_text("<html><body><p>nothing here</p></body></html>", encoding="utf-8")
    run_cli(src, "--out", out, "--quiet")
    return out


def _records(out: Path) -> dict[str, dict]:
    return {r["source"]: {**r, "parse": expand(r["parse"])} for r in raw_lines(out)}


def test_every_sheet_has_an_autofilter_and_chinese_headers(run_out: Path):
    book = openpyxl.load_workbook(run_out / "results.xlsx")
    for sheet in book.worksheets:
        assert sheet.auto_filter.ref, sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        header = [c.value for c in sheet[1]]
        assert all(is_chinese_sentence(h) for h in header if h), (sheet.title, header)


def test_warnings_sheet_says_why_in_chinese(run_out: Path):
    book = openpyxl.load_workbook(run_out / "results.xlsx", read_only=True)
    rows = list(book["提示"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "发布机关", "年度", "类别", "提示", "数字及印处", "代码")
    records = _records(run_out)
    pairs = [json.loads(line) for line in (run_out / "comparisons.jsonl").read_text(encoding="utf-8").splitlines()]
    year_failed = sum(1 for p in pairs for c in p["checks"] if c["ok"] is False)
    expected = sum(len(r["parse"].get("warnings", [])) + (not r["parse"]["ok"]) for r in records.values())
    assert year_failed > 0 and len(rows) - 1 == expected + year_failed
    for row in rows[1:]:
        assert is_chinese_sentence(row[3]) and is_chinese_sentence(row[4]), row
    broken = [r for r in rows[1:] if r[0] == "broken.html"]
    assert broken and broken[0][3] == "未能读取" and broken[0][6] == "not_read"
    odd = {r[6] for r in rows[1:] if r[0] == "odd.txt"}
    assert "row_missing" in odd


def test_checks_sheet_says_where_each_figure_was_printed(run_out: Path):
    """校验's 数字及印处 names each figure of a failed check with its printed text and, where the
    reader saw a grid, its table, row and column, counted from 1 as people count (from `at`)."""
    book = openpyxl.load_workbook(run_out / "results.xlsx", read_only=True)
    rows = list(book["校验"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "发布机关", "年度", "校验", "说明", "数字及印处", "代码")
    records = _records(run_out)
    located = 0
    for row in rows[1:]:
        parse = records[row[0]]["parse"]
        check = next(c for c in parse["checks"] if c["id"] == row[6] and c["ok"] is False)
        for key in check["keys"][:8]:
            at = parse["cells"].get(key, {}).get("at") or {}
            assert "印为" in row[5], row
            if isinstance(at.get("table"), int) and isinstance(at.get("row"), int):
                assert f"第{at['table'] + 1}个表格 第{at['row'] + 1}行 第{at['col'] + 1}列" in row[5], (key, row)
                located += 1
    assert len(rows) > 1 and located > 0


def test_data_cells_coloured_by_state_with_the_raw_text_as_comment(run_out: Path):
    book = openpyxl.load_workbook(run_out / "results.xlsx")
    sheet = book["数据"]
    header = [c.value for c in sheet[1]]
    from extractor.outputs._outputs import FIELD_KEYS

    assert len(header) == 3 + len(FIELD_KEYS)
    records = _records(run_out)
    seen = set()
    units = 0
    for row in sheet.iter_rows(min_row=2):
        record = records[row[0].value]
        cells = record["parse"].get("cells", {})
        for key, cell in zip(FIELD_KEYS, row[3:]):
            info = cells.get(key)
            if info is None:
                continue
            value = record["parse"]["fields"].get(key)
            state = "split" if info["state"] == "number" and info.get("split_from") else info["state"]
            plain = state == "number" and len(set(info) - {"at"}) == 2  # `at` says where, not how
            colour = (cell.fill.fgColor.rgb or "") if cell.fill and cell.fill.fill_type else ""
            if plain:
                assert not colour.endswith(tuple(c[1:] for c in STATE_COLOURS.values())), (key, colour)
                continue
            seen.add(state)
            if state == "glued" and colour.endswith(STATE_COLOURS["split"][1:]):
                continue  # settled by last year's report (comparisons.jsonl): the outputs show it split
            if state != "number":  # a number printed with a unit or settled by a sentence: no fill, a comment
                assert colour.endswith(STATE_COLOURS[state][1:]), (row[0].value, key, state, colour)
            assert cell.value == value or (value is None and cell.value in (None, ""))
            if info.get("raw"):
                assert cell.comment is not None and info["raw"] in cell.comment.text, (key, info)
            if info.get("unit"):  # the unit in Chinese, not its code
                assert cell.comment is not None and re.search(r"单位：(?:万元|元)\n", cell.comment.text), cell.comment
                units += 1
    # a dash, a printed blank, a row left out and a split glued run: four states, four colours
    assert {"dash", "blank", "absent", "split"} <= seen, seen
    assert units > 0
    assert len({STATE_COLOURS[s] for s in ("dash", "blank", "absent", "split", "glued")}) == 5


def test_rates_are_percentages_and_sources_are_links(run_out: Path):
    book = openpyxl.load_workbook(run_out / "results.xlsx")
    sheet = book["报告"]
    header = [c.value for c in sheet[1]]
    col = header.index("实质公开率")
    rates = [row[col] for row in sheet.iter_rows(min_row=2) if row[col].value is not None]
    assert rates and all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in rates)
    links = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.hyperlink is not None for c in links)
    target = links[0].hyperlink.target.replace("\\", "/")
    assert (run_out / target).resolve().is_file()  # relative to the workbook: it opens the source
    # Chinese where a person reads: statuses, the section-五 verdict
    statuses = header.index("全部状态")
    assert all(is_chinese_sentence(row[statuses].value) for row in sheet.iter_rows(min_row=2))
    verdict = header.index("第五部分评议")
    values = [row[verdict].value for row in sheet.iter_rows(min_row=2) if row[verdict].value]
    assert values and all(is_chinese_sentence(v) for v in values)
    themes = [r[4] for r in book["问题与改进"].iter_rows(min_row=2, values_only=True) if r[4]]
    assert themes and all(is_chinese_sentence(t) for t in themes)
    evidence = [r[8] for r in book["问题与改进"].iter_rows(min_row=2, values_only=True) if r[8]]
    assert all(is_chinese_sentence(e) for e in evidence)


def test_grades_and_a_ranking_sheet_per_grade(run_out: Path):
    from extractor.outputs._grades import GRADES

    book = openpyxl.load_workbook(run_out / "results.xlsx")
    report = book["报告"]
    header = [c.value for c in report[1]]
    for g in GRADES:
        assert f"风险·{g.label}" in header
        ranking = book[f"排名·{g.label}"]
        rows = list(ranking.iter_rows(min_row=2))
        values = [r[2].value for r in rows]
        if g.indicator == "substantive_disclosure_rate":
            assert len(values) >= 4
        graded = [(r[1].value, r[2].value) for r in rows if r[1].value != "样本不足"]
        ordered = sorted(graded, key=lambda t: (("高风险", "中风险", "低风险").index(t[0]),
                                                t[1] if g.worse == "low" else -t[1]))
        assert graded == ordered  # worst first
        assert [r[0].value for r in rows] == list(range(1, len(rows) + 1))
        assert all(r[2].number_format == "0.0%" for r in rows)
    notes = [r[0] for r in book["说明"].iter_rows(min_row=2, values_only=True)]
    assert any(n.startswith("风险·实质公开率") for n in notes)


def test_database_integers_fts_wide_views_and_metadata(run_out: Path):
    db = sqlite3.connect(run_out / "results.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    key = "applications.received_new.total"
    types = {t for (t,) in db.execute(f'select typeof("{key}") from data')}
    assert types <= {"integer", "null"} and "integer" in types
    fee = {t for (t,) in db.execute('select typeof("active_disclosure.fees.amount_wan_yuan") from data_2021')}
    assert fee <= {"real", "integer", "null"}
    assert db.execute("select typeof(year), typeof(failed_checks), typeof(ok) from reports where ok = 1"
                      ).fetchone() == ("integer", "integer", "integer")
    # the long table holds only cells that are not plain numbers
    states = {s for (s,) in db.execute("select distinct state from fields")}
    n_fields = db.execute("select count(*) from fields").fetchone()[0]
    assert 0 < n_fields < db.execute("select count(*) from data").fetchone()[0] * 227 / 4
    assert {"dash", "blank"} <= states
    # a wide view per template version
    n19 = db.execute("select count(*) from data_2019").fetchone()[0]
    n21 = db.execute("select count(*) from data_2021").fetchone()[0]
    assert n19 + n21 == db.execute("select count(*) from reports where template in ('2019', '2021')").fetchone()[0]
    cols21 = [r[1] for r in db.execute("PRAGMA table_info(data_2021)")]
    assert "active_disclosure.normative_documents.in_force_count" in cols21
    # full-text search on statements, Chinese substrings
    text = db.execute("select text from statements limit 1").fetchone()[0]
    probe = text[2:6]
    hits = db.execute("select count(*) from statements_fts where statements_fts match ?", (f'"{probe}"',)).fetchone()[0]
    assert hits >= 1
    # Chinese beside the codes
    assert all(is_chinese_sentence(m) for (m,) in db.execute("select message_zh from warnings"))
    assert db.execute("select status_zh from reports where source = 'broken.html'").fetchone() == ("未能读取",)
    # the README's worst-first query sorts by severity, not by name
    worst = [s for (s,) in db.execute("select status from reports where status != 'ok' order by status_rank")]
    from extractor.tables import STATUSES

    assert worst == sorted(worst, key=STATUSES.index)
    meta = json.loads((run_out / "metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"]["results"]["tables"]
    assert {"reports", "data", "fields", "checks", "warnings", "statements", "data_2019", "data_2021"} <= set(tables)
    assert is_chinese_sentence(tables["reports"]["description"])
    assert tables["data"]["columns"][key].startswith("表三")
    assert tables["statements"]["fts_table"] == "statements_fts"


def test_workbook_limits_continuation_sheet_and_marked_truncation(tmp_path: Path, monkeypatch):
    """Past the rows of a sheet the rows go on in （续1）; text past 32,767 characters is cut with a mark."""
    import extractor.outputs._workbook as wb

    monkeypatch.setattr(wb, "MAX_ROWS", 5)
    monkeypatch.setattr(wb, "MAX_COMMENTS", 1)
    book = wb.Workbook(tmp_path / "w.xlsx", ["applications.received_new.total"])
    glued = {"applications.received_new.total": {"raw": "1234", "state": "glued"}}
    book._data_row(["a.txt", "某局", 2022], {"applications.received_new.total": None}, glued)
    book._data_row(["b.txt", "某局", 2022], {"applications.received_new.total": None}, glued)
    for i in range(9):
        book._row("问题与改进", [f"r{i}.txt", "某局", 2022, "问题", "", "否", 0, "长" * (MAX_CELL + 10 if i == 0 else 3), ""])
    counts = book.close(9)
    assert counts["cells_truncated"] == 1 and counts["comments_omitted"] == 1  # past the cap: colour, no comment
    assert counts["rows_continued"] >= 5  # 问题与改进's 5, and the codebook's and notes' rows past 5
    out = openpyxl.load_workbook(tmp_path / "w.xlsx", read_only=True)
    assert "问题与改进（续1）" in out.sheetnames
    first = list(out["问题与改进"].iter_rows(values_only=True))
    second = list(out["问题与改进（续1）"].iter_rows(values_only=True))
    assert second[0] == first[0] and len(second) > 1  # the continued sheet repeats the header
    parts = [list(out[name].iter_rows(values_only=True)) for name in out.sheetnames if name.startswith("问题与改进")]
    assert len(parts) == 3 and all(len(p) <= 5 and p[0] == first[0] for p in parts)
    assert [r[0] for p in parts for r in p[1:]] == [f"r{i}.txt" for i in range(9)]  # every row, in order
    cut = first[1][7]
    assert len(cut) == MAX_CELL and cut.endswith(TRUNCATED)
