"""`extractor run` over a folder of synthetic reports: reports per second and peak memory.

    python bench/bench_run.py              # 10,000 reports, offline, --jobs 2
    python bench/bench_run.py --n 2000 --jobs 1

Peak memory is the largest total PSS of the run's whole process tree (main process and parsing
workers; PSS shares the pages forked workers share with their parent instead of counting them
in every process), sampled every 50 ms from /proc; the largest single-process RSS is shown too. Targets (issue 4): under 60 s and under 300 MB for
10,000 reports on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samples.synth import SECTION5, ReportSpec, consistent_values, make_report  # noqa: E402

LAYOUTS = ("html", "pipe", "cells", "markdown", "spaces")
BODIES = ("青山县水利局", "临江市统计局", "北岸区司法局", "东湖街道办事处", "南屏镇人民政府")


def write_reports(folder: Path, n: int) -> None:
    for i in range(n):
        version = "2021" if i % 2 else "2019"
        layout = LAYOUTS[i % len(LAYOUTS)]
        # bodies repeat across years, so the run also finds year-on-year pairs
        spec = ReportSpec(f"{BODIES[i % 5]}{i // 10}", 2019 + (i // 5) % 2 * 1 + (2 if version == "2021" else 0),
                          version, layout, consistent_values(i, version), SECTION5[i % 2])
        (folder / f"r{i:05d}.{'html' if layout == 'html' else 'txt'}").write_text(make_report(spec), encoding="utf-8")


def _kb(path: str, field: str) -> int:
    with open(path) as f:
        return next((int(line.split()[1]) for line in f if line.startswith(field)), 0)


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """(total PSS of the process tree, largest RSS of one process), in kB."""
    total, largest, stack = 0, 0, [pid]
    while stack:
        p = stack.pop()
        try:
            total += _kb(f"/proc/{p}/smaps_rollup", "Pss:")
            largest = max(largest, _kb(f"/proc/{p}/status", "VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total, largest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        t0 = time.perf_counter()
        write_reports(src, args.n)
        print(f"wrote {args.n} synthetic reports in {time.perf_counter() - t0:.1f} s")
        peak = [0, 0]
        proc = subprocess.Popen([sys.executable, "-m", "extractor", "run", str(src), "--out", str(out), "--quiet",
                                 "--jobs", str(args.jobs)])
        start = time.perf_counter()

        def sample() -> None:
            while proc.poll() is None:
                pss, rss = tree_memory_kb(proc.pid)
                peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
        sampler.join()
        sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*") if p.is_file()}
        size = sum(sizes.values()) / 1048576
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"extractor run --jobs {args.jobs}: {args.n} reports in {seconds:.1f} s = {args.n / seconds:,.0f} reports/s "
              f"(CPU {usage.ru_utime + usage.ru_stime:.1f} s); "
              f"peak memory {peak[0] / 1024:.0f} MB (PSS of the process tree; largest process RSS {peak[1] / 1024:.0f} MB); "
              f"outputs {size:.0f} MB; exit {code}")
        cards = sum(v for k, v in sizes.items() if "/" in k)
        print("  " + ", ".join(f"{k} {v / 1048576:.1f} MB" for k, v in sorted(sizes.items()) if "/" not in k)
              + (f", report-cards/ {cards / 1048576:.1f} MB" if cards else ""))


if __name__ == "__main__":
    main()
