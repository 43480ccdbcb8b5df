"""`run`'s progress bar shows the pages and pictures OCR read, since they are slow (issue 25)."""

from __future__ import annotations

import io


def test_the_bar_shows_ocr_pages() -> None:
    from rich.console import Console

    from extractor.cli._run import RunProgress

    bar = RunProgress(Console(file=io.StringIO(), force_terminal=False))
    bar(0, 2, 0)
    bar.ocr_pages(3)
    bar(1, 2, 0)
    task = bar.progress.tasks[0]
    bar.stop()
    assert task.fields["ocr"] == "图片识别 3 页"
