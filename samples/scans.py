"""Scanned reports and reports whose tables are pictures, for the OCR tests and bench (issue 25).
Everything here is made up for this project.

- `scanned_pdf`: a Word report (office.py's merged cells, with label columns wide enough and
  rows that do not break across pages, as offices set them) printed to PDF by LibreOffice
  headless, rasterised by poppler's `pdftoppm` at 150–200 dpi and degraded as a scanner does
  (a slight rotation, blur, noise, specks, JPEG), saved as an image-only PDF.
- `picture_html`: the HTML report with each table replaced by a picture of it (drawn with the
  template's merged cells, then JPEG), inline as a `data:` URI or as a file beside the page.
- `make_set(folder, n, split)`: n of each, with their expected fields in `truth.json`.
  dev and test differ only in their seeds (dev 0–999, test 2000–2999: seeds 1000–1999 were the
  test split of the first round and were looked at while tuning, so they are retired; fresh
  3000–3999 is made once at the end of a round and measured without being looked at).

Run: python -m samples.scans OUT_DIR [N] [SPLIT ...]  (dev and test by default; needs soffice and pdftoppm)
"""

from __future__ import annotations

import base64
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from samples.office import _placements, _width, table2_grid, table3_grid, table4_grid, write_docx
from samples.synth import BODIES, SECTION5, ReportSpec, consistent_values, expected_fields, make_report

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SPLITS = {"dev": 0, "test": 2000, "fresh": 3000}


def scaled_values(seed: int, version: str) -> dict[str, int | float]:
    """consistent_values with table 三 and 四 scaled by a factor, so that numbers have several
    digits to misread (the identities are linear: they still hold)."""
    values = consistent_values(seed, version)
    k = random.Random(seed * 7 + 1).choice([1, 3, 7, 13, 27, 41])
    return {key: (v * k if key.startswith(("applications.", "review_litigation.")) else v) for key, v in values.items()}


def report_spec(seed: int) -> ReportSpec:
    rnd = random.Random(seed)
    version = rnd.choice(["2019", "2021"])
    year = rnd.choice([2019, 2020]) if version == "2019" else rnd.choice([2021, 2022, 2023])
    return ReportSpec(rnd.choice(BODIES), year, version, "html", scaled_values(seed, version), rnd.choice(SECTION5))


# ---------------------------------------------------------------- Word, printed and scanned
def _tidy_docx(path: Path) -> None:
    """Rows that do not break across pages, and table 三's label columns wide enough to read."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document(str(path))
    for style in ("Normal",):
        document.styles[style].font.size = Pt(10.5)
    for table in document.tables:
        for tr in table._tbl.findall(qn("w:tr")):
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
        cols = len(table.columns)
        widths = {10: [1.4, 1.6, 3.6] + [1.3] * 7, 15: [1.1] * 15, 4: [4.0] * 4}.get(cols)
        if widths:
            for grid_col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
                grid_col.set(qn("w:w"), str(int(w * 567)))  # LibreOffice lays out by the grid's twips
            for row in table.rows:
                for cell, w in zip(row.cells, widths):
                    cell.width = Cm(w)
        for p in (p for row in table.rows for cell in row.cells for p in cell.paragraphs):
            for run in p.runs:
                run.font.size = Pt(9)
    document.save(str(path))


def to_pdf(docx_paths: list[Path], out: Path) -> None:
    """Word files to PDF with LibreOffice headless, in one call."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to print the scans")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, docx_paths)], check=True, capture_output=True, timeout=600)


def rasterise(pdf: Path, dpi: int) -> list:
    """The PDF's pages as grayscale images (poppler's pdftoppm)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), f"{tmp}/p"], check=True, timeout=300)
        return [Image.open(p).copy() for p in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem[2:]))]


def degrade(image, rnd: random.Random, angle_max: float = 1.2):
    """As a scanner would: a slight rotation, blur, grain, specks, then JPEG."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rnd.uniform(-angle_max, angle_max)
    img = image.convert("L").rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(rnd.uniform(0.3, 0.8)))
    arr = np.asarray(img, dtype=np.float32)
    np_rng = np.random.default_rng(rnd.randrange(1 << 30))
    arr = arr * rnd.uniform(0.88, 0.97) + rnd.uniform(4, 16)  # grey paper, darker ink
    arr += np_rng.normal(0, rnd.uniform(4, 10), arr.shape)
    specks = np_rng.random(arr.shape) < rnd.uniform(0.0002, 0.001)
    arr[specks] = np_rng.uniform(0, 120, int(specks.sum()))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rnd.randint(55, 80))
    return Image.open(io.BytesIO(buf.getvalue())), angle


