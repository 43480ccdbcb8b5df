"""`extractor run` on folders written by the tests: bad inputs, resumption, outputs, the review page."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.outputs import read_cards
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "reports"


def run_cli(*args, env_extra=None, timeout=300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_BACKEND"))}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "extractor", "run", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)


def raw_lines(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def lines(out: Path) -> list[dict]:
    """results.jsonl's records with the parse in the full form (compact.expand)."""
    from extractor.outputs import expand

    return [{**r, "parse": expand(r["parse"])} for r in raw_lines(out)]


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "nanping_town_2019.md", d / "good.md")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    gbk = make_report(ReportSpec("北岸区司法局", 2021, "2021", "cells", consistent_values(5, "2021"), SECTION5[1]))
    (d / "sub" / "gbk.txt").write_bytes(gbk.encode("gbk"))
    html = make_report(ReportSpec("东湖街道办事处", 2022, "2021", "html", consistent_values(6, "2021")))
    (d / "truncated.html").write_text(html[: len(html) // 2], encoding="utf-8")
    (d / "no_tables.txt").write_text("红石乡人民政府2022年政府信息公开工作年度报告\n一、总体情况\n本年度工作平稳。\n二、主动公开政府信息情况\n"
                                     "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n"
                                     "公开内容不够丰富。下一步将加强培训。\n六、其他需要报告的事项\n无。\n", encoding="utf-8")
    (d / "named.docx").write_text("这不是一个 Word 文件", encoding="utf-8")
    with (d / "huge.txt").open("wb") as f:
        f.write(("一、总体情况" + "数" * 1000 + "\n").encode("utf-8") * 6900)  # ~20 MB
    os.symlink(d / "gone.txt", d / "unreadable.txt")  # a link to nothing: cannot be read (root reads anything else)
    return d


def test_bad_inputs_each_get_one_line_and_the_rest_goes_on(tmp_path: Path, bad_folder: Path):
    out = tmp_path / "out"
    proc = run_cli(bad_folder, "--out", out, "--quiet", "--jobs", "2")
    assert proc.returncode == 1  # some files could not be read
    assert "Traceback" not in proc.stderr
    by_source = {r["source"]: r for r in lines(out)}
    assert sorted(by_source) == sorted(["good.md", "empty.txt", "binary.txt", "sub/gbk.txt", "truncated.html",
                                        "no_tables.txt", "named.docx", "huge.txt", "unreadable.txt"])
    errors = {s: r["parse"]["error"] for s, r in by_source.items() if not r["parse"]["ok"]}
    assert errors["empty.txt"] == "empty file"
    assert errors["binary.txt"].startswith("binary file")
    assert errors["named.docx"].startswith("not a DOCX file")
    assert errors["huge.txt"].startswith("file too large")
    assert errors["unreadable.txt"].startswith("no such file")
    assert all("\n" not in e for e in errors.values())
    assert by_source["sub/gbk.txt"]["parse"]["org_name"] == "北岸区司法局"  # GBK decoded
    assert by_source["good.md"]["classify"]["ok"]
    no_tables = by_source["no_tables.txt"]["parse"]
    assert no_tables["ok"] and {w["code"] for w in no_tables["warnings"]} >= {"table_missing"}
    truncated = by_source["truncated.html"]["parse"]
    assert truncated["ok"] and any(w["code"] in ("row_missing", "table_missing") for w in truncated["warnings"])


def test_outputs(tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli(SAMPLES, "--out", out, "--quiet").returncode == 0
    raw = (out / "fields.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader((out / "fields.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 4
    assert {"source", "org_name", "year", "template", "failed_checks", "applications.received_new.total",
            "active_disclosure.regulations.new_made_count", "active_disclosure.regulations.issued_count"} <= set(rows[0])
    nanping = next(r for r in rows if r["source"] == "nanping_town_2019.md")
    assert nanping["active_disclosure.regulations.issued_count"] == ""  # a 2019 report has no 2021 keys
    statements = list(csv.DictReader((out / "statements.csv").open(encoding="utf-8-sig")))
    assert statements and {"kind", "themes", "boilerplate", "text"} <= set(statements[0])
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_rerun_skips_done_reports_and_redoes_changed_ones(tmp_path: Path):
    src = tmp_path / "in"
    shutil.copytree(SAMPLES, src)
    out = tmp_path / "out"
    run_cli(src, "--out", out, "--quiet")
    first = lines(out)
    proc = run_cli(src, "--out", out)
    assert "4 个此前已完成，本次处理 0 个" in proc.stderr
    changed = src / "nanping_town_2019.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("南屏镇", "北屏镇"), encoding="utf-8")
    proc = run_cli(src, "--out", out)
    assert "3 个此前已完成，本次处理 1 个" in proc.stderr
    after = lines(out)
    assert len(after) == len(first) == 4  # every input file exactly once
    assert {r["parse"]["org_name"] for r in after} >= {"北屏镇人民政府"}


def test_interrupted_run_leaves_no_partial_line_and_resumes(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(400):
        spec = ReportSpec(f"样例{i}局", 2022, "2021", "pipe", consistent_values(i, "2021"))
        (src / f"r{i:04d}.txt").write_text(make_report(spec), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--quiet",
                             "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not results.exists() or results.stat().st_size < 50_000):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # a kill can cut the last line; what is there is whole lines plus at most one cut-off tail
    partial = results.read_bytes()
    done_before = partial.count(b"\n")
    assert 0 < done_before < 400
    with results.open("ab") as f:
        f.write(b'{"source": "r0399.txt", "cut off')  # the worst case: a line cut mid-write
    resumed = run_cli(src, "--out", out)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_before} 个此前已完成" in resumed.stderr
    final = lines(out)
    assert len(final) == 400 and len({r["source"] for r in final}) == 400


def test_report_text_is_escaped(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    evil = SECTION5[1].replace("公开内容不够丰富", "公开内容不够丰富<script>alert('x')</script>&")
    (src / "evil.txt").write_text(make_report(ReportSpec("<b>恶意</b>局", 2022, "2021", "pipe", consistent_values(1, "2021"),
                                                         evil)), encoding="utf-8")
    out = tmp_path / "out"
    run_cli(src, "--out", out, "--quiet")
    page = (out / "report.html").read_text(encoding="utf-8")
    cards = json.dumps(read_cards(page), ensure_ascii=False)
    assert not (out / "report-cards").exists()  # the cards are in the page
    assert "<script>alert" not in page + cards and "&lt;script&gt;alert" in cards
    assert "<b>恶意</b>" not in page + cards  # "</" is escaped in the page's data, and cards escape it


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (.ci/run installs Debian's chromium)")
def test_review_page_in_headless_chromium(tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli(SAMPLES, "--out", out, "--quiet").returncode == 0
    page = (out / "report.html").resolve()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "page.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1300,1600", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000
    # the filters run: a search in the address (#q=…) leaves one row
    dom = dump_dom(page.as_uri() + "#q=" + "南屏镇", tmp_path)
    assert '<span id="shown">1</span>' in dom and len(re.findall(r'<tr class="report" data-i="\d+">', dom)) == 1
    # sorted by year, newest first, with a card opened (decoded from the page)
    dom = dump_dom(page.as_uri() + "#sort=-year&r=0", tmp_path)
    years = [int(y) for y in re.findall(r'class="report" data-i="\d+"><td>.*?</td><td>.*?</td><td>(\d{4})</td>', dom)]
    assert years == sorted(years, reverse=True) and len(years) == 4
    assert 'id="card0" data-ready="1"><div class="head"><b>' in dom and "<mark" in dom  # the card was decoded


def dump_dom(url: str, tmp_path: Path) -> str:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--allow-file-access-from-files", "--virtual-time-budget=5000", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout


def test_run_with_the_openai_backend_against_a_local_server(tmp_path: Path):
    import re
    import threading

    from tests.llm_server import ScriptedServer, section_of

    in_flight, peak, lock = [0], [0], threading.Lock()

    def responder(body: dict) -> str:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.2)  # a slow model: calls overlap when the runner sends them concurrently
        section = section_of(body["messages"][1]["content"])
        clause = re.split(r"[，,。；;：:\n]", section.strip().split("一是", 1)[-1])[0]
        with lock:
            in_flight[0] -= 1
        return json.dumps({"statements": [{"kind": "problem", "quote": clause, "themes": ["awareness"],
                                           "boilerplate": True}], "substantive": "boilerplate", "reason": "r"},
                          ensure_ascii=False)

    out = tmp_path / "out"
    with ScriptedServer([responder]) as server:
        env = {"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": server.base_url, "EXTRACTOR_CACHE_DIR": str(tmp_path / "cache")}
        proc = run_cli(SAMPLES, "--out", out, "--quiet", "--backend", "openai", "--model", "m",
                       "--llm-concurrency", "2", env_extra=env)
        assert proc.returncode == 0, proc.stderr
        assert len(server.requests) == 4
        again = run_cli(SAMPLES, "--out", out, "--backend", "openai", "--model", "m", env_extra=env)
        assert "4 个此前已完成，本次处理 0 个" in again.stderr and len(server.requests) == 4
    assert peak[0] == 2  # concurrent, and bounded
    reviews = [r["classify"] for r in lines(out)]
    assert all(r["ok"] and r["backend"] == "openai" and r["usage"]["requests"] == 1 for r in reviews)


def test_run_settles_a_glued_stock_row_from_last_years_report(tmp_path: Path):
    from tests.tables.test_crosschecks import stock_pair_texts

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    base = "active_disclosure.normative_documents"
    old, new = stock_pair_texts(132)
    (src / "old.html").write_text(old, encoding="utf-8")
    (src / "new.txt").write_text(new, encoding="utf-8")
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    rows = {r["source"]: r for r in csv.DictReader((out / "fields.csv").open(encoding="utf-8-sig"))}
    assert [rows["new.txt"][f"{base}.{c}"] for c in ("issued_count", "repealed_count", "in_force_count")] == ["15", "3", "132"]
    own = next(r for r in lines(out) if r["source"] == "new.txt")["parse"]
    assert own["fields"][f"{base}.in_force_count"] is None  # results.jsonl keeps the report's own reading
    comparison = json.loads((out / "comparisons.jsonl").read_text(encoding="utf-8"))
    assert comparison["settled"][0]["parts"] == ["15", "3", "132"]


def test_results_are_compact_by_default_and_full_on_request(tmp_path: Path):
    from extractor import parse_file
    from extractor.outputs import TABLE_SECTIONS

    out, full = tmp_path / "out", tmp_path / "full"
    assert run_cli(SAMPLES, "--out", out, "--quiet").returncode == 0
    assert run_cli(SAMPLES, "--out", full, "--quiet", "--full").returncode == 0
    small, big = (out / "results.jsonl").stat().st_size, (full / "results.jsonl").stat().st_size
    assert small < big / 3 and small / 4 < 16 * 1024
    assert all(r["parse"]["form"] == "compact" for r in raw_lines(out))
    assert all("form" not in r["parse"] for r in raw_lines(full))
    for r in lines(out):  # nothing lost: the full form comes back, the table sections' text aside
        want = parse_file(SAMPLES / r["source"], r["source"]).to_json_dict()
        want["sections"] = {k: v for k, v in want["sections"].items() if k not in TABLE_SECTIONS}
        assert json.loads(json.dumps(r["parse"])) == json.loads(json.dumps(want))
    assert oct((out / "results.jsonl").stat().st_mode & 0o777) != "0o600"


def test_a_resume_that_changes_nothing_rewrites_nothing(tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli(SAMPLES, "--out", out, "--quiet").returncode == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    time.sleep(0.05)
    again = run_cli(SAMPLES, "--out", out)
    assert again.returncode == 0 and "4 个此前已完成，本次处理 0 个" in again.stderr
    after = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert {k: v for k, v in after.items() if not k.startswith(".")} == \
        {k: v for k, v in before.items() if not k.startswith(".")}
