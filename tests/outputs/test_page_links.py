"""The review page's links to sources, from the file's raw bytes (a GBK name from a Chinese
Windows zip is keyed by its readable form and its bytes: the link must be the bytes)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from extractor.batch import run_folder
from extractor.review.llm import LLMSettings
from samples.synth import ReportSpec, consistent_values, make_report

GBK_NAME = "报告2021.txt".encode("gbk")

needs_bytes_names = pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that keeps raw byte names")


def _rows(page: Path) -> list[list]:
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', text, re.S).group(1))
    return data["rows"]


def _gbk_folder(tmp_path: Path) -> Path:
    src = tmp_path / "reports"
    src.mkdir()
    text = make_report(ReportSpec(values=consistent_values(3, "2021"), layout="pipe", version="2021"))
    with open(os.path.join(os.fsencode(src), GBK_NAME), "wb") as f:
        f.write(text.encode("utf-8"))
    return src


@needs_bytes_names
def test_a_gbk_named_source_links_to_its_own_bytes(tmp_path: Path):
    src = _gbk_folder(tmp_path)
    out = tmp_path / "out"
    run_folder(src, out, LLMSettings(backend="offline"), jobs=1)
    (row,) = _rows(out / "report.html")
    href = row[-1]
    assert href.startswith("file:///") and "%B1%A8" in href  # 报 in GBK, percent-encoded
    target = unquote_to_bytes(href[len("file://"):])
    assert target == os.fsencode(src.resolve()) + b"/" + GBK_NAME
    assert os.path.isfile(target)


@needs_bytes_names
def test_a_gbk_named_source_is_copied_and_linked_by_its_bytes(tmp_path: Path):
    from extractor.outputs._outputs import records_at
    from extractor.outputs._report_html import ReviewPage
    from extractor.outputs._views import ReportView

    src = _gbk_folder(tmp_path)
    run_folder(src, tmp_path / "run", LLMSettings(backend="offline"), jobs=1)
    out = tmp_path / "out"
    out.mkdir()
    page = ReviewPage(out / "report.html", "t", src, copy_sources=True)
    for _, r in records_at(tmp_path / "run" / "results.jsonl"):
        page.add(ReportView(r))
    page.finish([])
    href = page.rows[0][-1]
    assert href == "sources/%B1%A8%B8%E62021.txt"
    assert os.path.isfile(os.fsencode(out) + b"/" + unquote_to_bytes(href))


@needs_bytes_names
def test_the_service_opens_a_gbk_named_source(tmp_path: Path):
    from tests.service.conftest import client_for

    src = _gbk_folder(tmp_path)
    out = tmp_path / "out"
    run_folder(src, out, LLMSettings(backend="offline"), jobs=1)
    client = client_for(out, source_root=src)
    (item,) = client.get("/api/reports").json()["items"]
    html = client.get(f"/reports/{item['id']}/source").text
    assert "找不到报告原文" not in html and "本年新收政府信息公开申请数量" in html


def test_run_copy_sources_links_the_page_to_copies_beside_it(tmp_path: Path):
    import shutil
    import subprocess

    src = tmp_path / "reports"
    shutil.copytree(Path(__file__).resolve().parents[2] / "samples" / "reports", src)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--quiet",
                           "--copy-sources"], capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    rows = _rows(out / "report.html")
    assert rows and all(row[-1].startswith("sources/") for row in rows)
    moved = tmp_path / "emailed"
    shutil.move(out, moved)  # the folder moved or sent on: every link still opens its copy
    assert all((moved / unquote_to_bytes(row[-1]).decode()).is_file() for row in rows)
    # a rerun without the option rewrites the page with links to the sources themselves
    subprocess.run([sys.executable, "-m", "extractor", "run", str(src), "--out", str(moved), "--quiet"],
                   capture_output=True, timeout=300)
    assert all(row[-1].startswith("file:///") for row in _rows(moved / "report.html"))
