"""Issue 13's acceptance figures.

    python bench/bench_outputs.py              # 300 generated reports + the corpus: outputs
    python bench/bench_outputs.py --page 10000 # the review page for 10,000 generated reports

Prints: results.jsonl bytes per report, the workbook's sheets and Chinese headers (openpyxl),
the database's tables and PRAGMA integrity_check, whether every output carries the status; with
--page, report.html's size and, in headless Chromium, the time to load, filter, sort and open a card.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.evaluation import shared_dir  # noqa: E402
from samples.synth import ReportSpec, consistent_values, make_report  # noqa: E402

LAYOUTS = ("html", "pipe", "cells", "markdown", "spaces")


def write_generated(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        version = "2021" if i % 2 else "2019"
        spec = ReportSpec(f"样例{i % 997}局", 2019 + i % 6 if version == "2019" else 2021 + i % 4, version,
                          LAYOUTS[i % 5], consistent_values(i, version))
        (folder / f"g{i:05d}.{'html' if spec.layout == 'html' else 'txt'}").write_text(make_report(spec), encoding="utf-8")


def run(src: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--quiet"], check=False)
    return time.perf_counter() - started


def chromium_dump(url: str, profile: Path) -> str:
    chrome = shutil.which("chromium") or shutil.which("chromium-browser")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--allow-file-access-from-files", "--virtual-time-budget=10000", f"--user-data-dir={profile}"]
    return subprocess.run([chrome, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=300).stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--generated", type=int, default=300)
    ap.add_argument("--page", type=int, default=0, help="check the page for this many generated reports")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        n = args.page or args.generated
        write_generated(src / "generated", n)
        corpus = shared_dir() / "corpus" / "reports"
        if not args.page and corpus.is_dir():
            shutil.copytree(corpus, src / "corpus")
        seconds = run(src, out)
        lines = (out / "results.jsonl").read_bytes().count(b"\n")
        print(f"{lines} reports in {seconds:.1f} s; results.jsonl {(out / 'results.jsonl').stat().st_size / lines / 1024:.1f} KB "
              f"per report (target ≤ 16 KB)")
        if not args.page:
            import openpyxl

            book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
            heads = {name: next(book[name].iter_rows(max_row=1, values_only=True)) for name in book.sheetnames}
            print(f"results.xlsx sheets: {book.sheetnames}; 报告 header: {heads['报告'][:4]}…; "
                  f"数据 has {len(heads['数据'])} columns, e.g. {heads['数据'][40]}")
            db = sqlite3.connect(out / "results.db")
            tables = sorted(r[0] for r in db.execute("select name from sqlite_master where type='table'"))
            print(f"results.db tables: {tables}; integrity_check: {db.execute('PRAGMA integrity_check').fetchone()[0]}; "
                  f"statuses: {dict(db.execute('select status, count(*) from reports group by status').fetchall())}")
            csv_head = (out / "fields.csv").read_text(encoding="utf-8-sig").split("\n", 1)[0].split(",")[:3]
            page = (out / "report.html").read_text(encoding="utf-8")
            print(f"status in fields.csv {csv_head[1] == 'status'}, workbook {heads['报告'][1] == '状态'}, "
                  f"database {'status' in [c[1] for c in db.execute('PRAGMA table_info(reports)')]}, page {'data-status' in page or 'statuses' in page}")
            return
        size = (out / "report.html").stat().st_size
        blocks = (out / "report.html").read_text(encoding="utf-8").count('type="application/x-gzip-base64"')
        print(f"report.html {size / 1e6:.2f} MB, one file: the cards inside it in {blocks} compressed blocks, "
              f"decoded one at a time; nothing beside it: {not (out / 'report-cards').exists()}")
        uri = (out / "report.html").resolve().as_uri()
        for label, hash_ in (("load", ""), ("filter", "#q=样例12局"), ("sort", "#sort=-year"),
                             ("open a card", f"#r={n - 1}&sort=-year")):
            started = time.perf_counter()
            dom = chromium_dump(uri + hash_, Path(tmp) / "profile")
            wall = time.perf_counter() - started
            ready = re.search(r'data-ready="(\d+)"', dom)
            shown = re.search(r'id="shown">(\d+)', dom)
            card = f'id="card{n - 1}" data-ready="1">' in dom
            print(f"  {label}: script done at {ready.group(1) if ready else '?'} ms after navigation start "
                  f"(target < 2000); rows shown {shown.group(1) if shown else '?'}; card open {card}; "
                  f"chromium wall {wall:.1f} s")


if __name__ == "__main__":
    main()
