"""A card as the auditors' work and the readers' provenance leave it, on an injected record: a
corrected cell shows its value with the parser's reading beside it and the reason on hover,
the findings it closed are marked 已由更正关闭; an OCR-read cell and an `ocr_uncertain` one have
their own colours and the confidence on hover; a figure with `at` says where it was printed.
Rendered to report.html and walked in headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import re
from pathlib import Path

from extractor.outputs._cards import card_html
from extractor.outputs._report_html import ReviewPage
from extractor.outputs._reviews import Correction, apply_corrections
from extractor.outputs._views import ReportView
from extractor.parse import parse_text
from tests.outputs.test_review_page import CHROMIUM, _artefacts, needs_browser, sync_playwright
from tests.service.conftest import misprinted_text

TOTAL = "applications.received_new.total"  # printed 91 for 90: two identities fail
NATURAL = "applications.received_new.natural_person"
LEGAL = "applications.received_new.commercial_enterprise"
AT = {"start": 10, "end": 12, "page": 3, "table": 1, "row": 4, "col": 7}


def _record(source: str = "r.pdf") -> dict:
    return {"source": source, "sha256": "0" * 64, "parse": parse_text(misprinted_text(), source).to_json_dict(),
            "classify": None}


def _corrected() -> dict:
    r = _record()
    apply_corrections(r, {TOTAL: Correction("0" * 64, TOTAL, r["source"], 90, None, "", "", "原件为90，录入错误",
                                            "审核员甲", "2026-01-01T00:00:00Z")})
    return r


def _ocr(r: dict) -> dict:
    cells = r["parse"]["cells"]
    cells[NATURAL] = {**cells[NATURAL], "ocr": 0.97, "at": {"page": 2, "box": [10, 10, 50, 30]}}
    cells[LEGAL] = {"raw": "2B", "state": "ocr_uncertain", "ocr": 0.41, "at": {"page": 2, "box": [60, 10, 90, 30]}}
    r["parse"]["fields"][LEGAL] = None
    return r


def test_a_figure_with_at_says_where_it_was_printed_and_opens_its_page():
    r = _record()
    r["parse"]["cells"][TOTAL] = {**r["parse"]["cells"][TOTAL], "at": AT}
    card = card_html(ReportView(r), "file:///a/r.pdf")
    assert "第3页 第2个表格 第5行 第8列" in card["h"]
    assert 'href="file:///a/r.pdf#page=3">打开第3页</a>' in card["h"]


def test_a_correction_shows_beside_the_parser_reading_and_closes_its_findings():
    r = _corrected()
    card = card_html(ReportView(r), "file:///a/r.pdf")
    assert "已由更正关闭（2）" in card["h"] and card["h"].count("closed-pill") == 2
    assert "（解析读作91）" in card["h"]
    assert "本报告自身没有发现问题" in card["h"]  # nothing open remains
    entry = next(e for e in card["t"]["applications"]["c"] if isinstance(e, list) and e[4:] and "was" in e[4])
    assert entry[0] == "90" and entry[4] == {"was": "91", "why": "原件为90，录入错误", "by": "审核员甲"}


def test_ocr_cells_carry_their_confidence_and_state():
    r = _ocr(_record())
    entries = [e for e in card_html(ReportView(r), "")["t"]["applications"]["c"] if isinstance(e, list)]
    assert [e[1] for e in entries if e[4:] and "ocr" in e[4]] == ["n", "o"]
    unsure = next(e for e in entries if e[1] == "o")
    assert unsure[2] == "2B" and unsure[4]["ocr"] == 0.41


@needs_browser
def test_the_page_draws_corrections_and_ocr_marks(tmp_path: Path):
    r = _ocr(_corrected())
    page_path = tmp_path / "report.html"
    page = ReviewPage(page_path, "t")
    page.add(ReportView(r))
    page.finish([])
    shots = _artefacts(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(page_path.resolve().as_uri())
        tab.locator("tr.report").first.click()
        tab.wait_for_selector(".card[data-ready='1']")
        fixed = tab.locator("td.s-corrected")
        assert fixed.count() == 1
        assert re.fullmatch(r"9091", fixed.inner_text().replace("\n", ""))  # the value, the parser's reading
        title = fixed.get_attribute("title")
        assert "解析读作：91" in title and "更正理由：原件为90，录入错误（审核员甲）" in title
        assert tab.locator(".resolved .closed-pill").count() == 2
        ocr = tab.locator("td.s-ocr")
        assert ocr.count() == 1 and "OCR识别，置信度97%" in ocr.get_attribute("title")
        unsure = tab.locator("td.s-ocr-unsure")
        assert unsure.count() == 1 and "置信度41%" in unsure.get_attribute("title") and "印为：2B" in unsure.get_attribute("title")
        colours = {c: tab.locator(f"td.{c}").first.evaluate("e => getComputedStyle(e).backgroundColor")
                   for c in ("s-ocr", "s-ocr-unsure", "s-corrected", "s-num")}
        assert len(set(colours.values())) == 4, colours
        legend = tab.locator(".card .legend").inner_text()
        assert "OCR识别" in legend and "识别存疑" in legend and "已更正" in legend
        tab.locator(".card").screenshot(path=str(shots / "card-corrected-ocr.png"))
        print("screenshot:", shots / "card-corrected-ocr.png")
        browser.close()
