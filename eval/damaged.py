"""Generated reports damaged as samples/perturb.py damages them, read: the numbers that come out
wrong (a number that is not the one printed for its cell), by damage and format.

    python eval/cells_coverage.py --text-perturb 100 [--show] [--layouts pipe glued] [--kinds row_dropped]
    python eval/cells_coverage.py --office-perturb 30 [--show]

Text layouts (samples/synth.py: pipe, markdown, spaces, cells, glued, html) each damaged the
text ways (TEXT_KINDS); converters' layouts (samples/office.CONVERTED) the Word ways and a cell
lost, printed twice or glued (CONVERTED_KINDS); Word reports (DOCX, and LibreOffice's PDF and
HTML of them) the Word ways (GRID_KINDS). A blank cell read as 0 is not wrong (zeros printed
blank); a glued layout's number whose row, glued back, is the damaged text is counted apart
(`glued as printed`: no reader can tell it from an undamaged report of those values).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor import parse_text  # noqa: E402
from samples.office import CONVERTED  # noqa: E402
from samples.perturb import (  # noqa: E402
    CONVERTED_KINDS,
    GRID_KINDS,
    NO_BLANKS,
    TEXT_KINDS,
    converted_report,
    damaged_spec,
    row_keys,
    text_report,
    write_damaged_docx,
)
from samples.synth import T4_KEYS, _fmt  # noqa: E402

__all__ = ["TEXT_LAYOUTS", "office_perturb", "text_perturb"]

TEXT_LAYOUTS = ("pipe", "markdown", "spaces", "cells", "glued", "html", "md_group_first", "pipe_group_first",
                "spaces_dropped", "md_pandoc", "md_br")


def _glued_as_printed(text: str, key: str, fields: dict[str, int | float | None], version: str) -> bool:
    """Whether the row of `key`, its values as read glued back together after its label, is what
    the damaged report prints: glued text with no separator, the same as an undamaged report of
    those values prints (`行政许可200`: 20 and a 0 lost, or 2, 0 and 0). No reader can tell them apart."""
    for label, keys in [*row_keys(version).items(), ("", list(T4_KEYS))]:
        if key in keys:
            run = label + "".join(_fmt(fields.get(k)) for k in keys)
            at = text.find(run)
            return at >= 0 and not text[at + len(run):at + len(run) + 1].isdigit()
    return False


def text_perturb(n: int, show: bool, layouts: tuple[str, ...] = TEXT_LAYOUTS,
                 kinds: tuple[str, ...] = TEXT_KINDS) -> dict[tuple[str, str], Counter[str]]:
    """samples/perturb.py's damages in each text layout, n reports each: the numbers read wrong
    (a number that is not the one printed for its cell) and the cells read right."""
    out: dict[tuple[str, str], Counter[str]] = {}
    for kind in kinds:
        for layout in layouts:
            if kind == "blank_deleted" and layout in NO_BLANKS:
                continue
            counts: Counter[str] = Counter()
            for i in range(n):
                spec = damaged_spec(i, layout, kind)
                if layout in CONVERTED:
                    if kind not in CONVERTED_KINDS:
                        continue
                    text, expected, what = converted_report(kind, spec, random.Random(i))
                else:
                    if kind not in TEXT_KINDS:
                        continue
                    text, expected, what = text_report(kind, spec, random.Random(i))
                fields = parse_text(text, "r.html" if layout == "html" else "r.txt").fields
                # a blank cell read as 0 is what the identities give it (zeros printed blank)
                wrong = [k for k, v in expected.items() if fields.get(k) is not None and fields[k] != (v or 0)]
                alike = [k for k in wrong if layout == "glued" and _glued_as_printed(text, k, fields, spec.version)]
                wrong = [k for k in wrong if k not in alike]
                counts["cells"] += len(expected)
                counts["right"] += sum(1 for k, v in expected.items() if k in fields and fields[k] == v)
                counts["wrong"] += len(wrong)
                counts["alike"] += len(alike)
                if show:
                    for what_, keys in (("wrong", wrong), ("glued as printed", alike)):
                        if keys:
                            print(f"  {kind} {layout} seed {i} ({what}) {what_}: " + ", ".join(
                                f"{k} {fields[k]} (printed {expected[k]})" for k in keys))
            if not counts:
                continue
            out[(kind, layout)] = counts
            print(f"{kind:<16} {layout:<9} wrong {counts['wrong']:>3}  glued as printed {counts['alike']:>3}  "
                  f"cells right {counts['right'] / counts['cells']:.4f}")
    return out


def office_perturb(n: int, show: bool, kinds: tuple[str, ...] = GRID_KINDS) -> None:
    """samples/perturb.py's damages of a Word table (GRID_KINDS), n reports each, kept as DOCX and
    printed to PDF and saved as HTML by LibreOffice headless (skipped where soffice is absent):
    the numbers read wrong, over the grid and by the text path alone."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("LibreOffice (soffice) not found: DOCX only", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made: list[tuple[str, Path, dict[str, int | float | None], str]] = []
        for kind in kinds:
            for i in range(n):
                spec = damaged_spec(i, "html", kind)
                path, expected, what = write_damaged_docx(kind, spec, random.Random(i), folder / f"{kind}-{i}.docx")
                made.append((kind, path, expected, what))
        formats = [("docx", ".docx")]
        for target in ("pdf", "html") if soffice else ():
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                            target, "--outdir", str(folder), *(str(p) for _, p, _, _ in made)],
                           capture_output=True, timeout=3000, check=False)
            formats.append((f"lo-{target}", f".{target}"))
        counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for kind, docx_path, expected, what in made:
            for fmt, suffix in formats:
                path = docx_path.with_suffix(suffix)
                c = counts[(kind, fmt)]
                if not path.exists():
                    c["missing"] += 1
                    continue
                wrong, wrong_text = _compare(path, expected)
                c["cells"] += len(expected)
                c["wrong (grid)"] += len(wrong)
                c["wrong (text only)"] += len(wrong_text)
                if show:
                    for label, keys in (("wrong (grid)", wrong), ("wrong (text only)", wrong_text)):
                        if keys:
                            print(f"  {kind} {fmt} {path.name} ({what}) {label}: {', '.join(keys)}")
        for (kind, fmt), c in counts.items():
            print(f"{kind:<16} {fmt:<8} " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))


def _compare(path: Path, expected: dict[str, int | float | None]) -> tuple[list[str], list[str]]:
    """The keys read wrong over the document's grid, and by its text path alone."""
    import dataclasses

    from extractor.document import read_document
    from extractor.parse import parse_document

    doc = read_document(path)
    out = []
    for d in (doc, dataclasses.replace(doc, grid=())):
        fields = parse_document(d).fields
        out.append([k for k, v in expected.items() if fields.get(k) is not None and fields[k] != (v or 0)])
    return out[0], out[1]
