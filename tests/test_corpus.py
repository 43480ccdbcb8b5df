"""The real HTML and text reports of ../shared/corpus/reports (see its MANIFEST.md)."""

from __future__ import annotations

import pytest

from extractor import parse_file
from tests.conftest import corpus, needs_shared

pytestmark = needs_shared

TEXT_AND_HTML = [f"r{n:03d}" + (".html" if n in (1, *range(27, 34)) else ".txt") for n in range(1, 48)
                 if n not in (2, 3, 4)]
COMPLETE = [n for n in TEXT_AND_HTML if not (12 <= int(n[1:4]) <= 26)]


@pytest.mark.parametrize("name", TEXT_AND_HTML)
def test_every_report_parses_without_error(name):
    result = parse_file(corpus(f"reports/{name}"))
    assert result.ok, result.error
    assert any(result.sections.to_json().values())


@pytest.mark.parametrize("name", COMPLETE)
def test_complete_reports_have_all_three_tables_and_year(name):
    result = parse_file(corpus(f"reports/{name}"))
    assert result.template in ("2019", "2021", "mixed")
    assert result.year is not None and 2019 <= result.year <= 2025
    assert all(result.table_versions.values())
    assert not [w for w in result.warnings if w.code == "table_missing"]


# The HTML twins print every cell in its own <td>: every value is known and, where the
# report's own arithmetic is sound, every identity holds.
@pytest.mark.parametrize("name,own_errors", [
    ("r027.html", set()),
    ("r028.html", {"applications.results_sum.natural_person", "applications.results_sum.total"}),
    ("r029.html", set()), ("r030.html", set()), ("r031.html", set()), ("r032.html", set()), ("r033.html", set()),
])
def test_html_twins_all_cells_known_and_checks(name, own_errors):
    result = parse_file(corpus(f"reports/{name}"))
    assert all(c.state == "number" for c in result.cells.values())
    assert {c.id for c in result.failed_checks} == own_errors


def test_html_twin_values_r031():
    f = parse_file(corpus("reports/r031.html")).fields
    assert [f[f"review_litigation.review.{c}"] for c in ("upheld", "corrected", "other_result", "pending", "total")] \
        == [1, 1, 0, 0, 2]
    assert f["review_litigation.litigation_direct.total"] == 5
    assert f["review_litigation.litigation_after_review.other_result"] == 1


def test_r029_eleven_column_table_three():
    f = parse_file(corpus("reports/r029.html")).fields
    assert [f[f"applications.results.total.{c}"] for c in
            ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
             "legal_service_org", "other_org", "total")] == [63, 0, 0, 2, 0, 4, 69]
    assert f["applications.carried_to_next.total"] == 1
    assert f["active_disclosure.normative_documents.issued_count"] == 69
    assert f["active_disclosure.normative_documents.in_force_count"] == 665
    assert f["active_disclosure.fees.amount_wan_yuan"] == pytest.approx(24252.311082)


def test_r001_blank_totals_are_reported_not_repaired():
    result = parse_file(corpus("reports/r001.html"))
    f, cells = result.fields, result.cells
    assert f["applications.received_new.natural_person"] == 821
    assert f["applications.results.total.total"] == 805
    assert f["active_disclosure.centralized_procurement.total_amount"] == 251000
    assert result.units["active_disclosure.centralized_procurement.total_amount"] == "yuan"
    assert f["applications.results.disclosed.total"] is None
    assert cells["applications.results.disclosed.total"].state == "blank"
    assert "applications.results.disclosed.total" in {k for w in result.warnings if w.code == "total_blank"
                                                      for k in w.keys}
    balance = {c.id: c for c in result.checks}["applications.balance.natural_person"]
    assert balance.ok and "821+18 = 767+72" in balance.detail


def test_glued_digits_are_reported_never_guessed():
    result = parse_file(corpus("reports/r010.txt"))
    cell = result.cells["active_disclosure.normative_documents.issued_count"]
    assert cell.state == "glued" and "6233440" in cell.raw
    assert result.fields["active_disclosure.normative_documents.issued_count"] is None
    assert any(w.code == "cells_glued" and "6233440" in w.message for w in result.warnings)


def test_glued_digits_split_only_when_one_split_fits():
    result = parse_file(corpus("reports/r005.txt"))
    # 7000007: seven cells, seven digits: one way only.
    assert result.fields["applications.results.disclosed.natural_person"] == 7
    assert result.fields["applications.results.disclosed.total"] == 7
    assert result.cells["applications.results.disclosed.total"].split_from == "7000007"
    # 230 000023 fits 7 cells three ways, but only 23 0 0 0 0 0 23 satisfies 总计 = the six columns.
    cell = result.cells["applications.received_new.total"]
    assert (result.fields["applications.received_new.total"], cell.state) == (23, "number")
    assert cell.split_by == ["applications.row_total.received_new"]
    assert any(w.code == "cells_deduced" and "230 000023" in w.message for w in result.warnings)


