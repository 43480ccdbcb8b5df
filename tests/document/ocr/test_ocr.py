"""OCR of tables published as pictures and of scanned pages (issue 25), on pictures and scans made
by samples/scans.py. Needs rapidocr_onnxruntime (installed with the package); the scanned-PDF
test also needs LibreOffice and poppler."""

from __future__ import annotations

import base64
import io
import random
import shutil
import struct
import zlib
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="OCR needs rapidocr_onnxruntime (pip install -e .)")

from extractor import parse_file  # noqa: E402
from extractor.document import Document, read_document  # noqa: E402
from extractor.document.ocr import page_lines, read_image, with_ocr_rows  # noqa: E402
from extractor.errors import LimitError, ReadError  # noqa: E402
from extractor.models import CellState, ParseResult, WarningCode  # noqa: E402
from extractor.outputs import compact, expand  # noqa: E402
from extractor.parse import parse_document  # noqa: E402
from samples.office import table3_grid, table4_grid  # noqa: E402
from samples.scans import picture_html, report_spec, scanned_pdfs, table_picture  # noqa: E402


def _png_header(width: int, height: int) -> bytes:
    """A real small PNG whose header is edited to announce width × height pixels."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


def test_a_huge_picture_is_refused_from_its_header_before_decoding():
    with pytest.raises(LimitError) as err:
        read_image(_png_header(60_000, 60_000))
    assert "\n" not in str(err.value) and "pixels" in str(err.value)


def test_a_corrupt_picture_is_refused_with_one_line():
    with pytest.raises(ReadError) as err:
        read_image(b"\x89PNG\r\n\x1a\n" + b"not a picture" * 10)
    assert "\n" not in str(err.value)


def test_table_picture_grid_keeps_merged_cells():
    spec = report_spec(3)
    page = read_image(table_picture(table3_grid(spec), random.Random(1), [70, 90, 150] + [72] * 7))
    assert len(page.tables) == 1
    cells = page.tables[0].cells
    by_text = {c.text: c for c in cells}
    assert by_text["申请人情况"].colspan == 7
    assert by_text["三、本年度办理结果"].rowspan >= 19  # the outcome rows, merged down
    assert by_text["自然人"].rowspan == 2
    total = f"{spec.values['applications.results.total.total']:g}"
    assert any(c.text == total for c in cells)
    assert all(0.0 <= c.conf <= 1.0 for c in cells)


def test_table_four_values_in_order():
    spec = report_spec(5)
    page = read_image(table_picture(table4_grid(spec), random.Random(2), [62] * 15))
    rows = [line for kind, line in page_lines(page) if kind == "row"]
    from samples.synth import T4_KEYS, _fmt

    assert rows[-1] == "| " + " | ".join(_fmt(spec.values[k]) for k in T4_KEYS) + " |"


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> tuple[Path, list[dict]]:
    folder = tmp_path_factory.mktemp("pictures")
    return folder, picture_html([10, 11], folder)  # 10: inline data: URIs, 11: files beside the page


def _wrong(result: ParseResult, want: dict) -> dict:
    """Numbers read that are not the printed ones (a null is unread, not wrong)."""
    return {k: (result.fields.get(k), v) for k, v in want.items()
            if result.fields.get(k) is not None and result.fields.get(k) != v}


def test_html_tables_as_pictures_are_read(pictures):
    folder, records = pictures
    for rec in records:
        result = parse_file(folder / rec["file"])
        assert result.ok and result.org_name == rec["org_name"] and result.year == rec["year"]
        assert not _wrong(result, rec["fields"])
        exact = sum(result.fields.get(k) == v for k, v in rec["fields"].items())
        assert exact >= 0.97 * len(rec["fields"]), rec["file"]
        codes = {w.code for w in result.warnings}
        assert WarningCode.OCR_READ in codes and WarningCode.TABLE_MISSING not in codes
        traced = [c for c in result.cells.values() if c.ocr is not None]
        assert len(traced) >= 0.97 * len(rec["fields"])
        assert all(c.at["page"] in (1, 2, 3) and len(c.at["box"]) == 4 for c in traced)


def test_picture_tables_are_grid_rows_read_cell_by_cell(pictures):
    """Each OCR table joins the document's grid (its rows found in the text, spans kept, the
    picture as the page) and every cell read from it leads back to its OCR cell: the cell's
    `at` names the grid table, row and column, and the OCR cell there is the one read."""
    folder, records = pictures
    for rec in records:
        doc = read_document(folder / rec["file"])
        tables = [t for page in doc.ocr for t in page.tables]
        assert len(tables) == 3 and sorted(t.grid_table for t in tables) == [0, 1, 2]
        assert all(s >= 0 for s in doc.row_starts) and len(doc.grid) == sum(len(t.rows()) for t in tables)
        assert any(c.rowspan > 1 for g in doc.grid for c in g.cells)  # merged labels kept
        assert {g.page for g in doc.grid} == {1, 2, 3}  # a picture's number is its page
        ocr_cell = {(t.grid_table, r, c.col): c for t in tables for r, row in enumerate(t.rows()) for c in row}
        result = parse_document(doc)
        traced = {k: c for k, c in result.cells.items() if c.ocr is not None}
        assert len(traced) == len(rec["fields"])
        for cell in traced.values():
            at = cell.at
            source = ocr_cell[(at["table"], at["row"], at["col"])]
            assert source.text == cell.raw and list(source.box) == at["box"] and round(source.conf, 3) == cell.ocr
            assert doc.text[at["start"]:at["end"]] == cell.raw


def test_misread_labels_of_a_picture_table_are_named_by_their_place(pictures):
    """A header cell that lost a glyph (自然人 as 自然) and two row labels misread (国家秘密 as
    国家秘E, 禁止 as 禁正) name no template row or column: in an OCR table the header cell is read
    as the one column label it is close to, and each label row as the one template row its place
    between named rows leaves, its label being closest to it. Every value is then read from the
    grid, exactly; read from the text alone the rows are lost."""
    folder, records = pictures
    rec = records[0]

    def misread(pages):
        for page in pages:
            for table in page.tables:
                for c in table.cells:
                    c.text = {"自然人": "自然", "1.属于国家秘密": "1.属于国家秘E",
                              "2.其他法律行政法规禁止公开": "2.其他法律行政法规禁正公开"}.get(c.text, c.text)

    keys = [k for k in rec["fields"] if ".withheld.state_secret." in k or ".withheld.prohibited_by_law." in k
            or k.endswith(".natural_person")]
    assert len(keys) > 10
    result = parse_document(_document_with(folder, rec["file"], misread))
    assert not _wrong(result, rec["fields"])
    assert all(result.fields[k] == rec["fields"][k] for k in keys)
    assert all(result.cells[k].ocr is not None for k in keys)
    text_only = parse_document(_document_with(folder, rec["file"], misread, grid=False))
    assert not _wrong(text_only, rec["fields"])
    assert any(text_only.fields.get(k) != rec["fields"][k] for k in keys)


def test_ocr_cells_round_trip_through_the_compact_form(pictures):
    folder, records = pictures
    full = parse_file(folder / records[0]["file"]).to_json_dict()
    back = expand(compact(full))
    assert back["cells"] == full["cells"]
    assert ParseResult.from_dict(back).cells == ParseResult.from_dict(full).cells


def test_without_ocr_a_picture_page_has_no_tables(pictures):
    """The hook is OCR itself: the same page read as text alone says table_missing, as before."""
    folder, records = pictures
    html = (folder / records[0]["file"]).read_text(encoding="utf-8")
    from extractor import parse_text

    result = parse_text(html)
    assert any(w.code == WarningCode.TABLE_MISSING for w in result.warnings)
    assert all(c.ocr is None for c in result.cells.values())


def _document_with(folder: Path, name: str, edit, grid: bool = True) -> Document:
    """The report read with OCR, one OCR cell edited (text, confidence), the text rebuilt; the
    OCR tables as grid rows (as read_document gives them), or (grid=False) as their text only."""
    doc = read_document(folder / name)
    edit(doc.ocr)
    lines = []
    text = doc.text
    # the pictures' rows are rebuilt from the edited OCR pages, in place of the read ones
    old = [line for page in read_document(folder / name).ocr for kind, line in page_lines(page)]
    new = [line for page in doc.ocr for kind, line in page_lines(page)]
    for a, b in zip(old, new):
        if a != b:
            text = text.replace(a, b, 1)
    del lines
    if not grid:
        for page in doc.ocr:
            for table in page.tables:
                table.grid_table = None
        return Document(doc.source, doc.format, text, doc.title_hint, ocr=doc.ocr)
    rows, starts, cleaned = with_ocr_rows(text, [], (), frozenset(), doc.ocr)
    return Document(doc.source, doc.format, text, doc.title_hint, tuple(rows), starts, cleaned, ocr=doc.ocr)


def _cell(pages, text: str, row_label: str):
    for page in pages:
        for table in page.tables:
            for row in table.rows():
                if any(row_label in c.text for c in row):
                    return next(c for c in row if c.text == text)
    raise AssertionError(f"no cell {text} in row {row_label}")


@pytest.mark.parametrize("grid", [True, False], ids=["grid rows", "text only"])
def test_an_unsure_digit_is_not_a_number_and_an_identity_confirms_it(pictures, grid):
    folder, records = pictures
    rec = records[0]
    want = rec["fields"]
    key = "applications.results.total.total"
    printed = f"{want[key]:g}"

    def unsure(pages):
        _cell(pages, printed, "（七）总计").conf = 0.5

    result = parse_document(_document_with(folder, rec["file"], unsure, grid))
    cell = result.cells[key]
    # the row total is fixed by its own identity to exactly what was read: confirmed
    assert cell.state == CellState.NUMBER and cell.ocr == 0.5 and cell.split_by
    assert result.fields[key] == want[key]


@pytest.mark.parametrize("grid", [True, False], ids=["grid rows", "text only"])
def test_an_unsure_misread_stays_unread_and_a_sure_one_is_named(pictures, grid):
    folder, records = pictures
    rec = records[0]
    want = rec["fields"]
    key = "applications.results.total.total"
    printed = f"{want[key]:g}"
    misread = str(int(printed) + 10)

    def unsure_misread(pages):
        c = _cell(pages, printed, "（七）总计")
        c.text, c.conf = misread, 0.6

    result = parse_document(_document_with(folder, rec["file"], unsure_misread, grid))
    assert result.cells[key].state == CellState.OCR_UNCERTAIN and result.fields[key] is None
    assert result.cells[key].raw == misread
    assert not _wrong(result, want)
    uncertain = next(w for w in result.warnings if w.code == WarningCode.OCR_UNCERTAIN)
    assert key in uncertain.keys and f"gives {printed}" in uncertain.message

    def sure_misread(pages):
        c = _cell(pages, printed, "（七）总计")
        c.text, c.conf = misread, 0.999

    result = parse_document(_document_with(folder, rec["file"], sure_misread, grid))
    assert result.fields[key] == int(misread)  # confidently wrong: output, but flagged
    suspect = [w for w in result.warnings if w.code == WarningCode.OCR_SUSPECT]
    assert suspect and all(w.keys[0] == key for w in suspect)  # named first in every failed identity
    assert any(c.ok is False and key in c.keys for c in result.checks)


needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                                  reason="LibreOffice (soffice) and poppler (pdftoppm) are needed to make scans")


@needs_office
def test_a_scanned_pdf_is_read_by_ocr(tmp_path: Path):
    rec = scanned_pdfs([20], tmp_path)[0]
    path = tmp_path / rec["file"]
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        assert not pdf[0].get_textpage().get_text_range().strip()  # image only: no text layer
    finally:
        pdf.close()
    result = parse_file(path)
    assert result.ok and result.org_name == rec["org_name"] and result.year == rec["year"]
    assert not _wrong(result, rec["fields"])
    exact = sum(result.fields.get(k) == v for k, v in rec["fields"].items())
    assert exact >= 0.9 * len(rec["fields"])
    assert any(c.ocr is not None for c in result.cells.values())


def test_a_blank_image_only_pdf_still_says_no_text_layer(tmp_path: Path):
    from PIL import Image

    path = tmp_path / "blank.pdf"
    Image.new("L", (600, 800), 255).save(path, resolution=100)
    result = parse_file(path)
    assert not result.ok and "no text layer" in result.error


def test_data_uri_that_is_not_a_picture_is_ignored(tmp_path: Path):
    junk = base64.b64encode(b"GIF89a" + b"\0" * 40).decode()
    html = ("<html><body><p>青山县水利局2022年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            f'<img src="data:image/gif;base64,{junk}"><p>二、主动公开政府信息情况</p></body></html>')
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    result = parse_file(path)
    assert result.ok and not any(c.ocr is not None for c in result.cells.values())


