"""The `extractor parse` command, run as a user runs it (a subprocess of the installed CLI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "reports"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, timeout=60)


def test_parse_json_lines_for_the_bundled_samples():
    proc = run("parse", "--json", str(SAMPLES))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 4
    for row in rows:
        assert row["ok"] and row["error"] is None and row["template"] in ("2019", "2021")
        assert all(c["ok"] for c in row["checks"])
        assert set(row["sections"]) == {"overview", "active_disclosure", "applications", "review_litigation",
                                        "problems_improvements", "other_matters", "other_sections"}
        key = "applications.received_new.total"
        assert isinstance(row["fields"][key], int) and row["cells"][key]["state"] == "number"


def test_bad_files_get_one_line_errors_and_the_rest_still_comes_out(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "noreport.html").write_text("<html><body><p>今日天气晴。</p></body></html>", encoding="utf-8")
    (tmp_path / "fake.docx").write_text("not a zip", encoding="utf-8")
    good = SAMPLES / "nanping_town_2019.md"
    files = [tmp_path / "empty.txt", tmp_path / "binary.txt", tmp_path / "missing.txt",
             tmp_path / "noreport.html", tmp_path / "fake.docx", good]
    proc = run("parse", "--json", *map(str, files))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["source"] for r in rows] == [str(f) for f in files]  # input order, one per file
    errors = [r["error"] for r in rows[:-1]]
    assert errors[0] == "empty file"
    assert errors[1].startswith("binary file")
    assert errors[2].startswith("no such file")
    assert errors[3].startswith("no report found")
    assert errors[4].startswith("not a DOCX file")
    assert all("\n" not in e for e in errors)
    assert rows[-1]["ok"] is True


def test_readable_summary_names_failed_checks(tmp_path: Path):
    text = (SAMPLES / "nanping_town_2019.md").read_text(encoding="utf-8")
    # break 一+二 = 七+四 for natural persons by changing 本年新收
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("| 一、本年新收"):
            cells = line.split("|")
            cells[2] = " 999 "
            lines[i] = "|".join(cells)
    bad = tmp_path / "bad.md"
    bad.write_text("\n".join(lines), encoding="utf-8")
    proc = run("parse", str(bad))
    assert proc.returncode == 0  # failed checks are findings, not failures
    assert "applications.balance.natural_person" in proc.stdout  # the code beside the sentence
    assert "未通过" in proc.stdout and "一、本年新收政府信息公开申请数量·自然人" in proc.stdout


def test_no_files_found_is_an_error(tmp_path: Path):
    proc = run("parse", str(tmp_path))
    assert proc.returncode == 1
    assert "没有找到报告文件" in proc.stderr


def test_an_empty_folder_is_exit_1_for_run_as_for_parse(tmp_path: Path):
    proc = run("run", str(tmp_path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1 and "没有找到报告文件" in proc.stderr


def test_a_folder_read_for_reports_skips_files_without_a_suffix(tmp_path: Path):
    (tmp_path / "LICENSE").write_text("MIT License\n一、总体情况", encoding="utf-8")
    (tmp_path / "Makefile").write_text("all:\n\ttrue\n", encoding="utf-8")
    (tmp_path / "report.txt").write_bytes((SAMPLES / "linjiang_stats_2020_pipe.txt").read_bytes())
    proc = run("parse", "--json", str(tmp_path))
    assert [Path(json.loads(line)["source"]).name for line in proc.stdout.splitlines()] == ["report.txt"]
    single = run("parse", "--json", str(tmp_path / "LICENSE"))  # named on its own, it is read
    assert len(single.stdout.splitlines()) == 1


def test_readable_view_shows_the_numbers_and_the_status(tmp_path: Path):
    proc = run("parse", str(SAMPLES / "linjiang_stats_2020_pipe.txt"))
    assert proc.returncode == 0
    assert "本年新收" in proc.stdout and "办理总计" in proc.stdout and "实质公开率" in proc.stdout
    assert proc.stdout.lstrip().startswith("✓")


def test_compare_lists_failures_before_a_count_of_the_rest():
    import os

    shared = Path(os.environ.get("EXTRACTOR_SHARED") or Path(__file__).resolve().parents[3] / "shared")
    old, new = shared / "corpus/reports/r038.txt", shared / "corpus/reports/r039.txt"
    if not old.exists():
        import pytest

        pytest.skip(f"shared corpus not found at {shared}")
    out = run("compare", str(old), str(new)).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith(("未通过", "成立 "))]
    assert lines[0].startswith("未通过") and lines[-1].startswith("成立 ") and "跨年校验" in lines[-1]
    assert sum(line.startswith("成立 ") for line in lines) == 1


def test_out_naming_a_file_is_one_line(tmp_path: Path):
    a_file = tmp_path / "x"
    a_file.write_text("")
    proc = run("run", str(SAMPLES), "--out", str(a_file))
    assert proc.returncode == 2 and proc.stderr.strip() == f"error: --out {a_file} is a file, not a folder"
