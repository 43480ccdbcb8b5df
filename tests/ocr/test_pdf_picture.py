"""A table pasted as a picture into a PDF page that also has a text layer is read by OCR (issue 25)."""

from __future__ import annotations

import io
import random
import shutil
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="OCR needs rapidocr_onnxruntime (pip install -e .)")

from extractor.ingest import read_document  # noqa: E402
from samples.office import table4_grid  # noqa: E402
from samples.scans import report_spec, table_picture, to_pdf  # noqa: E402
from samples.synth import T4_KEYS, _fmt  # noqa: E402

pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is needed to print the PDF")


def test_a_table_picture_beside_text_is_read_and_placed_on_its_page(tmp_path: Path) -> None:
    import docx
    from docx.shared import Cm

    spec = report_spec(7)
    picture = table_picture(table4_grid(spec), random.Random(3), [62] * 15)
    document = docx.Document()
    document.add_paragraph("青山县水利局2022年政府信息公开工作年度报告")
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    document.add_picture(io.BytesIO(picture), width=Cm(16))
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.save(str(tmp_path / "mixed.docx"))
    to_pdf([tmp_path / "mixed.docx"], tmp_path)

    doc = read_document(tmp_path / "mixed.pdf")
    assert "四、政府信息公开行政复议" in doc.text  # the text layer, as before
    row = "| " + " | ".join(_fmt(spec.values[k]) for k in T4_KEYS) + " |"
    assert row in doc.text
    # the picture's rows stand between the headings around it, as on the page
    assert doc.text.index("四、政府信息公开") < doc.text.index(row) < doc.text.index("五、存在的主要问题")
    assert len(doc.ocr) == 1 and doc.ocr[0].page == 1
    table = doc.ocr[0].tables[0]
    x0, y0, x1, y1 = table.box
    # boxes are in the page's pixels at 200 dpi (an A4 page: 1654 × 2339), below the page's top text
    assert 0 < x0 < x1 <= 1654 and 100 < y0 < y1 <= 2339


def test_a_text_pdf_without_pictures_reads_nothing_by_ocr(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("青山县水利局2022年政府信息公开工作年度报告")
    document.save(str(tmp_path / "plain.docx"))
    to_pdf([tmp_path / "plain.docx"], tmp_path)
    doc = read_document(tmp_path / "plain.pdf")
    assert "青山县水利局" in doc.text and not doc.ocr
