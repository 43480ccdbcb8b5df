"""Which reports are one body's: names matched across years.

A body's name varies between its reports (洪泽区人民政府 / 淮安市洪泽区人民政府, 政府 / 人民政府,
a bracketed aside). `body_key(name)` normalises: no spaces or bracketed asides, 人民政府 read as
政府, and leading higher-level regions (…省, …自治区, …市) dropped where a lower place follows
(淮安市洪泽区人民政府 → 洪泽区政府; 淮安市人民政府 and 临江市统计局 keep their city). `BodyMatcher` then joins keys that differ only slightly: a
rapidfuzz ratio of at least FUZZY_THRESHOLD between keys of the same length ±2 that share their
first two characters (a typo, a dropped character), and an aliases file maps the rest
(`run --aliases FILE`: a CSV of `name,canonical name`).

Public API: `body_key(name)`, `BodyMatcher(aliases).key(name)`, `load_aliases(path)`, `FUZZY_THRESHOLD`.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from rapidfuzz import fuzz

__all__ = ["BodyMatcher", "FUZZY_THRESHOLD", "body_key", "load_aliases"]

FUZZY_THRESHOLD = 90  # rapidfuzz ratio, 0..100
_NOISE = re.compile(r"\s+|[（(][^）)]*[）)]")
_REGION = re.compile(r"^[^省市区县]{2,8}?(?:省|自治区|市)")
_PLACE = re.compile(r"^[^省市区县镇乡局委办厅]{1,10}?(?:省|自治区|市|区|县|旗|镇|乡|街道)")


def body_key(name: str | None) -> str:
    if not name:
        return ""
    key = _NOISE.sub("", name).replace("人民政府", "政府")
    while True:
        m = _REGION.match(key)
        rest = key[m.end():] if m else ""
        if not m or not _PLACE.match(rest):  # 淮安市洪泽区… drops 淮安市; 临江市统计局 keeps its city
            return key
        key = rest


def load_aliases(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {body_key(row[0]): body_key(row[1]) for row in csv.reader(f) if len(row) >= 2 and row[0].strip()}


class BodyMatcher:
    def __init__(self, aliases: dict[str, str] | None = None):
        self.aliases = aliases or {}
        self._canonical: dict[str, str] = {}  # key -> the first similar key seen
        self._by_head: dict[str, list[str]] = {}

    def key(self, name: str | None) -> str:
        key = body_key(name)
        key = self.aliases.get(key, key)
        if not key or key in self._canonical:
            return self._canonical.get(key, key)
        for other in self._by_head.get(key[:2], ()):
            if abs(len(other) - len(key)) <= 2 and fuzz.ratio(other, key) >= FUZZY_THRESHOLD:
                self._canonical[key] = other
                return other
        self._canonical[key] = key
        self._by_head.setdefault(key[:2], []).append(key)
        return key
