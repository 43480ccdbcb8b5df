"""The layout's rules (issue 24), read from the source: small modules, and package `__init__.py`
files that only say what the package exports.

- No module of extractor/ has more than 400 lines.
- An `__init__.py` holds a docstring, imports, `__all__` (and `__version__` at the top), nothing
  else; a package whose public names are heavy to import may load them on first use through a
  `_LAZY = {name: module}` table and `__getattr__ = _lazy_names(__name__, _LAZY)` (PEP 562,
  extractor/lazy.py), with the types imported under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import extractor

ROOT = Path(extractor.__file__).parent
MAX_LINES = 400


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_400_lines():
    over = {str(p.relative_to(ROOT)): _lines(p) for p in ROOT.rglob("*.py") if _lines(p) > MAX_LINES}
    assert not over, f"over {MAX_LINES} lines: {over}"


def _is_dunder_constant(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in ("__all__", "__version__")
            and isinstance(node.value, (ast.List, ast.Tuple, ast.Constant))
            and all(isinstance(e, ast.Constant) for e in getattr(node.value, "elts", [node.value])))


def _is_lazy_table(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "_LAZY" and isinstance(node.value, ast.Dict)
            and all(isinstance(v, ast.Constant) for v in [*node.value.keys, *node.value.values]))  # type: ignore[list-item]


def _is_lazy_getattr(node: ast.stmt) -> bool:
    """`__getattr__ = _lazy_names(__name__, _LAZY)`: the one PEP 562 hook (extractor/lazy.py)."""
    return ast.unparse(node) == "__getattr__ = _lazy_names(__name__, _LAZY)"


def _is_type_checking_imports(node: ast.stmt) -> bool:
    return (isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING" and not node.orelse
            and all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in node.body))


def _logic(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = tree.body[1:] if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(
        getattr(tree.body[0], "value", None), ast.Constant) else tree.body
    return [f"line {n.lineno}: {ast.unparse(n).splitlines()[0]}" for n in body
            if not (isinstance(n, (ast.Import, ast.ImportFrom)) or _is_dunder_constant(n) or _is_lazy_table(n)
                    or _is_lazy_getattr(n) or _is_type_checking_imports(n))]


INITS = sorted(ROOT.rglob("__init__.py"))


@pytest.mark.parametrize("path", INITS, ids=[str(p.relative_to(ROOT)) for p in INITS])
def test_init_holds_no_logic(path: Path):
    assert not _logic(path), f"{path.relative_to(ROOT)} holds logic: {_logic(path)}"


def test_the_logic_check_can_fail(tmp_path: Path):
    init = tmp_path / "__init__.py"
    init.write_text('"""Doc."""\nfrom x import y\n__all__ = ["y"]\nCACHE = {}\n\ndef helper():\n    return 1\n')
    assert [s.split(":")[0] for s in _logic(init)] == ["line 4", "line 6"]


def test_every_package_is_a_room_with_a_docstring():
    for path in INITS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} says nothing about what the package holds"
