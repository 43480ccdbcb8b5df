"""A PDF page's ruling lines are read from its path objects through PDFium's raw calls
(`_pdf_ruling._path_objects`), not pypdfium2's object helper, which wraps every object of a page
first: the same objects, in the same order, with the same transformation matrices as the helper
gives, on a report PDF written with ruled tables (samples/office.write_pdf) and on the corpus's
published PDFs."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.document._pdf_ruling import _path_objects, ruling_lines
from samples.office import write_pdf
from samples.synth import ReportSpec, consistent_values
from tests.conftest import SHARED


def _address(handle: object) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _written(tmp_path: Path) -> Path:
    return write_pdf(ReportSpec("样例3局", 2022, "2021", "html", consistent_values(3, "2021")), tmp_path / "r.pdf")


def test_raw_walk_finds_the_helpers_path_objects(tmp_path: Path) -> None:
    paths = 0
    for path in [_written(tmp_path), *sorted((SHARED / "corpus" / "reports").glob("*.pdf"))]:
        for page in pdfium.PdfDocument(str(path)):
            helper = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4))
            raw = list(_path_objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject))
            assert [_address(o.raw) for o in helper] == [_address(r) for r in raw]
            for obj, handle in zip(helper, raw):
                matrix = pdfium_c.FS_MATRIX()
                assert pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
                assert obj.get_matrix().get() == (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            paths += len(raw)
    assert paths > 50  # the written report's tables are ruled


def test_a_written_table_gives_its_ruling_lines(tmp_path: Path) -> None:
    page = pdfium.PdfDocument(str(_written(tmp_path)))[0]
    horizontal, vertical = ruling_lines(page, page.get_height())
    assert len(horizontal) >= 3 and len(vertical) >= 3
