"""The whole review loop in headless Chromium (Debian's /usr/bin/chromium driven by playwright;
no browser download): run on the corpus → serve → open a failed report and mark a finding 误报 →
correct a glued cell → rerun `run` → the review and the correction are still there, the corrected
value is in the workbook and the database, the finding it resolved is closed → export gold and see
the correction. A screenshot of each step is saved (in $EXTRACTOR_SCREENSHOTS, else the test's
tmp folder)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import openpyxl
import pytest

from extractor.service._data import report_id
from tests.conftest import HAVE_SHARED, corpus
from tests.service.test_process import free_port, start_serve

CHROMIUM = Path("/usr/bin/chromium")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not at /usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(not HAVE_SHARED, reason="the shared corpus (../shared/corpus/reports) is not here"),
]

REPORT = "r006.txt"  # crawled text, cells glued: status 数值无法读取
_ROW = "active_disclosure.normative_documents"
GLUED_ROW = (f"{_ROW}.new_made_count", f"{_ROW}.new_published_count", f"{_ROW}.total_published_count")  # 7777166
TRUE_VALUES = ("77", "77", "166")  # eval/gold/tables/r006.json, read from its HTML twin
PRINTED = "7777166"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, timeout=600)


def _sel_id(prefix: str, key: str) -> str:
    return f'[id="{prefix}{key}"]'


def test_review_loop_in_chromium(tmp_path: Path):
    reports, out = corpus("reports"), tmp_path / "out"
    shots = Path(os.environ.get("EXTRACTOR_SCREENSHOTS") or tmp_path / "screens")
    shots.mkdir(parents=True, exist_ok=True)
    step = iter(range(1, 100))

    # 1. run on the corpus
    assert _cli("run", str(reports), "--out", str(out), "--quiet").returncode in (0, 1)
    port = free_port()
    proc = start_serve(out, port)  # 2. serve
    base = f"http://127.0.0.1:{port}"
    try:
        # the page shows what the outputs show (r005's glued 350: its HTML twin r027 is the copy the
        # year pairs use, so the outputs leave it glued, and so does the page)
        settled = "active_disclosure.fees.prev_year_item_count"
        db_value = sqlite3.connect(out / "results.db").execute(
            "select value, state from fields where report='r005.txt' and key=?", (settled,)).fetchone()
        r005 = httpx.get(f"{base}/api/reports/{report_id('r005.txt')}").json()
        assert (r005["fields"][settled], r005["cells"][settled]["state"]) == db_value == (None, "glued")
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")

            def shot(name: str) -> None:
                page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=False)

            page.goto(f"{base}/?status=cells_unreadable")
            assert "数值无法读取" in page.inner_text("body")
            shot("summary-failed")

            # 3. open a failed report and mark a finding 误报
            page.click(f'#reports tr:has-text("{REPORT}") a')
            assert "数值无法读取" in page.inner_text("#status")
            shot("report")
            split = page.locator(".finding[data-code='cells_split']").first
            finding_id = split.get_attribute("id")
            split.evaluate("e => { const d = e.closest('details'); if (d) d.open = true; }")  # folded under its cause
            split.locator("select[name=status]").select_option("false_alarm")
            split.locator("input[name=note]").fill("已对照原件：拆分正确，误报")
            split.locator("button").click()
            page.wait_for_load_state()
            assert "【误报】" in page.inner_text(_sel_id("", finding_id))
            page.locator(_sel_id("", finding_id)).scroll_into_view_if_needed()
            shot("finding-false-alarm")

            # 4. correct the glued cells (7777166 printed for 77 | 77 | 166)
            for key, value in zip(GLUED_ROW, TRUE_VALUES):
                page.locator(_sel_id("cell-", key)).locator("a", has_text="更正").click()
                page.wait_for_load_state()
                assert page.locator("select[name=key]").input_value() == key
                page.fill("input[name=value]", value)
                page.fill("input[name=reason]", "原件为 77、77、166 三格，抓取时粘连为 7777166")
                page.click("#correct-form button")
                page.wait_for_load_state()
            assert f"解析读作：{PRINTED}" in page.inner_text(_sel_id("cell-", GLUED_ROW[0]))
            page.locator("#corrections").scroll_into_view_if_needed()
            shot("cell-corrected")

            # 5. rerun `run`
            assert _cli("run", str(reports), "--out", str(out), "--quiet").returncode in (0, 1)

            # 6. the review and the correction are still there; the finding they resolved is closed
            page.reload()
            text = page.inner_text("body")
            assert "【误报】" in page.inner_text(_sel_id("", finding_id))
            assert [page.inner_text(_sel_id("c-", k)).split("\t")[1].strip() for k in GLUED_ROW] == list(TRUE_VALUES)
            closed = page.locator(".finding.closed[data-code='cells_glued']")
            assert closed.count() >= 1 and "已由更正关闭" in closed.first.inner_text()
            assert f"印为“{PRINTED}”" in closed.first.inner_text() and "连在一起" in closed.first.inner_text()  # the catalogue's sentence
            closed.first.scroll_into_view_if_needed()
            shot("after-rerun")
            assert REPORT in text

            db = sqlite3.connect(out / "results.db")
            assert db.execute(f'select "{GLUED_ROW[0]}" from data where report=?', (REPORT,)).fetchone() == (77,)
            assert db.execute("select parser_raw from corrections where report=? and key=?",
                              (REPORT, GLUED_ROW[0])).fetchone() == (PRINTED,)
            assert not [k for (k,) in db.execute("select keys from warnings where report=?", (REPORT,))
                        if GLUED_ROW[0] in k.split()]
            book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
            fixed = [r for r in book["人工更正"].iter_rows(values_only=True) if r[0] == REPORT]
            assert {(r[1], r[3], r[6]) for r in fixed} == {(k, int(v), PRINTED) for k, v in zip(GLUED_ROW, TRUE_VALUES)}

            page.goto(f"{base}/audit")
            assert "更正" in page.inner_text("#audit") and "复核" in page.inner_text("#audit")
            shot("audit-log")
            browser.close()
    finally:
        proc.kill()
        proc.wait()

    # 7. export gold and see the correction in it
    gold = tmp_path / "gold"
    assert _cli("gold", "export", str(out), "--to", str(gold)).returncode == 0
    items = [json.loads(p.read_text(encoding="utf-8")) for p in (gold / "tables").glob("*.json")]
    mine = [g for g in items if g["source"].endswith(REPORT)]
    assert len(mine) == 1 and [mine[0]["values"][k] for k in GLUED_ROW] == [77, 77, 166]
    assert not set(GLUED_ROW) & set(mine[0]["unreadable"])
    assert (Path(mine[0]["source"]) if Path(mine[0]["source"]).is_absolute() else corpus("..") / mine[0]["source"]).exists() \
        or mine[0]["source"] == f"corpus/reports/{REPORT}"
    assert len(list(shots.glob("*.png"))) >= 6
    if os.environ.get("EXTRACTOR_SCREENSHOTS"):
        shutil.copy(gold / "tables" / f"{mine[0]['id']}.json", shots / "gold.json")
