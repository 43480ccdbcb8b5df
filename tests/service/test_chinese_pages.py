"""Every visible text of the service's summary, report page and audit log is Chinese (issue 21
and 22): findings grouped by cause with the catalogue's sentences (messages.py), no English
detail, no `applications.` key, no ASCII-only sentence. Walked in headless Chromium (Debian's
/usr/bin/chromium driven by playwright, no browser download), after a group review and a
correction; screenshots saved in $EXTRACTOR_SCREENSHOTS, else the test's tmp folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from extractor.service._data import report_id
from tests.service.conftest import MISPRINTED
from tests.service.test_process import free_port, start_serve

CHROMIUM = Path("/usr/bin/chromium")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not at /usr/bin/chromium (apt-get install chromium)")

_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH = re.compile(r"[A-Za-z]{3,}(?:[ ,]+[A-Za-z]{2,}){2,}")  # three English words in a row: a sentence
_CODE = re.compile(r"\b(?:applications|review_litigation|active_disclosure|cross_year|text_vs_table)\.")
_WORD = re.compile(r"\b(?:row_total|results_sum|balance|blank read|detail|finding|pending|verified|false_alarm|"
                   r"number|glued|cells_\w+|total_blank)\b")
# What may stay ASCII: file names, hashes, times, numbers, the JSON link and sha256 label.
_ALLOWED = re.compile(r"^[\w.\-/:（）() ·…=+%]*$")


def _lines(page) -> list[str]:
    text = page.evaluate("document.body.innerText")
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _assert_chinese(page, where: str) -> None:
    lines = _lines(page)
    assert lines, where
    for line in lines:
        assert not _CODE.search(line), f"{where}: a code shown: {line!r}"
        assert not _WORD.search(line), f"{where}: an English code word: {line!r}"
        if _CJK.search(line):
            continue
        assert not _ENGLISH.search(line), f"{where}: an English sentence: {line!r}"
        for cell in re.split(r"\t", line):
            cell = cell.strip()
            assert not cell or _CJK.search(cell) or _ALLOWED.match(cell) and not re.search(r"[A-Za-z]{4,} [A-Za-z]{3,}", cell), \
                f"{where}: ASCII only: {cell!r}"
    titles = page.evaluate("[...document.querySelectorAll('[title]')].map(e => e.title)")
    for t in titles:
        assert not _CODE.search(t) and not _ENGLISH.search(t.replace("\n", " ")), f"{where}: hover text: {t!r}"


def test_summary_report_and_audit_log_read_in_chinese(run_dirs, tmp_path: Path):
    _src, out = run_dirs
    shots = Path(os.environ.get("EXTRACTOR_SCREENSHOTS") or tmp_path / "screens")
    shots.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_serve(out, port)
    base = f"http://127.0.0.1:{port}"
    rid = report_id(MISPRINTED)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.goto(f"{base}/")
            _assert_chinese(page, "summary")
            page.screenshot(path=str(shots / "zh-summary.png"), full_page=True)

            page.goto(f"{base}/reports/{rid}")
            causes = page.locator(".cause")
            assert causes.count() >= 1
            first = causes.first.inner_text()
            assert "很可能印错" in first and "印为91" in first and "若为90" in first  # one cause, the likely cell named
            assert page.locator(".cause .finding").count() >= 2  # the two failed identities folded under it
            _assert_chinese(page, "report")
            page.screenshot(path=str(shots / "zh-report.png"), full_page=True)

            # review the whole cause at once, then correct the cell it names
            form = causes.first.locator("form[action$='/findings']")
            form.locator("select[name=status]").select_option("verified")
            form.locator("input[name=note]").fill("已与原件核对")
            form.locator("button").click()
            page.wait_for_load_state()
            assert page.locator(".cause").first.locator("[data-status=verified]").count() >= 2
            page.goto(f"{base}/reports/{rid}?key=applications.received_new.total#correct")
            page.fill("input[name=value]", "90")
            page.fill("input[name=reason]", "原件为90")
            page.click("#correct-form button")
            page.wait_for_load_state()
            closed = page.locator(".finding.closed")
            assert closed.count() >= 2 and "已由更正关闭" in closed.first.inner_text()
            _assert_chinese(page, "report after the correction")
            page.screenshot(path=str(shots / "zh-report-corrected.png"), full_page=True)

            page.goto(f"{base}/audit")
            audit = page.inner_text("#audit")
            assert "复核" in audit and "更正" in audit and "表三" in audit
            _assert_chinese(page, "audit log")
            page.screenshot(path=str(shots / "zh-audit.png"), full_page=True)
            browser.close()
    finally:
        proc.kill()
        proc.wait()
    print("screenshots:", shots)


def test_a_file_not_read_says_why_in_chinese(run_dirs):
    import orjson

    from tests.service.conftest import client_for

    _src, out = run_dirs
    path = out / "results.jsonl"
    record = {"source": "scan.pdf", "sha256": "e" * 64,
              "parse": {"source": "scan.pdf", "ok": False, "error": "no text layer (a scanned PDF?)"}, "classify": None}
    path.write_bytes(path.read_bytes() + orjson.dumps(record) + b"\n")
    html = client_for(out).get(f"/reports/{report_id('scan.pdf')}").text
    shown = re.search(r'<div class="err"[^>]*>(.*?)</div>', html).group(1)
    assert shown.startswith("未能读取：") and _CJK.search(shown[5:]) and "no text layer" not in shown
