"""Work bounded by counts, not by the clock: every split search of the glued-cell deduction runs on
a step counter (`extractor.tables._glued.Steps`), and these helpers record each one made while a
test parses, so a test can assert that the search stayed within its budgets on any machine.
(Speed targets live in bench/: bench/bench_hostile_files.py times the same inputs.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from extractor.tables import _glued as glued
from extractor.tables import rows

TABLES = ("active_disclosure", "applications", "review_litigation")


@contextmanager
def search_steps() -> Iterator[list[glued.Steps]]:
    """Every `Steps` counter made inside the block, in order."""
    made: list[glued.Steps] = []
    init = glued.Steps.__init__

    def recording(self, budget: int = glued.STEP_BUDGET) -> None:
        init(self, budget)
        made.append(self)

    glued.Steps.__init__ = recording  # type: ignore[method-assign]  # a recording wrapper, restored below
    try:
        yield made
    finally:
        glued.Steps.__init__ = init  # type: ignore[method-assign]


def assert_bounded(made: list[glued.Steps]) -> None:
    """Each search stopped within its budget (the step that ran past it raises), at most one full
    budget per table and one first look per template row: the work of a parse is bounded. A row or
    a table-四 run printed again (a repeated page) is not looked at again, so copies of a report's
    text do not multiply the first looks."""
    over = [(s.left, s.used) for s in made if s.used > s.left + 1]
    assert not over, f"searches past their budget (budget, used): {over[:5]}"
    full = [s for s in made if s.left == glued.STEP_BUDGET]
    assert len(full) <= len(TABLES), f"{len(full)} full-budget searches for {len(TABLES)} tables"
    most_rows = sum(max(len(rows(t, v)) for v in ("2019", "2021")) for t in TABLES)
    looks = [s for s in made if s.left == glued.FIRST_LOOK_STEPS]
    assert len(looks) <= most_rows, f"{len(looks)} first looks for at most {most_rows} rows"
    total = sum(s.used for s in made)
    assert total <= len(TABLES) * glued.STEP_BUDGET + most_rows * glued.FIRST_LOOK_STEPS + len(made)
