"""`extractor text FILE`: the document text every `at` points into; section-五 statements and
the compact results.jsonl keep their `at`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from extractor import parse_file
from extractor.outputs import compact, expand
from extractor.review import Reviewer
from extractor.review.llm import LLMSettings
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "reports" / "qingshan_water_2022.html"


def _text(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", "text", str(path)], capture_output=True, text=True,
                          encoding="utf-8", check=False)


def test_text_command_prints_the_text_the_cells_point_into():
    out = _text(SAMPLE)
    assert out.returncode == 0, out.stderr
    result = parse_file(SAMPLE)
    cell = result.cells["applications.received_new.total"]
    start, end = cell.at[:2]
    assert out.stdout[start:end] == cell.raw
    assert out.stdout.startswith("青山县水利局2022年")


def test_text_command_says_why_a_file_cannot_be_read(tmp_path):
    out = _text(tmp_path / "missing.pdf")
    assert out.returncode == 1
    assert "无法读取" in out.stderr and out.stdout == ""


def test_statements_carry_offsets_into_the_document_text(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(make_report(ReportSpec(layout="pipe", values=consistent_values(3, "2021"),
                                           section5=SECTION5[0])), encoding="utf-8")
    result = parse_file(path)
    offset = result.section_offsets["problems_improvements"]
    review = Reviewer(LLMSettings(backend="offline")).review(result.sections.problems_improvements, str(path), offset)
    text = _text(path).stdout
    assert review.statements
    for s in review.statements:
        assert text[s.at["start"]:s.at["end"]] == s.text
        assert s.at["start"] - s.start == offset


def test_compact_keeps_every_at_and_expand_restores_it():
    full = parse_file(SAMPLE).to_json_dict()
    small = compact(full)
    assert "at" in small and all(isinstance(v, list) for v in small["at"].values())
    back = expand(json.loads(json.dumps(small)))
    assert back["cells"] == full["cells"]
    assert all("at" in c for c in back["cells"].values() if c["state"] == "number")
