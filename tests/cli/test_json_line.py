"""`json_line` writes a result with the standard library where it prints orjson's bytes, and
hands the rest to orjson: every line is the same bytes whichever wrote it."""

from __future__ import annotations

from pathlib import Path

import orjson

from extractor import parse_file
from extractor.cli._emit import json_line

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "reports"


def _orjson_line(obj: dict) -> bytes:
    return orjson.dumps(obj) + b"\n"


def test_a_parse_result_is_the_bytes_orjson_writes():
    paths = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    assert paths
    for p in paths:
        result = parse_file(p).to_json_dict()
        assert json_line(result) == _orjson_line(result), p.name


def test_escapes_text_and_numbers_as_orjson_does():
    obj = {"text": "\x00\x01\x1f\x7f\u2028\u2029\"\\\n\t\r\b\f 中文 😀", "n": [0, -3, 2**63, True, False, None],
           "f": [0.1, 3.0, -0.0, 5949.088667, 0.0001, 1e15, 123456.789], "nested": {"t": (1, "a")}}
    assert json_line(obj) == _orjson_line(obj)


def test_floats_the_two_print_apart_go_to_orjson():
    for value in (1e-05, 2.5e-07, 1e16, 1.2345678901234568e17):
        obj = {"fields": {"x": value}}
        assert json_line(obj) == _orjson_line(obj), value
    assert json_line({"x": float("nan")}) == b'{"x":null}\n'  # as orjson: JSON has no NaN


def test_what_orjson_cannot_hold_still_goes_to_the_standard_library():
    big = {"x": 2**70, "s": "a\udc80b"}
    assert json_line(big) == b'{"x": 1180591620717411303424, "s": "a\x80b"}\n'  # its fallback, as before
