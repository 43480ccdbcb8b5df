"""How each table was read (TablesRead.read_over): over the grid's cells wherever the reader saw a
sound grid (every corpus HTML and PDF, the synthetic HTML reports of bench/bench_parse.py), by
the text path with the reason where not; text formats say they have no grid."""

from __future__ import annotations

import pytest

from extractor.document import document_from_text, read_document, read_meta, split_sections
from extractor.tables import read_tables
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report
from tests.conftest import SHARED, needs_shared

TABLES = ("active_disclosure", "applications", "review_litigation")


def _read_over(doc) -> dict[str, str]:
    split = split_sections(doc.text)
    return read_tables(split.sections, read_meta(doc.text, doc.title_hint).year, doc, split.offsets).read_over


@needs_shared
def test_every_corpus_grid_table_is_read_over_cells():
    paths = sorted(p for p in (SHARED / "corpus").rglob("*") if p.suffix.lower() in (".html", ".htm", ".pdf", ".docx"))
    assert len(paths) >= 10
    for path in paths:
        assert _read_over(read_document(path)) == dict.fromkeys(TABLES, "cells"), path.name


@pytest.mark.parametrize("seed", range(6))
def test_the_bench_s_synthetic_html_is_read_over_cells(seed):
    """bench_parse.write_reports' html layout: both versions, blank zeros, an inserted section."""
    version = "2021" if seed % 2 else "2019"
    spec = ReportSpec(f"样例{seed}局", 2022 if seed % 2 else 2020, version, "html", consistent_values(seed, version),
                      SECTION5[seed % 2], blank_zeros=seed % 3 == 0, inserted_section=seed == 4)
    assert _read_over(document_from_text(make_report(spec), "r.html")) == dict.fromkeys(TABLES, "cells")


def test_a_text_report_has_no_grid():
    spec = ReportSpec("样例局", 2022, "2021", "pipe", consistent_values(1, "2021"), SECTION5[0])
    assert _read_over(document_from_text(make_report(spec), "r.txt")) == dict.fromkeys(TABLES, "text: no grid")