def scanned_pdfs(seeds: list[int], out: Path) -> list[dict]:
    """Image-only PDFs of Word reports; returns their records (file, dpi, expected fields)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        docs = []
        for seed in seeds:
            path = tmp_dir / f"scan_{seed:04d}.docx"
            write_docx(report_spec(seed), path)
            _tidy_docx(path)
            docs.append(path)
        to_pdf(docs, tmp_dir)
        records = []
        for seed in seeds:
            rnd = random.Random(seed + 5)
            dpi = rnd.choice([150, 200])
            pages = [degrade(p, rnd)[0] for p in rasterise(tmp_dir / f"scan_{seed:04d}.pdf", dpi)]
            name = f"scan_{seed:04d}.pdf"
            pages[0].save(out / name, save_all=True, append_images=pages[1:], resolution=dpi)
            spec = report_spec(seed)
            records.append({"file": name, "kind": "scanned_pdf", "dpi": dpi, "pages": len(pages),
                            "org_name": spec.org, "year": spec.year, "fields": expected_fields(spec)})
        return records


# ---------------------------------------------------------------- tables as pictures
def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return lines + [line] if line else lines or [""]


def table_picture(grid, rnd: random.Random, widths: list[int] | None = None):
    """A ruled table with merged cells, drawn as a browser would show it, as a picture."""
    from PIL import Image, ImageDraw, ImageFont

    size = rnd.choice([14, 15, 16])
    font = ImageFont.truetype(FONT, size)
    pad, line_h = 6, int(size * 1.45)
    n_cols = _width(grid)
    widths = widths or [110] * n_cols
    placed = list(_placements(grid))
    probe = ImageDraw.Draw(Image.new("L", (10, 10)))
    n_rows = len(grid)
    heights = [line_h + 2 * pad] * n_rows
    wrapped = {}
    for r, c, (text, rowspan, colspan) in placed:
        w = sum(widths[c:c + colspan]) - 2 * pad
        wrapped[(r, c)] = _wrap(probe, text, font, w)
        need = len(wrapped[(r, c)]) * line_h + 2 * pad
        have = sum(heights[r:r + rowspan])
        if need > have:
            heights[r + rowspan - 1] += need - have
    xs = [10]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [10]
    for h in heights:
        ys.append(ys[-1] + h)
    img = Image.new("L", (xs[-1] + 10, ys[-1] + 10), 255)
    draw = ImageDraw.Draw(img)
    for r, c, (_text, rowspan, colspan) in placed:
        x0, y0, x1, y1 = xs[c], ys[r], xs[c + colspan], ys[r + rowspan]
        draw.rectangle((x0, y0, x1, y1), outline=0, width=1)
        lines = wrapped[(r, c)]
        top = y0 + (y1 - y0 - len(lines) * line_h) // 2
        for k, line in enumerate(lines):
            tw = draw.textlength(line, font=font)
            x = x0 + (x1 - x0 - tw) / 2 if len(lines) == 1 else x0 + pad
            draw.text((x, top + k * line_h), line, font=font, fill=rnd.randint(0, 40))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=rnd.randint(70, 90))
    return buf.getvalue()


_TABLE = re.compile(r"<table\b.*?</table>", re.S)


def picture_html(seeds: list[int], out: Path) -> list[dict]:
    """HTML reports whose three tables are pictures: inline for even seeds, files beside the page for odd."""
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for seed in seeds:
        spec = report_spec(seed)
        rnd = random.Random(seed + 9)
        html = make_report(spec)
        grids = [table2_grid(spec), table3_grid(spec), table4_grid(spec)]
        col_widths = [[150, 120, 120, 120], [70, 90, 150] + [72] * 7, [62] * 15]
        pictures = [table_picture(g, rnd, w) for g, w in zip(grids, col_widths)]
        name = f"pic_{seed:04d}.html"
        it = iter(range(3))

        def swap(_m, seed=seed, name=name, it=it, pictures=pictures) -> str:
            i = next(it)
            if seed % 2 == 0:
                return f'<p><img src="data:image/jpeg;base64,{base64.b64encode(pictures[i]).decode()}"></p>'
            picture = f"{Path(name).stem}_t{i + 2}.jpg"
            (out / picture).write_bytes(pictures[i])
            return f'<p><img src="{picture}" alt="表{i + 2}"></p>'

        html = _TABLE.sub(swap, html, count=3)
        (out / name).write_text(html, encoding="utf-8")
        records.append({"file": name, "kind": "picture_html", "pages": 3, "org_name": spec.org, "year": spec.year,
                        "fields": expected_fields(spec)})
    return records


def make_set(folder: Path, n: int, split: str = "dev", kinds: tuple[str, ...] = ("scanned_pdf", "picture_html")) -> list[dict]:
    """n reports of each kind in folder/, and folder/truth.json with what each should read."""
    base = SPLITS[split]
    seeds = list(range(base, base + n))
    records: list[dict] = []
    if "scanned_pdf" in kinds:
        records += scanned_pdfs(seeds, folder)
    if "picture_html" in kinds:
        records += picture_html(seeds, folder)
    (folder / "truth.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return records


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    for split in sys.argv[3:] or ("dev", "test"):
        make_set(target / split, count, split)
        print(target / split)
