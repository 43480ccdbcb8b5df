"""Issue 22's load figure: `extractor serve` over a 10,000-report output, 20 concurrent clients
browsing and reviewing for 60 s, on 127.0.0.1 only.

    python bench/bench_serve.py                       # 10,000 reports, 20 clients, 60 s
    python bench/bench_serve.py --reports 2000 --seconds 20 --clients 10

The output is made once (cached in $TMPDIR/extractor-bench-serve-<n>): the corpus and generated
reports are parsed once, and their results.jsonl lines repeated under new names and hashes up to
n reports, then the summary outputs written as `run` writes them. A client loops: the summary
(a random status or page), a random report's page, its JSON, and every fifth loop a review of one
of its findings (POST with the CSRF token). Prints requests, failures, p50/p95/p99 page times and
checks that every acknowledged review is in reviews.db. Exit 1 when p95 > 300 ms, a request
failed, or a review was lost.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_outputs import write_generated  # noqa: E402
from extractor.batch import run_folder  # noqa: E402
from extractor.outputs import write_outputs  # noqa: E402
from extractor.review.llm import LLMSettings  # noqa: E402


def make_output(n: int) -> Path:
    out = Path(tempfile.gettempdir()) / f"extractor-bench-serve-{n}"
    if (out / "results.db").is_file():
        return out
    seed_in = out.with_name(out.name + "-seed")
    write_generated(seed_in, 200)
    run_folder(seed_in, out, LLMSettings(backend="offline"))
    lines = (out / "results.jsonl").read_bytes().splitlines()
    with (out / "results.jsonl").open("wb") as f:
        for i in range(n):
            r = orjson.loads(lines[i % len(lines)])
            r["source"] = f"batch{i // 1000:02d}/{i:05d}-{r['source']}"
            r["sha256"] = hashlib.sha256(r["source"].encode()).hexdigest()
            received = ((r["parse"].get("fields") or {}).get("applications") or {}).get("received_new") or {}
            if i % 3 == 0 and isinstance(received.get("total"), int):
                received["total"] += 1  # a misprinted 总计: findings to review
            f.write(orjson.dumps(r) + b"\n")
    write_outputs(out / "results.jsonl", out, "bench")
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=1, help="serve --workers")
    args = ap.parse_args()
    t0 = time.monotonic()
    out = make_output(args.reports)
    (out / "reviews.db").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{out / 'reviews.db'}{suffix}").unlink(missing_ok=True)
    print(f"output: {out} ({args.reports} reports, ready in {time.monotonic() - t0:.0f} s)")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "extractor", "serve", str(out), "--port", str(port),
                               "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/reports?limit=1", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        ids = [i["id"] for i in httpx.get(base + "/api/reports?limit=1000", timeout=30).json()["items"]]
        times: dict[str, list[float]] = {"summary": [], "report": [], "json": [], "review": []}
        failures: list[str] = []
        acknowledged: list[tuple[str, str, str]] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def client(n: int) -> None:
            rnd = random.Random(n)
            with httpx.Client(base_url=base, timeout=30) as c:
                loop = 0
                while time.monotonic() < stop:
                    loop += 1
                    rid = rnd.choice(ids)
                    for kind, method, url in (("summary", "GET", f"/?page_no={rnd.randint(1, 20)}"),
                                              ("report", "GET", f"/reports/{rid}"),
                                              ("json", "GET", f"/api/reports/{rid}")):
                        started = time.monotonic()
                        r = c.request(method, url)
                        elapsed = time.monotonic() - started
                        with lock:
                            times[kind].append(elapsed)
                            if r.status_code != 200:
                                failures.append(f"{url} {r.status_code}")
                        if kind == "report":
                            page = r.text
                        if kind == "json":
                            findings = r.json().get("findings", [])
                    if loop % 5 == 0 and findings:
                        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
                        fid = rnd.choice(findings)["id"]
                        status = rnd.choice(["verified", "false_alarm", "fixed"])
                        started = time.monotonic()
                        r = c.post(f"/api/reports/{rid}/findings/{fid}", json={"status": status, "note": f"c{n}"},
                                   headers={"X-CSRF-Token": csrf})
                        with lock:
                            times["review"].append(time.monotonic() - started)
                            if r.status_code == 200:
                                acknowledged.append((rid, fid, status))
                            else:
                                failures.append(f"review {r.status_code} {r.text[:80]}")

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait()
    everything = sorted(x for v in times.values() for x in v)
    q = statistics.quantiles(everything, n=100)
    print(f"{len(everything)} requests in {args.seconds:.0f} s by {args.clients} clients "
          f"({len(everything) / args.seconds:.0f}/s); failed: {len(failures)}")
    for kind, v in times.items():
        if v:
            qs = statistics.quantiles(sorted(v), n=100)
            print(f"  {kind:8s} n={len(v):5d} p50={qs[49] * 1000:6.0f} ms p95={qs[94] * 1000:6.0f} ms p99={qs[98] * 1000:6.0f} ms")
    print(f"all      p50={q[49] * 1000:.0f} ms p95={q[94] * 1000:.0f} ms p99={q[98] * 1000:.0f} ms")
    db = sqlite3.connect(out / "reviews.db")
    reviewed = len({(rid, fid) for rid, fid, _ in acknowledged})
    rows = db.execute("select count(*) from reviews").fetchone()[0]
    audit = db.execute("select count(*) from audit_log where action='review'").fetchone()[0]
    lost = audit != len(acknowledged) or rows != reviewed
    print(f"reviews acknowledged: {len(acknowledged)} ({reviewed} findings); audit rows: {audit}; review rows: {rows}; "
          f"lost: {'yes' if lost else 'none'}")
    if failures:
        print("failures:", failures[:5])
    return 1 if failures or lost or q[94] > 0.300 else 0


if __name__ == "__main__":
    raise SystemExit(main())
