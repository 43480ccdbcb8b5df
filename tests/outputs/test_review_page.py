"""The review page as a Chinese auditor uses it, walked in headless Chromium (issue 21 "done when").

Driven by playwright on Debian's /usr/bin/chromium (no browser download). The corpus is read in
place. The same walk runs on report.html where `run` wrote it and on a copy of report.html alone
in another folder. Screenshots of the card and the summary are saved under the test's tmp_path
(or $EXTRACTOR_ARTEFACTS) and their paths printed.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from samples.synth import ReportSpec, consistent_values, make_report
from tests.batch.test_run import run_cli
from tests.conftest import corpus, needs_shared

CHROMIUM = Path("/usr/bin/chromium")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

needs_browser = pytest.mark.skipif(sync_playwright is None or not CHROMIUM.exists(),
                                   reason="needs playwright (test extra) and Debian's /usr/bin/chromium")

_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}")  # three English words in a row: a sentence
_CODE = re.compile(r"\b(?:applications|review_litigation|active_disclosure|cross_year|text_vs_table)\.")


def _artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("EXTRACTOR_ARTEFACTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review") / "out"
    result = run_cli(corpus("reports"), "--out", out, "--quiet")
    assert (out / "report.html").exists(), result.stderr
    return out


def _open_card(page, url: str, name: str):
    page.goto(url)
    page.wait_for_selector("tr.report")
    page.fill("#q", name)  # the search box, as a person would
    page.wait_for_function("document.querySelectorAll('tr.report').length === 1")
    page.locator("tr.report").first.click()
    page.wait_for_selector(".card[data-ready='1']", timeout=15_000)
    return page.locator(".card")


def _assert_chinese(card) -> None:
    messages = [m for m in card.locator(".msg").all_inner_texts() if m.strip()]
    assert messages
    for text in messages:
        assert _CJK.search(text), f"not Chinese: {text!r}"
        assert not _CODE.search(text) and not _ENGLISH.search(text), f"codes or English: {text!r}"
    shown = card.inner_text()
    assert "applications." not in shown and not _CODE.search(shown)
    for line in shown.splitlines():
        assert not _ENGLISH.search(line) or _CJK.search(line), f"an English sentence on the card: {line!r}"


def _walk(page_path: Path, tmp_path: Path, tag: str) -> None:
    url = page_path.resolve().as_uri()
    shots = _artefacts(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: errors.append(f"request {r.url}") if not r.url.startswith(("file:", "data:", "blob:")) else None)
        # the summary: Chinese titles, every status a Chinese badge
        page.goto(url)
        page.wait_for_selector("tr.report")
        summary = page.locator("body").inner_text()
        assert "第五部分主题分布" in summary and "未通过的校验" in summary and "公开渠道" in summary
        assert not _CODE.search(summary) and "Themes" not in summary
        page.screenshot(path=str(shots / f"summary-{tag}.png"))

        # r001 leaves its 总计 column blank: one grouped finding, the checks folded under it
        card = _open_card(page, url, "r001.html")
        _assert_chinese(card)
        findings = card.locator(".findings > ol > li")
        assert findings.count() == 1
        assert "总计列空白，共19行" in findings.first.inner_text()
        assert card.locator(".findings details li").count() == 23  # 12 checks and 11 warnings, folded
        # the tables as read, each cell's state coloured, raw text on hover, failed cells marked
        assert card.locator("table.tpl").count() == 3
        blank, number = card.locator("td.s-blank").first, card.locator("td.s-num").first
        colour = "el => getComputedStyle(el).backgroundColor"
        assert blank.evaluate(colour) != number.evaluate(colour)
        assert "状态：空白" in blank.get_attribute("title") and "印为" in number.get_attribute("title")
        assert card.locator("td.bad.s-blank").count() == 19
        href = card.locator("a.src").get_attribute("href")
        assert href.startswith("file:///") and Path(unquote(href[len("file://"):])).is_file()
        card.screenshot(path=str(shots / f"card-r001-{tag}.png"))

        # a failed report whose one changed row is named
        card = _open_card(page, url, "r046.txt")
        _assert_chinese(card)
        assert "很可能印错" in card.locator(".k-likely_cell").inner_text()
        assert card.locator("td.likely").count() == 2

        # year-on-year findings raise the status and have their own part of the card
        card = _open_card(page, url, "r037.txt")
        _assert_chinese(card)
        assert "跨年不符" in card.locator(".head .pill").inner_text()
        assert "与上年报告重复" in card.locator(".yoy").inner_text()
        card.screenshot(path=str(shots / f"card-r037-{tag}.png"))
        assert not errors, errors
        browser.close()
    print(f"screenshots ({tag}): {shots}")


@needs_shared
@needs_browser
def test_the_page_walked_as_an_auditor(corpus_run: Path, tmp_path: Path):
    _walk(corpus_run / "report.html", tmp_path, "in-place")


@needs_shared
@needs_browser
def test_report_html_alone_in_another_folder(corpus_run: Path, tmp_path: Path):
    elsewhere = tmp_path / "mailed"
    elsewhere.mkdir()
    shutil.copy(corpus_run / "report.html", elsewhere / "report.html")
    assert os.listdir(elsewhere) == ["report.html"]
    _walk(elsewhere / "report.html", tmp_path, "copied")


@needs_browser
def test_hostile_names_cannot_break_or_script_the_page(tmp_path: Path):
    """issue 20 item 4: a folder named `<!--<script>` and a file named `javascript:…`."""
    src = tmp_path / "<!--<script>"
    src.mkdir()
    text = make_report(ReportSpec("</script><script>window.pwned=1</script>局", 2022, "2021", "pipe",
                                  consistent_values(3, "2021")))
    (src / "javascript:window.pwned=2;.txt").write_text(text, encoding="utf-8")
    (src / "a\u2028b.txt").write_text(text.replace("局", "厅", 1), encoding="utf-8")
    out = tmp_path / "out"
    run_cli(src, "--out", out, "--quiet")
    html = (out / "report.html").read_text(encoding="utf-8")
    data = html.split('id="data">', 1)[1].split("</script>", 1)[0]
    for bad in ("<!--", "<script", "</script", "\u2028", "\u2029"):
        assert bad not in data
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((out / "report.html").as_uri())
        page.wait_for_selector("tr.report")
        assert page.locator("tr.report").count() == 2
        hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert hrefs and all(h.startswith("file:///") for h in hrefs)
        page.locator("tr.report").first.click()
        page.wait_for_selector(".card[data-ready='1']")
        assert page.evaluate("window.pwned") is None
        browser.close()


@needs_shared
def test_copied_sources_travel_with_the_folder(corpus_run: Path, tmp_path: Path):
    """ReviewPage(copy_sources=True): the sources are copied beside the page and linked relative,
    so the links work wherever the output folder is moved."""
    from extractor.outputs._outputs import records_at
    from extractor.outputs._report_html import ReviewPage
    from extractor.outputs._views import ReportView

    out = tmp_path / "out"
    out.mkdir()
    page = ReviewPage(out / "report.html", "t", corpus("reports"), copy_sources=True)
    for _, r in records_at(corpus_run / "results.jsonl"):
        page.add(ReportView(r))
    page.finish([])
    moved = tmp_path / "elsewhere"
    shutil.move(out, moved)
    hrefs = [row[-1] for row in page.rows]
    assert all(h.startswith("sources/") for h in hrefs)
    assert all((moved / unquote(h)).is_file() for h in hrefs)
    assert (moved / unquote(hrefs[0])).read_bytes() == (corpus("reports") / Path(unquote(hrefs[0])).name).read_bytes()


def test_data_blocks_are_escaped_for_every_way_out_of_a_script():
    import json

    from extractor.outputs._report_html import script_json

    nasty = {"a": "<!--<script></script>\u2028\u2029&</SCRIPT>", "b": ["</", "<\\/"]}
    text = script_json(nasty)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == nasty  # the same data once parsed
