"""A picture that is not read says so (issue 25): too large, undecodable, or past the count limit."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="OCR needs rapidocr_onnxruntime (pip install -e .)")

from extractor import parse_file  # noqa: E402
from extractor.models import WarningCode  # noqa: E402


def _png(width: int, height: int, corrupt: bool = False) -> bytes:
    """A small real PNG whose header announces width × height; `corrupt`: its pixel data cut."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    if corrupt:  # the header kept, the pixel data replaced by junk
        junk = b"not deflate data"
        idat = struct.pack(">I", len(junk)) + b"IDAT" + junk + struct.pack(">I", zlib.crc32(b"IDAT" + junk) & 0xFFFFFFFF)
        return bytes(data[:33]) + idat + bytes(data[-12:])
    return bytes(data)


def _report(tmp_path: Path, picture: bytes) -> Path:
    src = base64.b64encode(picture).decode()
    html = ("<html><body><p>青山县水利局2022年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            f'<p><img src="data:image/png;base64,{src}"></p><p>二、主动公开政府信息情况</p></body></html>')
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize(("size", "corrupt", "why"), [((60_000, 60_000), False, "pixels"),
                                                      ((800, 600), True, "unreadable image")])
def test_a_picture_not_read_is_reported_in_one_line(tmp_path: Path, size: tuple[int, int], corrupt: bool, why: str) -> None:
    result = parse_file(_report(tmp_path, _png(*size, corrupt=corrupt)))
    assert result.ok
    skipped = [w for w in result.warnings if w.code == WarningCode.OCR_SKIPPED]
    assert len(skipped) == 1 and why in skipped[0].message and "\n" not in skipped[0].message
    assert not any(w.code == WarningCode.OCR_READ for w in result.warnings)  # nothing was read
    assert all(c.ocr is None for c in result.cells.values())


def test_an_icon_is_not_a_skipped_picture(tmp_path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (32, 32), 0).save(buf, "PNG")
    result = parse_file(_report(tmp_path, buf.getvalue()))
    assert result.ok and not any(w.code in (WarningCode.OCR_SKIPPED, WarningCode.OCR_READ) for w in result.warnings)
