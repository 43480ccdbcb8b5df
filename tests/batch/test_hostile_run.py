"""`extractor run` over hostile files and faults: every file ends once in results.jsonl, the
batch goes on, the output folder is safe."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from extractor.outputs import read_cards
from extractor.review.llm import ResponseCache
from tests.batch.test_run import lines, run_cli
from tests.hostile import docx_bytes, good_report, write_hostile, write_special


def _good(folder: Path, n: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"good{i:04d}.txt").write_text(good_report(i), encoding="utf-8")


def test_hostile_files_among_good_ones_each_get_one_line(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    expect = write_hostile(src)
    expect.update(write_special(src))
    _good(src, 40)
    proc = run_cli(src, "--out", out, "--quiet", "--jobs", "2", timeout=120)
    assert proc.returncode == 1, proc.stderr  # some files are errors; the run itself finished
    got = {r["source"]: r["parse"] for r in lines(out)}
    assert len(got) == len(expect) + 40 == len(lines(out))
    for name, error in expect.items():
        assert (got[name]["ok"], error is None or error in got[name]["error"]) == (error is None, True), name
    assert all(got[f"good{i:04d}.txt"]["ok"] for i in range(40))
    rerun = run_cli(src, "--out", out, "--quiet")  # nothing crashes on a rerun either
    assert rerun.returncode == 1 and len(lines(out)) == len(got)


def test_time_and_memory_limits_stop_one_file_not_the_batch(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    _good(src, 6)
    # A file that takes far longer than the limit on any machine, and a limit far above what a good
    # file takes (milliseconds) even on a loaded one: an old .doc whose LibreOffice never finishes
    # (a stand-in `soffice` that sleeps 10 minutes; the worker's death takes it along, PR_SET_PDEATHSIG).
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "soffice").write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    (fake / "soffice").chmod(0o755)
    (src / "hangs.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    proc = run_cli(src, "--out", out, "--quiet", "--jobs", "2", "--file-timeout", "2",
                   env_extra={"PATH": f"{fake}:{os.environ.get('PATH', '')}"}, timeout=120)
    got = {r["source"]: r["parse"] for r in lines(out)}
    assert proc.returncode == 1 and "took longer than 2" in got["hangs.doc"]["error"], got["hangs.doc"]["error"]
    assert sum(p["ok"] for p in got.values()) == 6
    (src / "hangs.doc").unlink()
    # 170 MB of XML, under the DOCX limit but not under a 150 MB worker
    (src / "big.docx").write_bytes(docx_bytes("<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>", bomb_bytes=170 << 20))
    out2 = tmp_path / "out2"
    run_cli(src, "--out", out2, "--quiet", "--jobs", "2", "--worker-memory", "150")
    got = {r["source"]: r["parse"] for r in lines(out2)}
    assert not got["big.docx"]["ok"] and "memory" in got["big.docx"]["error"], got["big.docx"]["error"]
    assert sum(p["ok"] for p in got.values()) == 6


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


def test_a_killed_worker_does_not_hang_the_run(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    _good(src, 300)
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--quiet",
                             "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and not (workers and results.exists() and results.stat().st_size > 0):
        workers = _children(proc.pid)
        time.sleep(0.01)
    assert workers, "no worker process seen"
    os.kill(workers[0], signal.SIGKILL)  # as the OOM killer would
    _, stderr = proc.communicate(timeout=120)
    records = lines(out)
    assert len(records) == 300 and len({r["source"] for r in records}) == 300, stderr
    killed = [r for r in records if not r["parse"]["ok"]]
    assert all("killed by SIGKILL" in r["parse"]["error"] for r in killed)  # at most the file it held
    assert len(killed) <= 1


def test_second_run_on_one_output_folder_is_refused(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    _good(src, 200)
    first = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--quiet",
                              "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out / ".extractor.lock").exists():
        time.sleep(0.01)
    second = run_cli(src, "--out", out, "--quiet")
    first.communicate(timeout=120)
    assert second.returncode == 2 and "in use by another run" in second.stderr
    assert second.stderr.count("\n") == 1
    assert len(lines(out)) == 200 and not list(out.glob("*.tmp"))


def test_a_line_cut_off_mid_body_is_redone(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    _good(src, 3)
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    raw = (out / "results.jsonl").read_bytes().splitlines(keepends=True)
    raw[1] = raw[1][: len(raw[1]) // 2] + b"\n"  # head intact, body cut, then a newline
    (out / "results.jsonl").write_bytes(b"".join(raw))
    proc = run_cli(src, "--out", out)
    assert proc.returncode == 0 and "2 个此前已完成，本次处理 1 个" in proc.stderr
    assert len(lines(out)) == 3


def test_output_folder_faults_are_one_line_errors(tmp_path: Path):
    src = tmp_path / "in"
    _good(src, 1)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for out in (a_file, a_file / "sub"):
        proc = run_cli(src, "--out", out, "--quiet")
        assert proc.returncode == 2 and proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1, proc.stderr
        assert "Traceback" not in proc.stderr


def test_output_inside_the_input_folder_is_not_read_back(tmp_path: Path):
    src = tmp_path / "in"
    _good(src, 2)
    for _ in range(2):
        assert run_cli(src, "--out", src / "out", "--quiet").returncode == 0
    assert sorted(r["source"] for r in lines(src / "out")) == ["good0000.txt", "good0001.txt"]


def test_formula_cells_are_neutralised_and_bidi_shown(tmp_path: Path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    report = good_report(7).replace("一、总体情况", "一、总体情况\n", 1)
    report = report.replace("五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n一是=HYPERLINK(\"http://x\")公开\u202e不及时。\n", 1)
    (src / "=cmd.txt").write_text(report, encoding="utf-8")
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    rows = list(csv.reader((out / "fields.csv").open(encoding="utf-8-sig")))
    assert rows[1][0] == "'=cmd.txt"
    statements = (out / "statements.csv").read_text(encoding="utf-8-sig")
    assert '"=HYPERLINK' not in statements
    page = (out / "report.html").read_text(encoding="utf-8")
    page += json.dumps(read_cards(page), ensure_ascii=False)
    assert "\u202e" not in page and "⟨U+202E⟩" in page


def test_an_unusable_cache_warns_once_and_works_without(tmp_path: Path, capsys):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    cache = ResponseCache(blocker)
    cache.set("k", {"a": 1})
    assert cache.get("k") is None and not cache.enabled
    assert capsys.readouterr().err.count("warning: LLM cache") == 1


def test_issue_20_hostile_files_in_run_each_get_their_line_and_cause(tmp_path: Path):
    """Both rounds' hostile files in `run`: one line each, the real cause named (not
    `XMLSyntaxError: unknown error`), every output written, the symlink out of the folder not read."""
    import sqlite3

    from extractor.document import source_bytes
    from tests.hostile import SYMLINK_OUT, write_hostile_20

    src, out = tmp_path / "in", tmp_path / "out"
    expect = write_hostile_20(src)
    _good(src, 4)
    proc = run_cli(src, "--out", out, "--quiet", "--jobs", "2", timeout=300)
    assert proc.returncode == 1, proc.stderr  # some files are errors; the run itself finished
    got = {source_bytes(r["source"]): r["parse"] for r in lines(out)}
    assert len(got) == len(lines(out)) == len(expect) + 4
    for name, error in expect.items():
        assert (got[name]["ok"], error is None or error in got[name]["error"]) == (error is None, True), \
            (name, got[name]["error"])
    assert SYMLINK_OUT in proc.stderr and SYMLINK_OUT.encode() not in got
    with sqlite3.connect(out / "results.db") as db:
        assert db.execute("select count(distinct source) from reports").fetchone() == (len(got),)
    assert (out / "report.html").stat().st_size > 0 and not list(out.glob(".*.tmp"))
