"""Issue 11's acceptance run: `extractor run` over the hostile corpus (tests/hostile.py, plus a
FIFO and a GBK file name) mixed with 300 good reports, on 2 workers.

    python bench/bench_hostile.py [--good 300] [--jobs 2]

Prints the wall time, that every file is in results.jsonl exactly once, how many are errors,
and the peak memory of the largest process (the run or any worker). Targets: under 2 minutes,
no process above 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile import good_report, write_hostile, write_special  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--good", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        expect = write_hostile(src)
        expect.update(write_special(src))
        for i in range(args.good):
            (src / f"good{i:04d}.txt").write_text(good_report(i, ("pipe", "html", "cells")[i % 3]), encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--quiet",
                               "--jobs", str(args.jobs)], capture_output=True, text=True)
        wall = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        records = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
        sources = [r["source"] for r in records]
        errors = [r for r in records if not r["parse"]["ok"]]
        files = len(expect) + args.good
        print(f"files: {files}, lines: {len(records)}, distinct: {len(set(sources))}, exactly once: "
              f"{len(records) == len(set(sources)) == files}")
        print(f"errors: {len(errors)} (hostile files expected to fail: {sum(e is not None for e in expect.values())})")
        for r in errors:
            print(f"  {r['source']}: {r['parse']['error'][:100]}")
        print(f"wall time: {wall:.1f} s on {args.jobs} workers (target < 120 s); exit code {proc.returncode}")
        print(f"largest process peak RSS: {peak_mb:.0f} MB (target < 1536 MB)")


if __name__ == "__main__":
    main()
