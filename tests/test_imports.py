"""The package's import graph, read from the source (ast): no circle among extractor's modules, and
no module imports another package's private module (`_name`).

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
    ("extractor.llm.settings", "extractor.llm.providers"):
        "settings_from_env checks the mode against the server before any call; providers reads LLMSettings",
    ("extractor.llm.settings", "extractor.narrative.openai_backend"):
        "answer_key hashes the answer schema; the backend loads openai and instructor (a second), which "
        "offline runs never import",
    ("extractor.llm.settings", "extractor.narrative.prompts"):
        "answer_key hashes the prompt's text; narrative imports llm.settings for LLMSettings",
    ("extractor.document", "extractor.document.texttable"):
        "blocks() asks the text-table detector for a text layout's tables only when asked (never on the parse "
        "path); the detector builds the Cell and Table blocks this module declares",
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


def _imports(module: str) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every extractor import in `module`."""
    path = MODULES[module]
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
    assert ("extractor.emit", True) in GRAPH["extractor.entry"]  # the fast path's module
    assert ("extractor.cli", False) in GRAPH["extractor.entry"]  # typer only when needed
    assert len(MODULES) > 50


def test_no_circle_among_module_level_imports():
    edges = {m: {t for t, top in imps if top} for m, imps in GRAPH.items()}
    assert _cycle(edges) is None, " → ".join(_cycle(edges) or [])


def test_lazy_imports_close_no_circle_unless_explained():
    edges = {m: {t for t, _ in imps if (m, t) not in LAZY_CIRCLES} for m, imps in GRAPH.items()}
    assert _cycle(edges) is None, " → ".join(_cycle(edges) or [])


def test_no_import_of_another_packages_private_module():
    wrong = []
    for module, imps in GRAPH.items():
        for target, _ in imps:
            package, _, last = target.rpartition(".")
            if last.startswith("_") and not last.startswith("__") and not (module + ".").startswith(package + "."):
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_each_explained_lazy_import_exists_and_is_lazy():
    for importer, imported in LAZY_CIRCLES:
        assert (imported, False) in GRAPH[importer] and (imported, True) not in GRAPH[importer], (importer, imported)
