"""Table accuracy on generated reports: every layout and variant of samples/synth.py.

    python eval/synthetic.py            # 200 reports per layout and variant
    python eval/synthetic.py --n 50
    python eval/synthetic.py --n 100 --layouts spaces_dropped glued

Cells right, reports exact and wrong values per layout (and per variant of the five text layouts:
`pipe+footers` …), and what the report itself decides: `decided` the share of cells whose value
every split or placement the identities admit agrees on (tables.undecided_cells; a row not found
decides nothing), `dec.acc` the
share of those read right, with zeros printed as blank cells where
the layout can show a blank, and an inserted section in every third report; the layouts of
converters (samples/office.CONVERTED; `md_continued`, samples/synth_continued: table 三 over
pages with no header row after the first, as pymupdf4llm prints it) too. Where blanks are
dropped (`spaces_dropped`) a report cannot be exact; what counts there is that no number is wrong. The generator
writes reports that satisfy every identity, so this measures the reading, not the reports.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor import parse_text  # noqa: E402
from extractor.models import CellState  # noqa: E402
from extractor.tables import undecided_cells  # noqa: E402
from samples.office import CONVERTED, converted_markdown  # noqa: E402
from samples.synth import (  # noqa: E402
    SECTION5,
    VARIANT_LAYOUTS,
    ReportSpec,
    consistent_values,
    expected_fields,
    make_report,
)
from samples.synth_continued import continued_markdown  # noqa: E402

LAYOUTS = ("html", "pipe", "cells", "markdown", "spaces", "markdown_merged", "glued", "wrapped", "md_pages", *CONVERTED,
           "md_continued")
# Layouts where an empty cell survives as a cell (one cell per line: as a further pair of blank
# lines, tables.tokens.double_spaced; space-separated and glued text lose it). Glued text is run
# with blank zeros too: a crawl of a report that leaves zeros blank drops them from its runs, and
# what counts there is that no number is wrong (tables._blind_splits).
BLANKS = ("html", "pipe", "cells", "markdown", "markdown_merged", "md_pages", *CONVERTED, "md_continued")
# What converters and PDFs add, over the text layouts each applies to (ReportSpec's flags): `pipe+footers` …
RUNS = (*LAYOUTS, *(f"{layout}+{v}" for v, layouts in VARIANT_LAYOUTS.items() for layout in layouts))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--layouts", nargs="*", choices=LAYOUTS, help="only these layouts")
    args = ap.parse_args()
    stats: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    for i in range(args.n):
        version = "2021" if i % 2 else "2019"
        for run in RUNS:
            layout, _, variant = run.partition("+")
            if args.layouts and layout not in args.layouts:
                continue
            for blank in (False, True) if layout in BLANKS or layout == "glued" else (False,):
                spec = ReportSpec(f"样例{i}局", 2020 if version == "2019" else 2022, version, layout,
                                  consistent_values(i, version), SECTION5[i % 2], blank_zeros=blank,
                                  inserted_section=i % 3 == 0, **({variant: True} if variant else {}))
                text = (converted_markdown(spec, i) if layout in CONVERTED else continued_markdown(spec)
                        if layout == "md_continued" else make_report(spec))
                result = parse_text(text, f"r.{'html' if layout == 'html' else 'txt'}")
                expected = expected_fields(spec)
                right = sum(result.fields.get(k) == v for k, v in expected.items())
                wrong = sum(result.fields.get(k) is not None and result.fields.get(k) != v for k, v in expected.items())
                s = stats[(run, blank)]
                s[0] += right
                s[1] += len(expected)
                s[2] += right == len(expected)
                s[3] += 1
                s[4] += wrong
                undecided = undecided_cells(result)
                # (a cell of a row not found is decided by nothing: no placement of it is admitted)
                decided = [k for k in expected if k not in undecided and k in result.cells
                           and result.cells[k].state != CellState.ABSENT]
                s[5] += len(decided)
                s[6] += sum(result.fields.get(k) == expected[k] for k in decided)
    print(f"{'layout':<24} {'zeros blank':<12} {'cells':>7} {'exact':>7} {'wrong':>6} {'decided':>8} {'dec.acc':>8}")
    for (layout, blank), (right, n, exact, reports, wrong, dec, dec_right) in stats.items():
        print(f"{layout:<24} {str(blank):<12} {right / n:>7.4f} {exact / reports:>7.3f} {wrong:>6} "
              f"{dec / n:>8.4f} {dec_right / dec if dec else 0:>8.4f}")
    five = [s for (layout, _), s in stats.items() if layout in LAYOUTS[:5]]
    if not five:
        return
    cells = sum(s[0] for s in five) / sum(s[1] for s in five)
    exact = sum(s[2] for s in five) / sum(s[3] for s in five)
    print(f"five layouts (html pipe cells markdown spaces): cells {cells:.4f}, reports exact {exact:.3f}, "
          f"wrong {sum(s[4] for s in five)}")


if __name__ == "__main__":
    main()
