"""The speed targets the unit tests no longer assert with a clock: each hostile file
(tests/hostile.py) and a set of mutated reports parse in under a second, one by one.

    python bench/bench_hostile_files.py [--mutated 200]

Prints each hostile file's time, the slowest mutated report and whether all are under 1 s.
(The unit tests bound the same work by counts: tests/work.py.)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import parse_file  # noqa: E402
from samples.synth import ReportSpec, consistent_values, make_report  # noqa: E402
from tests.hostile import write_hostile  # noqa: E402

TARGET = 1.0  # seconds per file
_NOISE = ["|", "\n\n", " ", "0", "9" * 25, "（七）总计", "五、", "<td colspan=99999>", "</table>", "\x00"]


def _timed(path: Path) -> float:
    started = time.perf_counter()
    parse_file(path)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutated", type=int, default=200)
    args = ap.parse_args()
    rnd = random.Random(0)
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in write_hostile(folder):
            elapsed = _timed(folder / name)
            slowest = max(slowest, elapsed)
            print(f"{name:28s} {elapsed:6.3f} s")
        layouts = ("html", "pipe", "cells", "markdown", "spaces", "markdown_merged", "glued")
        worst = (0.0, "")
        for i in range(args.mutated):
            layout = layouts[i % len(layouts)]
            text = make_report(ReportSpec(layout=layout, values=consistent_values(i, "2021")))
            for _ in range(rnd.randint(0, 6)):
                at = rnd.randrange(len(text))
                text = text[:at] + rnd.choice(_NOISE) + text[at:]
            path = folder / f"m{i}.{'html' if layout == 'html' else 'txt'}"
            path.write_text(text, encoding="utf-8")
            elapsed = _timed(path)
            worst = max(worst, (elapsed, path.name))
        slowest = max(slowest, worst[0])
        print(f"mutated reports: {args.mutated}, slowest {worst[0]:.3f} s ({worst[1]})")
    print(f"all under {TARGET:.0f} s: {slowest < TARGET} (slowest {slowest:.3f} s)")


if __name__ == "__main__":
    main()
