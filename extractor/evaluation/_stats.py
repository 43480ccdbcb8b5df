"""Small statistics for the eval harness: F1 and percentile bootstrap intervals."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

__all__ = ["bootstrap_ci", "f1", "resamples"]

T = TypeVar("T")


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """(precision, recall, F1); 0 where undefined."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bootstrap_ci(
    items: Sequence[T], statistic: Callable[[Sequence[T]], float], n: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic` over resamples of `items` (units: reports)."""
    if not items:
        return (0.0, 0.0)
    stats = sorted(statistic([items[i] for i in idx]) for idx in resamples(len(items), n, seed))
    lo = stats[int((1 - level) / 2 * n)]
    hi = stats[min(n - 1, int((1 + level) / 2 * n))]
    return lo, hi


@lru_cache(maxsize=32)
def resamples(k: int, n: int, seed: int = 0) -> tuple[tuple[int, ...], ...]:
    """n resamples (with replacement) of the indices 0..k-1, the same for every metric of a run."""
    rnd = random.Random(seed)
    population = range(k)
    return tuple(tuple(rnd.choices(population, k=k)) for _ in range(n))
