"""Property tests (hypothesis): mutated reports of every format never raise, keep the glued-cell
search within its step budgets (a work count, not the clock: timings are in bench/), and every
statement's offsets point at its text.

The budget is fixed (a few dozen examples per format, no shrinking database) so CI stays fast;
`HYPOTHESIS_PROFILE=long` runs many more locally.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractor import parse_file
from extractor.review import Reviewer
from extractor.review.llm import LLMSettings
from samples.office import write_docx, write_pdf
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report
from tests.work import assert_bounded, search_steps

settings.register_profile("ci", max_examples=50, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=500, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TEXT_LAYOUTS = ("html", "pipe", "cells", "markdown", "spaces", "markdown_merged", "glued")
_SPEC = ReportSpec("临江市统计局", 2022, "2021", "pipe", consistent_values(3, "2021"), SECTION5[1])
_REVIEWER = Reviewer(LLMSettings(backend="offline"))
_WORK = Path(tempfile.mkdtemp(prefix="extractor-props-"))
_OFFICE = {"docx": write_docx(_SPEC, _WORK / "r.docx").read_bytes(),
           "pdf": write_pdf(_SPEC, _WORK / "r.pdf").read_bytes()}

# Mutations: what crawlers, converters and truncation do to a file, and some noise.
_NOISE = st.sampled_from(["|", "||", "\n", "\n\n", " ", "0", "12", "9" * 25, "-", "—", "/", "（七）总计", "五、",
                          "一、总体情况", "<td colspan=99999>", "<tr>", "</table>", "\u202e", "\x00", "\ufeff"])
_EDIT = st.tuples(st.sampled_from(["insert", "delete", "duplicate", "truncate"]), st.floats(0, 1), st.floats(0, 1),
                  _NOISE)


def _mutate(data, edits):
    for op, a, b, noise in edits:
        i = int(a * len(data))
        j = min(len(data), i + int(b * 400))
        if op == "insert":
            data = data[:i] + (noise if isinstance(data, str) else noise.encode("utf-8")) + data[i:]
        elif op == "delete":
            data = data[:i] + data[j:]
        elif op == "duplicate":
            data = data[:j] + data[i:j] * 3 + data[j:]
        else:
            data = data[: max(i, 1)]
    return data


def _check(path: Path) -> None:
    with search_steps() as made:
        result = parse_file(path)
    assert_bounded(made)
    if not result.ok:
        assert result.error and "\n" not in result.error
        return
    section = result.sections.problems_improvements
    review = _REVIEWER.review(section, result.source)
    for s in review.statements:
        assert section[s.start:s.end] == s.text


# A report whose table 四 (and the text around it) is printed again and again, as a crawler that
# repeats a page does: each copy of the glued row was once looked at anew, 114 first looks for at
# most 34 template rows (`assert_bounded`). Run on every CI run, not left to hypothesis to find.
_REPEATED_PAGE = [("duplicate", 0.45, 1.0, ""), ("duplicate", 0.45, 1.0, "")]


@given(st.sampled_from(TEXT_LAYOUTS), st.lists(_EDIT, max_size=6))
@example("glued", _REPEATED_PAGE)
@example("spaces", [("duplicate", 0.525, 1.0, "")] * 2)
@example("cells", [("duplicate", 0.6, 1.0, "")] * 2)
def test_mutated_text_reports(layout, edits):
    spec = ReportSpec(_SPEC.org, _SPEC.year, _SPEC.version, layout, _SPEC.values, _SPEC.section5)
    path = _WORK / f"m.{'html' if layout == 'html' else 'txt'}"
    path.write_text(_mutate(make_report(spec), edits), encoding="utf-8", errors="surrogatepass")
    _check(path)


@given(st.sampled_from(sorted(_OFFICE)), st.lists(_EDIT, max_size=4))
def test_mutated_office_files(kind, edits):
    path = _WORK / f"m.{kind}"
    path.write_bytes(_mutate(_OFFICE[kind], edits))
    _check(path)
