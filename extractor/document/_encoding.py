"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, detected."""

from __future__ import annotations

import codecs

from extractor.errors import ReadError

__all__ = ["decode"]


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise ReadError for empty or binary input."""
    if not data or data.isspace():  # not data.strip(): a copy of the whole file to test it
        raise ReadError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    # UTF-32's little-endian BOM begins with UTF-16's: test it first.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace"), "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if data.find(b"\x00", 0, 8192) >= 0:  # in the first 8 kB (looked at in place)
        wide = _wide_encoding(data[:8192])
        if wide is None:
            raise ReadError("binary file (NUL bytes), not a text, HTML, DOCX or PDF report")
        return data.decode(wide, errors="replace"), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Chinese government sites still serve GBK; GB18030 is its superset and decodes it exactly.
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import (
        from_bytes,  # only for what UTF-8 and GB18030 do not read
    )

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("undecodable bytes: not text in UTF-8, GB18030 or any detected encoding")
    return str(best), best.encoding


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return (32 <= o < 127 or ch in "\t\n\r" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F)


def _wide_encoding(head: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, told by where the NUL bytes fall: the right byte order
    decodes to ASCII and CJK characters, a wrong one to scattered code points. None for
    binary data."""
    best, best_score = None, 0.9  # below this share of plausible characters: binary
    for name, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        sample = head[: len(head) // unit * unit]
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        score = sum(map(_plausible, text)) / len(text) if text else 0
        if score > best_score:
            best, best_score = name, score
    return best
