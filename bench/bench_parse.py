"""Throughput of `parse` over a folder: reports per second on one core.

    python bench/bench_parse.py            # 2,000 synthetic reports in 5 layouts, plus the corpus
    python bench/bench_parse.py --n 500 --folder DIR

Prints reports/second and peak memory (RSS), and each figure beside its floor measured in the same
run. Targets (issue 14): >= 1,500 corpus text and >= 600 corpus HTML reports per CPU-second,
>= 100 PDF pages per CPU-second, start-up <= 4x `python -c pass`.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor import parse_file  # noqa: E402
from extractor.evaluation import shared_dir  # noqa: E402
from samples.synth import SECTION5, ReportSpec, consistent_values, make_report  # noqa: E402

LAYOUTS = ("html", "pipe", "cells", "markdown", "spaces")


def write_reports(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        version = "2021" if i % 2 else "2019"
        layout = LAYOUTS[i % len(LAYOUTS)]
        spec = ReportSpec(f"样例{i}局", 2020 if version == "2019" else 2022, version, layout,
                          consistent_values(i, version), SECTION5[i % 2])
        p = folder / f"r{i:05d}.{'html' if layout == 'html' else 'txt'}"
        p.write_text(make_report(spec), encoding="utf-8")
        paths.append(p)
    return paths


def measure(paths: list[Path], repeats: int = 3) -> tuple[float, float, int]:
    """Best of `repeats` passes (this machine's speed varies between runs): wall seconds and CPU
    seconds of this process (the CPU figure is steadier on a shared virtual machine)."""
    best, best_cpu, failed = float("inf"), float("inf"), 0
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        failed = sum(not parse_file(p).ok for p in paths)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, failed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="synthetic reports to generate")
    ap.add_argument("--folder", type=Path, help="parse the reports in this folder instead")
    args = ap.parse_args()

    parse_file(Path(__file__))  # warm imports
    with tempfile.TemporaryDirectory() as tmp:
        if args.folder:
            paths = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in (".txt", ".html", ".htm", ".md"))
            label = str(args.folder)
        else:
            paths = write_reports(Path(tmp), args.n)
            label = f"{args.n} synthetic reports ({', '.join(LAYOUTS)})"
        seconds, cpu, failed = measure(paths)
        print(f"{label}: {len(paths) / seconds:,.0f} reports/s on one core, {len(paths) / cpu:,.0f} per CPU-second "
              f"({len(paths)} in {seconds:.2f} s, best of 3 passes; {failed} unreadable)")

    corpus = shared_dir() / "corpus" / "reports"
    if corpus.is_dir() and not args.folder:
        paths = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".html")) * 10
        seconds, cpu, failed = measure(paths)
        print(f"corpus text/HTML reports x10: {len(paths) / seconds:,.0f} reports/s on one core, "
              f"{len(paths) / cpu:,.0f} per CPU-second ({len(paths)} in {seconds:.2f} s, best of 3 passes)")
    if corpus.is_dir() and not args.folder:
        floors(corpus)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak_mb:.0f} MB")


def _each(fn, items) -> None:
    """fn over items, each result dropped as soon as it is made, as `run` does (it writes each
    report's result and keeps none). Keeping them all alive in a list instead makes Python's
    cyclic GC rescan them on every collection: a cost of the list, not of parsing."""
    for item in items:
        fn(item)


def _cpu(fn, repeats: int = 7) -> float:
    """The least CPU time of `repeats` passes: a pass is a quarter of a second, and this shared
    machine's speed swings by several per cent between passes (best of 3 spread 1,447-1,587)."""
    best = float("inf")
    for _ in range(repeats):
        cpu = time.process_time()
        fn()
        best = min(best, time.process_time() - cpu)
    return best


def floors(corpus: Path) -> None:
    """Each figure beside its floor, measured in this run: text against reading and tokenising
    the same files, HTML against lxml's parse and cell text, PDF against PDFium's text alone,
    and the CLI's start-up against bare Python."""
    import lxml.etree
    import pypdfium2

    from extractor.document import read_document, tokenize
    from extractor.document._encoding import decode

    texts = sorted(p for p in corpus.iterdir() if p.suffix == ".txt") * 10
    htmls = sorted(p for p in corpus.iterdir() if p.suffix == ".html") * 10
    pdfs = sorted(p for p in corpus.iterdir() if p.suffix == ".pdf")
    pages = sum(len(pypdfium2.PdfDocument(str(p))) for p in pdfs) * 5
    rows = [
        ("text reports", len(texts), _cpu(lambda: _each(parse_file, texts)),
         _cpu(lambda: _each(lambda p: tokenize(decode(p.read_bytes())[0]), texts)), "read + decode + tokenise"),
        ("HTML reports", len(htmls), _cpu(lambda: _each(parse_file, htmls)),
         _cpu(lambda: _each(lambda p: [td.xpath("string()") for td in lxml.etree.fromstring(
             p.read_bytes(), lxml.etree.HTMLParser()).iter("td")], htmls)),
         "lxml parse + cell text"),
        ("PDF pages", pages, _cpu(lambda: _each(read_document, pdfs * 5)),
         _cpu(lambda: _each(lambda p: [pg.get_textpage().get_text_range() for pg in pypdfium2.PdfDocument(str(p))],
                            pdfs * 5)),
         "PDFium text alone"),
    ]
    for label, n, cpu, floor, what in rows:
        print(f"{label}: {n / cpu:,.0f} per CPU-second; floor ({what}) {n / floor:,.0f}; ratio {cpu / floor:.1f}x")
    one = next(p for p in texts)

    def cli_cpu(args: list[str]) -> float:
        best = float("inf")
        for _ in range(5):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(args, stdout=subprocess.DEVNULL, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return best

    # As installed: pip compiles a wheel's bytecode at install time, and an editable install
    # writes it on first import, unless PYTHONDONTWRITEBYTECODE is set (as on some CI machines),
    # when every start would compile the changed modules again (~10 ms).
    import compileall

    import extractor

    compileall.compile_dir(str(Path(extractor.__file__).parent), quiet=1)
    script = Path(sys.executable).with_name("extractor")  # the console script the README installs
    command = [str(script)] if script.exists() else [sys.executable, "-m", "extractor"]
    cli = cli_cpu([*command, "parse", "--json", str(one)])
    bare = cli_cpu([sys.executable, "-c", "pass"])
    print(f"start-up: `extractor parse --json one.txt` {cli * 1000:.0f} ms CPU; `python -c pass` {bare * 1000:.0f} ms; "
          f"ratio {cli / bare:.1f}x (target <= 4x)")


if __name__ == "__main__":
    main()
