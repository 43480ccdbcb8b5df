"""Generated Word reports as offices publish them, and after the converters people use: cells
right, reports exact, WRONG numbers and org_name right, per format and per converter.

    python eval/converters.py --n 20 --venv /work/conv-venv

Writes n DOCX reports (samples/office.write_docx, the template's real merged cells; every other
one with its title printed on two lines, the body's name, then `2022年政府信息公开工作年度报告`),
prints them to PDF and saves them as HTML with LibreOffice headless, and parses the three
(`docx`, `lo-pdf`, `lo-html`). Then converts: markitdown, pandoc (gfm) and docx2txt on the
DOCX; pymupdf4llm, pdfplumber and markitdown on the PDF; and, beside those six, poppler's
`pdftotext -layout` on the PDF where it is installed. The converters live in a virtual
environment of their own (`--venv`, with markitdown[docx,pdf], docx2txt, pymupdf4llm and
pdfplumber installed; pandoc from the system), never in the tool's. A conversion that fails is
counted in `failed` (its cells as missed), never parsed as an empty file: markitdown's DOCX
reader fails on every document when beautifulsoup4 4.15 meets lxml 6 (namespaces dropped:
"Could not find the body element"); the converters' environment pins lxml<6. It pins
pymupdf4llm<2 too: PyPI's pymupdf4llm 2.0 installs no module, so every conversion fails.

Figures per converter for the reports printed with zeros (`zeros`), those printed with zeros
as blank cells (`blank`, every third: a converter that drops blank cells prints their rows
short), and all (`all`): `cells` right (a blank zero left unread is not right, although null in
fields; `as-null` counts it right, the figure this script gave before), `exact` reports,
`wrong` values, `lost` (a printed value read as a blank cell: null like a blank zero, but the
checks read it as 0), `unread` cells (no value).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor import parse_file  # noqa: E402
from extractor.models import UNKNOWN_STATES, CellState  # noqa: E402
from samples.office import write_docx  # noqa: E402
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields  # noqa: E402

# the reports printed with every zero as 0, and those printed with zeros as blank cells (every
# third one: a converter that drops blank cells prints their rows short)
PARTS = ("zeros", "blank")
_READ_EMPTY = frozenset({CellState.BLANK, CellState.DASH, CellState.SLASH})
# The Word documents as offices publish them: the DOCX, LibreOffice's PDF and HTML of it.
DIRECT = ("docx", "lo-pdf", "lo-html")
# converter -> (source suffix, a script run by the converters' python: argv[1] in, argv[2] out)
CONVERTERS = {
    "markitdown-docx": ("docx", "from markitdown import MarkItDown; import sys; "
                        "open(sys.argv[2], 'w').write(MarkItDown().convert(sys.argv[1]).text_content)"),
    "docx2txt": ("docx", "import docx2txt, sys; open(sys.argv[2], 'w').write(docx2txt.process(sys.argv[1]))"),
    "pymupdf4llm": ("pdf", "import pymupdf4llm, sys; open(sys.argv[2], 'w').write(pymupdf4llm.to_markdown(sys.argv[1]))"),
    "pdfplumber": ("pdf", "import pdfplumber, sys; d = pdfplumber.open(sys.argv[1]); "
                   "open(sys.argv[2], 'w').write('\\n'.join(p.extract_text() or '' for p in d.pages))"),
    "markitdown-pdf": ("pdf", "from markitdown import MarkItDown; import sys; "
                       "open(sys.argv[2], 'w').write(MarkItDown().convert(sys.argv[1]).text_content)"),
}


def _two_line_title(path: Path, org: str) -> None:
    """The report's title printed as two paragraphs: the body, then the year's report."""
    import docx

    document = docx.Document(str(path))
    first = document.paragraphs[0]
    rest = first.text.removeprefix(org)
    first.text = org
    first.insert_paragraph_before(org)
    first.text = rest
    document.save(str(path))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--venv", type=Path, default=Path("/work/conv-venv"))
    ap.add_argument("--keep", type=Path, help="write the reports and the converters' outputs here (kept)")
    ap.add_argument("--show", action="store_true", help="list each wrong number")
    ap.add_argument("--only", help="comma-separated formats/converters to run (e.g. docx,lo-pdf,lo-html)")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: parse the outputs already there (no new documents, no conversion)")
    args = ap.parse_args()
    python = args.venv / "bin" / "python"
    soffice = shutil.which("soffice")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        specs = {}
        for i in range(args.n):
            version = "2021" if i % 2 else "2019"
            spec = ReportSpec(f"样例{i}局", 2022 if i % 2 else 2020, version, "html", consistent_values(i, version),
                              SECTION5[i % 2], blank_zeros=i % 3 == 0)
            specs[i] = spec
            if not args.reuse:
                write_docx(spec, folder / f"r{i}.docx")
                if i % 2 == 0:
                    _two_line_title(folder / f"r{i}.docx", spec.org)
        if soffice and not args.reuse:
            for target in ("pdf", "html"):
                subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                                target, "--outdir", str(folder), *(str(folder / f"r{i}.docx") for i in specs)],
                               capture_output=True, timeout=1200, check=False)
        print(f"{'converter':<16} {'part':<6} {'reports':>7} {'cells':>7} {'as-null':>7} {'exact':>7} {'wrong':>6} {'lost':>5} "
              f"{'unread':>6} {'failed':>6} {'org':>6}")
        runs: dict[str, tuple[str, str | None]] = {name: (name.removeprefix("lo-"), "") for name in DIRECT}
        runs.update(CONVERTERS)
        if shutil.which("pandoc"):
            runs["pandoc"] = ("docx", None)
        if shutil.which("pdftotext"):  # poppler's, with -layout: columns kept apart by spaces (not one of the six)
            runs["pdftotext"] = ("pdf", None)
        if args.only:
            runs = {k: v for k, v in runs.items() if k in args.only.split(",")}
        for name, (suffix, script) in runs.items():
            parts = {part: Tally() for part in PARTS}
            for i, spec in specs.items():
                tally = parts["blank" if spec.blank_zeros else "zeros"]
                src, out = folder / f"r{i}.{suffix}", folder / f"r{i}.{name}.md"
                if script == "":  # the office file itself
                    out = src
                elif not src.exists():
                    continue
                if script == "" or args.reuse and out.exists():
                    pass
                elif script is None:
                    command = (["pandoc", "-t", "gfm", str(src), "-o", str(out)] if name == "pandoc"
                               else ["pdftotext", "-layout", "-enc", "UTF-8", str(src), str(out)])
                    subprocess.run(command, capture_output=True, check=False)
                else:
                    run = subprocess.run([str(python), "-c", script, str(src), str(out)], capture_output=True,
                                         check=False, text=True)
                    if run.returncode:  # the converter itself failed (counted, its cells missed)
                        out.unlink(missing_ok=True)
                        if args.show:
                            print(f"  {name} {src.name}: conversion failed: {run.stderr.strip().splitlines()[-1:]}")
                tally.reports += 1
                if not out.exists():
                    tally.failed += 1
                    tally.total += len(expected_fields(spec))
                    continue
                result = parse_file(out)
                expected = expected_fields(spec)
                unread = {k for k in expected if k in result.cells and result.cells[k].state in UNKNOWN_STATES}
                # a blank zero left unread is null in fields as well, but not read: not right
                right = sum(result.fields.get(k) == v and k not in unread for k, v in expected.items())
                tally.right += right
                tally.nulls += sum(result.fields.get(k) == v for k, v in expected.items())
                tally.total += len(expected)
                tally.exact += right == len(expected)
                bad = [k for k, v in expected.items() if result.fields.get(k) is not None and result.fields.get(k) != v]
                # a printed value read as a blank cell: null in fields like a blank zero, so not in `wrong`, but
                # the checks read it as 0, so it is a wrong number too
                lost = [k for k, v in expected.items() if v and k in result.cells and result.cells[k].state in _READ_EMPTY]
                tally.wrong += len(bad)
                tally.lost += len(lost)
                tally.unread += len(unread)
                tally.orgs += result.org_name == spec.org
                if args.show and result.org_name != spec.org:
                    print(f"  {name} {out.name} org_name {result.org_name!r}, not {spec.org!r}")
                if args.show:
                    for k in bad:
                        print(f"  {name} {out.name} {k}: {result.fields[k]} (printed {result.cells[k].raw!r}), "
                              f"not {expected[k]}")
                    for k in lost:
                        print(f"  {name} {out.name} {k}: read {result.cells[k].state}, not {expected[k]}")
            whole = Tally()
            for tally in parts.values():
                whole.add(tally)
            for part, tally in (*parts.items(), ("all", whole)):
                if tally.total:
                    print(f"{name:<16} {part:<6} {tally.reports:>7} {tally.right / tally.total:>7.4f} "
                          f"{tally.nulls / tally.total:>7.4f} "
                          f"{tally.exact / tally.reports:>7.3f} {tally.wrong:>6} {tally.lost:>5} {tally.unread:>6} "
                          f"{tally.failed:>6} {tally.orgs / tally.reports:>6.3f}")


@dataclass
class Tally:
    """One converter's figures over a set of reports."""

    reports: int = 0
    right: int = 0  # cells read as the generator wrote them (a blank zero read blank, not left unread)
    nulls: int = 0  # cells whose fields value is the expected one, unread blank zeros included (the old figure)
    total: int = 0
    exact: int = 0  # reports with every cell right
    wrong: int = 0  # a value read that is not the one printed
    lost: int = 0  # a printed value read as a blank cell
    unread: int = 0  # cells left in a state with no value (incomplete, glued, absent, ...)
    failed: int = 0  # conversions that failed
    orgs: int = 0  # org_name right

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

if __name__ == "__main__":
    main()
