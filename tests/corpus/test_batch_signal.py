"""The batch repetition signal: a statement other bodies print too is boilerplate."""

from __future__ import annotations

import csv
import json

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractor.cli import app
from extractor.corpus._repetition import BatchIndex
from extractor.outputs import read_cards
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report

SPECIFIC = "2022年“财政预决算”栏目更新滞后，部分专项资金信息未按期公开"


def test_index_counts_other_bodies_only():
    index = BatchIndex()
    index.add("a", "青山县水利局", [SPECIFIC, "公开内容不够丰富"])
    index.add("b", "临江市统计局", [SPECIFIC.replace("2022", "2023")])
    index.add("c", "某市青山县水利局", [SPECIFIC])  # the same body with its region prefix
    index.add("d", "北岸区司法局", ["在“政策问答”专栏集中发布惠企政策解读，全年发布解读材料36篇"])
    assert index.repeats("a") == [1, 0]  # b only: c is a's own body, and the short one is not compared
    assert index.repeats("d") == [0]


def test_run_marks_copied_statements_and_judges_again(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, org in enumerate(("青山县水利局", "临江市统计局", "北岸区司法局")):
        spec = ReportSpec(org=org, year=2022, version="2021", layout="pipe", values=consistent_values(i, "2021"),
                          section5=SECTION5[0])
        (folder / f"r{i}.txt").write_text(make_report(spec), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "statements.csv").open(encoding="utf-8-sig")))
    copied = [r for r in rows if r["repeated_in_other_reports"] == "2"]
    assert copied and all(r["boilerplate"] == "True" for r in copied)
    assert any("appears in 2 other reports" in r["evidence"] for r in copied)
    reports = list(csv.DictReader((out / "fields.csv").open(encoding="utf-8-sig")))
    # On its own each section is substantive (tests/review); copied in three bodies it is not.
    assert {r["substantive"] for r in reports} == {"boilerplate"}
    cards = json.dumps(read_cards((out / "report.html").read_text(encoding="utf-8")), ensure_ascii=False)
    assert "本批另有2份报告印有同一句" in cards and "另见2份报告" in cards  # on the card, in Chinese


_NAMES = st.text(alphabet="市区县局水利青山", min_size=1, max_size=8)


@st.composite
def _holders_and_body(draw):
    """A body, and holders among which are its suffixes, longer names ending with it, and others."""
    body = draw(_NAMES)
    related = [body[i:] for i in range(len(body))] + [draw(_NAMES) + body for _ in range(3)]
    names = draw(st.lists(st.sampled_from(related) | _NAMES, max_size=12))
    return {name: draw(st.integers(1, 5)) for name in names}, body


@given(_holders_and_body())
def test_same_body_count_is_the_count_over_every_holder(case):
    from collections import Counter

    from extractor.corpus._repetition import _same_body_count, _suffix_counts, same_body

    holders, body = Counter(case[0]), case[1]
    assert _same_body_count(body, holders, _suffix_counts(holders)) == sum(n for b, n in holders.items() if same_body(b, body))
