"""Names a package loads on first use (PEP 562). `extractor parse` starts in a fraction of the time
when what it does not use (FastAPI, pydantic, xlsxwriter, the LLM client, the OCR engine) stays
unloaded, so a package lists such names in a `_LAZY = {name: module}` table and sets
`__getattr__ = _lazy_names(__name__, _LAZY)` (imported as `lazy_names as _lazy_names`, so it is
not one of the package's names); type checkers see the names under `TYPE_CHECKING`.

Likewise a regular expression that most reports never need (`lazy_pattern`): compiling one costs
0.1-1 ms of start-up (a CJK range is enumerated character by character), so a module keeps
such a pattern uncompiled until its first use.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

__all__ = ["lazy_names", "lazy_pattern"]


def lazy_names(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """The package's module `__getattr__`: a name of `table` is imported from its module on first
    use and kept in the package, so later look-ups do not come here; any other name is an
    AttributeError, as for a module without `__getattr__`."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """The compiled `pattern`, compiled on the first call and kept: `_X = lazy_pattern(r"…")`,
    used as `_X().search(text)`."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled
