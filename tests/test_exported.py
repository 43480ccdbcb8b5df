"""The public API is a contract (as httpx's test_exported_members): every module of extractor
declares `__all__`, each name it lists exists, and every name the README's library section lists
exists and is exported."""

from __future__ import annotations

import importlib
import re
import types
from pathlib import Path

import pytest

import extractor

ROOT = Path(extractor.__file__).parent
README = ROOT.parent / "README.md"


def _name(path: Path) -> str:
    parts = ["extractor", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_name(p) for p in ROOT.rglob("*.py") if p.name != "__main__.py")


@pytest.mark.parametrize("name", MODULES)
def test_exported_members(name):
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list), f"{name} has no __all__"
    assert len(set(exported)) == len(exported), f"{name}: a name listed twice"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ lists names it does not have: {missing}"


def _library_names() -> list[tuple[str, str]]:
    section = README.read_text(encoding="utf-8").split("## As a library", 1)[1].split("\n## ", 1)[0]
    names = [(m, n.strip()) for m, ns in re.findall(r"^from (extractor[\w.]*) import (.+)$", section, re.M)
             for n in ns.split(",")]
    for module, listed in re.findall(r"^- `(extractor[\w.]*)`: (.+?)(?=^- |\Z)", section, re.M | re.S):
        names += [(module, n) for n in re.findall(r"`(\w+)`", listed)]
    return names


def test_readme_library_names_exist_and_are_exported():
    names = _library_names()
    assert len(names) > 25 and ("extractor", "parse_file") in names
    wrong = [f"{m}.{n}" for m, n in names
             if not hasattr(importlib.import_module(m), n) or n not in importlib.import_module(m).__all__]
    assert not wrong, wrong


PACKAGES = sorted(_name(p) for p in ROOT.rglob("__init__.py"))
_NOT_API = {"TYPE_CHECKING", "Any", "annotations"}  # typing helpers the lazy packages import


@pytest.mark.parametrize("name", PACKAGES)
def test_package_exports_exactly_its_public_names(name):
    """httpx's test_exported_members: what a package's namespace offers is its `__all__`, no more, no
    less (submodules aside; a lazily loaded name counts once loaded)."""
    package = importlib.import_module(name)
    exported = package.__all__
    for n in exported:
        getattr(package, n)  # loads a lazy name; AttributeError if it does not exist
    public = {n for n, v in vars(package).items() if not n.startswith("_") and n not in _NOT_API
              and not isinstance(v, types.ModuleType)}
    assert public == set(exported), (f"in the namespace, not in __all__: {sorted(public - set(exported))}; "
                                     f"in __all__, not in the namespace: {sorted(set(exported) - public)}")


@pytest.mark.parametrize("name", PACKAGES)
def test_package_docstring_documents_each_public_name(name):
    """A reader finds a package's public names in its docstring, each written as `name`."""
    package = importlib.import_module(name)
    documented = {w for span in re.findall(r"`([^`]+)`", package.__doc__ or "") for w in re.findall(r"\w+", span)}
    missing = [n for n in package.__all__ if n not in documented]
    assert not missing, f"{name}: public names its docstring does not mention: {missing}"
