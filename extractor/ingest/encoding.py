"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, detected."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from extractor.ingest.errors import ReadError


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise ReadError for empty or binary input."""
    if not data.strip():
        raise ReadError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:8192]
    if b"\x00" in head:
        raise ReadError("binary file (NUL bytes), not a text, HTML, DOCX or PDF report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Chinese government sites still serve GBK; GB18030 is its superset and decodes it exactly.
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ReadError("undecodable bytes: not text in UTF-8, GB18030 or any detected encoding")
    return str(best), best.encoding
