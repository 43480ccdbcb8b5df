"""The source view: the document text with the cell (from `cells[key].at`, the document issue's
offsets) or the statement highlighted; the body's years side by side."""

from __future__ import annotations

import re

import orjson

from extractor.document import read_document
from tests.service.conftest import MISPRINTED, client_for, drop_stored_at, report_id_of

TOTAL = "applications.received_new.total"


def _with_at(out, source: str, key: str, start: int, end: int, **where) -> None:
    """Give one cell `at` offsets in results.jsonl, as a parse with provenance has them."""
    path = out / "results.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    for i, line in enumerate(lines):
        r = orjson.loads(line)
        if r["source"] == source:
            drop_stored_at(r["parse"], key)
            r["parse"].setdefault("cells", {})[key] = {"raw": "91", "state": "number", "at": {"start": start, "end": end, **where}}
            lines[i] = orjson.dumps(r) + b"\n"
    path.write_bytes(b"".join(lines))


def test_a_cell_is_highlighted_from_its_at_offsets(run_dirs):
    src, out = run_dirs
    text = read_document(src / MISPRINTED).text
    start = text.index("| 91 |") + 2
    _with_at(out, MISPRINTED, TOTAL, start, start + 2)
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    assert f"/reports/{rid}/source?key={TOTAL}" in client.get(f"/reports/{rid}").text  # the cell links to its source
    html = client.get(f"/reports/{rid}/source", params={"key": TOTAL}).text
    assert re.search(r'<mark id="hl">91</mark> \|', html)


def test_a_statement_is_found_in_the_text_and_every_printed_cell_has_its_place(run_dirs):
    src, out = run_dirs
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    statement = client.get(f"/api/reports/{rid}").json()["statements"][0]["text"]
    html = client.get(f"/reports/{rid}/source", params={"statement": 0}).text
    assert f'<mark id="hl">{statement}</mark>' in html
    # the parser gives every printed cell its `at`: the source view marks what was printed there
    html = client.get(f"/reports/{rid}/source", params={"key": TOTAL}).text
    assert "没有位置信息" not in html and re.search(r'<mark id="hl">91</mark>', html)
    # a key the report never printed has no place, and the view says so
    html = client.get(f"/reports/{rid}/source", params={"key": "applications.no_such_row.total"}).text
    assert "没有位置信息" in html and "<mark" not in html


def test_years_side_by_side_with_section_five_diffed(run_dirs):
    src, out = run_dirs
    from tests.service.conftest import misprinted_text, run

    older = misprinted_text().replace("2022", "2021").replace("图解或视频解读", "图解解读")
    (src / "misprinted_2021.txt").write_text(older, encoding="utf-8")
    run(src, out)
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    html = client.get(f"/reports/{rid}/years").text
    assert "misprinted_2021.txt" in html and "2021 → 2022" in html
    assert "<ins>或视频</ins>" in html  # what 2022 added to 2021's wording


def test_the_report_page_says_where_each_figure_was_printed(run_dirs):
    src, out = run_dirs
    text = read_document(src / MISPRINTED).text
    start = text.index("| 91 |") + 2
    _with_at(out, MISPRINTED, TOTAL, start, start + 2, page=3, table=1, row=4, col=7)  # at counts from 0 but the page
    client = client_for(out)
    rid = report_id_of(client, MISPRINTED)
    html = client.get(f"/reports/{rid}").text
    cause = html[html.index('class="cause'):html.index('<h3 id="correct">')]
    assert "表三·一、本年新收政府信息公开申请数量·总计：印为“91”（第3页 第2个表格 第5行 第8列）" in cause
    assert f'/reports/{rid}/source?key={TOTAL}#hl">原文</a>' in cause  # the figure opens highlighted in the source
    cell = html[html.index(f'id="cell-{TOTAL}"') - 120:html.index(f'id="cell-{TOTAL}"') + 300]
    assert "印于第3页 第2个表格 第5行 第8列" in cell and "likely" in cell
