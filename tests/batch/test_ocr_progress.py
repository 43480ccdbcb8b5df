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


def test_ocr_pages_are_read_off_the_result_lines_typed_count() -> None:
    """The count is the parse's `ocr` (models.OcrCount), not a warning's wording."""
    import orjson

    from extractor.models import OcrCount, ParseResult

    def line(result: ParseResult) -> bytes:
        return orjson.dumps({"source": result.source, "parse": result.to_json_dict()})

    assert _ocr_pages(line(ParseResult("a.html"))) == 0
    assert "ocr" not in ParseResult("a.html").to_json_dict()  # a file without pictures: as before
    read = ParseResult("b.pdf", ocr=OcrCount(read=2, skipped=1))
    assert _ocr_pages(line(read)) == 2
    assert ParseResult.from_dict(read.to_json_dict()).ocr == OcrCount(2, 1)
    # a warning that only says so is not counted
    assert _ocr_pages(b'{"parse": {"warnings": [{"code": "ocr_read", "message": "2 page(s) or picture(s) read by OCR"}]}}') == 0
