"""Which tables are read over the grid's cells and which fall back to the text path, and why;
and whether the two paths ever disagree on a number.

    python eval/cells_coverage.py                # corpus + 200 synthetic HTML + 20 Word reports
    python eval/cells_coverage.py --n 50 --office 0 --show

Inputs with a grid: the corpus's HTML, PDF and DOCX files (../shared/corpus); the bench's
synthetic HTML reports (samples/synth.py, layout html, with its variants); Word reports with the
template's real merged cells (samples/office.write_docx), printed to PDF and saved as HTML by
LibreOffice headless (skipped where soffice is absent), and drawn as PDF by reportlab.

For each table it prints how it was read (`TablesRead.read_over`: `cells`, or `text: <why>`),
per format. Then, for every generated report, the same document is parsed twice, once with its
grid and once without (`dataclasses.replace(doc, grid=())`, the text path only), and against the
values the generator printed: a number either path gives that is not the printed one is
`wrong`; a number on which the two paths disagree is `differs` (a finding either way).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.document import read_document, read_meta, split_sections  # noqa: E402
from extractor.parse import parse_document  # noqa: E402
from extractor.tables import read_tables  # noqa: E402
from samples.perturb import CONVERTED_KINDS, TEXT_KINDS, Grid, grid_report  # noqa: E402
from samples.perturb import GRID_KINDS as WORD_KINDS  # noqa: E402
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields, make_report  # noqa: E402

GRID_SUFFIXES = (".html", ".htm", ".pdf", ".docx")
TABLES = ("active_disclosure", "applications", "review_litigation")
SHORT = {"active_disclosure": "二", "applications": "三", "review_litigation": "四"}


def read_over(path: Path) -> dict[str, str]:
    """How each table of the report at `path` was read: `cells` or `text: <why>`."""
    doc = read_document(path)
    split = split_sections(doc.text)
    return read_tables(split.sections, read_meta(doc.text, doc.title_hint).year, doc, split.offsets).read_over


def compare(path: Path, expected: dict[str, int | float | None]) -> tuple[list[str], list[str], list[str]]:
    """The keys where the grid's reading is wrong, where the text path's is, and where they differ."""
    wrong, wrong_text, differs, _ = compare_read(path, expected)
    return wrong, wrong_text, differs


def compare_read(path: Path, expected: dict[str, int | float | None]
                 ) -> tuple[list[str], list[str], list[str], int]:
    """`compare`, and how many of the expected cells the text path read right."""
    doc = read_document(path)
    by_grid = parse_document(doc).fields
    by_text = parse_document(dataclasses.replace(doc, grid=())).fields
    wrong = [k for k, v in expected.items() if by_grid.get(k) is not None and by_grid.get(k) != v]
    wrong_text = [k for k, v in expected.items() if by_text.get(k) is not None and by_text.get(k) != v]
    differs = [k for k in expected if by_grid.get(k) is not None and by_text.get(k) is not None
               and by_grid.get(k) != by_text.get(k)]
    return wrong, wrong_text, differs, sum(1 for k, v in expected.items() if k in by_text and by_text[k] == v)


def _spec(i: int, layout: str = "html", **variant: bool) -> ReportSpec:
    version = "2021" if i % 2 else "2019"
    return ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, layout, consistent_values(i, version),
                      SECTION5[i % 2], blank_zeros=i % 3 == 0, inserted_section=i % 5 == 4, **variant)


def generated(folder: Path, n: int, office: int) -> list[tuple[str, Path, ReportSpec]]:
    """The generated grid reports: (format, path, spec)."""
    out: list[tuple[str, Path, ReportSpec]] = []
    variants = ({}, {"narrative": True}, {"lost_headings": True})
    for i in range(n):
        spec = _spec(i, **variants[i % len(variants)])
        path = folder / f"s{i}.html"
        path.write_text(make_report(spec), encoding="utf-8")
        out.append(("synth-html", path, spec))
    if not office:
        return out
    from samples.office import write_docx, write_pdf

    docs = []
    for i in range(office):
        spec = _spec(i)
        docs.append((write_docx(spec, folder / f"w{i}.docx"), spec))
        out.append(("docx", docs[-1][0], spec))
        out.append(("reportlab-pdf", write_pdf(spec, folder / f"w{i}.rl.pdf"), spec))
    soffice = shutil.which("soffice")
    if soffice is None:
        print("LibreOffice (soffice) not found: no lo-pdf / lo-html", file=sys.stderr)
        return out
    for target in ("pdf", "html"):
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                        target, "--outdir", str(folder), *(str(p) for p, _ in docs)],
                       capture_output=True, timeout=1200, check=False)
        for path, spec in docs:
            made = path.with_suffix(f".{target}")
            if made.exists():
                out.append((f"lo-{target}", made, spec))
    return out


def _values_at(grid: Grid, rnd: random.Random) -> tuple[int, int]:
    """A random value cell of a data row: (row, index in the row)."""
    rows = [r for r, row in enumerate(grid) if any(t.isdigit() or t == "" for t, _, _ in row[-3:]) and len(row) > 5]
    r = rnd.choice(rows)
    first = next(k for k, (t, _, _) in enumerate(grid[r]) if t.isdigit() or t == "")
    return r, rnd.randrange(first, len(grid[r]))


def _perturbed(kind: str, spec: ReportSpec, rnd: random.Random) -> str:
    """A report whose tables do not line up with the template in one way (`kind`), or in two
    (`combo`: two of the grid ways at random)."""
    from samples.office import table2_grid, table3_grid, table4_grid

    if kind.startswith("flat_"):
        return _flat(kind, spec, rnd)
    t2, t3, t4 = table2_grid(spec), table3_grid(spec), table4_grid(spec)
    for one in rnd.sample(GRID_KINDS, 2) if kind == "combo" else kind.split("+"):
        _change(one, t2, t3, t4, rnd)
    return grid_report(spec, t2, t3, t4)


def _change(kind: str, t2: Grid, t3: Grid, t4: Grid, rnd: random.Random) -> None:
    if kind == "short_row":  # a value cell missing: the row is short
        r, k = _values_at(t3, rnd)
        del t3[r][k]
    elif kind == "extra_cell":  # a value cell too many
        r, k = _values_at(t3, rnd)
        t3[r].insert(k, (str(rnd.randrange(1, 9)), 1, 1))
    elif kind == "lost_rowspan":  # a group label merged down lost its rowspan: its rows shift left
        r = rnd.choice([r for r, row in enumerate(t3) for t, rs, _ in row[:1] if rs > 1 and r > 3])
        t3[r][0] = (t3[r][0][0], 1, t3[r][0][2])
    elif kind == "header_word":  # a header word not the template's
        t3[2] = [("企业" if t == "商业企业" else t, rs, cs) for t, rs, cs in t3[2]]
    elif kind == "header_span":  # a header cell lost its span
        t3[1] = [(t, rs, 1 if t == "法人或其他组织" else cs) for t, rs, cs in t3[1]]
    elif kind == "t4_header_word":
        t4[1] = [("直接起诉" if t == "未经复议直接起诉" else t, rs, cs) for t, rs, cs in t4[1]]
    elif kind == "t4_short":
        del t4[-1][rnd.randrange(len(t4[-1]))]
    elif kind == "t4_header_span":
        t4[0] = [(t, rs, 1 if t == "行政诉讼" else cs) for t, rs, cs in t4[0]]
    elif kind == "t4_extra":
        t4[-1].insert(rnd.randrange(len(t4[-1])), (str(rnd.randrange(1, 9)), 1, 1))
    elif kind == "label_span_lost":  # a label spanning two label columns printed one wide: its values shift left
        r = rnd.choice([r for r, row in enumerate(t3) if row[0][2] == 2])
        t3[r][0] = (t3[r][0][0], 1, 1)
    elif kind == "blank_before_values":  # an empty cell between a row's label and its values
        r, _ = _values_at(t3, rnd)
        first = next(k for k, (t, _, _) in enumerate(t3[r]) if t.isdigit() or t == "")
        t3[r].insert(first, ("", 1, 1))
    elif kind == "value_colspan":  # two value cells merged into one
        r, k = _values_at(t3, rnd)
        if k + 1 < len(t3[r]):
            t3[r][k:k + 2] = [(t3[r][k][0], 1, 2)]
    if kind in ("t2_short", "t2_extra"):
        r = rnd.choice([r for r, row in enumerate(t2) if len(row) >= 2 and row[0][0] != "信息内容" and
                        all(t == "" or t.replace(".", "").isdigit() for t, _, _ in row[1:])])
        k = rnd.randrange(1, len(t2[r]))
        if kind == "t2_short":
            del t2[r][k]
        else:
            t2[r].insert(k, (str(rnd.randrange(1, 9)), 1, 1))


def _flat(kind: str, spec: ReportSpec, rnd: random.Random) -> str:
    """The synthetic HTML (表三 and 表四's header printed without spans) with a 表三 or 表四 row
    given a cell less or more."""
    text = make_report(spec)
    rows = [line for line in text.split("\n") if line.startswith("<tr>")]
    t3 = [r for r in rows if r.count("<td>") == 8 and re.search(r"<td><p>\d*</p></td></tr>$", r)]
    t4 = [r for r in rows if r.count("<td>") == 15]
    row = rnd.choice(t4 if "t4" in kind else t3)
    cells = re.findall(r"<td><p>[^<]*</p></td>", row)
    k = rnd.randrange(0 if "t4" in kind else 1, len(cells))
    if kind.endswith("short"):
        del cells[k]
    else:
        cells.insert(k, f"<td><p>{rnd.randrange(1, 9)}</p></td>")
    return text.replace(row, "<tr>" + "".join(cells) + "</tr>")


GRID_KINDS = ["short_row", "extra_cell", "lost_rowspan", "label_span_lost", "blank_before_values", "value_colspan",
              "header_word", "header_span", "t4_short", "t4_header_span", "t4_extra", "t2_short", "t2_extra"]
PERTURBATIONS = (*GRID_KINDS, "t4_header_word", "combo", "header_word+extra_cell", "header_word+short_row",
                 "header_span+extra_cell", "t4_header_word+t4_extra", "t4_header_word+t4_short", "flat_short", "flat_extra", "flat_t4_short", "flat_t4_extra")


def perturb(n: int, show: bool) -> None:
    """Tables 三 and 四 that do not line up with the template, n reports each way: how often they
    are read over cells, and any number either path gives wrong or the two paths disagree on."""
    with tempfile.TemporaryDirectory() as tmp:
        for kind in PERTURBATIONS:
            counts: Counter[str] = Counter()
            for i in range(n):
                spec = _spec(i)
                rnd = random.Random(i)
                path = Path(tmp) / f"p{i}.html"
                path.write_text(_perturbed(kind, spec, rnd), encoding="utf-8")
                for how in read_over(path).values():
                    counts["over cells" if how == "cells" else "text" if how.startswith("text") else "cells+text"] += 1
                expected = expected_fields(spec)
                wrong, wrong_text, differs, right_text = compare_read(path, expected)
                counts["cells"] += len(expected)
                counts["right (text only)"] += right_text
                counts["wrong (grid)"] += len(wrong)
                counts["wrong (text only)"] += len(wrong_text)
                counts["differs"] += len(differs)
                if show:
                    for what, keys in (("wrong (grid)", wrong), ("wrong (text only)", wrong_text), ("differs", differs)):
                        for k in keys:
                            print(f"  {kind} seed {i} {what}: {k}")
            print(f"{kind:<16} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200, help="synthetic HTML reports")
    ap.add_argument("--office", type=int, default=20, help="Word reports (DOCX, reportlab PDF, LibreOffice PDF/HTML)")
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    ap.add_argument("--show", action="store_true", help="list each fallback and each finding")
    ap.add_argument("--perturb", type=int, default=0,
                    help="instead: n reports for each way table 三 or 四 can fail to line up (a cell missing, one too "
                         "many, a lost rowspan, a header word or span not the template's)")
    ap.add_argument("--text-perturb", type=int, default=0,
                    help="instead: n reports for each damage of samples/perturb.py in each text layout")
    ap.add_argument("--layouts", nargs="*", help="--text-perturb: these layouts (default: eval/damaged.TEXT_LAYOUTS)")
    ap.add_argument("--kinds", nargs="*", default=sorted({*TEXT_KINDS, *CONVERTED_KINDS}),
                    help="--text-perturb, --office-perturb: these damages")
    ap.add_argument("--office-perturb", type=int, default=0,
                    help="instead: n Word reports for each damage of a Word table, as DOCX, LibreOffice PDF and HTML")
    args = ap.parse_args()
    from damaged import TEXT_LAYOUTS, office_perturb, text_perturb  # eval/damaged.py, beside this script

    if args.office_perturb:
        office_perturb(args.office_perturb, args.show, tuple(k for k in args.kinds if k in WORD_KINDS))
        return
    if args.text_perturb:
        text_perturb(args.text_perturb, args.show, tuple(args.layouts or TEXT_LAYOUTS), tuple(args.kinds))
        return
    if args.perturb:
        perturb(args.perturb, args.show)
        return
    over: dict[str, Counter[str]] = defaultdict(Counter)  # format -> "表三 cells" / "表三 text: why" counts
    findings: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        inputs: list[tuple[str, Path, ReportSpec | None]] = [
            (f"corpus-{p.suffix.lstrip('.').lower()}", p, None) for p in sorted(args.corpus.rglob("*"))
            if p.is_file() and p.suffix.lower() in GRID_SUFFIXES] if args.corpus.is_dir() else []
        inputs += generated(Path(tmp), args.n, args.office)
        for fmt, path, spec in inputs:
            for table, how in read_over(path).items():
                over[fmt][f"表{SHORT[table]} {how}"] += 1
                if args.show and how != "cells":
                    print(f"  {fmt} {path.name} 表{SHORT[table]} {how}")
            if spec is None:
                continue
            wrong, wrong_text, differs = compare(path, expected_fields(spec))
            findings[f"{fmt} wrong (grid)"] += len(wrong)
            findings[f"{fmt} wrong (text only)"] += len(wrong_text)
            findings[f"{fmt} differs"] += len(differs)
            if args.show:
                for what, keys in (("wrong (grid)", wrong), ("wrong (text only)", wrong_text), ("differs", differs)):
                    for k in keys:
                        print(f"  {fmt} {path.name} {what}: {k}")
    for fmt, counts in over.items():
        cells = sum(n for how, n in counts.items() if how.endswith(" cells"))
        partly = sum(n for how, n in counts.items() if " cells, " in how)
        print(f"{fmt}: {cells} of {sum(counts.values())} tables over cells" + (
            f", {partly} with rows from the text" if partly else ""))
        for how, n in sorted(counts.items()):
            if not how.endswith(" cells"):
                print(f"    {n:>4}  {how}")
    for what, n in sorted(findings.items()):
        print(f"{what}: {n}")


if __name__ == "__main__":
    main()
