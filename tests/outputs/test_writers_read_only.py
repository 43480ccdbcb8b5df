"""The output writers read a record and compute nothing of their own (issue 24: "Status and
indicators are computed once, on the record ... Every output writer takes records and does no
domain work"). The status, indicators, findings, year findings and grades are computed once, in
record.py and pairs.py; a writer that imports or calls a function that computes one of them
fails here, read off its source with `ast` (no import of the writer needed)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

OUTPUTS = Path(__file__).resolve().parents[2] / "extractor" / "outputs"
# The writers: the workbook (and the process that writes it), the database, the page and its cards.
WRITERS = ("_workbook.py", "_workbook_beside.py", "_database.py", "_report_html.py", "_cards.py")
# Each function that does domain work, and the package that exports it (checked below, so a
# rename cannot leave this list guarding a name that no longer exists).
DOMAIN = {
    "report_findings": "extractor.outputs",
    "year_findings": "extractor.outputs",
    "grade_of": "extractor.outputs._grades",
    "judge": "extractor.review",
    "report_status": "extractor.tables",
    "record_status": "extractor.tables",
    "parse_status": "extractor.tables",
    "report_indicators": "extractor.tables",
    "year_indicators": "extractor.tables",
    "table_checks": "extractor.tables",
    "compare_reports": "extractor.tables",
}


def domain_uses(source: str) -> list[str]:
    """`line: name` for each import of a domain function, each bare reference to one (a call, or
    the function passed on) and each call of one through a module (`grades.grade_of(...)`).
    Reading a record's attribute of the same name (`view.year_findings`) is what writers do."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name in DOMAIN]
        elif isinstance(node, ast.Name) and node.id in DOMAIN:
            found.append(f"{node.lineno}: {node.id}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DOMAIN:
            found.append(f"{node.lineno}: call .{node.func.attr}")
    return found


def test_the_domain_functions_exist_where_the_guard_says():
    for name, module in DOMAIN.items():
        assert callable(getattr(importlib.import_module(module), name)), f"{module}.{name}"


@pytest.mark.parametrize("writer", WRITERS)
def test_a_writer_imports_and_calls_no_domain_function(writer: str):
    uses = domain_uses((OUTPUTS / writer).read_text(encoding="utf-8"))
    assert not uses, (f"{writer} does domain work ({'; '.join(uses)}): compute it once on the record "
                      "(outputs/_record.py) or with its year pair (outputs/_pairs.py) and read it from the view")


def test_the_guard_fails_on_a_planted_call():
    source = (OUTPUTS / "_workbook.py").read_text(encoding="utf-8")
    assert domain_uses(source) == []
    planted = {
        "from extractor.outputs._grades import grade_of\n": ["import grade_of"],
        "def f(view, g):\n    return grade_of(g, view.indicators, {})\n": ["grade_of"],
        "def f(view):\n    return _findings.year_findings(view.year_checks)\n": ["call .year_findings"],
        "def f(views):\n    return list(map(report_indicators, views))\n": ["report_indicators"],
    }
    for code, expected in planted.items():
        uses = domain_uses(source + "\n\n" + code)
        assert [u.split(": ", 1)[1] for u in uses] == expected, code
    # a record's attribute is read, not computed: not a domain call
    assert domain_uses(source + "\n\ndef f(view):\n    return view.year_findings, view.grades, view.status\n") == []
