"""The template registry is the only source of keys, and WarningCode the only spelling of a code.

A field key or check id (`"applications.…"`, `"active_disclosure.…"`, `"review_litigation.…"`)
written as a string literal anywhere in extractor/ outside the registry modules, or a warning code
written as a string instead of a `WarningCode` member (outside models.py, where the enum is
declared), fails this test. The source is read with `ast`, so comments and docstrings do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import extractor
from extractor import models
from extractor.models import CellState, WarningCode
from extractor.tables import _figures as figures
from extractor.tables import _keys as keys
from extractor.tables import _template as template

PACKAGE = Path(extractor.__file__).resolve().parent
# The registry: the only modules that may spell or build a key.
REGISTRY = frozenset(Path(m.__file__).resolve() for m in (template, keys, figures))
ENUMS = Path(models.__file__).resolve()
KEY_PREFIXES = ("applications.", "active_disclosure.", "review_litigation.")
# `ocr_uncertain` is a cell state as well as a warning code: as a string it is the cell state's.
CODES = frozenset(c.value for c in WarningCode) - frozenset(s.value for s in CellState)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def violations(source: str, *, keys_allowed: bool = False, codes_allowed: bool = False) -> list[tuple[int, str]]:
    """(line, what) for every key literal and every warning code written as a string in `source`."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in skip:
            continue
        text = node.value
        if not keys_allowed and text.startswith(KEY_PREFIXES):  # a plain literal or an f-string's head
            out.append((node.lineno, f"key literal {text!r}: use the registry (extractor/tables/_keys.py)"))
        if not codes_allowed and text in CODES:
            out.append((node.lineno, f"warning code {text!r} as a string: use WarningCode"))
    return sorted(out)


def tree_violations(root: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        resolved = path.resolve()
        found = violations(path.read_text(encoding="utf-8"), keys_allowed=resolved in REGISTRY,
                           codes_allowed=resolved == ENUMS)
        out += [f"{path.relative_to(root)}:{line}: {what}" for line, what in found]
    return out


def test_no_key_literal_or_code_string_outside_the_registry() -> None:
    found = tree_violations(PACKAGE)
    assert not found, "\n".join(found)


def test_the_registry_modules_exist_in_the_tree() -> None:
    # A guard that scans nothing, or exempts a module that moved out of the tree, proves nothing.
    scanned = {p.resolve() for p in PACKAGE.rglob("*.py")}
    assert REGISTRY <= scanned and ENUMS in scanned
    assert len(scanned) > 50


_PLANTED = '''"""A docstring may say applications.received_new.total or "applications.x" freely."""
# a comment: "review_litigation.review.total", "cells_glued"
KEY = "applications.received_new.total"
ROW = f"active_disclosure.{1}"
LABELS = {"total_blank": "总计空白"}


def f(code: str) -> bool:
    """Nor does "review_litigation.sum" here."""
    return code == "row_missing" or code == "ocr_uncertain"
'''


def test_a_planted_violation_fails() -> None:
    assert violations(_PLANTED) == [
        (3, "key literal 'applications.received_new.total': use the registry (extractor/tables/_keys.py)"),
        (4, "key literal 'active_disclosure.': use the registry (extractor/tables/_keys.py)"),
        (5, "warning code 'total_blank' as a string: use WarningCode"),
        (10, "warning code 'row_missing' as a string: use WarningCode"),
    ]
    assert violations(_PLANTED, keys_allowed=True, codes_allowed=True) == []


def test_a_planted_file_in_a_tree_fails(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("from extractor.models import WarningCode\nX = WarningCode.ROW_MISSING\n")
    assert tree_violations(tmp_path) == []
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "planted.py").write_text('TOTAL = "review_litigation.review.total"\n')
    assert tree_violations(tmp_path) == [
        "sub/planted.py:1: key literal 'review_litigation.review.total': use the registry (extractor/tables/_keys.py)"
    ]


def test_the_sections_registry_matches_the_record_and_the_tables() -> None:
    import dataclasses

    from extractor.document import SECTION_KEYS, SECTIONS, TABLE_SECTIONS
    from extractor.models import Sections

    fields = [f.name for f in dataclasses.fields(Sections) if f.name != "other_sections"]
    assert tuple(fields) == SECTION_KEYS
    assert TABLE_SECTIONS == template.TABLES
    assert "".join(s.numeral for s in SECTIONS) == "一二三四五六"
    assert {s.table for s in SECTIONS if s.table} == set(template.TABLE_HEADINGS)
