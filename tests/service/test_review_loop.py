"""The review loop through the pages (TestClient): a finding marked, a cell corrected, a rerun of
`run` keeps both, the corrected value in every output with the parser's reading beside it, the
findings the correction resolves closed; a changed file shows its decisions as the previous
version's; gold export and letters carry the correction."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import zipfile

import openpyxl
from docx import Document

from extractor.evaluation import load_table_gold, score_report
from extractor.parse import parse_file
from extractor.service._gold import export_gold
from tests.conftest import needs_shared
from tests.service.conftest import MISPRINTED, client_for, csrf_of, report_id_of, run

TOTAL = "applications.received_new.total"
CHECKS = {"applications.row_total.received_new", "applications.balance.total"}


def _review_and_correct(out):
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    page = client.get(f"/reports/{rid}")
    assert page.status_code == 200 and "校验未通过" in page.text and "91" in page.text
    csrf = csrf_of(page.text)
    findings = client.get(f"/api/reports/{rid}/findings").json()
    assert CHECKS <= {f["id"] for f in findings if f["open"]}
    r = client.post(f"/reports/{rid}/findings/applications.balance.total",
                    data={"status": "false_alarm", "note": "核对原件：总计印错", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(f"/reports/{rid}/corrections", data={"key": TOTAL, "value": "90", "reason": "原件总计印为91，分项合计90",
                                                        "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    return client, rid


def test_review_and_correction_survive_a_rerun(run_dirs):
    src, out = run_dirs
    client, rid = _review_and_correct(out)
    live = client.get(f"/api/reports/{rid}").json()
    assert live["fields"][TOTAL] == 90 and live["cells"][TOTAL]["corrected"]["raw"] == "91"
    closed = {f["id"] for f in live["findings"] if f["closed_by_correction"]}
    assert CHECKS <= closed  # the identities pass with the corrected value: both findings close
    assert live["status"] == "ok"

    run(src, out)  # results.* rebuilt; reviews.db untouched
    client = client_for(out)
    after = client.get(f"/api/reports/{rid}").json()
    assert [c["key"] for c in after["corrections"]] == [TOTAL]
    review = {f["id"]: f for f in after["findings"]}["applications.balance.total"]
    assert review["status"] == "false_alarm" and review["note"] == "核对原件：总计印错"
    assert review["closed_by_correction"]

    db = sqlite3.connect(out / "results.db")
    assert db.execute("select value from fields where report=? and key=?", (MISPRINTED, TOTAL)).fetchone()[0] == 90
    assert db.execute("select value, parser_value, parser_raw from corrections where report=?",
                      (MISPRINTED,)).fetchall() == [(90, 91, "91")]
    assert not db.execute("select id from checks where report=?", (MISPRINTED,)).fetchall()
    assert db.execute("select status from reports where source=?", (MISPRINTED,)).fetchone()[0] == "ok"

    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    sheet = list(book["人工更正"].iter_rows(values_only=True))
    assert sheet[1][:5] == (MISPRINTED, TOTAL, sheet[1][2], 90, 91)
    data = list(book["数据"].iter_rows(values_only=True))
    column = data[0].index(sheet[1][2])
    assert next(r for r in data if r[0] == MISPRINTED)[column] == 90

    rows = list(csv.DictReader(io.StringIO((out / "fields.csv").read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r["source"] == MISPRINTED)[TOTAL] == "90"
    beside = list(csv.DictReader(io.StringIO((out / "corrections.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["report"], r["key"], r["value"], r["parser_raw"]) for r in beside] == [(MISPRINTED, TOTAL, "90", "91")]
    assert "解析读作：91" in client.get(f"/reports/{rid}").text  # the page: corrected, the parser's reading beside it

    from extractor.outputs import read_cards

    page = (out / "report.html").read_text(encoding="utf-8")
    card = next(c for c in read_cards(page) if f">{MISPRINTED}</a>" in c["h"])  # report.html's card, rewritten by the rerun
    assert "已由更正关闭（2）" in card["h"] and "（解析读作91）" in card["h"]
    fixed = [e for e in card["t"]["applications"]["c"] if isinstance(e, list) and e[4:] and "was" in e[4]]
    assert [(e[0], e[4]["was"]) for e in fixed] == [("90", "91")]


def test_a_changed_file_keeps_its_decisions_as_the_previous_version(run_dirs):
    src, out = run_dirs
    client, rid = _review_and_correct(out)
    text = (src / MISPRINTED).read_text(encoding="utf-8")
    (src / MISPRINTED).write_text(text.replace("本年度未收取信息处理费。", "本年度未收取信息处理费，特此说明。"), encoding="utf-8")
    run(src, out)
    client = client_for(out)
    report = client.get(f"/api/reports/{rid}").json()
    assert report["fields"][TOTAL] == 91 and report["corrections"] == []  # not silently reapplied
    assert {d["type"] for d in report["previous_version_decisions"]} == {"review", "correction"}
    assert "上一版本" in client.get(f"/reports/{rid}").text
    db = sqlite3.connect(out / "results.db")
    assert db.execute(f'select "{TOTAL}" from data where report=?', (MISPRINTED,)).fetchone()[0] == 91
    assert not (out / "corrections.csv").exists()  # nothing applies to the new version


def test_gold_export_has_the_correction_and_eval_reads_it(run_dirs, tmp_path):
    src, out = run_dirs
    _review_and_correct(out)
    done = export_gold(out, tmp_path / "gold")
    assert len(done.written) == 1 and done.corrections == 1
    gold = load_table_gold(tmp_path / "gold" / "tables")[0]
    assert gold.values[TOTAL] == 90 and gold.own_errors == []
    score = score_report(gold, parse_file(src / MISPRINTED, MISPRINTED))
    assert score.wrong_values == 1  # the parser reads the misprint; the gold has the auditor's value


def test_letter_lists_open_findings_and_zip_has_one_per_body(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    r = client.get(f"/letters/{rid}.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "审查意见书" in text and "青山县水利局" in text and "总计" in text and "91" in text
    z = zipfile.ZipFile(io.BytesIO(client.get("/letters.zip").content))
    assert "青山县水利局.docx" in z.namelist()  # one letter per body, its reports inside


def test_audit_log_has_who_when_before_after(run_dirs):
    _src, out = run_dirs
    client, _rid = _review_and_correct(out)
    log = client.get("/api/audit").json()
    correct = next(a for a in log if a["action"] == "correct")
    assert correct["by"] == "本机" and '"value": 91' in correct["before"] and '"value": 90' in correct["after"]
    assert correct["at"].endswith("Z")
    assert "更正" in client.get("/audit").text


def test_last_write_wins_and_both_are_logged(run_dirs):
    _src, out = run_dirs
    a, b = client_for(out), client_for(out)
    rid = report_id_of(a, MISPRINTED)
    for client, status in ((a, "verified"), (b, "fixed")):
        csrf = csrf_of(client.get(f"/reports/{rid}").text)
        client.post(f"/reports/{rid}/findings/applications.balance.total", data={"status": status, "csrf": csrf})
    finding = {f["id"]: f for f in a.get(f"/api/reports/{rid}/findings").json()}["applications.balance.total"]
    assert finding["status"] == "fixed"
    assert [x["after"].count("fixed") + x["after"].count("verified") for x in a.get("/api/audit").json()
            if x["action"] == "review"] == [1, 1]


def test_openapi_and_summary_filters(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    spec = client.get("/openapi.json").json()
    assert {"/api/reports", "/api/reports/{rid}", "/api/reports/{rid}/findings", "/api/reports/{rid}/corrections",
            "/api/uploads"} <= set(spec["paths"])
    failed = client.get("/api/reports", params={"status": "checks_failed"}).json()
    assert MISPRINTED in {i["source"] for i in failed["items"]}
    assert all(i["status"] == "checks_failed" for i in failed["items"])
    page = client.get("/", params={"status": "checks_failed"})
    assert "校验未通过" in page.text and MISPRINTED in page.text


@needs_shared  # `extractor eval` wants the shared corpus beside the gold it reads
def test_extractor_eval_reads_the_exported_gold(run_dirs, tmp_path):
    _src, out = run_dirs
    _review_and_correct(out)
    gold = tmp_path / "gold"
    assert subprocess.run([sys.executable, "-m", "extractor", "gold", "export", str(out), "--to", str(gold)],
                          capture_output=True, timeout=120).returncode == 0
    proc = subprocess.run([sys.executable, "-m", "extractor", "eval", "--gold", str(gold), "--json"],
                          capture_output=True, text=True, timeout=300)
    tables = json.loads(proc.stdout)["tables"]
    assert tables["reports"] == 1 and tables["wrong_values"] == 1  # the parser's 91 against the auditor's 90
