"""Fuzzing for issue 20 (hypothesis, bounded by example count, not time: a few tens of seconds
in CI): any printed cell in any text layout, and any file name as raw bytes.

- a cell may hold anything (runs of thousands of digits, signs, full-width digits, controls,
  markup): the parse never raises, every number stays within the template's bounds, the result
  is JSON that orjson writes, and the readable view prints no terminal control character;
- a folder of files with arbitrary byte names: every file gets one key, no two keys are equal,
  each key is writable text and gives its file's raw bytes back; `run` gives one line each.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from extractor.document import display_path, scan_reports, source_bytes
from extractor.outputs import print_parse_summary
from extractor.parse import parse_text
from extractor.tables import MAX_VALUE
from samples.synth import ReportSpec, consistent_values, make_report
from tests.hostile import good_report

BOUNDED = settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
LAYOUTS = ("html", "pipe", "cells", "markdown", "spaces", "markdown_merged", "glued")
SENTINELS = 12  # cells whose printed value the fuzzer chooses
_BASE = 7_770_001


def _template(layout: str) -> str:
    values = consistent_values(7, "2021")
    for i, key in enumerate(k for k in sorted(values) if not k.endswith(".total")):
        if i >= SENTINELS:
            break
        values[key] = _BASE + i
    return make_report(ReportSpec("样例局", 2022, "2021", layout, values))


_TEMPLATES = {layout: _template(layout) for layout in LAYOUTS}

_DIGITS = st.integers(1, 5000).map(lambda n: "9" * n) | st.integers(-(2**70), 2**70).map(str)
_CELL = st.one_of(
    _DIGITS,
    st.tuples(st.sampled_from(["", "+", "-", "减", "增", "−"]), _DIGITS,
              st.sampled_from(["", ".5", "." + "1" * 30, "万元", "元", "件"])).map("".join),
    st.integers(0, 10**20).map(lambda n: f"{n:,}"),
    st.integers(0, 10**16).map(lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))),
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(["\x1b]52;c;SGVsbG8=\x07", "\x1b[2J", "\x9b31m", "<td>", "|", "\n", "", "—", "/"]),
)
_CONTROLS = {chr(c) for c in [*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0)]}


@BOUNDED
@given(st.sampled_from(LAYOUTS), st.lists(_CELL, min_size=SENTINELS, max_size=SENTINELS),
       st.sampled_from(["", "\x1b]8;;http://127.0.0.1/\x1b\\", "\x07\x1b[H"]))
# found by this test: a glued run whose parts look like values past the template's range
@example("glued", ["9"] * 10 + ["100010000000", "１０"], "")
# and: a padded pipe row whose padding rule added up a cell of 4,301 digits (int() refuses it)
@example("pipe", ["9"] * 5 + ["<TD>", "9" * 4301] + ["9"] * 5, "")
def test_any_cell_in_any_layout(layout, cells, title_noise):
    text = _TEMPLATES[layout]
    for i, cell in enumerate(cells):
        text = text.replace(str(_BASE + i), cell, 1)
    text = title_noise + text
    result = parse_text(text, f"fuzz{title_noise}.txt")
    for key, value in result.fields.items():
        assert value is None or abs(value) <= MAX_VALUE["amount"], (key, value)
        if result.cells[key].state == "number":
            assert value is not None
    data = result.to_json_dict()
    assert orjson.loads(orjson.dumps(data))["source"] == result.source
    screen = io.StringIO()
    print_parse_summary(Console(file=screen, width=200, force_terminal=False), result)
    assert not _CONTROLS & set(screen.getvalue())


_NAME = st.binary(min_size=1, max_size=24).filter(lambda b: b"/" not in b and b"\0" not in b)


@BOUNDED
@given(st.lists(_NAME, min_size=1, max_size=6, unique=True), st.booleans())
def test_any_file_names_get_distinct_keys_that_give_their_bytes_back(names, in_subfolder):
    work = Path(tempfile.mkdtemp(prefix="extractor-names-"))
    try:
        root = os.fsencode(work)
        prefix = b"sub\xff/" if in_subfolder else b""
        if in_subfolder:
            os.mkdir(root + b"/sub\xff")
        written = set()
        for name in names:
            raw = prefix + name + b".txt"
            with open(root + b"/" + raw, "wb") as f:
                f.write(b"x")
            written.add(raw)
        paths = scan_reports(work).paths
        keys = [display_path(p.relative_to(work).as_posix()) for p in paths]
        assert len(paths) == len(written) == len(set(keys))
        assert {source_bytes(k) for k in keys} == written
        for key in keys:
            key.encode("utf-8")  # no lone surrogates: writable anywhere
            assert orjson.loads(orjson.dumps(key)) == key
    finally:
        shutil.rmtree(work)


@settings(max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_NAME, min_size=2, max_size=5, unique=True))
def test_run_gives_one_line_per_file_whatever_the_names(names):
    work = Path(tempfile.mkdtemp(prefix="extractor-names-run-"))
    try:
        src, out = os.fsencode(work / "in"), work / "out"
        os.mkdir(src)
        for i, name in enumerate(names):
            with open(src + b"/" + name + b".txt", "w", encoding="utf-8") as f:
                f.write(good_report(i))
        proc = subprocess.run([sys.executable, "-m", "extractor", "run", os.fsdecode(src), "--out", str(out), "--quiet",
                               "--jobs", "1"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        sources = [orjson.loads(line)["source"] for line in (out / "results.jsonl").read_bytes().splitlines()]
        assert len(sources) == len(set(sources)) == len(names)
        assert {source_bytes(s) for s in sources} == {n + b".txt" for n in names}
        assert (out / "report.html").stat().st_size > 0 and (out / "results.db").stat().st_size > 0
    finally:
        shutil.rmtree(work)
