"""Provenance: every printed number cell's `at` points at the printed cell in the document text
(the text `extractor text FILE` prints), on the corpus and on generated reports of every layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.document import read_document
from extractor.models import CellState
from extractor.parse import parse_document
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report
from tests.conftest import HAVE_SHARED, SHARED

GRID_FORMATS = ("html", "pdf", "docx")


def assert_cells_at_their_print(doc, result) -> int:
    """Every number cell (and every printed cell with `at`) found at its offsets; returns the
    number of number cells checked."""
    text = doc.text
    checked = 0
    for key, cell in result.cells.items():
        if cell.state in (CellState.ABSENT, CellState.DERIVED):
            assert cell.at is None, key
            continue
        if cell.state != CellState.NUMBER:
            continue
        assert cell.at is not None, f"{key} ({cell.raw!r}) has no `at`"
        start, end, page, table, row, col = cell.at
        printed = text[start:end]
        if cell.split_from:
            assert cell.raw.strip() in printed, (key, cell.raw, printed)
        else:
            assert printed == cell.raw, (key, cell.raw, printed)
        if doc.format in GRID_FORMATS:
            assert None not in (table, row, col), f"{key}: no grid place in a {doc.format} report"
            grid_cell = doc.cell_at(start)
            assert (grid_cell.table, grid_cell.row, grid_cell.col) == (table, row, col)
            assert cell.raw.strip() in grid_cell.text
            if doc.format == "pdf":
                assert page is not None and page >= 1
        checked += 1
    return checked


def _corpus_files() -> list[Path]:
    if not HAVE_SHARED:
        return []
    folder = SHARED / "corpus"
    return sorted(p for sub in ("reports", "seeds") for p in (folder / sub).iterdir()
                  if p.suffix in (".txt", ".html", ".pdf"))


@pytest.mark.skipif(not HAVE_SHARED, reason=f"shared corpus not found at {SHARED}")
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_corpus_number_cells_are_found_at_their_offsets(path):
    doc = read_document(path)
    result = parse_document(doc)
    assert result.ok, result.error
    n = assert_cells_at_their_print(doc, result)
    numbers = sum(c.state == CellState.NUMBER for c in result.cells.values())
    assert n == numbers


LAYOUTS = ("html", "pipe", "cells", "markdown", "spaces", "markdown_merged", "glued")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_number_cells_are_found_at_their_offsets(layout, seed):
    version = "2021" if seed % 2 else "2019"
    spec = ReportSpec(f"样例{seed}局", 2022 if seed % 2 else 2020, version, layout, consistent_values(seed, version),
                      SECTION5[seed % 2], blank_zeros=seed == 3 and layout not in ("cells", "spaces", "glued"),
                      inserted_section=seed == 4)
    from extractor.document import document_from_text

    doc = document_from_text(make_report(spec), f"r.{'html' if layout == 'html' else 'txt'}")
    result = parse_document(doc)
    assert assert_cells_at_their_print(doc, result) > 20


def test_text_layouts_give_offsets_only():
    spec = ReportSpec(layout="pipe", values=consistent_values(5, "2021"))
    from extractor.document import document_from_text

    doc = document_from_text(make_report(spec), "r.txt")
    result = parse_document(doc)
    ats = [c.at for c in result.cells.values() if c.state == CellState.NUMBER]
    assert ats and all(at[2:] == (None, None, None, None) for at in ats)
    assert result.cells["applications.received_new.total"].to_json()["at"].keys() == {"start", "end"}


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("version", ["2019", "2021"])
def test_office_number_cells_are_found_at_their_offsets(tmp_path, kind, version):
    from samples.office import write_docx, write_pdf

    spec = ReportSpec("北岸区司法局", 2022 if version == "2021" else 2020, version, "html",
                      consistent_values(7, version), SECTION5[0])
    path = (write_docx if kind == "docx" else write_pdf)(spec, tmp_path / f"r.{kind}")
    doc = read_document(path)
    result = parse_document(doc)
    assert assert_cells_at_their_print(doc, result) == len(spec.values)
    pages = {c.at[2] for c in result.cells.values() if c.at}
    assert pages and None not in pages


@pytest.mark.parametrize("layout", __import__("samples.office", fromlist=["CONVERTED"]).CONVERTED)
def test_converted_number_cells_are_found_at_their_offsets(layout):
    from extractor.document import document_from_text
    from samples.office import converted_markdown

    spec = ReportSpec("样例3局", 2022, "2021", layout, consistent_values(3, "2021"), SECTION5[1], blank_zeros=True)
    doc = document_from_text(converted_markdown(spec, 3), "r.md")
    assert assert_cells_at_their_print(doc, parse_document(doc)) > (0 if layout == "spaces_dropped" else 20)
