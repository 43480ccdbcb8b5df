"""Hostile inputs end quickly, within memory, as a report or a one-line error; never a traceback."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor import parse_file
from extractor.errors import ExtractorError, LimitError, ReadError
from extractor.ingest import source_bytes
from extractor.ingest.encoding import decode
from tests.hostile import docx_bytes, good_report, write_hostile, write_special


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str | None]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, write_hostile(folder)


def test_every_hostile_file_ends_fast_with_its_error(hostile):
    folder, expect = hostile
    for name, error in expect.items():
        started = time.perf_counter()
        result = parse_file(folder / name)
        elapsed = time.perf_counter() - started
        assert elapsed < 1.0, f"{name} took {elapsed:.2f} s"
        if error is None:
            assert result.ok, f"{name}: {result.error}"
        else:
            assert not result.ok and error in result.error, f"{name}: {result.error}"
            assert "\n" not in result.error
    # nothing expanded: the 10^8 spans and the 210 MB bomb stayed small
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # kB: under 1 GB


def test_glued_review_row_past_the_template_is_left_glued(hostile):
    folder, _ = hostile
    result = parse_file(folder / "glued_review_30.txt")
    assert {result.cells[k].state for k in result.cells if k.startswith("review_litigation.")} <= {"glued", "text",
                                                                                                   "incomplete"}


def test_special_files_and_non_utf8_names(tmp_path: Path):
    expect = write_special(tmp_path)
    result = parse_file(tmp_path / "pipe.txt")
    assert not result.ok and "a FIFO" in result.error
    (gbk,) = [p for p in tmp_path.iterdir() if p.name != "pipe.txt"]
    result = parse_file(gbk)
    # shown decoded, marked with its raw bytes (so no UTF-8 名 can share it), opened by its real name
    assert result.ok and result.source == f"{tmp_path}/年度报告.txt〔字节 {os.fsencode(gbk).hex()}〕"
    assert source_bytes(result.source) == os.fsencode(gbk)
    assert json.dumps(result.to_json_dict(), ensure_ascii=False)  # writable: no lone surrogates
    assert set(expect) == {"pipe.txt", f"年度报告.txt〔字节 {os.fsencode(gbk.name).hex()}〕"}


def test_wide_encodings_without_bom():
    text = good_report(3)
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-32", "utf-16"):
        assert decode(text.encode(encoding))[0].lstrip("\ufeff") == text, encoding
    with pytest.raises(ReadError, match="binary"):
        decode(bytes(range(256)) * 20)


def test_one_error_hierarchy():
    assert issubclass(LimitError, ReadError) and issubclass(ReadError, ExtractorError)
    from extractor.evaluation.harness import EvalError
    from extractor.llm import SettingsError
    from extractor.llm.client import LLMError
    from extractor.narrative.prompts import PromptError

    assert all(issubclass(e, ExtractorError) for e in (EvalError, SettingsError, LLMError, PromptError))


def test_parse_json_prints_a_line_for_a_broken_docx_and_the_good_file_after_it(tmp_path: Path):
    whole = docx_bytes("<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>")
    (tmp_path / "a.docx").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "b.txt").write_text(good_report(4), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "extractor", "parse", "--json", str(tmp_path / "a.docx"),
                           str(tmp_path / "b.txt")], capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["ok"] for r in lines] == [False, True] and "Traceback" not in proc.stderr
    assert proc.returncode == 1
