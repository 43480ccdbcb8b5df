"""`extractor eval` as a prompt regression: a v1 × v3 × two-model matrix over the section-五 gold
(4 × 42 reviews) with --llm-concurrency 8 against the scripted server answering after 1 s.

    python bench/bench_eval_matrix.py                  # 1 s latency, concurrency 8
    python bench/bench_eval_matrix.py --latency 0.5 --concurrency 4

Target (issue 23): under 30 s. The floor is 4 × 42 / 8 × 1 s = 21 s of waiting for the server.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.evaluation.test_eval_matrix import MATRIX, Answers  # noqa: E402
from tests.llm_server import ScriptedServer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=float, default=1.0)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    answers = Answers(delay=args.latency)
    with tempfile.TemporaryDirectory() as tmp, ScriptedServer([answers]) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
        env.update(OPENAI_API_KEY="k", OPENAI_BASE_URL=server.base_url, EXTRACTOR_CACHE_DIR=f"{tmp}/cache")
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "extractor", "eval", "--json", "--no-tables", *MATRIX,
                               "--llm-concurrency", str(args.concurrency), "--runs-dir", f"{tmp}/runs"],
                              capture_output=True, text=True, env=env)
        seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    cells = json.loads(proc.stdout)["cells"]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{len(cells)} cells, {len(server.requests)} requests, latency {args.latency:g} s, concurrency "
          f"{args.concurrency} (peak in flight {answers.peak}): {seconds:.1f} s (target < 30 s); "
          f"CPU of the eval process {usage.ru_utime + usage.ru_stime:.1f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
