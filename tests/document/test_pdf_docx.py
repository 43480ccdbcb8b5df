"""DOCX and PDF reading, on reports written for these tests (samples/office.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from extractor import parse_file
from extractor.document import ReadError, read_document
from samples.office import write_docx, write_pdf
from samples.synth import ReportSpec, consistent_values


@pytest.mark.parametrize("version", ["2019", "2021"])
@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_every_cell_of_a_written_report(tmp_path: Path, writer, version):
    values = consistent_values(21, version)
    spec = ReportSpec("临江市统计局", 2022 if version == "2021" else 2020, version, "cells", values)
    result = parse_file(writer(spec, tmp_path / f"report.{writer.__name__[-4:].lstrip('_')}"))
    assert result.ok and result.template == version and result.year == spec.year
    assert result.org_name == "临江市统计局"
    wrong = {k: (result.fields.get(k), v) for k, v in values.items() if result.fields.get(k) != v}
    assert not wrong
    assert not result.failed_checks
    assert result.sections.problems_improvements.startswith("（一）存在的主要问题")


def test_docx_merged_cells_are_printed_once(tmp_path: Path):
    spec = ReportSpec(version="2021", values=consistent_values(3, "2021"))
    text = read_document(write_docx(spec, tmp_path / "r.docx")).text
    assert text.count("三、本年度办理结果") == 1  # a label spanning 22 rows
    assert "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |" in text
    fees = spec.values["active_disclosure.fees.amount_wan_yuan"]
    assert f"| 行政事业性收费 | {fees:.2f} |" in text  # a value cell spanning 3 columns is one value


def test_pdf_page_numbers_dropped_and_a_table_continues_over_the_page(tmp_path: Path):
    spec = ReportSpec(version="2021", values=consistent_values(4, "2021"))
    path = write_pdf(spec, tmp_path / "r.pdf")
    text = read_document(path).text
    assert "- 2 -" not in text and "- 1 -" not in text
    import pypdfium2

    assert len(pypdfium2.PdfDocument(str(path))) >= 2  # table 三 starts on page 1 and ends on page 2
    assert parse_file(path).fields["applications.carried_to_next.total"] == spec.values["applications.carried_to_next.total"]


def test_scanned_pdf_without_text_layer(tmp_path: Path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 600)  # a drawing, as an image-only scan has no characters
    c.showPage()
    c.save()
    with pytest.raises(ReadError, match="no text layer"):
        read_document(path)
    result = parse_file(path)
    assert not result.ok and result.error.startswith("no text layer")


def test_broken_office_files(tmp_path: Path):
    fake_pdf = tmp_path / "a.pdf"
    fake_pdf.write_text("just text", encoding="utf-8")
    assert parse_file(fake_pdf).error == "not a PDF file (named a.pdf)"
    broken = tmp_path / "b.docx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("hello.txt", "not a word document")
    assert parse_file(broken).error.startswith("unreadable DOCX")
    truncated = tmp_path / "c.pdf"
    truncated.write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    assert parse_file(truncated).error.startswith(("unreadable PDF", "no text layer"))
