"""One cache for functions of the template's own objects (row spec tuples, column tuples, the
identities of a table): keyed by the object's id(), since hashing those tuples costs more than the
work saved, and holding the object, since an id can be reused once its object is gone, so an
entry counts only when it was made for this very object."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

__all__ = ["per_object"]

R = TypeVar("R")


def per_object(maxsize: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Cache fn(obj, *args) by (id(obj), args); emptied when it holds more than `maxsize` entries."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        entries: dict[tuple[int, tuple[Hashable, ...]], tuple[Any, R]] = {}

        @wraps(fn)
        def cached(obj: Any, *args: Hashable) -> R:
            key = (id(obj), args)
            entry = entries.get(key)
            if entry is not None and entry[0] is obj:
                return entry[1]
            if len(entries) > maxsize:
                entries.clear()
            value = fn(obj, *args)
            entries[key] = (obj, value)
            return value

        return cached

    return decorate
