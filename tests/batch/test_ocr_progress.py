"""`run`'s progress counts the pages and pictures OCR read, since they are slow (issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="OCR needs rapidocr_onnxruntime (pip install -e .)")

from extractor.batch import WorkerLimits, run_folder  # noqa: E402
from extractor.batch._runner import _ocr_pages  # noqa: E402
from extractor.review.llm import LLMSettings  # noqa: E402
from samples.scans import picture_html  # noqa: E402


class _Bar:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int, int]] = []
        self.ocr = 0

    def __call__(self, done: int, total: int, errors: int) -> None:
        self.calls.append((done, total, errors))

    def ocr_pages(self, pages: int) -> None:
        self.ocr += pages


def test_run_progress_counts_ocr_pages(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    picture_html([11], reports)  # three table pictures, files beside the page
    (reports / "truth.json").unlink(missing_ok=True)
    bar = _Bar()
    # OCR of three pictures takes seconds; on a loaded machine more than run's default 60 s a file
    run_folder(reports, tmp_path / "out", LLMSettings(backend="offline"), jobs=1, progress=bar,
               limits=WorkerLimits(seconds=600))
    assert bar.calls[-1][:2] == (1, 1)
    line = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8")
    assert bar.ocr == 3, line[-3000:]  # if not: the result line's warnings and error say why


def test_ocr_pages_are_read_off_the_result_line() -> None:
    assert _ocr_pages(b'{"warnings": [{"code": "table_missing", "message": "x"}]}') == 0
    assert _ocr_pages(b'{"warnings": [{"code": "ocr_read", "message": "2 page(s) or picture(s) read by OCR; 9 table cells"}]}') == 2
