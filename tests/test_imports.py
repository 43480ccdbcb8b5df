"""The package's import graph, read from the source (ast): no circle among extractor's modules, no
circle among its packages (document, tables, review, corpus, outputs, batch, cli, service,
evaluation, messages and the shared top-level modules), and no module imports another package's
private module (`_name`); a test may import the private modules of the package it tests
(tests/tables/ those of extractor.tables), no other.

Module-level imports make the graph that must have no circle. An import inside a function runs
when the function is called; it is allowed to close a circle only where LAZY_CIRCLES names it with
the reason. Imports under `if TYPE_CHECKING:` are for annotations and never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import extractor

ROOT = Path(extractor.__file__).parent
# (importer, imported) for a function-level import that closes a circle, with why it must stay lazy
LAZY_CIRCLES: dict[tuple[str, str], str] = {
    ("extractor.review.llm._settings", "extractor.review.llm._providers"):
        "settings_from_env checks the mode against the server before any call; providers reads LLMSettings",
    ("extractor.review.llm._settings", "extractor.review._prompts"):
        "answer_key hashes the prompt's text; narrative imports llm.settings for LLMSettings",
    ("extractor.models", "extractor.document"):
        "a cell's `at` is written and read back by the document's at_json/at_tuple; the document's "
        "sections import models (Finding, Sections) at module level",
    ("extractor.document._document", "extractor.document._texttable"):
        "blocks() asks the text-table detector for a text layout's tables only when asked (never on the parse "
        "path); the detector builds the Cell and Table blocks this module declares",
}
TESTS = ROOT.parent / "tests"
# (test file, private module) for a white-box test of another package's internals, with why
WHITE_BOX: dict[tuple[str, str], str] = {
    ("work.py", "extractor.tables._glued"): "counts the value search's steps by wrapping its Steps counter",
    ("service/test_ocr_cells.py", "extractor.outputs._compact"):
        "makes the compact form read a cell as text, to show the service's picture of an OCR cell",
    ("batch/test_files_counted.py", "extractor.outputs._outputs"):
        "fills the disk in the middle of writing the outputs (write_outputs, ReviewPage.finish)",
}


def _module_name(path: Path) -> str:
    parts = ["extractor", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in ROOT.rglob("*.py")}


def _target(name: str) -> str | None:
    """The extractor module an imported dotted name lands in (a name inside a module: that module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(module: str, path: Path | None = None) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every extractor import in `module` (or the file `path`)."""
    path = path or MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit(sub, top)
                continue
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + ([base] if base else []))
                names = [f"{base}.{a.name}" for a in child.names] if base else []
            else:
                names = []
            for name in names:
                target = _target(name) if name.startswith("extractor") else None
                if target and target != module:
                    found.append((target, top))
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), True)
    return found


GRAPH = {m: _imports(m) for m in MODULES}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One circle in the graph, as the modules along it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(edges.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := walk(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(edges):
        if m not in state and (found := walk(m)):
            return found
    return None


def test_the_graph_is_read():
    assert ("extractor.cli._emit", True) in GRAPH["extractor.cli._entry"]  # the fast path's module
    assert ("extractor.cli._commands", False) in GRAPH["extractor.cli._entry"]  # typer only when needed
    assert len(MODULES) > 50


def test_no_circle_among_module_level_imports():
    edges = {m: {t for t, top in imps if top} for m, imps in GRAPH.items()}
    assert _cycle(edges) is None, " → ".join(_cycle(edges) or [])


def test_lazy_imports_close_no_circle_unless_explained():
    edges = {m: {t for t, _ in imps if (m, t) not in LAZY_CIRCLES} for m, imps in GRAPH.items()}
    assert _cycle(edges) is None, " → ".join(_cycle(edges) or [])


def _unit(module: str) -> str:
    """The package a module belongs to for the layering rules: extractor.<package> (a subpackage
    such as extractor.review.llm is part of extractor.review), or the top-level module itself."""
    return ".".join(module.split(".")[:2])


def _private_owner(target: str) -> str | None:
    """The package whose private module `target` is, or None when it is public."""
    parts = target.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return _unit(".".join(parts[:i]))
    return None


def _wrong_private(importer_unit: str, imps: list[tuple[str, bool]]) -> list[str]:
    return [t for t, _ in imps if (owner := _private_owner(t)) and owner != importer_unit]


def test_no_import_of_another_packages_private_module():
    wrong = [f"{m} imports {t}" for m, imps in GRAPH.items() for t in _wrong_private(_unit(m), imps)]
    assert not wrong, wrong


def _test_unit(path: Path) -> str:
    """tests/tables/test_x.py tests extractor.tables; a test at the top of tests/ tests no one package."""
    rel = path.relative_to(TESTS).parts
    return f"extractor.{rel[0]}" if len(rel) > 1 else "tests"


def test_tests_import_only_the_private_modules_of_the_package_they_test():
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        rel = str(path.relative_to(TESTS))
        wrong += [f"{rel} imports {t}" for t in _wrong_private(_test_unit(path), _imports("tests", path))
                  if (rel, t) not in WHITE_BOX]
    assert not wrong, wrong


def test_each_white_box_import_exists():
    for rel, target in WHITE_BOX:
        assert (target, True) in _imports("tests", TESTS / rel) or (target, False) in _imports("tests", TESTS / rel)


def test_no_circle_among_packages():
    """Every import (at module level or in a function) between two packages, except the lazy ones
    LAZY_CIRCLES explains: the packages form layers (document ← tables ← outputs ← batch ← cli)."""
    edges: dict[str, set[str]] = {}
    for m, imps in GRAPH.items():
        for t, _ in imps:
            if (m, t) not in LAZY_CIRCLES and _unit(t) != _unit(m) and _unit(m) != "extractor":
                edges.setdefault(_unit(m), set()).add(_unit(t))
    assert _cycle(edges) is None, " → ".join(_cycle(edges) or [])


def test_the_package_graph_is_read():
    units = {_unit(m) for m in MODULES}
    assert {"extractor.document", "extractor.tables", "extractor.review", "extractor.corpus", "extractor.outputs",
            "extractor.batch", "extractor.cli"} <= units
    assert _private_owner("extractor.tables._read") == "extractor.tables"
    assert _private_owner("extractor.review.llm._client") == "extractor.review"
    assert _private_owner("extractor.review.llm") is None


def test_each_explained_lazy_import_exists_and_is_lazy():
    for importer, imported in LAZY_CIRCLES:
        assert (imported, False) in GRAPH[importer] and (imported, True) not in GRAPH[importer], (importer, imported)