def test_glued_rows_settled_jointly_by_the_column_identities():
    # r007: 予以公开 270020130 fits 2 7 0 0 20 1 30 and 27 0 0 2 0 1 30 on its own; only the second
    # lets （七）总计 = Σ outcome rows hold in every column. The HTML twin r029 prints the cells.
    text, html = parse_file(corpus("reports/r007.txt")), parse_file(corpus("reports/r029.html"))
    for key in ("applications.results.disclosed", "applications.results.unable.not_held"):
        keys = [k for k in html.fields if k.startswith(key + ".")]
        assert [text.fields[k] for k in keys] == [html.fields[k] for k in keys]
        assert any(by.startswith("applications.results_sum.") for by in text.cells[keys[0]].split_by)
    review = [k for k in html.fields if k.startswith("review_litigation.")]
    assert [text.fields[k] for k in review] == [html.fields[k] for k in review]


def test_a_report_whose_own_figures_do_not_add_up_is_not_repaired():
    from extractor.parse import parse_text

    # 总计 64+0+0+2+0+4 = 70, but 71 is printed: no split satisfies the row identity.
    text = (corpus("reports/r007.txt").read_text(encoding="utf-8")
            .replace("本年新收政府信息公开申请数量640020470", "本年新收政府信息公开申请数量640020471"))
    result = parse_text(text)
    cell = result.cells["applications.received_new.total"]
    assert cell.state == "glued" and result.fields["applications.received_new.total"] is None
    assert any(w.code == "cells_glued" and "do not add up" in w.message for w in result.warnings)


@pytest.mark.parametrize("name,failing", [
    ("r045.txt", "applications.balance.total"),  # 本年新收 3, every result 0
    ("r046.txt", "applications.balance.total"),
    ("r047.txt", "review_litigation.sum.review"),  # 结果纠正 1, 总计 0
])
def test_reports_breaking_their_own_identities_are_flagged(name, failing):
    result = parse_file(corpus(f"reports/{name}"))
    assert failing in {c.id for c in result.failed_checks}


def test_row_with_a_missing_value_is_not_shifted():
    result = parse_file(corpus("reports/r043.txt"))
    msgs = [w for w in result.warnings if w.code == "row_incomplete"]
    assert {k.rsplit(".", 1)[0] for w in msgs for k in w.keys} >= {
        "applications.results.disclosed", "applications.results.partially_disclosed"}


@pytest.mark.parametrize("name", ["r012.txt", "r013.txt"])
def test_tables_published_as_images_are_absent_not_zero(name):
    result = parse_file(corpus(f"reports/{name}"))
    assert result.template is None
    assert all(v is None for v in result.fields.values())
    assert all(c.state == "absent" for c in result.cells.values())
    assert sum(w.code == "table_missing" for w in result.warnings) == 3


def test_kangxi_radicals_repaired_in_sections():
    five = parse_file(corpus("reports/r013.txt")).sections.problems_improvements
    assert five and "⼯" not in five and "⻓" not in five


def test_flipbook_vertical_headers_table_four():
    result = parse_file(corpus("reports/r019.txt"))
    assert all(result.cells[f"review_litigation.{g}.total"].state == "number"
               for g in ("review", "litigation_direct", "litigation_after_review"))


def test_titles_org_and_year():
    cases = {
        "r001.html": ("上海市人民政府办公厅", 2019),
        "r037.txt": ("平潭综合实验区财政金融局", 2022),
        "r012.txt": ("桂花坪街道", 2020),
        "r018.txt": ("审计局", 2020),  # a flipbook page: the book's title, "2020年报_审计局"
        "r019.txt": ("威海市文登区信访局", 2022),
        "r026.txt": ("鹤游镇", 2023),  # "现就鹤游镇2023年政府信息公开工作情况报告如下"
    }
    for name, (org, year) in cases.items():
        result = parse_file(corpus(f"reports/{name}"))
        assert (result.org_name, result.year) == (org, year), name


@needs_shared
def test_compact_form_round_trips_on_every_corpus_report():
    import orjson

    from extractor.outputs import TABLE_SECTIONS, compact, expand

    for path in sorted(corpus("reports").iterdir()):
        full = orjson.loads(orjson.dumps(parse_file(path).to_json_dict()))
        want = {**full, "sections": {k: v for k, v in full["sections"].items() if k not in TABLE_SECTIONS}}
        assert expand(orjson.loads(orjson.dumps(compact(full)))) == want, path.name
