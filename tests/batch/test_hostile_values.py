"""Issue 20, items 1 and 2: no printed value and no file name can stop `extractor run` or
`parse --json`. The largest value a template cell holds reaches every output unchanged; a larger
one is `text` with a `value_out_of_range` warning; names that display alike stay distinct."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from extractor.outputs import read_cards
from samples.synth import ReportSpec, consistent_values, make_report
from tests.batch.test_run import lines, run_cli
from tests.hostile import good_report

COUNT_KEY = "applications.received_new.natural_person"
AMOUNT_KEY = "active_disclosure.fees.amount_wan_yuan"
MAX_COUNT, MAX_AMOUNT = 10**12, 10**15


def _report(count, amount, seed: int = 1) -> str:
    values = consistent_values(seed, "2021")
    values[COUNT_KEY], values[AMOUNT_KEY] = count, amount
    return make_report(ReportSpec(f"样例{seed}局", 2022, "2021", "pipe", values))


def _parse_json(*paths: Path) -> tuple[subprocess.CompletedProcess, list[dict]]:
    proc = subprocess.run([sys.executable, "-m", "extractor", "parse", "--json", *map(str, paths)],
                          capture_output=True, text=True, timeout=120)
    return proc, [json.loads(line) for line in proc.stdout.splitlines()]


def _outputs_agree(out: Path, n: int) -> None:
    """Every output is written, parses, and has one report per results.jsonl line."""
    records = lines(out)
    assert len(records) == len({r["source"] for r in records}) == n
    with sqlite3.connect(out / "results.db") as db:
        assert db.execute("select count(*), count(distinct source) from reports").fetchone() == (n, n)
    with (out / "fields.csv").open(encoding="utf-8-sig") as f:
        assert {row["source"] for row in csv.DictReader(f)} == {r["source"] for r in records}
    assert zipfile.ZipFile(out / "results.xlsx").testzip() is None
    page = (out / "report.html").read_text(encoding="utf-8")
    assert all(json.dumps(r["source"], ensure_ascii=False)[1:-1] in page for r in records)


def test_the_largest_allowed_values_reach_every_output(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "max.txt").write_text(_report(MAX_COUNT, MAX_AMOUNT), encoding="utf-8")
    proc = run_cli(src, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    (record,) = lines(out)
    fields = record["parse"]["fields"]
    assert (fields[COUNT_KEY], fields[AMOUNT_KEY]) == (MAX_COUNT, MAX_AMOUNT)
    assert "value_out_of_range" not in {w["code"] for w in record["parse"]["warnings"]}
    with sqlite3.connect(out / "results.db") as db:
        stored = dict(zip((COUNT_KEY, AMOUNT_KEY),
                          db.execute(f'select "{COUNT_KEY}", "{AMOUNT_KEY}" from data').fetchone()))
    assert stored == {COUNT_KEY: MAX_COUNT, AMOUNT_KEY: MAX_AMOUNT}
    with (out / "fields.csv").open(encoding="utf-8-sig") as f:
        (row,) = list(csv.DictReader(f))
    assert (row[COUNT_KEY], row[AMOUNT_KEY]) == (str(MAX_COUNT), str(MAX_AMOUNT))
    with zipfile.ZipFile(out / "results.xlsx") as z:
        sheets = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert f"<v>{MAX_COUNT}</v>" in sheets and f"<v>{MAX_AMOUNT}</v>" in sheets
    # the page names the count on its card as the likely misprint (印为1000000000000)
    html = (out / "report.html").read_text(encoding="utf-8")
    page = html + "".join(card["h"] for card in read_cards(html))
    assert f"印为{MAX_COUNT}" in page
    _outputs_agree(out, 1)


def test_values_past_the_bounds_are_text_and_no_output_fails(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    cases = {"count_plus_one.txt": (MAX_COUNT + 1, 5), "amount_plus_one.txt": (7, MAX_AMOUNT + 1),
             "two_to_63.txt": (2**63, 5), "two_to_64.txt": (2**64, 2**64), "digits_19.txt": (10**18, 5)}
    for i, (name, (count, amount)) in enumerate(cases.items()):
        (src / name).write_text(_report(count, amount, i), encoding="utf-8")
    # 4,301 digits (past Python's int() limit) in a cell and in the text's stated counts
    digits = "9" * 4301
    huge = _report(987_654, 5).replace("987654", digits).replace(
        "一、总体情况\n", f"一、总体情况\n本年收到政府信息公开申请{digits}件，印发规范性文件{digits}件，行政复议{digits}件。\n")
    (src / "digits_4301.txt").write_text(huge, encoding="utf-8")
    (src / "good.txt").write_text(good_report(3), encoding="utf-8")
    n = len(cases) + 2

    proc, results = _parse_json(src)
    assert len(results) == n and all(r["ok"] for r in results), proc.stderr
    assert "Traceback" not in proc.stderr
    by_name = {Path(r["source"]).name: r for r in results}
    for name in [*cases, "digits_4301.txt"]:
        r = by_name[name]
        out_of_range = [w for w in r["warnings"] if w["code"] == "value_out_of_range"]
        assert out_of_range and {COUNT_KEY, AMOUNT_KEY} & set(out_of_range[0]["keys"]), name
        for key in out_of_range[0]["keys"]:
            assert r["fields"][key] is None and r["cells"][key]["state"] == "text", (name, key)
        assert all(v is None or abs(v) <= MAX_AMOUNT for v in r["fields"].values()), name
    assert "value_out_of_range" not in {w["code"] for w in by_name["good.txt"]["warnings"]}

    proc = run_cli(src, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    _outputs_agree(out, n)
    assert not list(out.glob(".*.tmp"))
    rerun = run_cli(src, "--out", out, "--quiet")
    assert rerun.returncode == 0, rerun.stderr


def test_names_that_display_alike_are_distinct_in_every_output(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    names = ["报.txt".encode("gbk"), "报.txt".encode(), b"\xff.txt", b"\\xff.txt", "sub/报.txt".encode()]
    os.mkdir(os.path.join(os.fsencode(src), b"sub"))
    for i, name in enumerate(names):
        with open(os.path.join(os.fsencode(src), name), "w", encoding="utf-8") as f:
            f.write(good_report(i))
    proc = run_cli(src, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    _outputs_agree(out, len(names))
    sources = {r["source"] for r in lines(out)}
    assert {"报.txt", "\\xff.txt", "sub/报.txt"} <= sources  # UTF-8 names are themselves
    assert "报.txt〔字节 b1a82e747874〕" in sources and "\\xff.txt〔字节 ff2e747874〕" in sources
    # each source gives its own file's bytes back
    from extractor.document import source_bytes

    assert {source_bytes(s) for s in sources} == set(names)
    proc, results = _parse_json(src)
    assert len(results) == len({r["source"] for r in results}) == len(names)
    # the rerun finds every file done under its key
    rerun = run_cli(src, "--out", out)
    assert rerun.returncode == 0 and f"{len(names)} 个此前已完成" in rerun.stderr + rerun.stdout, rerun.stderr
    csv_sources = list(csv.reader(io.StringIO((out / "fields.csv").read_text(encoding="utf-8-sig"))))[1:]
    assert len({row[0] for row in csv_sources}) == len(names)
