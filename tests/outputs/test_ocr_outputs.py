"""OCR-read cells are marked in the workbook (their own fill, their confidence and the picture in
the comment) and in results.db (`fields.ocr`, `fields.at`), so an auditor knows which numbers
to check against the picture (issue 25). A real run over a page whose tables are pictures."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="OCR needs rapidocr_onnxruntime (pip install -e .)")
openpyxl = pytest.importorskip("openpyxl", reason="reading the workbook back needs openpyxl (the test extra)")

from extractor.batch import WorkerLimits, run_folder  # noqa: E402
from extractor.outputs._workbook import STATE_COLOURS  # noqa: E402
from extractor.review.llm import LLMSettings  # noqa: E402
from samples.scans import picture_html  # noqa: E402


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("ocr_outputs")
    picture_html([11], tmp / "in")  # the three tables as pictures, files beside the page
    (tmp / "in" / "truth.json").unlink(missing_ok=True)
    run_folder(tmp / "in", tmp / "out", LLMSettings(backend="offline"), jobs=1, limits=WorkerLimits(seconds=600))
    return tmp / "out"


def test_database_keeps_each_ocr_cells_confidence_and_box(out: Path):
    con = sqlite3.connect(out / "results.db")
    rows = con.execute("select key, value, state, ocr, at from fields where ocr is not null").fetchall()
    assert len(rows) > 50  # the three tables' cells
    for key, _value, state, ocr, at in rows:
        assert 0 < ocr <= 1 and state in ("number", "ocr_uncertain"), (key, state, ocr)
        where = json.loads(at)
        assert where["page"] >= 1 and len(where["box"]) == 4, (key, where)
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("Queries an auditor asks", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    query = next(q for q in block.split(";") if "ocr is not null" in q)
    least_sure = con.execute(query).fetchall()  # the README's query
    assert len(least_sure) == len(rows) and [r[3] for r in least_sure] == sorted(r[3] for r in least_sure)
    assert {page for *_, page in least_sure} == {1, 2, 3}  # outside a PDF, at.page numbers the pictures
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert "OCR" in meta["databases"]["results"]["tables"]["fields"]["columns"]["ocr"]


def test_workbook_fills_ocr_cells_and_says_how_sure(out: Path):
    book = openpyxl.load_workbook(out / "results.xlsx")
    sheet = book["数据"]
    header = [c.value for c in sheet[1]]
    con = sqlite3.connect(out / "results.db")
    numbers = [k for (k,) in con.execute("select key from fields where ocr is not null and state = 'number'")]
    from extractor.tables import field_specs

    headers = {s.key: s.header for s in field_specs()}
    marked = 0
    for key in numbers:
        cell = sheet.cell(row=2, column=header.index(headers[key]) + 1)
        assert cell.fill.fgColor.rgb.endswith(STATE_COLOURS["ocr"].lstrip("#")), (key, cell.fill.fgColor.rgb)
        if cell.comment is not None:
            assert "置信度" in cell.comment.text and "张图片" in cell.comment.text, cell.comment.text
            marked += 1
    assert numbers and marked == len(numbers)
    notes = [r[0] for r in book["说明"].iter_rows(values_only=True)]
    assert "数据·OCR识别的数字（请与原件图片核对）" in notes
