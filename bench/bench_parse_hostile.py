"""Issue 20's figure: `extractor parse --json` on a folder holding every hostile file (both
rounds: tests/hostile.py's write_hostile, write_special and write_hostile_20) and 300 good
reports (samples/synth.py), as a user would run it.

    python bench/bench_parse_hostile.py [--good 300]

Prints the wall time, that every file has exactly one line (the symlink out of the folder a
line on stderr instead), the errors, and the peak memory of the largest process (the command or
any of its workers). Targets: under 2 minutes, no process above 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.document import source_bytes  # noqa: E402
from tests.hostile import SYMLINK_OUT, good_report, write_hostile, write_hostile_20, write_special  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--good", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        expect = {source_bytes(name): error for name, error in write_hostile(src).items()}
        expect.update({source_bytes(name): error for name, error in write_special(src).items()})
        expect.update(write_hostile_20(src))
        hostile = len(expect)
        for i in range(args.good):
            name = f"good{i:04d}.txt"
            (src / name).write_text(good_report(i, ("pipe", "html", "cells")[i % 3]), encoding="utf-8")
            expect[name.encode()] = None
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "extractor", "parse", "--json", str(src)], capture_output=True)
        wall = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        root = os.fsencode(src) + b"/"
        records = [json.loads(line) for line in proc.stdout.splitlines()]
        names = [source_bytes(r["source"]).removeprefix(root) for r in records]
        wrong = [(n, r["error"]) for n, r in zip(names, records)
                 if (r["ok"], expect.get(n) is None or expect[n] in (r["error"] or "")) != (expect.get(n) is None, True)]
        print(f"files: {len(expect)} ({hostile} hostile, {args.good} good) and a symlink out of the folder")
        print(f"lines: {len(records)}, distinct: {len(set(names))}, one per file: {sorted(names) == sorted(expect)}; "
              f"symlink said on stderr: {SYMLINK_OUT.encode() in proc.stderr}; traceback: {b'Traceback' in proc.stderr}")
        print(f"errors: {sum(not r['ok'] for r in records)} (expected {sum(e is not None for e in expect.values())}); "
              f"unexpected outcomes: {len(wrong)}")
        for n, error in wrong:
            print(f"  {n!r}: {error}")
        for n, r in zip(names, records):
            if not r["ok"]:
                print(f"  {n.decode('utf-8', 'backslashreplace')[:40]}: {r['error'][:110]}")
        print(f"wall time: {wall:.1f} s on {os.cpu_count()} cores (target < 120 s); exit code {proc.returncode}")
        print(f"largest process peak RSS: {peak_mb:.0f} MB (target < 1536 MB)")


if __name__ == "__main__":
    main()
