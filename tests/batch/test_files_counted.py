"""Files honestly counted (issue 21): a file with no report, duplicates, old .doc files, the
output folder never read back; and outputs that are atomic and verified on a rerun (issue 20,
items 5 and 6)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.batch.test_run import SAMPLES, raw_lines, run_cli
from tests.conftest import SHARED, needs_shared

TWINS = {f"reports/r{n:03d}.txt": f"reports/r{n + 22:03d}.html" for n in range(5, 12)}  # MANIFEST.md: r027–r033


@needs_shared
def test_corpus_folder_as_it_is(tmp_path: Path):
    out = tmp_path / "out"
    proc = run_cli(SHARED / "corpus", "--out", out, "--quiet")
    assert proc.returncode == 1, proc.stderr  # MANIFEST.md is a file with no report in it
    records = {r["source"]: r for r in raw_lines(out)}
    manifest = records["MANIFEST.md"]["parse"]
    assert manifest["ok"] is False and manifest["error"].startswith("no report found")
    # each glued-text report and its HTML twin: the text copy is flagged, the HTML copy is used
    flagged = {s: r["duplicate_of"] for s, r in records.items() if r.get("duplicate_of")}
    assert flagged == TWINS
    pairs = [json.loads(line) for line in (out / "comparisons.jsonl").read_text(encoding="utf-8").splitlines()]
    used = {p["old"] for p in pairs} | {p["new"] for p in pairs}
    assert not used & set(TWINS)
    assert {"reports/r027.html", "reports/r028.html", "reports/r033.html"} <= used
    db = sqlite3.connect(out / "results.db")
    assert db.execute("select duplicate_of from reports where source = 'reports/r005.txt'").fetchone() == (
        "reports/r027.html",)
    assert db.execute("select status from reports where source = 'MANIFEST.md'").fetchone() == ("not_read",)
    # the README's 复议纠错率 query counts each year once
    rows = db.execute("select r.body, r.year from indicators i join reports r on r.source = i.report where "
                      "i.key = 'review_correction_rate' and r.duplicate_of is null").fetchall()
    assert len(rows) == len(set(rows))
    with (out / "fields.csv").open(encoding="utf-8-sig") as f:
        header = f.readline().strip().split(",")
    assert "duplicate_of" in header
    state = json.loads((out / ".outputs.json").read_text(encoding="utf-8"))
    assert state["counts"]["cases"]["duplicates"] == 7 and state["counts"]["cases"]["no_report"] == 1


@needs_shared
def test_parse_exits_1_on_a_file_with_no_report():
    proc = subprocess.run([sys.executable, "-m", "extractor", "parse", "--json", str(SHARED / "corpus" / "MANIFEST.md")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    line = json.loads(proc.stdout)
    assert line["ok"] is False and "no report found" in line["error"]


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for p in SAMPLES.iterdir():
        shutil.copy(p, src / p.name)
    return src


def test_same_bytes_twice_is_flagged_and_cleared_when_the_copy_goes(tmp_path: Path):
    src, out = _folder(tmp_path), tmp_path / "out"
    shutil.copy(src / "qingshan_water_2022.html", src / "copy_of_qingshan.html")
    run_cli(src, "--out", out, "--quiet")
    records = {r["source"]: r for r in raw_lines(out)}
    assert records["copy_of_qingshan.html"].get("duplicate_of") == "qingshan_water_2022.html" or \
        records["qingshan_water_2022.html"].get("duplicate_of") == "copy_of_qingshan.html"
    assert sum(1 for r in records.values() if r.get("duplicate_of")) == 1
    (src / "copy_of_qingshan.html").unlink()
    run_cli(src, "--out", out, "--quiet")
    assert not any(r.get("duplicate_of") for r in raw_lines(out))


def test_output_folder_is_never_read_back(tmp_path: Path):
    src = _folder(tmp_path)
    n = len(list(src.iterdir()))
    for out in (src, src / "out"):  # --out the input folder itself, and inside it
        for _ in range(2):
            proc = run_cli(src, "--out", out, "--quiet")
            assert proc.returncode == 0, proc.stderr
            assert sorted(r["source"] for r in raw_lines(out)) == sorted(p.name for p in SAMPLES.iterdir())
    assert len(raw_lines(src)) == n


def _make_doc(folder: Path) -> Path | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    html = folder / "old_report.html"
    shutil.copy(SAMPLES / "qingshan_water_2022.html", html)
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(html)], capture_output=True,
                   timeout=120)
    html.unlink()
    shutil.rmtree(folder / "profile", ignore_errors=True)
    doc = folder / "old_report.doc"
    return doc if doc.is_file() else None


def test_doc_read_through_libreoffice_or_skipped_with_the_reason(tmp_path: Path):
    made = tmp_path / "made"
    made.mkdir()
    doc = _make_doc(made)
    if doc is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make a .doc to read")
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(doc, src / "青山县水利局2022.doc")
    proc = run_cli(src, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    (record,) = raw_lines(out)
    assert record["parse"]["ok"] is True and record["parse"]["org_name"] == "青山县水利局"
    state = json.loads((out / ".outputs.json").read_text(encoding="utf-8"))
    assert state["counts"]["cases"] == {"doc_read": 1}
    # without LibreOffice on the PATH: listed, with the reason, and counted as skipped
    bare = tmp_path / "bin"
    bare.mkdir()
    out2 = tmp_path / "out2"
    proc = run_cli(src, "--out", out2, "--quiet", env_extra={"PATH": str(bare)})
    assert proc.returncode == 1
    (record,) = raw_lines(out2)
    assert record["parse"]["ok"] is False and "LibreOffice" in record["parse"]["error"]
    state = json.loads((out2 / ".outputs.json").read_text(encoding="utf-8"))
    assert state["counts"]["cases"] == {"doc_skipped": 1}


def test_a_damaged_output_is_rebuilt_and_temporaries_are_cleaned(tmp_path: Path):
    src, out = _folder(tmp_path), tmp_path / "out"
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    whole = (out / "report.html").read_bytes()
    db_size = (out / "results.db").stat().st_size
    # a disk-full write left an empty page, a kill left temporaries; then a rerun
    (out / "report.html").write_bytes(whole[: len(whole) // 3])
    (out / ".results.db.12345.tmp").write_bytes(b"x" * 1000)
    (out / ".report.html.12345.tmp").write_bytes(b"")
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    assert (out / "report.html").read_bytes() == whole
    assert not list(out.glob(".*.tmp"))
    # a database cut short is found by its record count and rebuilt
    with (out / "results.db").open("r+b") as f:
        f.truncate(db_size // 2)
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    assert sqlite3.connect(out / "results.db").execute("select count(*) from reports").fetchone() == (4,)
    # nothing changed: nothing is rewritten
    def stamps() -> dict:
        return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file() and p.name != ".extractor.lock"}

    before = stamps()
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    assert stamps() == before


def test_outputs_are_replaced_whole_when_a_write_fails(tmp_path: Path, monkeypatch):
    """A failure while writing the outputs leaves the last complete set and no temporary behind."""
    from extractor.outputs import _outputs as outputs

    src, out = _folder(tmp_path), tmp_path / "out"
    assert run_cli(src, "--out", out, "--quiet").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".lock"}

    def full_disk(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.ReviewPage, "finish", full_disk)
    with pytest.raises(OSError):
        outputs.write_outputs(out / "results.jsonl", out, "t", None, src)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".lock"}
    assert after == before
    assert not list(out.glob(".*.tmp"))
