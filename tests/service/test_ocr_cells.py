"""OCR-read cells in the service (issue 25, ready before its branch is merged): a record with
`cells[key].ocr` and the state `ocr_uncertain`, `at` holding the page and the box, is injected;
the report page marks both, with the confidence on hover, and shows the picture cut from the
PDF page (rendered with pypdfium2 at the OCR's 200 dpi) or from the image file, cached."""

from __future__ import annotations

import io

import orjson
import pytest

from extractor.service._data import report_id
from tests.service.conftest import MISPRINTED, client_for, drop_stored_at

SURE = "applications.received_new.natural_person"
UNSURE = "applications.received_new.commercial_enterprise"
DPI = 200
# a black box drawn at 100–150 pt across, 100–120 pt down: in pixels of the page at 200 dpi
BOX = [round(100 * DPI / 72), round(100 * DPI / 72), round(150 * DPI / 72), round(120 * DPI / 72)]


def _inject(out, source: str) -> str:
    """The misprinted report's record again under `source`, two of its cells read by OCR."""
    path = out / "results.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    r = next(orjson.loads(x) for x in lines if orjson.loads(x)["source"] == MISPRINTED)
    r["source"], r["sha256"] = source, "f" * 64

    drop_stored_at(r["parse"], SURE)
    drop_stored_at(r["parse"], UNSURE)
    cells = r["parse"].setdefault("cells", {})
    cells[SURE] = {**cells.get(SURE, {"raw": "33", "state": "number"}), "ocr": 0.97, "at": {"page": 1, "box": BOX}}
    cells[UNSURE] = {"raw": "2B", "state": "ocr_uncertain", "ocr": 0.41, "at": {"page": 1, "box": BOX}}
    r["parse"]["fields"][UNSURE] = None
    path.write_bytes(b"".join(lines) + orjson.dumps(r) + b"\n")
    return report_id(source)


def _pdf(path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFillColorRGB(0, 0, 0)
    c.rect(100, A4[1] - 120, 50, 20, fill=1, stroke=0)
    c.showPage()
    c.save()


def _png(path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (800, 600), "white")
    ImageDraw.Draw(img).rectangle([BOX[0], BOX[1], BOX[2] - 1, BOX[3] - 1], fill="black")
    img.save(path)


def _assert_crop(png: bytes) -> None:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    width, height = BOX[2] - BOX[0], BOX[3] - BOX[1]
    assert (img.width, img.height) == (width + 32, height + 32)  # the box and a 16-pixel margin
    assert img.getpixel((img.width // 2, img.height // 2)) < 60  # the cell itself (black)
    assert img.getpixel((3, 3)) > 200  # the margin around it (white)


@pytest.fixture
def ocr_state(monkeypatch):
    """Until the OCR branch (h25) is merged, CellState has no `ocr_uncertain`: reading a record
    that has it, take it as that branch does, a cell whose value is unknown."""
    from extractor.models import CellState
    from extractor.outputs import _compact as compact

    if not hasattr(CellState, "OCR_UNCERTAIN"):
        real = compact.cell_state
        monkeypatch.setattr(compact, "cell_state", lambda s: CellState.TEXT if s == "ocr_uncertain" else real(s))


@pytest.mark.parametrize("name, make", [("scan.pdf", _pdf), ("scan.png", _png)])
def test_ocr_cells_are_marked_with_their_picture(run_dirs, ocr_state, name, make):
    src, out = run_dirs
    pytest.importorskip("reportlab" if name.endswith(".pdf") else "PIL")
    make(src / name)
    rid = _inject(out, name)
    client = client_for(out)
    html = client.get(f"/reports/{rid}").text
    unsure = html[html.index(f'id="cell-{UNSURE}"') - 80:html.index(f'id="cell-{UNSURE}"') + 600]
    assert "ocr-unsure" in unsure and "置信度41%" in unsure and "OCR读作：2B" in unsure
    assert f'<img class="crop" src="/reports/{rid}/crop/{UNSURE}.png"' in unsure
    sure = html[html.index(f'id="cell-{SURE}"') - 80:html.index(f'id="cell-{SURE}"') + 400]
    assert " ocr" in sure and "置信度97%" in sure and f"/reports/{rid}/crop/{SURE}.png" in sure
    assert "识别存疑" in html and "OCR识别" in html  # the legend
    got = client.get(f"/reports/{rid}/crop/{UNSURE}.png")
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    _assert_crop(got.content)
    assert len(list((out / ".crops").glob("*.png"))) == 1  # cached: both cells share the box
    assert client.get(f"/reports/{rid}/crop/{SURE}.png").content == got.content


def test_no_picture_for_a_text_source_or_a_cell_without_a_box(run_dirs):
    _src, out = run_dirs
    client = client_for(out)
    rid = report_id(MISPRINTED)
    assert "/crop/" not in client.get(f"/reports/{rid}").text
    assert client.get(f"/reports/{rid}/crop/{SURE}.png").status_code == 404
